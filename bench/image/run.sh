#!/usr/bin/env bash
# bench/image/run.sh: push a ~100 MB random 10-layer image (OCI layout) to a
# real docker-registry on 127.0.0.1 with `shipflow image push`'s library
# call, against the floor of go-containerregistry's remote.Write of the same
# image (what `crane copy` does), interleaved run by run; then push it again
# and count the bytes uploaded.
#
# Targets: push throughput ≥ 0.9× the floor; second push uploads 0 bytes.
#
#   bench/image/run.sh            # MB=100 RUNS=6
#   MB=200 RUNS=10 bench/image/run.sh
#
# Needs docker-registry (scripts/registry.sh install). The benchmark is
# release/image.BenchmarkPush; it starts its own registry.
set -euo pipefail

MB=${MB:-100}
RUNS=${RUNS:-6}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
command -v docker-registry >/dev/null || { echo "docker-registry missing: run scripts/registry.sh install" >&2; exit 1; }

out=$(SHIPFLOW_BENCH_MB=$MB go test -run '^$' -bench 'BenchmarkPush/(ratio|again)$' -benchtime "${RUNS}x" -count 1 ./release/image/)
echo "$out" | grep '^Benchmark'

metric() { echo "$out" | awk -v b="$1" -v m="$2" '$1 ~ b { for (i = 2; i < NF; i++) if ($(i+1) == m) print $i }'; }
ratio=$(metric 'ratio' 'push/floor-throughput')
floor=$(metric 'ratio' 'floor-MB/s')
push=$(metric 'ratio' 'push-MB/s')
again=$(metric 'again' 'uploaded-B/op')

echo
echo "image: ${MB} MB in 10 layers, ${RUNS} interleaved runs"
echo "floor (remote.Write): ${floor} MB/s"
echo "shipflow push:        ${push} MB/s  (${ratio}× the floor, target ≥ 0.9×)"
echo "second push uploads:  ${again} bytes (target 0)"
ok=$(awk -v r="$ratio" -v a="$again" 'BEGIN { print (r >= 0.9 && a == 0) ? "yes" : "no" }')
[ "$ok" = yes ] || { echo "FAIL: target missed" >&2; exit 1; }
