#!/usr/bin/env python3
"""Score `license-drift identify` against the real-world identification corpus.

Usage:
  python3 corpus/identify/score.py --binary PATH [--mirrors /work/.mirror]
                                   [--set dev|holdout|fresh|all] [--category C] [--verbose]
                                   [--corpus software|ai]

Loads every corpus/identify/*.toml (entries are [[file]] tables), extracts each
blob from its mirror into a temporary directory (one sub-folder per entry, the
original file name kept), runs `BINARY identify --format json` over the files
in chunks, and prints exact-match rates and confidently-wrong counts per
category and per set.  Python 3 standard library only.  Always exits 0.
"""

import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHUNK = 200
CONFIDENT = 0.9


# --------------------------------------------------------------------------
# TOML loading (tomllib on 3.11+, a small fallback for the flat format used here)

def _parse_flat_toml(text):
    files, cur = [], None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line == "[[file]]":
            cur = {}
            files.append(cur)
            continue
        m = re.match(r'^([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.*)$', line)
        if not m or cur is None:
            continue
        key, val = m.group(1), m.group(2).strip()
        if val.startswith('"'):
            val = json.loads(val[: val.rindex('"') + 1])
        elif val.startswith("'"):
            val = val[1: val.rindex("'")]
        cur[key] = val
    return {"file": files}


def load_corpus():
    entries = []
    for path in sorted(glob.glob(os.path.join(HERE, "*.toml"))):
        with open(path, "rb") as fh:
            data = fh.read()
        try:
            import tomllib  # Python 3.11+
            doc = tomllib.loads(data.decode("utf-8"))
        except ModuleNotFoundError:
            doc = _parse_flat_toml(data.decode("utf-8"))
        for i, e in enumerate(doc.get("file", [])):
            e = dict(e)
            e["_source"] = "%s#%d" % (os.path.basename(path), i)
            entries.append(e)
    return entries


# --------------------------------------------------------------------------
# mirrors

def git_dir_for(mirrors, repo):
    base = os.path.join(mirrors, repo.replace("/", "+"))
    for cand in (os.path.join(base, "repo"), base):
        if os.path.isfile(os.path.join(cand, "HEAD")) and os.path.isdir(os.path.join(cand, "objects")):
            return cand
    return None


def git(gd, *args, binary=False):
    r = subprocess.run(["git", "--git-dir=" + gd] + list(args), capture_output=True)
    if r.returncode != 0:
        return None
    return r.stdout if binary else r.stdout.decode("utf-8", "replace").strip()


# --------------------------------------------------------------------------
# expressions

_SPLIT = re.compile(r"\(|\)|\s+(?:AND|OR|WITH)\s+|\s+", re.IGNORECASE)


def terms(expr):
    """Set of license terms of an SPDX-ish expression, case-folded, LicenseRef- dropped."""
    if expr is None:
        return frozenset()
    out = set()
    for t in _SPLIT.split(expr):
        t = (t or "").strip()
        if not t or t.upper() in ("AND", "OR", "WITH"):
            continue
        t = t.lower()
        if t.startswith("licenseref-"):
            # Inside an expression the tool writes a knowledge-base id as LicenseRef-<id>,
            # with `+` spelled `plus` (openrail++ -> LicenseRef-openrailplusplus).
            t = t[len("licenseref-"):].replace("plus", "+")
        out.add(t)
    return frozenset(out)


def judge(expected, got_license, confidence):
    """Return (exact, confidently_wrong)."""
    exp_none = expected.strip().upper() == "NONE"
    if exp_none:
        if got_license in (None, ""):
            return True, False
        return False, True  # naming any license for a non-license file
    if got_license in (None, ""):
        return False, False
    exact = terms(expected) == terms(got_license)
    wrong = (not exact) and confidence is not None and confidence >= CONFIDENT
    return exact, wrong


# --------------------------------------------------------------------------
# running the tool

def run_identify(binary, paths):
    """Run identify over paths; return ({abs_path: result dict}, seconds)."""
    results = {}
    t0 = time.monotonic()
    for i in range(0, len(paths), CHUNK):
        chunk = paths[i: i + CHUNK]
        got = _run_chunk(binary, chunk)
        if got is None:  # whole chunk failed: fall back to one call per file
            for p in chunk:
                one = _run_chunk(binary, [p])
                if one is None:
                    results[p] = {"error": "identify failed"}
                else:
                    results.update(one)
        else:
            results.update(got)
    return results, time.monotonic() - t0


def _run_chunk(binary, chunk):
    r = subprocess.run([binary, "identify", "--format", "json"] + chunk, capture_output=True)
    try:
        doc = json.loads(r.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    out = {}
    by_real = {os.path.realpath(p): p for p in chunk}
    for f in doc.get("files", []):
        p = f.get("path", "")
        key = p if p in by_real.values() else by_real.get(os.path.realpath(p))
        if key is None:
            continue
        out[key] = f
    return out


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--mirrors", default="/work/.mirror")
    ap.add_argument("--set", default="all", choices=["dev", "holdout", "fresh", "all"])
    ap.add_argument("--category")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--stage", help="write the extracted files into this folder (kept), e.g. to time identify over them")
    ap.add_argument("--corpus", help="only entries from this TOML file (name without .toml, e.g. software)")
    a = ap.parse_args()

    entries = load_corpus()
    if a.set != "all":
        entries = [e for e in entries if e.get("set") == a.set]
    if a.corpus:
        entries = [e for e in entries if e["_source"].split("#")[0] == a.corpus + ".toml"]
    if a.category:
        entries = [e for e in entries if e.get("category") == a.category]

    tmp = a.stage or tempfile.mkdtemp(prefix="identify-corpus-")
    skipped = collections.Counter()
    staged = []  # (entry, abs path)
    for n, e in enumerate(entries):
        gd = git_dir_for(a.mirrors, e["repo"])
        if gd is None:
            skipped["mirror missing"] += 1
            continue
        at = git(gd, "rev-parse", "%s:%s" % (e["commit"], e["path"]))
        if at is None:
            skipped["commit:path not in mirror"] += 1
            continue
        if at != e["blob"]:
            skipped["blob differs from commit:path"] += 1
            print("warning: %s %s:%s is %s, corpus says %s" % (e["repo"], e["commit"][:10], e["path"], at, e["blob"]), file=sys.stderr)
            continue
        data = git(gd, "cat-file", "-p", e["blob"], binary=True)
        if data is None:
            skipped["blob unreadable"] += 1
            continue
        d = os.path.join(tmp, "%04d" % n)
        os.makedirs(d)
        p = os.path.join(d, os.path.basename(e["path"]))
        with open(p, "wb") as fh:
            fh.write(data)
        staged.append((e, p))

    results, secs = run_identify(a.binary, [p for _, p in staged]) if staged else ({}, 0.0)

    rows = []
    for e, p in staged:
        r = results.get(p, {"error": "no result"})
        lic = r.get("license")
        conf = r.get("confidence")
        if "error" in r:
            exact, wrong = False, False
        else:
            exact, wrong = judge(e["expected"], lic, conf)
        rows.append((e, r, exact, wrong))

    def table(title, keyf):
        groups = collections.OrderedDict()
        for row in sorted(rows, key=lambda x: keyf(x[0])):
            groups.setdefault(keyf(row[0]), []).append(row)
        print("\n%s" % title)
        print("  %-26s %6s %8s %10s" % ("", "files", "exact%", "conf-wrong"))
        for k, g in groups.items():
            ex = sum(1 for x in g if x[2])
            cw = sum(1 for x in g if x[3])
            print("  %-26s %6d %7.1f%% %10d" % (k, len(g), 100.0 * ex / len(g), cw))
        return groups

    print("corpus: %d entries selected (set=%s%s), %d scored, %d skipped"
          % (len(entries), a.set, ", category=" + a.category if a.category else "", len(rows), sum(skipped.values())))
    for why, c in skipped.items():
        print("  skipped: %d (%s)" % (c, why))

    table("by category", lambda e: e.get("category", "?"))
    table("by set", lambda e: e.get("set", "?"))
    table("by set / category", lambda e: "%s/%s" % (e.get("set", "?"), e.get("category", "?")))

    if rows:
        ex = sum(1 for x in rows if x[2])
        cw = sum(1 for x in rows if x[3])
        print("\ntotal: %d files, exact %.1f%%, confidently wrong %d" % (len(rows), 100.0 * ex / len(rows), cw))
    if staged and secs > 0:
        print("throughput: %d files in %.2fs = %.1f files/s (identify calls only)" % (len(staged), secs, len(staged) / secs))

    if a.verbose:
        print("\nmisses:")
        for e, r, exact, wrong in rows:
            if exact:
                continue
            got = r.get("error") or r.get("license")
            print("  %s%-16s %-8s %s:%s\n      expected %s | got %s | confidence %s | kind %s"
                  % ("!" if wrong else " ", e.get("category"), e.get("set"), e["repo"], e["path"],
                     e["expected"], got, r.get("confidence"), r.get("kind")))
    return 0


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
    sys.exit(0)
