#!/usr/bin/env bash
# bench/hook/run.sh: the commit-msg hook's whole-process cost. Times, in
# RUNS interleaved rounds (default 200), a Go hello-world (hello.go, built
# with the same toolchain: what any Go process pays on this machine — the
# floor), a program with cmd/shipflow's imports and an empty main (what
# any program linking shipflow's libraries pays: their package inits and
# the start of a binary this size; the floor of any command of one
# shipflow binary), `shipflow --version`, the hook's own command line
# (`shipflow lint --edit FILE`, what the installed hook execs), and the
# installed hook itself (`shipflow hook install` in a scratch repository,
# run as git runs it: its sh wrapper, then shipflow), on a typical
# message; where npm works, commitlint --edit on the same message in a few
# rounds. Prints totals and per-run means, the paired medians and the
# ratios to the hello-world. Target (issue 16): the hook <= 2x a Go
# hello-world.
#
#   bench/hook/run.sh
#   RUNS=50 NO_COMMITLINT=1 bench/hook/run.sh
#
# Everything runs in a scratch repository under $TMPDIR; SHIPFLOW=path
# times another build. CL_RUNS (default 5) sets commitlint's rounds.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
source "$(dirname "$0")/../lib.sh"
# shellcheck disable=SC2034 # read by bench/lib.sh
ROUNDS=${RUNS:-200} BENCH_UNIT=ms

bench_setup hook
bench_machine
hello=$BENCH_CACHE/bin/hello
if [[ ! -x $hello || $BENCH_ROOT/bench/hook/hello.go -nt $hello ]]; then
	(cd "$BENCH_ROOT" && CGO_ENABLED=0 go build -trimpath -o "$hello" bench/hook/hello.go)
fi

# The imports-only program is generated inside the module (cmd/shipflow
# imports internal packages), built, and removed.
imports_only=$WORK/imports-only
gen=$BENCH_ROOT/bench/hook/.imports-only-$$
# shellcheck disable=SC2064 # expand now, as bench_setup's trap does
trap "rm -rf '$gen' '$WORK'" EXIT
mkdir "$gen"
if ! {
	{
		echo 'package main'
		echo 'import ('
		(cd "$BENCH_ROOT" && go list -f '{{join .Imports "\n"}}' ./cmd/shipflow) | sed 's/.*/\t_ "&"/'
		echo ')'
		echo 'func main() {}'
	} >"$gen/main.go" && (cd "$BENCH_ROOT" && CGO_ENABLED=0 go build -trimpath -o "$imports_only" "./bench/hook/${gen##*/}")
}; then
	rm -rf "$gen"
	exit 1
fi
echo "imports-only: $(grep -c '^	_ ' "$gen/main.go") imports, $(($(stat -c %s "$imports_only") >> 20)) MiB; shipflow $(($(stat -c %s "$SF") >> 20)) MiB"
rm -rf "$gen"

repo=$WORK/repo
git init -q -b main "$repo"
"$SF" -C "$repo" hook install --command "$SF" >/dev/null
hook=$(git -C "$repo" rev-parse --git-path hooks/commit-msg)
[[ $hook == /* ]] || hook=$repo/$hook
msg=$repo/.git/COMMIT_EDITMSG
cat >"$msg" <<'EOF'
fix(api): retry uploads that fail with a 503

The storage backend answers 503 while it rebalances; the client gave up
at once. Retry three times with a jittered backoff before reporting the
error.

Refs: #1234

# Please enter the commit message for your changes. Lines starting
# with '#' will be ignored, and an empty message aborts the commit.
#
# On branch main
# Changes to be committed:
#	modified:   api/upload.go
#
EOF
echo "hook: $hook runs: $(grep '^exec ' "$hook")"

bench_add hello "floor: Go hello-world" "$hello"
bench_add imports "cmd/shipflow's imports, empty main" "$imports_only"
bench_add version "shipflow --version" "$SF" --version
BENCH_IN=$repo bench_add lint "shipflow lint --edit FILE (the hook's exec)" "$SF" lint --edit "$msg"
BENCH_IN=$repo bench_add hook "the installed commit-msg hook (sh + shipflow)" "$hook" "$msg"

cl=$BENCH_CACHE/commitlint
if [[ -z ${NO_COMMITLINT:-} ]] && command -v npm >/dev/null; then
	if [[ ! -x $cl/node_modules/.bin/commitlint ]]; then
		mkdir -p "$cl"
		(cd "$cl" && { [[ -f package.json ]] || npm init -y >/dev/null 2>&1; } &&
			timeout 600 npm install --silent --no-audit --no-fund @commitlint/cli @commitlint/config-conventional >/dev/null 2>&1) ||
			echo "commitlint: npm install failed: not timed"
	fi
	if [[ -x $cl/node_modules/.bin/commitlint ]]; then
		echo "export default { extends: ['@commitlint/config-conventional'] };" >"$cl/commitlint.config.mjs"
		BENCH_IN=$repo BENCH_MAX=${CL_RUNS:-5} bench_add commitlint "commitlint --edit FILE (${CL_RUNS:-5} rounds)" \
			"$cl/node_modules/.bin/commitlint" -g "$cl/commitlint.config.mjs" --edit "$msg"
	fi
else
	echo "commitlint: not timed (NO_COMMITLINT set, or no npm)"
fi

bench_rounds
bench_report
bench_totals
bench_target hook 2
bench_target lint 2
bench_target imports 2
bench_ratio hook imports
[[ -n ${BENCH_LABEL[commitlint]:-} ]] && bench_ratio commitlint hook
exit 0
