#!/usr/bin/env bash
# bench/changelog/run.sh: time a full-history `shipflow changelog --rebuild
# --dry-run` (every section regenerated from the tags) against its floor,
# reading the whole history once with `git log -z` piped to a reader, and,
# with CLIFF=1, against git-cliff rendering the whole changelog (minutes a
# run on a large history: one round). Prints the machine, then medians of
# ROUNDS interleaved rounds, the ratios to the floor (wall and user+sys
# CPU) and peak RSS. Targets (issue 16): <= 1.5x the floor's wall, peak RSS
# <= 50 MiB whatever the history's length.
#
#   REPO=/tmp/bench-repos/renovate TAG_PREFIX=none bench/changelog/run.sh
#   bench/changelog/run.sh              # synthetic: N=100000 commits, a tag every 100
#   N=300000 ROUNDS=3 bench/changelog/run.sh
#   CLIFF=1 REPO=/tmp/bench-repos/core bench/changelog/run.sh
#
# Without REPO the history is bench/history.sh's (cached). On a recorded
# real history bench/golden/check.sh runs first (GOLDEN=0 skips it).
# SHIPFLOW=path times another build.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
source "$(dirname "$0")/../lib.sh"
N=${N:-100000}
CLIFF_VERSION=2.14.2

bench_setup changelog
bench_machine
[[ -n ${REPO:-} ]] || REPO=$(bash "$BENCH_ROOT/bench/history.sh" "$N")
REPO=$(cd "$REPO" && pwd)
bench_repo_summary "$REPO"
bench_golden "$REPO"

prefix=()
[[ -z ${TAG_PREFIX:-} ]] || prefix=(--tag-prefix "$TAG_PREFIX")
"$SF" -C "$REPO" changelog --rebuild --dry-run "${prefix[@]}" 2>"$WORK/first.err" >"$WORK/changelog.md"
echo "shipflow changelog: $(grep -c '^## ' "$WORK/changelog.md") sections, $(wc -c <"$WORK/changelog.md") bytes"

# shellcheck disable=SC2016 # $1 is the inner bash's argument
bench_add floor "floor: git log -z (whole history) | cat" bash -c \
	'git -C "$1" -c log.showSignature=false log -z --no-color --no-mailmap "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B" | cat >/dev/null' \
	floor "$REPO"
bench_add rebuild "shipflow changelog --rebuild --dry-run" "$SF" -C "$REPO" changelog --rebuild --dry-run "${prefix[@]}"
if [[ ${CLIFF:-} == 1 ]]; then
	if command -v npx >/dev/null && (cd "$WORK" && timeout 300 npx --yes "git-cliff@$CLIFF_VERSION" --version) >/dev/null 2>&1; then
		BENCH_IN=$REPO BENCH_MAX=1 bench_add cliff "git-cliff $CLIFF_VERSION -o - (npx, 1 round)" npx --yes "git-cliff@$CLIFF_VERSION" -o -
	else
		echo "git-cliff: not timed (npx or the npm registry not available)"
	fi
else
	echo "git-cliff: not timed (CLIFF=1 times it: minutes a run on a large history)"
fi

bench_rounds
bench_report
bench_target rebuild 1.5 "" 50
[[ -n ${BENCH_LABEL[cliff]:-} ]] && bench_ratio cliff rebuild
exit 0
