#!/usr/bin/env bash
# bench/next/run.sh: time `shipflow next` on a 100k-commit history against
# the floor of reading that history once with git, and print the ratio
# (target: at most 1.3x). Where npm works, also time git-cliff's
# --bumped-version on the same history.
#
#   bench/next/run.sh            # N=100000 commits, ROUNDS=5 of RUNS=3
#   N=20000 ROUNDS=3 bench/next/run.sh
#   NO_CLIFF=1 bench/next/run.sh  # skip git-cliff
#
# The history (git fast-import from the corpus subjects, see gen.go) is
# cached in $CACHE (default ${TMPDIR:-/tmp}/shipflow-bench-next).
# Uses hyperfine when installed (Debian package `hyperfine`), else a loop
# timed with date +%s%N.
set -euo pipefail

N=${N:-100000}
RUNS=${RUNS:-3}
ROUNDS=${ROUNDS:-5}
CACHE=${CACHE:-${TMPDIR:-/tmp}/shipflow-bench-next}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPO=$CACHE/repo-$N
BIN=$CACHE/shipflow

mkdir -p "$CACHE"
cd "$ROOT"
go build -o "$BIN" ./cmd/shipflow

if [ ! -d "$REPO/.git" ]; then
  rm -rf "$REPO.tmp"
  git init -q -b main "$REPO.tmp"
  go run ./bench/next/gen.go -n "$N" | git -C "$REPO.tmp" fast-import --quiet
  git -C "$REPO.tmp" reset -q --hard main
  mv "$REPO.tmp" "$REPO"
fi
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
echo "history: $(git -C "$REPO" rev-list --count v1.0.0..HEAD) commits after v1.0.0 in $REPO"

FLOOR="git -C $REPO -c log.showSignature=false log -z --format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%B v1.0.0..HEAD > /dev/null"
NEXT="$BIN -C $REPO next > /dev/null"
NEXTJSON="$BIN -C $REPO next --format json > /dev/null"
"$BIN" -C "$REPO" next | head -3 || true

CLIFF=""
if [ -z "${NO_CLIFF:-}" ] && command -v npx > /dev/null && (cd "$CACHE" && timeout 300 npx --yes git-cliff@2.14.2 --version) > /dev/null 2>&1; then
  CLIFF="cd $REPO && npx --yes git-cliff@2.14.2 --bumped-version > /dev/null 2>&1"
  echo "git-cliff: $(cd "$REPO" && npx --yes git-cliff@2.14.2 --bumped-version 2>/dev/null)"
else
  echo "git-cliff: skipped (NO_CLIFF set, or npx or the npm registry not available)"
fi

mean_ms() { # command → "WALL CPU": mean wall and user+system times in ms
  if command -v hyperfine > /dev/null; then
    hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$CACHE/h.json" "$1" > /dev/null 2>&1
    awk -F': ' '
      /"mean"/ && !w { gsub(/,/, "", $2); w = $2 }
      /"user"/ && !u { gsub(/,/, "", $2); u = $2 }
      /"system"/ && !s { gsub(/,/, "", $2); s = $2 }
      END { printf "%.1f %.1f\n", w * 1000, (u + s) * 1000 }' "$CACHE/h.json"
  else
    bash -c "$1"
    local start end t0 t1
    t0=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
    start=$(date +%s%N)
    for _ in $(seq "$RUNS"); do bash -c "$1"; done
    end=$(date +%s%N)
    t1=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
    echo "$(((end - start) / RUNS / 1000000)) $(( (t1 - t0) * 1000 / $(getconf CLK_TCK) / RUNS ))"
  fi
}

# The machine is shared: measure floor and shipflow side by side in
# ROUNDS rounds of RUNS runs each, and take the median of the per-round
# ratios, so that load changing between rounds cancels out.
ratios=() cpuratios=()
for round in $(seq "$ROUNDS"); do
  read -r floor floorcpu < <(mean_ms "$FLOOR")
  read -r next nextcpu < <(mean_ms "$NEXT")
  read -r nextjson _ < <(mean_ms "$NEXTJSON")
  r=$(awk -v a="$next" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')
  c=$(awk -v a="$nextcpu" -v b="$floorcpu" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$r") cpuratios+=("$c")
  printf 'round %d: git log floor %7s ms (cpu %6s)  shipflow next %7s ms (cpu %6s)  --format json %7s ms  ratio %sx (cpu %sx)\n' \
    "$round" "$floor" "$floorcpu" "$next" "$nextcpu" "$nextjson" "$r" "$c"
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
m=$(printf '%s\n' "${ratios[@]}" | median)
mc=$(printf '%s\n' "${cpuratios[@]}" | median)
awk -v r="$m" -v c="$mc" 'BEGIN { printf "median ratio next/floor: %.2fx wall (target <= 1.30x: %s), %.2fx cpu\n", r, (r <= 1.3 ? "OK" : "OVER"), c }'
if [ -n "$CLIFF" ]; then
  read -r cliff _ < <(RUNS=$(( RUNS < 3 ? RUNS : 3 )) mean_ms "$CLIFF")
  printf '%-28s %10s ms\n' "git-cliff --bumped-version" "$cliff"
  awk -v a="$cliff" -v b="$floor" 'BEGIN { printf "ratio git-cliff/floor: %.2fx\n", a / b }'
fi
