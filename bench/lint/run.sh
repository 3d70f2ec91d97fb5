#!/usr/bin/env bash
# bench/lint/run.sh: time `shipflow lint --from REV` on the newest K commits
# (REV = HEAD~K) against its floor, `git log -z --format=%H%x00%B REV..HEAD`
# piped to a reader, and, where npm works, commitlint
# (@commitlint/cli with config-conventional) on a smaller range: it is about
# 13x slower, so it gets its own table, paired with the floor and shipflow
# on that range. Prints the machine, then medians of ROUNDS interleaved
# rounds, the ratios to the floor (wall and user+sys CPU) and peak RSS.
# Target (issue 16): <= 1.3x the floor's wall and <= 1.5x its CPU.
#
#   REPO=/tmp/bench-repos/renovate bench/lint/run.sh
#   bench/lint/run.sh [N]              # synthetic: N=100000 commits
#   K=20000 ROUNDS=3 bench/lint/run.sh
#   NO_COMMITLINT=1 bench/lint/run.sh  # skip the npm part
#
# K (default 10000) is counted along the first parent, so on a history
# with merges REV..HEAD holds more commits: the count is printed. CL_K
# (default 1000) is commitlint's range, timed in CL_ROUNDS rounds (default
# 2). shipflow lint exits 1 when it finds problems: that is timed as is.
# Without REPO the history is bench/history.sh's (cached). SHIPFLOW=path
# times another build.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
source "$(dirname "$0")/../lib.sh"
N=${1:-${N:-100000}}
K=${K:-10000}
CL_K=${CL_K:-1000}
CL_ROUNDS=${CL_ROUNDS:-2}

bench_setup lint
bench_machine
[[ -n ${REPO:-} ]] || REPO=$(bash "$BENCH_ROOT/bench/history.sh" "$N")
REPO=$(cd "$REPO" && pwd)
bench_repo_summary "$REPO"

# rev K: HEAD~K, or the root commit when the history is shorter.
rev() {
	git -C "$REPO" rev-parse --verify -q "HEAD~$1^{commit}" || git -C "$REPO" rev-list --max-parents=0 --first-parent HEAD | tail -1
}

# add_range LABEL-SUFFIX REV: the floor and shipflow on REV..HEAD.
add_range() {
	# shellcheck disable=SC2016 # $1 and $2 are the inner bash's arguments
	bench_add floor "floor: git log -z %H%B $1 | cat" bash -c \
		'git -C "$1" -c log.showSignature=false log -z --no-color --no-mailmap "--format=%H%x00%B" "$2" | cat >/dev/null' \
		floor "$REPO" "$2..HEAD"
	bench_add lint "shipflow lint --from $1" "$SF" -C "$REPO" lint --from "$2" --to HEAD
}

from=$(rev "$K")
echo "range: $from..HEAD, the newest $(git -C "$REPO" rev-list --count "$from..HEAD") commits (K=$K along the first parent)"
add_range "(newest $K)" "$from"
bench_rounds
bench_report
bench_target lint 1.3 1.5

if [[ -n ${NO_COMMITLINT:-} ]] || ! command -v npm >/dev/null; then
	echo "commitlint: not timed (NO_COMMITLINT set, or no npm)"
	exit 0
fi
cl=$BENCH_CACHE/commitlint
if [[ ! -x $cl/node_modules/.bin/commitlint ]]; then
	mkdir -p "$cl"
	if ! (cd "$cl" && { [[ -f package.json ]] || npm init -y >/dev/null 2>&1; } &&
		timeout 600 npm install --silent --no-audit --no-fund @commitlint/cli @commitlint/config-conventional >/dev/null 2>&1); then
		echo "commitlint: npm install failed: not timed"
		exit 0
	fi
fi
# The config lives outside the repository (commitlint finds its preset in
# $cl/node_modules); nothing is written into the repository.
echo "export default { extends: ['@commitlint/config-conventional'] };" >"$cl/commitlint.config.mjs"
echo
echo "commitlint is about 13x slower than shipflow: timed on the newest CL_K=$CL_K commits only, in CL_ROUNDS=$CL_ROUNDS rounds,"
echo "next to the floor and shipflow on that same range"
bench_reset
clfrom=$(rev "$CL_K")
add_range "(newest $CL_K)" "$clfrom"
bench_add commitlint "commitlint --from (newest $CL_K)" "$cl/node_modules/.bin/commitlint" --cwd "$REPO" -g "$cl/commitlint.config.mjs" --from "$clfrom" --to HEAD -q
ROUNDS=$CL_ROUNDS bench_rounds
ROUNDS=$CL_ROUNDS bench_report
bench_ratio commitlint lint
