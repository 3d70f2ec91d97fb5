#!/usr/bin/env bash
# bench/monorepo/run.sh: time one LogPaths stream plus the package Matcher
# (read.go) over a synthetic monorepo history — N commits (default 100000)
# over PKGS packages (default 50), each touching 1–3 files in 1–2 packages
# (gen.go) — against the floor: the same `git log -z --name-only` read of
# the same range piped to cat (and, for reference, written to /dev/null).
# Target: at most 2x the floor's wall time, and peak memory that does not
# grow with the history. read.go first checks its answers against git.
#
#   bench/monorepo/run.sh                 # N=100000, ROUNDS=3 paired rounds
#   N=20000 ROUNDS=5 bench/monorepo/run.sh
#
# Each round runs the floor and shipflow back to back under /usr/bin/time
# (wall, user+system CPU of the process and its git child, peak RSS); the
# median of the per-round ratios is reported, so load that changes between
# rounds cancels out. Histories are cached in $CACHE (default
# ${TMPDIR:-/tmp}/shipflow-bench-monorepo).
set -euo pipefail

N=${N:-100000}
PKGS=${PKGS:-50}
ROUNDS=${ROUNDS:-3}
CACHE=${CACHE:-${TMPDIR:-/tmp}/shipflow-bench-monorepo}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$CACHE/read
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

mkdir -p "$CACHE"
cd "$ROOT"
go build -o "$BIN" ./bench/monorepo/read.go

repo() { # commits → path of the cached history
  local dir=$CACHE/repo-$1-$PKGS
  if [ ! -d "$dir/.git" ]; then
    rm -rf "$dir.tmp"
    git init -q -b main "$dir.tmp"
    go run ./bench/monorepo/gen.go -n "$1" -pkgs "$PKGS" | git -C "$dir.tmp" fast-import --quiet
    git -C "$dir.tmp" reset -q --hard main
    mv "$dir.tmp" "$dir"
  fi
  echo "$dir"
}
REPO=$(repo "$N")

# The same arguments LogPaths passes (release/git/logpaths.go).
FLOOR=(git -C "$REPO" -c log.showSignature=false -c log.showRoot=true log -z
  '--format=%x00%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B' --no-color --no-mailmap
  --name-only --no-renames --diff-merges=first-parent --full-diff HEAD)

# Answers first: every commit read, and per-package counts equal to git's
# own path-limited log for two packages.
out=$("$BIN" -C "$REPO" -pkgs "$PKGS" 2>/dev/null)
commits=$(git -C "$REPO" rev-list --count HEAD)
case "$out" in "$commits commits;"*) ;; *) echo "read $out, want $commits commits" >&2; exit 1 ;; esac
for p in p00 "p$(printf %02d $((PKGS - 1)))"; do
  want=$(git -C "$REPO" rev-list --count HEAD -- "packages/$p")
  case " $out " in *" $p=$want "*) ;; *) echo "package $p: git says $want commits; read says: $out" >&2; exit 1 ;; esac
done
echo "history: $commits commits, $PKGS packages in $REPO; answers agree with git rev-list -- packages/<p>"

measure() { # command... → "WALL CPU RSS" in ms, ms, KiB
  /usr/bin/time -f '%e %U %S %M' -o "$CACHE/time" "$@" > /dev/null 2>&1
  awk '{ printf "%.0f %.0f %d\n", $1 * 1000, ($2 + $3) * 1000, $4 }' "$CACHE/time"
}

# Two floors: git piped to cat (git writes to a pipe, as under shipflow),
# and git straight to /dev/null (no reader at all).
ratios=() cpuratios=() nullratios=()
for round in $(seq "$ROUNDS"); do
  read -r fw fc fm < <(measure bash -c "$(declare -p FLOOR); \"\${FLOOR[@]}\" | cat")
  read -r sw sc sm < <(measure "$BIN" -C "$REPO" -pkgs "$PKGS")
  read -r nw nc _ < <(measure "${FLOOR[@]}")
  r=$(awk -v a="$sw" -v b="$fw" 'BEGIN { printf "%.2f", a / b }')
  c=$(awk -v a="$sc" -v b="$fc" 'BEGIN { printf "%.2f", a / b }')
  n=$(awk -v a="$sc" -v b="$nc" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$r") cpuratios+=("$c") nullratios+=("$n")
  printf 'round %d: floor | cat %6s ms (cpu %5s ms, peak %6s KiB)  LogPaths+Matcher %6s ms (cpu %5s ms, peak %6s KiB)  floor > /dev/null %6s ms (cpu %5s ms)  ratio %sx wall, %sx cpu; %sx cpu vs /dev/null\n' \
    "$round" "$fw" "$fc" "$fm" "$sw" "$sc" "$sm" "$nw" "$nc" "$r" "$c" "$n"
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
m=$(printf '%s\n' "${ratios[@]}" | median)
mc=$(printf '%s\n' "${cpuratios[@]}" | median)
mn=$(printf '%s\n' "${nullratios[@]}" | median)
awk -v r="$m" -v c="$mc" -v n="$mn" 'BEGIN { printf "median ratio LogPaths+Matcher/floor: %.2fx wall (target <= 2.00x: %s), %.2fx cpu; %.2fx cpu against git > /dev/null\n", r, (r <= 2 ? "OK" : "OVER"), c, n }'

# Flat memory: the peak RSS of the Go process alone (git is a separate
# process, measured above with it) at a fifth of the history and at all of it.
if [ -z "${NO_MEM:-}" ]; then
  SMALL=$(repo $((N / 5)))
  small=$("$BIN" -C "$SMALL" -pkgs "$PKGS" 2>&1 >/dev/null)
  large=$("$BIN" -C "$REPO" -pkgs "$PKGS" 2>&1 >/dev/null)
  printf 'LogPaths+Matcher process alone: %d commits: %s; %d commits: %s\n' $((N / 5)) "$small" "$N" "$large"
fi
