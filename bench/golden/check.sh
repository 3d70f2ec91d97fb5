#!/usr/bin/env bash
# bench/golden/check.sh: check that `shipflow next` and `shipflow changelog
# --rebuild` still give, on the three real histories, the answers recorded
# before the speed work (issue 16): same bytes, checked with SHA256SUMS.
#
#   bench/golden/check.sh                    # renovate, electron, core in $REPOS_DIR
#   bench/golden/check.sh renovate           # one of them
#   bench/golden/check.sh renovate=/src/renovate-clone   # a clone elsewhere
#   SHIPFLOW=/path/to/shipflow bench/golden/check.sh     # another build
#
# REPOS_DIR defaults to /tmp/bench-repos. heads.txt has the commit each
# history was recorded at: a clone at another HEAD is an error (check out
# that commit in the clone first, see bench/README.md). The outputs are
# regenerated with SOURCE_DATE_EPOCH=1790000000, exactly as recorded:
#   shipflow -C R next --format json
#   shipflow -C R changelog --rebuild --dry-run
# and, for renovate (whose recent tags have no v), both again with
# --tag-prefix none (the *-bare.* files). The recording ran in clones whose
# origin was a local path, so the changelog had no links; a clone from
# GitHub gets the same by rewriting github.com URLs (url.insteadOf, in the
# environment only) to a local path. Nothing is written into the clones.
# Exit status 0 when every answer is the recorded one, 1 when one differs,
# 2 when a history is missing or at another commit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
REPOS_DIR=${REPOS_DIR:-/tmp/bench-repos}
work=$(mktemp -d "${TMPDIR:-/tmp}/shipflow-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ -n ${SHIPFLOW:-} ]]; then
	sf=$SHIPFLOW
else
	sf=$work/shipflow
	(cd "$root" && CGO_ENABLED=0 go build -trimpath -o "$sf" ./cmd/shipflow)
fi

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export GIT_CONFIG_COUNT=2
export GIT_CONFIG_KEY_0=url./nonexistent-forge/.insteadOf GIT_CONFIG_VALUE_0=https://github.com/
export GIT_CONFIG_KEY_1=url./nonexistent-forge/.insteadOf GIT_CONFIG_VALUE_1=git@github.com:
export SOURCE_DATE_EPOCH=1790000000

targets=("$@")
if ((${#targets[@]} == 0)); then
	mapfile -t targets < <(awk '{ print $1 }' "$here/heads.txt")
fi

status=0
for t in "${targets[@]}"; do
	name=${t%%=*}
	repo=$REPOS_DIR/$name
	[[ $t == *=* ]] && repo=${t#*=}
	want=$(awk -v n="$name" '$1 == n { print $2 }' "$here/heads.txt")
	if [[ -z $want ]]; then
		echo "golden: no recorded history named $name (heads.txt has: $(awk '{ printf "%s ", $1 }' "$here/heads.txt"))" >&2
		exit 2
	fi
	if ! head=$(git -C "$repo" rev-parse HEAD 2>/dev/null); then
		echo "golden: $name: no git history at $repo (clone it, see bench/README.md)" >&2
		status=2
		continue
	fi
	if [[ $head != "$want" ]]; then
		echo "golden: $name: $repo is at $head, the answers were recorded at $want" >&2
		status=2
		continue
	fi
	files=("next-$name.json" "changelog-$name.md")
	"$sf" -C "$repo" next --format json >"$work/next-$name.json" 2>>"$work/$name.err" || true
	"$sf" -C "$repo" changelog --rebuild --dry-run >"$work/changelog-$name.md" 2>>"$work/$name.err" || true
	if [[ $name == renovate ]]; then
		files+=("next-$name-bare.json" "changelog-$name-bare.md")
		"$sf" -C "$repo" next --format json --tag-prefix none >"$work/next-$name-bare.json" 2>>"$work/$name.err" || true
		"$sf" -C "$repo" changelog --rebuild --dry-run --tag-prefix none >"$work/changelog-$name-bare.md" 2>>"$work/$name.err" || true
	fi
	if (cd "$work" && sha256sum --quiet -c - <<<"$(for f in "${files[@]}"; do grep -F "  $f" "$here/SHA256SUMS"; done)") >"$work/$name.check" 2>&1; then
		echo "golden: $name at ${want:0:12}: next and changelog answers unchanged (${#files[@]} outputs)"
	else
		echo "golden: $name: ANSWERS CHANGED:" >&2
		sed 's/^/  /' "$work/$name.check" >&2
		echo "  shipflow's standard error:" >&2
		sed 's/^/    /' "$work/$name.err" >&2
		status=1
	fi
done
exit "$status"
