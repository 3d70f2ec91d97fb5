#!/usr/bin/env bash
# bench/secrets/run.sh: what `shipflow secrets` costs (issue 18).
#
# 1. The pre-commit hook on a typical staged change: a scratch repository
#    holding a copy of shipflow's own release/ sources, three files edited
#    (about 60 lines added) and staged. Times a Go hello-world (the floor of
#    any Go process), `shipflow secrets --staged`, the installed pre-commit
#    hook (`shipflow hook install --pre-commit`: its sh wrapper, then
#    shipflow) and, as the anchor, gitleaks' own CLI (`gitleaks git
#    --staged`, built from the same gitleaks version shipflow links).
#    Target: the hook under 100 ms (median).
# 2. With REPO=path (a clone; read-only), a range of K commits (default
#    1000): the floor `git log -p` of the range, `shipflow secrets --from
#    HEAD~K` (one `git log -p` stream) and `gitleaks git --log-opts`.
#
#   bench/secrets/run.sh
#   REPO=/tmp/bench-repos/renovate K=1000 ROUNDS=5 bench/secrets/run.sh
#
# RUNS (default 50) sets the rounds of part 1, ROUNDS (default 5) those of
# part 2; SHIPFLOW=path times another build.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
source "$(dirname "$0")/../lib.sh"
part2_rounds=$ROUNDS
# shellcheck disable=SC2034 # read by bench/lib.sh
ROUNDS=${RUNS:-50} BENCH_UNIT=ms

bench_setup secrets
bench_machine
hello=$BENCH_CACHE/bin/hello
if [[ ! -x $hello || $BENCH_ROOT/bench/hook/hello.go -nt $hello ]]; then
	(cd "$BENCH_ROOT" && CGO_ENABLED=0 go build -trimpath -o "$hello" bench/hook/hello.go)
fi
# gitleaks' CLI at the version go.mod pins for the library.
glv=$(cd "$BENCH_ROOT" && go list -m -f '{{.Version}}' github.com/zricethezav/gitleaks/v8)
gitleaks=$BENCH_CACHE/bin/gitleaks-$glv
if [[ ! -x $gitleaks ]]; then
	(cd "$BENCH_ROOT" && CGO_ENABLED=0 go build -trimpath -o "$gitleaks" github.com/zricethezav/gitleaks/v8)
fi
echo "anchor: gitleaks $glv ($gitleaks)"

repo=$WORK/repo
git init -q -b main "$repo"
cp -r "$BENCH_ROOT/release/." "$repo/"
git -C "$repo" add -A
git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -m "chore: import"
n=0
for f in plan.go cut.go lint.go; do
	{
		echo
		echo "// Added for the benchmark: a typical edit of about twenty lines."
		for ((i = 0; i < 20; i++)); do
			echo "var benchEdit${n}_$i = \"value $i of a small change, nothing secret in it\""
		done
	} >>"$repo/$f"
	n=$((n + 1))
done
git -C "$repo" add plan.go cut.go lint.go
"$SF" -C "$repo" hook install --pre-commit --command "$SF" >/dev/null
hook=$(git -C "$repo" rev-parse --git-path hooks/pre-commit)
[[ $hook == /* ]] || hook=$repo/$hook
echo "staged: $(git -C "$repo" diff --cached --shortstat) in a tree of $(git -C "$repo" ls-files | wc -l) files"
echo "hook: $hook runs: $(grep '^exec ' "$hook")"

bench_add hello "floor: Go hello-world" "$hello"
BENCH_IN=$repo bench_add staged "shipflow secrets --staged" "$SF" secrets --staged
BENCH_IN=$repo bench_add hook "the installed pre-commit hook (sh + shipflow)" "$hook"
BENCH_IN=$repo bench_add gitleaks "gitleaks git --staged (anchor)" "$gitleaks" git --staged --no-banner --log-level error
bench_rounds
bench_report
bench_totals
bench_ratio gitleaks hook
awk '$1 == "hook" { printf "target the pre-commit hook under 100 ms: median %.1f ms -> %s\n", $2 * 1000, ($2 < 0.1 ? "MET" : "NOT MET") }' "$WORK/summary"

if [[ -n ${REPO:-} ]]; then
	K=${K:-1000}
	# shellcheck disable=SC2034 # read by bench/lib.sh
	ROUNDS=$part2_rounds BENCH_UNIT=s
	echo
	bench_repo_summary "$REPO"
	echo "range: the newest $K commits (HEAD~$K..HEAD)"
	bench_reset
	BENCH_IN=$REPO bench_add floor "floor: git log -p HEAD~$K..HEAD | cat" bash -c "git log -p --no-color HEAD~$K..HEAD | cat >/dev/null"
	BENCH_IN=$REPO bench_add range "shipflow secrets --from HEAD~$K" "$SF" secrets --from "HEAD~$K"
	BENCH_IN=$REPO bench_add gitleaks "gitleaks git --log-opts HEAD~$K..HEAD" "$gitleaks" git --no-banner --log-level error --log-opts "HEAD~$K..HEAD" .
	bench_rounds
	bench_report
	bench_ratio gitleaks range
fi
exit 0
