#!/usr/bin/env python3
"""Check fresh.toml against the git mirrors it was taken from.

Standard library only. For every [[file]] entry:
  * all required fields are present and well-formed;
  * `git rev-parse <commit>:<path>` in the repository's mirror equals `blob`;
  * `git cat-file -t <commit>` is a commit;
and over the whole file:
  * no blob id appears twice;
  * no repository is in the holdout list or was already mirrored before this
    corpus was built (excluded-mirrors-at-start.txt);
  * 60-80 entries from at least 20 repositories.

Mirror location: $MIRROR_ROOT (default /work/.mirror), one bare repository per
GitHub repository at <root>/<owner>+<name>/repo.
Exit status 0 when everything passes.
"""
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "fresh.toml")
MIRROR_ROOT = os.environ.get("MIRROR_ROOT", "/work/.mirror")
HOLDOUT = os.environ.get("HOLDOUT", "/work/shared/reference/holdout-repos.txt")
EXCLUDED_MIRRORS = os.path.join(HERE, "fresh-excluded-mirrors.txt")

CATEGORIES = {"standard", "source-available", "bundle", "vendored", "notice", "not-a-license", "ai"}
FIELDS = ("repo", "commit", "path", "blob", "category", "set", "expected", "note")
HEX40 = re.compile(r"^[0-9a-f]{40}$")
REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
# SPDX-style expression tokens: ids, LicenseRef-*, NONE, operators, parentheses
TOKEN = re.compile(r"\(|\)|[A-Za-z0-9][A-Za-z0-9.+-]*")


def git(gitdir, *args):
    r = subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True, text=True)
    return r.returncode, r.stdout.strip()


def expression_ok(expr):
    if expr == "NONE":
        return True
    toks = TOKEN.findall(expr)
    if "".join(toks) != expr.replace(" ", ""):
        return False
    depth, want_operand = 0, True
    for t in toks:
        if t == "(":
            if not want_operand:
                return False
            depth += 1
        elif t == ")":
            if want_operand:
                return False
            depth -= 1
            if depth < 0:
                return False
        elif t in ("AND", "OR", "WITH"):
            if want_operand:
                return False
            want_operand = True
        else:
            if not want_operand or t == "NONE":
                return False
            want_operand = False
    return depth == 0 and not want_operand


def read_list(path):
    if not os.path.exists(path):
        return set()
    out = set()
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(line)
    return out


def main():
    with open(CORPUS, "rb") as f:
        data = tomllib.load(f)
    files = data.get("file", [])
    errors = []
    blobs = Counter()
    holdout = read_list(HOLDOUT)
    excluded = {m.replace("+", "/", 1) for m in read_list(EXCLUDED_MIRRORS)}

    for i, e in enumerate(files, 1):
        tag = f"#{i} {e.get('repo')}:{e.get('path')}"
        missing = [k for k in FIELDS if k not in e]
        if missing:
            errors.append(f"{tag}: missing {missing}")
            continue
        if not REPO.match(e["repo"]):
            errors.append(f"{tag}: bad repo name")
        if not HEX40.match(e["commit"]) or not HEX40.match(e["blob"]):
            errors.append(f"{tag}: commit/blob not 40-hex")
        if e["category"] not in CATEGORIES:
            errors.append(f"{tag}: bad category {e['category']}")
        if e["set"] != "fresh":
            errors.append(f"{tag}: set is not 'fresh'")
        if not e["note"].strip():
            errors.append(f"{tag}: empty note")
        if not expression_ok(e["expected"]):
            errors.append(f"{tag}: malformed expected expression {e['expected']!r}")
        if e["repo"] in holdout:
            errors.append(f"{tag}: repository is in the holdout list")
        if e["repo"] in excluded:
            errors.append(f"{tag}: repository was mirrored before this corpus (excluded)")
        blobs[e["blob"]] += 1

        gitdir = os.path.join(MIRROR_ROOT, e["repo"].replace("/", "+"), "repo")
        if not os.path.isdir(gitdir):
            errors.append(f"{tag}: no mirror at {gitdir}")
            continue
        rc, kind = git(gitdir, "cat-file", "-t", e["commit"])
        if rc != 0 or kind != "commit":
            errors.append(f"{tag}: {e['commit']} is not a commit in the mirror")
            continue
        rc, got = git(gitdir, "rev-parse", f"{e['commit']}:{e['path']}")
        if rc != 0:
            errors.append(f"{tag}: path not found at commit")
        elif got != e["blob"]:
            errors.append(f"{tag}: blob mismatch: toml {e['blob']} != git {got}")

    for b, n in blobs.items():
        if n > 1:
            errors.append(f"blob {b} appears {n} times")
    repos = {e.get("repo") for e in files}
    if not 60 <= len(files) <= 80:
        errors.append(f"{len(files)} entries, expected 60-80")
    if len(repos) < 20:
        errors.append(f"only {len(repos)} repositories, expected at least 20")

    cats = Counter(e.get("category") for e in files)
    print(f"{len(files)} entries, {len(repos)} repositories, {len(blobs)} distinct blobs")
    for c in sorted(cats):
        print(f"  {c:17} {cats[c]}")
    if errors:
        print("FAIL")
        for err in errors:
            print("  " + err)
        return 1
    print("PASS: every blob equals `git rev-parse commit:path`, no blob repeats")
    return 0


if __name__ == "__main__":
    sys.exit(main())
