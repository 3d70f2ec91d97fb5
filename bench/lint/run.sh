#!/usr/bin/env bash
# Benchmarks `shipflow lint` against the floor it cannot beat — the raw
# `git log -z` read of the same range — on a 100k-commit history, times the
# whole-process commit-msg hook run, checks that memory stays flat as the
# range grows, and, where npm is reachable, times commitlint on the same
# range. Needs hyperfine (apt-get install hyperfine).
# Usage: bench/lint/run.sh [N]   (N commits, default 100000)
# RUNS=n sets the hyperfine runs per range (default 10); SKIP_COMMITLINT=1
# skips the npm part. Ratios compare medians taken in the same run; on a busy
# machine also compare the CPU lines (user+sys, git included).
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
	hyperfine -N -i --warmup 1 --runs "${RUNS:-10}" --export-json "$work/$label.json" \
		-n "git log floor ($label)" "git -C $repo log -z --format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B $from..HEAD" \
		-n "shipflow lint ($label)" "$sf -C $repo lint --from $from --to HEAD --format json" >/dev/null
	python3 - "$work/$label.json" "$label" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
floor, sf = r[0]["median"], r[1]["median"]
cpu = [x["user"] + x["system"] for x in r]
print(f"{sys.argv[2]:>12}: git log floor {floor*1000:8.1f} ms   shipflow lint {sf*1000:8.1f} ms   ratio {sf/floor:5.2f}x  (target <= 1.30x)")
print(f"{'':>12}  CPU (user+sys, git child included): floor {cpu[0]*1000:8.1f} ms   shipflow {cpu[1]*1000:8.1f} ms")
PY
}
echo
echo "== range lint vs the git log floor"
bench_range "$from10k" "10k commits"
bench_range "$(git -C "$repo" rev-list --max-parents=0 HEAD)" "all $((n/1000))k"

echo
echo "== memory as the range grows"
echo "   (shipflow's own peak RSS, polled from /proc; git's rev walk grows with the"
echo "   range in the floor too, so the git log floor's peak RSS is shown beside it)"
# peak_rss CMD...: the peak RSS (VmHWM, KiB) of the process CMD starts,
# without its children, polled every millisecond until it exits.
peak_rss() {
	python3 - "$@" <<'PY'
import subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while p.poll() is None:
    try:
        with open(f"/proc/{p.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    time.sleep(0.001)
print(peak)
PY
}
for from in "$from10k" "v0.$((n / 2000)).0" "$(git -C "$repo" rev-list --max-parents=0 HEAD)"; do
	count=$(git -C "$repo" rev-list --count "$from..HEAD")
	printf '%8d commits: shipflow %6d KiB   git log floor %6d KiB\n' "$count" \
		"$(peak_rss "$sf" -C "$repo" lint --from "$from" --to HEAD --format json)" \
		"$(peak_rss git -C "$repo" log -z --format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B "$from..HEAD")"
done

echo
echo "== whole-process commit-msg hook run (target < 10 ms)"
printf 'feat(core): add a thing\n\n# Please enter the commit message for your changes.\n' >"$work/COMMIT_EDITMSG"
hyperfine -N --warmup 5 --runs 100 --export-json "$work/hook.json" -n "shipflow lint --edit" "$sf -C $repo lint --edit $work/COMMIT_EDITMSG" >/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("  mean %.2f ms, median %.2f ms, max %.2f ms over %d runs (user %.2f ms, system %.2f ms)" % (r["mean"]*1000, r["median"]*1000, r["max"]*1000, len(r["times"]), r["user"]*1000, r["system"]*1000))' "$work/hook.json"

if command -v npm >/dev/null && [[ ${SKIP_COMMITLINT:-} == "" ]]; then
	echo
	echo "== commitlint (npm) on the 10k range"
	if (cd "$work" && npm init -y >/dev/null 2>&1 && npm install --silent --no-audit --no-fund @commitlint/cli @commitlint/config-conventional >/dev/null 2>&1); then
		# The config lives outside the repository: shipflow refuses JavaScript
		# configs, and commitlint finds its preset in $work/node_modules.
		echo "export default { extends: ['@commitlint/config-conventional'] };" >"$work/commitlint.config.mjs"
		"$sf" -C "$repo" lint --from "$from10k" --to HEAD >/dev/null && rc=0 || rc=$?
		[[ $rc -le 1 ]] || { echo "  shipflow failed (exit $rc): not timed"; exit 1; }
		"$work/node_modules/.bin/commitlint" --cwd "$repo" -g "$work/commitlint.config.mjs" --from "$from10k" --to HEAD -q >/dev/null 2>&1 && rc=0 || rc=$?
		[[ $rc -le 1 ]] || { echo "  commitlint failed (exit $rc): not timed"; exit 1; }
		hyperfine -N -i --runs 2 --export-json "$work/cl.json" \
			-n "commitlint" "$work/node_modules/.bin/commitlint --cwd $repo -g $work/commitlint.config.mjs --from $from10k --to HEAD -q" \
			-n "shipflow" "$sf -C $repo lint --from $from10k --to HEAD" >/dev/null
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print("  commitlint %.2f s, shipflow %.3f s: shipflow is %.0fx faster" % (r[0]["mean"], r[1]["mean"], r[0]["mean"]/r[1]["mean"]))' "$work/cl.json"
	else
		echo "  npm install failed: commitlint not timed"
	fi
fi
