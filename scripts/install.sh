#!/usr/bin/env bash
# Installs license-drift: the release archive of this platform, its checksum verified before
# anything is unpacked, cached; or, only when no archive exists for the version and platform,
# a build with cargo inside the source directory (its own toolchain settings, never the
# caller's workspace). Prints the absolute path of the binary on stdout; everything else goes
# to stderr. Used by action.yml and by the pre-commit hook; runs under bash on Linux, macOS and
# Windows (Git Bash).
#
#   install.sh [--version X.Y.Z] [--source DIR] [--cache DIR] [--no-build | --build-only]
#
# --version   the release to install (default: the `version` of DIR/Cargo.toml)
# --source    the license-drift source tree: where the version is read and the fallback build
#             runs (default: this script's parent directory)
# --cache     where binaries are kept, one folder per version and target (default:
#             $RUNNER_TOOL_CACHE/license-drift, else ${XDG_CACHE_HOME:-~/.cache}/license-drift)
# --no-build  no cargo fallback: exit 3 when there is no archive for this version and target
# --build-only  skip the download and build with cargo
#
# Environment: LICENSE_DRIFT_DOWNLOAD_URL (default: <repository>/releases/download, the
# repository being Cargo.toml's `repository`), LICENSE_DRIFT_TARGET (overrides the detected
# target triple).
#
# Exit codes: 0 installed; 2 error (a checksum mismatch, a broken archive, a failed build);
# 3 no archive for this version and target, and --no-build.
set -euo pipefail

log() { printf 'license-drift install: %s\n' "$*" >&2; }
die() {
  if [ -n "${GITHUB_ACTIONS:-}" ]; then printf '::error title=license-drift install::%s\n' "$*" >&2; fi
  log "error: $*"
  exit 2
}
# A path bash on this system can use: Windows paths (D:\a\x) become /d/a/x under Git Bash.
unix_path() {
  if command -v cygpath >/dev/null 2>&1; then cygpath -u -- "$1"; else printf '%s\n' "$1"; fi
}

version="" source_dir="" cache_root="" mode=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="${2:?--version needs a value}"; shift 2 ;;
    --source) source_dir="${2:?--source needs a value}"; shift 2 ;;
    --cache) cache_root="${2:?--cache needs a value}"; shift 2 ;;
    --no-build) mode=download; shift ;;
    --build-only) mode=build; shift ;;
    *) die "unknown argument $1 (see the comment at the top of install.sh)" ;;
  esac
done

if [ -z "$source_dir" ]; then source_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"; fi
source_dir=$(unix_path "$source_dir")
manifest="$source_dir/Cargo.toml"

# The first `key = "value"` of the [package] table of Cargo.toml.
package_key() {
  [ -f "$manifest" ] || return 0
  awk -v key="$1" '
    /^\[/ { in_package = ($0 == "[package]") }
    in_package && $1 == key && $2 == "=" { v = $3; gsub(/"/, "", v); print v; exit }
  ' "$manifest"
}

version="${version#v}"
if [ -z "$version" ]; then version=$(package_key version); fi
[ -n "$version" ] || die "no version: give --version, or --source with a Cargo.toml"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || die "version '$version' is not X.Y.Z"

exe=""
target="${LICENSE_DRIFT_TARGET:-}"
if [ -z "$target" ]; then
  os=$(uname -s) arch=$(uname -m)
  case "$arch" in
    x86_64 | amd64 | AMD64) arch=x86_64 ;;
    aarch64 | arm64 | ARM64) arch=aarch64 ;;
  esac
  case "$os" in
    Linux) target="$arch-unknown-linux-musl" ;;
    Darwin) target="$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) target="$arch-pc-windows-msvc" ;;
    *) target="$arch-unknown-$os" ;;
  esac
fi
case "$target" in *windows*) exe=".exe" ;; esac

if [ -z "$cache_root" ]; then
  if [ -n "${RUNNER_TOOL_CACHE:-}" ]; then
    cache_root="$(unix_path "$RUNNER_TOOL_CACHE")/license-drift"
  else
    cache_root="${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/license-drift"
  fi
fi
cache_root=$(unix_path "$cache_root")
cache="$cache_root/$version/$target"
binary="$cache/license-drift$exe"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -- "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 -- "$1" | cut -d' ' -f1
  else
    die "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}

build() {
  [ -f "$manifest" ] || die "no release archive for $version on $target, and no source to build ($manifest is missing)"
  command -v cargo >/dev/null 2>&1 ||
    die "no release archive for $version on $target, and cargo is not installed to build one: set up a Rust toolchain, or give a prebuilt binary"
  log "building license-drift $version with cargo in $source_dir (no release archive for $target)"
  # Inside the source directory, so its rust-toolchain and .cargo/config apply, not the
  # caller's; its own target directory, which the Action caches.
  (cd -- "$source_dir" && CARGO_TARGET_DIR="$source_dir/target" cargo build --release --locked) >&2 ||
    die "cargo build --release --locked failed in $source_dir"
  built="$source_dir/target/release/license-drift$exe"
  [ -x "$built" ] || die "cargo build finished without $built"
  printf '%s\n' "$built"
  exit 0
}

if [ "$mode" = build ]; then build; fi

if [ -x "$binary" ] && [ -f "$cache/.verified" ]; then
  log "using the cached license-drift $version ($target) at $binary"
  printf '%s\n' "$binary"
  exit 0
fi

repository=$(package_key repository)
base_url="${LICENSE_DRIFT_DOWNLOAD_URL:-${repository:-https://github.com/license-drift/license-drift}/releases/download}"
name="license-drift-v$version-$target"
archive="$name.tar.gz"
url="${base_url%/}/v$version/$archive"

command -v curl >/dev/null 2>&1 || die "curl is not installed: cannot download $url"
mkdir -p -- "$cache_root"
work=$(mktemp -d "$cache_root/.download.XXXXXX")
trap 'rm -rf -- "$work"' EXIT

# Prints the HTTP status; the body goes to $2. A failed transfer (no connection, a cut
# download) prints `failed`.
fetch() {
  local code
  if code=$(curl --silent --show-error --location --retry 3 --retry-delay 2 --connect-timeout 20 \
    --max-time 300 --output "$2" --write-out '%{http_code}' -- "$1"); then
    printf '%s' "$code"
  else
    printf 'failed'
  fi
}

log "downloading $url"
status=$(fetch "$url" "$work/$archive")
case "$status" in
  200) ;;
  404 | 410)
    if [ "$mode" = download ]; then
      log "no release archive $archive for $version"
      exit 3
    fi
    build
    ;;
  *)
    # Unreachable (an offline runner, a proxy) or a server error: not the same as a missing
    # archive, but a build is still the way to a binary.
    if [ "$mode" = download ]; then
      log "the download of $url failed (HTTP $status)"
      exit 3
    fi
    log "warning: the download of $url failed (HTTP $status); building instead"
    build
    ;;
esac

status=$(fetch "$url.sha256" "$work/$archive.sha256")
[ "$status" = 200 ] ||
  die "the archive $archive exists but its checksum $archive.sha256 could not be downloaded (HTTP $status): not using an unverified binary"
expected=$(tr -d '\r' <"$work/$archive.sha256" | awk 'NR == 1 { print tolower($1) }')
[[ "$expected" =~ ^[0-9a-f]{64}$ ]] || die "$archive.sha256 does not hold a SHA-256 checksum"
actual=$(sha256 "$work/$archive")
if [ "$actual" != "$expected" ]; then
  die "checksum mismatch for $archive: expected $expected, got $actual; the download is discarded (retry; if it persists, report it)"
fi
log "checksum verified: $actual"

mkdir -p -- "$work/unpacked"
tar -xzf "$work/$archive" -C "$work/unpacked" || die "cannot unpack $archive"
unpacked="$work/unpacked/$name/license-drift$exe"
[ -f "$unpacked" ] || die "$archive holds no $name/license-drift$exe"
chmod +x -- "$unpacked"
# Put in place whole: another job on the same runner may be installing the same version.
rm -rf -- "$cache.partial.$$"
mkdir -p -- "$(dirname -- "$cache")"
mv -- "$work/unpacked/$name" "$cache.partial.$$"
printf '%s  %s\n' "$actual" "$archive" >"$cache.partial.$$/.verified"
rm -rf -- "$cache"
mv -- "$cache.partial.$$" "$cache"
log "installed license-drift $version ($target) at $binary"
printf '%s\n' "$binary"
