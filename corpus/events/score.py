#!/usr/bin/env python3
"""Re-score license-drift on the real drift events of events.toml.

    python3 corpus/events/score.py --binary PATH [--mirrors DIR] [--set dev|holdout|all]
                                   [--verbose] [--map owner/name=GITDIR ...] [--only ID ...]

For each event: find the bare mirror of its repository (a directory named like
`owner+name` somewhere below --mirrors, default /work/.mirror; --map overrides), check
that the recorded blob ids still match (`git rev-parse base:path`), run

    BINARY diff --repo MIRROR BASE HEAD --format json --fail-on never

and score it. An event passes when every `expect` entry is matched by a finding, no
`forbid` entry matches a finding and no finding is more severe than `max_severity`.

Matching (case-insensitive): `rule` equal (an `a|b` rule accepts either); `direction`
and `severity` equal when given; `before`/`after` substrings of the finding's values
when given; `contains` a substring of the whole finding as JSON. A `forbid` entry is a
rule name or a table with the same keys as an `expect` entry.

Events whose mirror is absent are SKIPPED and counted separately. Exit 0 always, except
2 when events.toml is malformed or the binary cannot be found. Python 3.11+ (tomllib),
standard library only.
"""

import argparse
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEVERITY = {"info": 0, "warning": 1, "error": 2}
EVENT_KEYS = {"id", "repo", "base", "head", "class", "set", "files", "summary", "expect",
              "max_severity", "forbid", "note"}
MATCH_KEYS = {"rule", "direction", "severity", "before", "after", "contains"}


def die(msg):
    print(f"score.py: {msg}", file=sys.stderr)
    sys.exit(2)


def load_events(path):
    try:
        import tomllib
    except ImportError:  # pragma: no cover
        try:
            import tomli as tomllib  # type: ignore
        except ImportError:
            die("needs Python 3.11+ (tomllib) or the tomli package")
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, ValueError) as e:
        die(f"cannot read {path}: {e}")
    events = data.get("event")
    if not isinstance(events, list) or not events:
        die(f"{path}: no [[event]] tables")
    seen = set()
    for i, ev in enumerate(events):
        where = f"{path}: event #{i + 1} ({ev.get('id', '?')})"
        for key in ("id", "repo", "base", "head", "class", "set"):
            if not isinstance(ev.get(key), str) or not ev[key]:
                die(f"{where}: missing or empty '{key}'")
        unknown = set(ev) - EVENT_KEYS
        if unknown:
            die(f"{where}: unknown key(s) {sorted(unknown)}")
        if ev["id"] in seen:
            die(f"{where}: duplicate id")
        seen.add(ev["id"])
        for key in ("base", "head"):
            v = ev[key]
            if len(v) != 40 or any(c not in "0123456789abcdef" for c in v):
                die(f"{where}: '{key}' is not a 40-hex commit id")
        if ev["set"] not in ("dev", "holdout", "fresh"):
            die(f"{where}: set must be dev or holdout")
        if "/" not in ev["repo"]:
            die(f"{where}: repo must be owner/name")
        ev.setdefault("files", [])
        ev.setdefault("expect", [])
        ev.setdefault("forbid", [])
        for f in ev["files"]:
            if not isinstance(f, dict) or "path" not in f:
                die(f"{where}: files entries need a path")
        for e in ev["expect"]:
            if not isinstance(e, dict) or "rule" not in e or set(e) - MATCH_KEYS:
                die(f"{where}: bad expect entry {e!r}")
        for fb in ev["forbid"]:
            if isinstance(fb, dict):
                if "rule" not in fb or set(fb) - MATCH_KEYS:
                    die(f"{where}: bad forbid entry {fb!r}")
            elif not isinstance(fb, str):
                die(f"{where}: bad forbid entry {fb!r}")
        ms = ev.get("max_severity")
        if ms is not None and ms not in SEVERITY:
            die(f"{where}: max_severity must be info, warning or error")
    return events


def find_mirror(repo, root, overrides, cache):
    if repo in overrides:
        d = overrides[repo]
        return d if os.path.isdir(d) else None
    name = repo.replace("/", "+")
    if name in cache:
        return cache[name]
    found = None
    pats = [os.path.join(root, name), os.path.join(root, name, "repo"),
            os.path.join(root, "**", name), os.path.join(root, "**", name, "repo")]
    for pat in pats:
        for cand in sorted(glob.glob(pat, recursive=True)):
            if is_git_dir(cand):
                found = cand
                break
        if found:
            break
    cache[name] = found
    return found


def is_git_dir(path):
    if not os.path.isdir(path):
        return False
    if os.path.isdir(os.path.join(path, ".git")):
        return True
    return os.path.isfile(os.path.join(path, "HEAD")) and os.path.isdir(os.path.join(path, "objects"))


def git_env():
    env = dict(os.environ)
    env.update(GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1")
    return env


def rev_parse(gitdir, spec):
    r = subprocess.run(["git", "--git-dir", gitdir, "rev-parse", "--verify", "-q", spec],
                       capture_output=True, text=True, env=git_env())
    return r.stdout.strip() if r.returncode == 0 else ""


def git_dir_of(mirror):
    return os.path.join(mirror, ".git") if os.path.isdir(os.path.join(mirror, ".git")) else mirror


def check_blobs(ev, mirror):
    problems = []
    gd = git_dir_of(mirror)
    for side in ("base", "head"):
        if not rev_parse(gd, ev[side] + "^{commit}"):
            problems.append(f"{side} commit {ev[side][:12]} not in mirror")
    if problems:
        return problems
    for f in ev["files"]:
        for side in ("base", "head"):
            want = f.get(f"{side}_blob", "")
            got = rev_parse(gd, f"{ev[side]}:{f['path']}")
            if want != got:
                problems.append(f"{side}:{f['path']} is {got[:12] or 'absent'}, recorded {want[:12] or 'absent'}")
    return problems


def ci(s):
    return "" if s is None else str(s).lower()


def matches(entry, finding):
    rules = [r.strip().lower() for r in entry["rule"].split("|")]
    if ci(finding.get("rule")) not in rules:
        return False
    for key in ("direction", "severity"):
        if key in entry and ci(finding.get(key)) != ci(entry[key]):
            return False
    for key in ("before", "after"):
        if key in entry and ci(entry[key]) not in ci(finding.get(key)):
            return False
    if "contains" in entry and ci(entry["contains"]) not in json.dumps(finding, ensure_ascii=False).lower():
        return False
    return True


def describe(entry):
    if isinstance(entry, str):
        return entry
    parts = [entry["rule"]]
    for key in ("direction", "severity"):
        if key in entry:
            parts.append(f"{key}={entry[key]}")
    if "before" in entry or "after" in entry:
        parts.append(f"{entry.get('before', '*')}->{entry.get('after', '*')}")
    if "contains" in entry:
        parts.append(f"~{entry['contains']!r}")
    return " ".join(parts)


def short(f):
    scope = f.get("scope") or {}
    where = f"{scope.get('path', '')}:{scope.get('component', '')}"
    arrow = ""
    if f.get("before") is not None or f.get("after") is not None:
        arrow = f" {f.get('before')}->{f.get('after')}"
    d = f" {f['direction']}" if f.get("direction") else ""
    return f"{f.get('severity')} {f.get('rule')}{d}{arrow} [{where}]"


def run_tool(binary, mirror, ev, timeout):
    cmd = [binary, "diff", "--repo", mirror, ev["base"], ev["head"], "--format", "json",
           "--fail-on", "never"]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, env=git_env(), timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout}s"
    if r.returncode not in (0, 1):
        msg = (r.stderr.strip() or r.stdout.strip()).splitlines()
        return None, f"exit {r.returncode}: " + " | ".join(msg[:3])
    try:
        return json.loads(r.stdout), None
    except ValueError as e:
        return None, f"exit {r.returncode}, output is not JSON ({e}): {r.stderr.strip()[:200]}"


def score(ev, report):
    findings = report.get("findings", [])
    problems = []
    for e in ev["expect"]:
        if not any(matches(e, f) for f in findings):
            problems.append(f"missing {describe(e)}")
    for fb in ev["forbid"]:
        entry = {"rule": fb} if isinstance(fb, str) else fb
        hits = [f for f in findings if matches(entry, f)]
        if hits:
            problems.append(f"forbidden {describe(fb)} x{len(hits)} (e.g. {short(hits[0])})")
    ms = ev.get("max_severity")
    if ms:
        over = [f for f in findings if SEVERITY.get(ci(f.get("severity")), 2) > SEVERITY[ms]]
        if over:
            problems.append(f"{len(over)} finding(s) above {ms} (e.g. {short(over[0])})")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True, help="path of the license-drift binary")
    ap.add_argument("--mirrors", default="/work/.mirror", help="search root of the bare mirrors")
    ap.add_argument("--events", default=os.path.join(HERE, "events.toml"))
    ap.add_argument("--set", default="all", choices=["dev", "holdout", "fresh", "all"])
    ap.add_argument("--map", action="append", default=[], metavar="OWNER/NAME=GITDIR",
                    help="use this git dir for this repository (repeatable)")
    ap.add_argument("--only", action="append", default=[], metavar="ID", help="score only these events")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--verbose", action="store_true", help="print every finding of every event")
    args = ap.parse_args()

    events = load_events(args.events)
    if not (os.path.isfile(args.binary) and os.access(args.binary, os.X_OK)):
        die(f"binary not found or not executable: {args.binary}")
    binary = os.path.abspath(args.binary)
    overrides = {}
    for m in args.map:
        if "=" not in m:
            die(f"--map needs OWNER/NAME=GITDIR, got {m!r}")
        k, v = m.split("=", 1)
        overrides[k] = v
    cache = {}

    stats = {}  # key -> [pass, fail, skip]

    def bump(key, idx):
        stats.setdefault(key, [0, 0, 0])[idx] += 1

    real_total = real_found = harmless_total = harmless_error = 0
    for ev in events:
        if args.set != "all" and ev["set"] != args.set:
            continue
        if args.only and ev["id"] not in args.only:
            continue
        keys = ["all", f"class {ev['class']}", f"set {ev['set']}"]
        mirror = find_mirror(ev["repo"], args.mirrors, overrides, cache)
        if not mirror:
            print(f"SKIP  {ev['id']}: no mirror of {ev['repo']} under {args.mirrors}")
            for k in keys:
                bump(k, 2)
            continue
        problems = check_blobs(ev, mirror)
        report = None
        if not problems:
            report, err = run_tool(binary, mirror, ev, args.timeout)
            if err:
                problems = [f"tool error: {err}"]
            else:
                problems = score(ev, report)
        ok = not problems
        status = "PASS" if ok else "FAIL"
        print(f"{status}  {ev['id']} ({ev['repo']}, {ev['class']}, {ev['set']})"
              + ("" if ok else ": " + "; ".join(problems)))
        findings = (report or {}).get("findings", [])
        if args.verbose or (not ok and report is not None):
            limit = None if args.verbose else 8
            for f in findings[:limit]:
                print(f"        {short(f)}")
            if limit is not None and len(findings) > limit:
                print(f"        … {len(findings) - limit} more")
        for k in keys:
            bump(k, 0 if ok else 1)
        if ev["expect"]:
            real_total += 1
            if report is not None and all(any(matches(e, f) for f in findings) for e in ev["expect"]):
                real_found += 1
        if ev["class"] == "harmless":
            harmless_total += 1
            if report is None or any(ci(f.get("severity")) == "error" for f in findings):
                harmless_error += 1

    print()
    print(f"{'':24} {'pass':>5} {'fail':>5} {'skip':>5}")
    order = ["all"] + sorted(k for k in stats if k.startswith("class ")) + \
        sorted(k for k in stats if k.startswith("set "))
    for k in order:
        p, f, s = stats[k]
        print(f"{k:24} {p:5} {f:5} {s:5}")
    print()
    print(f"real drifts found: {real_found}/{real_total} (events with non-empty expect, mirror present)")
    print(f"harmless edits with an error: {harmless_error}/{harmless_total} (mirror present; a tool error counts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
