#!/usr/bin/env bash
# bench/testreport/run.sh: time `shipflow test` reading a synthetic
# `go test -json` stream (bench/testreport/gen.go) of 10k passing, 10k
# failing and 100k failing tests, in every output format, and print the
# ratios. Targets: 10k failing within 2x of 10k passing, and 100k failing
# about 10x 10k failing (linear), for every format.
#
#   bench/testreport/run.sh                 # RUNS=5 runs of each, medians
#   RUNS=3 bench/testreport/run.sh
#   SHIPFLOW=/path/to/shipflow bench/testreport/run.sh   # time another build
#   GOBENCH=0 bench/testreport/run.sh       # skip the Go benchmark
#
# The test command is a stand-in named `go` that prints the stream, so the
# whole CLI path runs (process, pipe, parse, live echo, render, files)
# without compiling 100k tests. The github format also writes the job
# summary ($GITHUB_STEP_SUMMARY); "junit" is the text format plus
# --junit-out. Times are medians of
# wall and CPU (user+sys); on a shared machine compare the CPU columns.
# Then, unless GOBENCH=0, the package benchmark BenchmarkReport
# (release/testreport: parse + render in-process) and its ratios.
set -euo pipefail

RUNS=${RUNS:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${CACHE:-${TMPDIR:-/tmp}/shipflow-bench-testreport}
mkdir -p "$CACHE/bin" "$CACHE/mod"
cd "$ROOT"
BIN=${SHIPFLOW:-$CACHE/shipflow}
if [ -z "${SHIPFLOW:-}" ]; then
  go build -o "$BIN" ./cmd/shipflow
fi
printf 'module example.com/bench\n\ngo 1.22\n' > "$CACHE/mod/go.mod"
# shellcheck disable=SC2016 # the variable is the stand-in's, expanded when it runs
printf '#!/bin/sh\nexec cat "$SHIPFLOW_BENCH_STREAM"\n' > "$CACHE/bin/go"
chmod +x "$CACHE/bin/go"

sizes=("pass-10k 10000 0" "fail-10k 10000 10000" "fail-100k 100000 100000")
for s in "${sizes[@]}"; do
  read -r name n fail <<< "$s"
  [ -s "$CACHE/$name.json" ] || go run bench/testreport/gen.go -n "$n" -fail "$fail" > "$CACHE/$name.json"
done

# one FORMAT STREAM: prints "WALL CPU" in ms for one run.
one() {
  local format=$1 stream=$2 out
  rm -f "$CACHE/summary.md" "$CACHE/junit.xml"
  local extra=()
  if [ "$format" = junit ]; then
    format=text extra=(--junit-out "$CACHE/junit.xml")
  fi
  out=$( { TIMEFORMAT='%R %U %S'; time SHIPFLOW_BENCH_STREAM=$stream GITHUB_STEP_SUMMARY=$CACHE/summary.md \
    "$BIN" -C "$CACHE/mod" test --progress never --format "$format" "${extra[@]}" -- "$CACHE/bin/go" test ./... \
    > /dev/null 2>&1 || true; } 2>&1 )
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<< "$out"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

declare -A wall cpu
printf '%-8s %-10s %10s %10s\n' format tests "wall ms" "cpu ms"
for format in text json github junit; do
  for s in "${sizes[@]}"; do
    read -r name _ _ <<< "$s"
    ws=() cs=()
    for _ in $(seq "$RUNS"); do
      read -r w c < <(one "$format" "$CACHE/$name.json")
      ws+=("$w") cs+=("$c")
    done
    wall[$format/$name]=$(printf '%s\n' "${ws[@]}" | median)
    cpu[$format/$name]=$(printf '%s\n' "${cs[@]}" | median)
    printf '%-8s %-10s %10s %10s\n' "$format" "$name" "${wall[$format/$name]}" "${cpu[$format/$name]}"
  done
done
echo
printf '%-8s %22s %22s\n' format "fail-10k/pass-10k" "fail-100k/fail-10k"
for format in text json github junit; do
  awk -v f="$format" -v pw="${wall[$format/pass-10k]}" -v pc="${cpu[$format/pass-10k]}" \
      -v fw="${wall[$format/fail-10k]}" -v fc="${cpu[$format/fail-10k]}" \
      -v hw="${wall[$format/fail-100k]}" -v hc="${cpu[$format/fail-100k]}" 'BEGIN {
    printf "%-8s %9.2fx (cpu %4.2fx) %9.2fx (cpu %5.2fx)  %s\n", f, fw / pw, fc / pc, hw / fw, hc / fc,
      (fc / pc <= 2 ? "OK" : "OVER 2x")
  }'
done

if [ "${GOBENCH:-1}" != 0 ]; then
  echo
  echo "go test -bench BenchmarkReport ./release/testreport/ (parse + render in-process):"
  go test -run '^$' -bench 'BenchmarkReport$' -benchtime "${BENCHTIME:-5x}" -count "${COUNT:-3}" ./release/testreport/ |
    awk '/^BenchmarkReport\// {
      split($1, p, "/"); sub(/-[0-9]+$/, "", p[3]); key = p[2] "/" p[3]
      n[key]++; v[key, n[key]] = $3
    }
    END {
      # median of each benchmark, in ms
      for (k in n) {
        m = n[k]; for (i = 1; i <= m; i++) s[i] = v[k, i]
        for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
        med[k] = (m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2) / 1e6
      }
      printf "%-8s %10s %10s %10s %18s %19s\n", "format", "pass-10k", "fail-10k", "fail-100k", "fail-10k/pass-10k", "fail-100k/fail-10k"
      split("text json github summary junit", fs, " ")
      for (i = 1; i <= 5; i++) {
        f = fs[i]; a = med["pass-10k/" f]; b = med["fail-10k/" f]; c = med["fail-100k/" f]
        if (a > 0 && b > 0) printf "%-8s %8.0fms %8.0fms %8.0fms %17.2fx %18.2fx\n", f, a, b, c, b / a, c / b
      }
    }'
fi
