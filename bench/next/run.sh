#!/usr/bin/env bash
# bench/next/run.sh: time `shipflow next` against its floor — listing the
# tags (`git tag --sort=-v:refname`) and reading, once, the commits since
# the tag shipflow starts from (`git log -z`, piped) — and against svu
# (`svu next`) and, where npm works, git-cliff --bumped-version. Prints the
# machine, then medians of ROUNDS interleaved rounds, the ratios to the
# floor (wall and user+sys CPU) and peak RSS. Target (issue 16): <= 1.5x
# the floor's wall, and faster than svu.
#
#   REPO=/tmp/bench-repos/electron bench/next/run.sh   # a real history
#   REPO=/tmp/bench-repos/renovate TAG_PREFIX=none bench/next/run.sh
#   bench/next/run.sh                 # synthetic: v1.0.0, then N=100000 commits
#   ROUNDS=3 NO_CLIFF=1 bench/next/run.sh
#
# TAG_PREFIX is passed as --tag-prefix (none: bare versions, as renovate's
# recent tags) and to svu as --tag.prefix. Without REPO the history is
# gen.go's (cached in $BENCH_CACHE). On a recorded real history
# bench/golden/check.sh runs first (GOLDEN=0 skips it). SHIPFLOW=path
# times another build. svu v3.2.3 is built once into $BENCH_CACHE/bin
# (SVU=path uses another).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
source "$(dirname "$0")/../lib.sh"
N=${N:-100000}
SVU_VERSION=v3.2.3
CLIFF_VERSION=2.14.2

bench_setup next
bench_machine
if [[ -z ${REPO:-} ]]; then
	REPO=$BENCH_CACHE/next-history-$N
	if [[ ! -d $REPO/.git ]]; then
		rm -rf "$REPO.tmp"
		git init -q -b main "$REPO.tmp"
		(cd "$BENCH_ROOT" && go run ./bench/next/gen.go -n "$N") | git -C "$REPO.tmp" fast-import --quiet
		git -C "$REPO.tmp" reset -q --hard main
		mv "$REPO.tmp" "$REPO"
	fi
fi
REPO=$(cd "$REPO" && pwd)
bench_repo_summary "$REPO"
bench_golden "$REPO"

prefix=() svuprefix=()
if [[ -n ${TAG_PREFIX:-} ]]; then
	prefix=(--tag-prefix "$TAG_PREFIX")
	p=$TAG_PREFIX
	[[ $p == none ]] && p=
	svuprefix=(--tag.prefix "$p")
fi

# The tag shipflow starts from, and the answer.
"$SF" -C "$REPO" next --format json "${prefix[@]}" >"$WORK/next.json"
read -r since answer < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d.get("since_tag") or "-", d.get("next_tag") or d.get("next") or "no release")' "$WORK/next.json")
range=HEAD
[[ $since != - ]] && range=$since..HEAD
echo "shipflow next: $answer, from $since ($(git -C "$REPO" rev-list --count "$range") commits in $range)"

# svu: built from the module proxy (it refuses `go install` of svu v3, whose
# go.mod has replace directives), once.
svu=${SVU:-$BENCH_CACHE/bin/svu}
if [[ ! -x $svu ]]; then
	dir=$(GOFLAGS=-mod=mod go mod download -json "github.com/caarlos0/svu/v3@$SVU_VERSION" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])') &&
		(cd "$dir" && GOFLAGS=-mod=mod go build -o "$svu" .) || echo "svu: could not build $SVU_VERSION from the module proxy: not timed"
fi

# shellcheck disable=SC2016 # $1 and $2 are the inner bash's arguments
bench_add floor "floor: git tag --sort + git log (since tag)" bash -c \
	'git -C "$1" tag --sort=-v:refname | cat >/dev/null && git -C "$1" -c log.showSignature=false log -z --no-color --no-mailmap "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B" "$2" | cat >/dev/null' \
	floor "$REPO" "$range"
bench_add next "shipflow next" "$SF" -C "$REPO" next "${prefix[@]}"
bench_add json "shipflow next --format json" "$SF" -C "$REPO" next --format json "${prefix[@]}"
if [[ -x $svu ]]; then
	echo "svu next: $(cd "$REPO" && "$svu" next "${svuprefix[@]}" 2>&1 | tail -1)"
	BENCH_IN=$REPO bench_add svu "svu next ($SVU_VERSION)" "$svu" next "${svuprefix[@]}"
fi
if [[ -z ${NO_CLIFF:-} ]] && command -v npx >/dev/null && (cd "$WORK" && timeout 300 npx --yes "git-cliff@$CLIFF_VERSION" --version) >/dev/null 2>&1; then
	# git-cliff renders every release before it answers: on a long
	# history one run takes many minutes. One trial run, bounded by
	# CLIFF_TIMEOUT seconds (default 120), decides whether it is timed.
	if cliff_out=$(cd "$REPO" && timeout "${CLIFF_TIMEOUT:-120}" npx --yes "git-cliff@$CLIFF_VERSION" --bumped-version 2>/dev/null); then
		echo "git-cliff --bumped-version: $(tail -1 <<<"$cliff_out")"
		BENCH_IN=$REPO BENCH_MAX=3 bench_add cliff "git-cliff $CLIFF_VERSION --bumped-version (npx)" npx --yes "git-cliff@$CLIFF_VERSION" --bumped-version
	else
		echo "git-cliff: no answer within ${CLIFF_TIMEOUT:-120} s (or it failed): not timed"
	fi
else
	echo "git-cliff: not timed (NO_CLIFF set, or npx or the npm registry not available)"
fi

bench_rounds
bench_report
bench_target next 1.5
[[ -x $svu ]] && bench_ratio next svu
[[ -n ${BENCH_LABEL[cliff]:-} ]] && bench_ratio cliff next
exit 0
