#!/usr/bin/env bash
# The pre-commit hook without Rust (`id: license-drift`, language: script): installs the
# release archive of the version this hook revision pins (Cargo.toml beside it), verified by
# its sha256 and cached in ${XDG_CACHE_HOME:-~/.cache}/license-drift, then runs the pre-push
# check. No archive for this platform: use the `license-drift-source` hook (builds with cargo).
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
status=0
binary=$(bash "$here/install.sh" --source "$here/.." --no-build) || status=$?
if [ "$status" = 3 ]; then
  echo "license-drift: no prebuilt binary of this version for this platform; use the hook id license-drift-source (builds with Rust) instead" >&2
  exit 2
elif [ "$status" != 0 ]; then
  exit "$status"
fi
exec "$binary" hook pre-push "$@"
