#!/usr/bin/env bash
# bench/changelog/run.sh: time a full-history `shipflow changelog --rebuild
# --dry-run` (every section regenerated from the tags) on a 100k-commit
# history against the floor of reading that history once with git, and
# print the ratio (target: at most 1.3x). Where npm works, also time
# git-cliff rendering the whole changelog of the same history.
#
#   bench/changelog/run.sh            # N=100000 commits; RUNS=5
#   N=20000 RUNS=3 bench/changelog/run.sh
#
# The history is bench/history.sh's (cached; a tag every 1000 commits).
# CLIFF_SKIP=1 skips git-cliff (about 100 s a run on 100k commits).
# Uses hyperfine when installed (Debian package `hyperfine`), else a loop
# timed with date +%s%N.
set -euo pipefail

N=${N:-100000}
RUNS=${RUNS:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${CACHE:-${TMPDIR:-/tmp}/shipflow-bench-changelog}
BIN=$CACHE/shipflow

mkdir -p "$CACHE"
cd "$ROOT"
go build -o "$BIN" ./cmd/shipflow
REPO=$(bash bench/history.sh "$N")
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
echo "history: $(git -C "$REPO" rev-list --count HEAD) commits, $(git -C "$REPO" tag | wc -l) tags in $REPO"

FLOOR="git -C $REPO -c log.showSignature=false log -z --format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B > /dev/null"
# git writes to a pipe in small chunks, which costs far more than writing
# to /dev/null: the piped floor is what any reader of git's output pays.
PIPED="$FLOOR"
PIPED="${PIPED% > /dev/null} | cat > /dev/null"
REBUILD="$BIN -C $REPO changelog --rebuild --dry-run > /dev/null 2>&1"
"$BIN" -C "$REPO" changelog --rebuild --dry-run 2> /dev/null | awk '/^## /{n++} END {print "sections: " n}'

CLIFF=""
if [ "${CLIFF_SKIP:-}" = "" ] && command -v npx > /dev/null && (cd "$CACHE" && timeout 300 npx --yes git-cliff@2.14.2 --version) > /dev/null 2>&1; then
  CLIFF="cd $REPO && npx --yes git-cliff@2.14.2 -o - > /dev/null 2>&1"
else
  echo "git-cliff: npx or the npm registry not available, skipped"
fi

mean_ms() { # command → mean wall time in ms
  if command -v hyperfine > /dev/null; then
    hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$CACHE/h.json" "$1" > /dev/null 2>&1
    awk -F': ' '/"mean"/ { gsub(/,/, "", $2); printf "%.1f\n", $2 * 1000; exit }' "$CACHE/h.json"
  else
    bash -c "$1"
    local start end
    start=$(date +%s%N)
    for _ in $(seq "$RUNS"); do bash -c "$1"; done
    end=$(date +%s%N)
    echo $(((end - start) / RUNS / 1000000))
  fi
}

cpu_ms() { # command → mean user+sys CPU time in ms (children included),
  # a steadier number than wall time on a shared machine
  local TIMEFORMAT='%U %S' t
  t=$( { time (for _ in $(seq "$RUNS"); do bash -c "$1"; done) ; } 2>&1 | tail -1)
  awk -v t="$t" -v n="$RUNS" 'BEGIN { split(t, a, " "); printf "%.1f\n", (a[1] + a[2]) * 1000 / n }'
}

floor=$(mean_ms "$FLOOR")
piped=$(mean_ms "$PIPED")
rebuild=$(mean_ms "$REBUILD")
printf '%-40s %10s ms wall\n' "git log floor" "$floor" "git log | cat (piped floor)" "$piped" "shipflow changelog --rebuild --dry-run" "$rebuild"
awk -v a="$rebuild" -v b="$floor" 'BEGIN { r = a / b; printf "ratio changelog/floor: %.2fx wall (target <= 1.30x) %s\n", r, (r <= 1.3 ? "OK" : "OVER") }'
awk -v a="$rebuild" -v b="$piped" 'BEGIN { printf "ratio changelog/piped floor: %.2fx wall\n", a / b }'
floorcpu=$(cpu_ms "$FLOOR")
rebuildcpu=$(cpu_ms "$REBUILD")
printf '%-40s %10s ms cpu\n' "git log floor" "$floorcpu" "shipflow changelog --rebuild --dry-run" "$rebuildcpu"
awk -v a="$rebuildcpu" -v b="$floorcpu" 'BEGIN { printf "ratio changelog/floor: %.2fx cpu (user+sys, git included)\n", a / b }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
if [ -n "$CLIFF" ]; then
  cliff=$(RUNS=$(( RUNS < 3 ? RUNS : 3 )) mean_ms "$CLIFF")
  printf '%-40s %10s ms\n' "git-cliff (whole changelog)" "$cliff"
  awk -v a="$cliff" -v b="$floor" 'BEGIN { printf "ratio git-cliff/floor: %.2fx\n", a / b }'
fi
