#!/usr/bin/env bash
# Builds (once, cached) a large linear git history for the benchmarks:
# N commits whose messages are real subjects from the release-history corpus
# (../shared/data/next-version-corpus.jsonl), written with git fast-import,
# and a lightweight tag v0.K.0 on every 100th commit (commit 100K), as
# issue 16 asks of the 300k-commit history: 3000 tags, 3000 changelog
# sections there. Prints the repository path. Usage: bench/history.sh [N]
set -euo pipefail
n=${1:-100000}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${CORPUS:-$here/../../shared/data/next-version-corpus.jsonl}
cache=${BENCH_CACHE:-${TMPDIR:-/tmp}/shipflow-bench}
repo=$cache/history-$n
layout="tags every 100 commits"
if [[ -f $repo/.done && $(cat "$repo/.done") == "$layout" ]]; then
	echo "$repo"
	exit 0
fi
[[ -f $corpus ]] || { echo "bench/history.sh: corpus not found at $corpus (set CORPUS)" >&2; exit 2; }
rm -rf "$repo"
mkdir -p "$repo"
git -C "$repo" init -q -b main
python3 - "$corpus" "$n" <<'PY' | git -C "$repo" fast-import --quiet
import json, sys
corpus, n = sys.argv[1], int(sys.argv[2])
subjects = []
with open(corpus) as f:
    for line in f:
        for c in json.loads(line)["commits"]:
            s = c["subject"].strip()
            if s:
                subjects.append(s)
out = sys.stdout.buffer
t = 1700000000
for i in range(n):
    s = subjects[i % len(subjects)]
    msg = (s + "\n\nBody line %d of a benchmark commit.\n" % i).encode()
    out.write(b"commit refs/heads/main\n")
    out.write(b"mark :%d\n" % (i + 1))
    out.write(b"author Bench <bench@example.com> %d +0000\n" % (t + i))
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % (t + i))
    out.write(b"data %d\n" % len(msg) + msg + b"\n")
    if i == 0:
        out.write(b"M 644 inline README\ndata 6\nbench\n\n")
    # Tags every 100 commits, so ranges like v0.K.0..HEAD exist.
    if i % 100 == 99:
        out.write(b"reset refs/tags/v0.%d.0\nfrom :%d\n\n" % ((i + 1) // 100, i + 1))
PY
git -C "$repo" reset -q --hard main
echo "$layout" >"$repo/.done"
echo "$repo"
