#!/usr/bin/env bash
# Benchmarks `shipflow lint` against the floor it cannot beat — the raw
# `git log -z` read of the same range — on a 100k-commit history, times the
# whole-process commit-msg hook run, checks that memory stays flat as the
# range grows, and, where npm is reachable, times commitlint on the same
# range. Needs hyperfine (apt-get install hyperfine).
# Usage: bench/lint/run.sh [N]   (N commits, default 100000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v hyperfine >/dev/null || { echo "bench/lint: install hyperfine (apt-get install hyperfine)" >&2; exit 2; }
repo=$("$root/bench/history.sh" "$n")
(cd "$root" && CGO_ENABLED=0 go build -trimpath -o "$work/shipflow" ./cmd/shipflow)
sf=$work/shipflow
echo "history: $repo ($n commits)"

from10k=v0.$(( n / 1000 - 10 )).0

bench_range() {
	local from=$1 label=$2
	hyperfine -N -i --warmup 1 --runs 5 --export-json "$work/$label.json" \
		-n "git log floor ($label)" "git -C $repo log -z --format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B $from..HEAD" \
		-n "shipflow lint ($label)" "$sf -C $repo lint --from $from --to HEAD --format json" >/dev/null
	python3 - "$work/$label.json" "$label" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
floor, sf = r[0]["mean"], r[1]["mean"]
print(f"{sys.argv[2]:>12}: git log floor {floor*1000:8.1f} ms   shipflow lint {sf*1000:8.1f} ms   ratio {sf/floor:5.2f}x  (target <= 1.30x)")
PY
}
echo
echo "== range lint vs the git log floor"
bench_range "$from10k" "10k commits"
bench_range "$(git -C "$repo" rev-list --max-parents=0 HEAD)" "all $((n/1000))k"

echo
echo "== memory (max RSS) as the range grows"
for from in "$from10k" "$(git -C "$repo" rev-list --max-parents=0 HEAD)"; do
	count=$(git -C "$repo" rev-list --count "$from..HEAD")
	/usr/bin/time -f "%M" -o "$work/rss" "$sf" -C "$repo" lint --from "$from" --to HEAD >/dev/null || true
	printf '%8d commits: %6d KiB\n' "$count" "$(tail -1 "$work/rss")"
done

echo
echo "== whole-process commit-msg hook run (target < 10 ms)"
printf 'feat(core): add a thing\n\n# Please enter the commit message for your changes.\n' >"$work/COMMIT_EDITMSG"
hyperfine -N --warmup 5 --runs 100 --export-json "$work/hook.json" -n "shipflow lint --edit" "$sf -C $repo lint --edit $work/COMMIT_EDITMSG" >/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(f"  mean {r["mean"]*1000:.2f} ms, max {r["max"]*1000:.2f} ms over {len(r["times"])} runs")' "$work/hook.json"

if command -v npm >/dev/null && [[ ${SKIP_COMMITLINT:-} == "" ]]; then
	echo
	echo "== commitlint (npm) on the 10k range"
	if (cd "$work" && npm init -y >/dev/null 2>&1 && npm install --silent --no-audit --no-fund @commitlint/cli @commitlint/config-conventional >/dev/null 2>&1); then
		echo "export default { extends: ['@commitlint/config-conventional'] };" >"$repo/commitlint.config.mjs"
		hyperfine -N -i --runs 2 --export-json "$work/cl.json" \
			-n "commitlint" "$work/node_modules/.bin/commitlint --cwd $repo --from $from10k --to HEAD -q" \
			-n "shipflow" "$sf -C $repo lint --from $from10k --to HEAD" >/dev/null
		rm -f "$repo/commitlint.config.mjs"
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(f"  commitlint {r[0]["mean"]:.2f} s, shipflow {r[1]["mean"]:.3f} s: shipflow is {r[0]["mean"]/r[1]["mean"]:.0f}x faster")' "$work/cl.json"
	else
		echo "  npm install failed: commitlint not timed"
	fi
fi
