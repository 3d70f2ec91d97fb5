#!/usr/bin/env bash
# bench/image/run.sh: `shipflow image push` of a ~100 MiB random 10-layer
# image to a real docker-registry on 127.0.0.1, against two references:
#
#   1. the anchor, the crane CLI (go-containerregistry's, built at the
#      version in go.mod): whole processes, `crane push SOURCE
#      REG/REPO:1.0.0` against `shipflow image push --source SOURCE
#      --repository REG/REPO --image-version 1.0.0`, for the source as a
#      `docker save` tarball and as an OCI layout, both run outside any git
#      repository (so shipflow reads no labels from git: the same work as
#      crane). Two tables per source, each with crane as its floor:
#      "first", every run into a fresh repository (all blobs uploaded), and
#      "again", the same image pushed again into one repository (the
#      warm-up run pushed it first; nothing to upload). Rounds, medians,
#      paired ratios, CPU and peak RSS as in bench/lib.sh.
#   2. the library floor, release/image.BenchmarkPush: go-containerregistry's
#      remote.Write of the same image in the same process as image.Push.
#
#   3. the same tags with crane: `crane push` of X.Y.Z, then `crane tag`
#      for each moving tag shipflow writes (X.Y, X, latest), the work
#      shipflow's push does, as a script would do it with crane.
#
# Targets (issue 16): throughput ≥ 0.95× crane's (wall ≤ 1.053× crane's)
# and CPU ≤ 1.3× crane's; re-push wall ≤ 1.1× crane's. Library: push ≥
# 0.9× the floor's throughput, a second push uploads 0 bytes.
#
#   bench/image/run.sh                       # MB=100 ROUNDS=5, both sources
#   SOURCES=tar ROUNDS=9 bench/image/run.sh  # the tarball only
#   LIBRARY=0 bench/image/run.sh             # skip the library floor
#   SHIPFLOW=/tmp/shipflow-old bench/image/run.sh  # another build
#
# Needs docker-registry (scripts/registry.sh install). crane is built once
# into ${XDG_CACHE_HOME:-~/.cache}/shipflow-test/crane-VERSION from the
# module proxy, as scripts/test.sh builds its tools (CRANE=path uses
# another binary). PORT (default 5057) is the registry's.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
source "$(dirname "$0")/../lib.sh"

MB=${MB:-100}
SOURCES=${SOURCES:-tar oci}
LIBRARY=${LIBRARY:-1}
PORT=${PORT:-5057}
cd "$BENCH_ROOT"
command -v docker-registry >/dev/null || { echo "docker-registry missing: run scripts/registry.sh install" >&2; exit 1; }

bench_setup image
trap 'PORT=$PORT scripts/registry.sh stop "$WORK/registry" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

ggcr=$(go list -m -f '{{.Version}}' github.com/google/go-containerregistry)
if [[ -z ${CRANE:-} ]]; then
	crane_dir=${XDG_CACHE_HOME:-$HOME/.cache}/shipflow-test/crane-$ggcr
	CRANE=$crane_dir/crane
	if [[ ! -x $CRANE ]]; then
		echo "building crane $ggcr into $crane_dir (once)" >&2
		GOBIN=$crane_dir GOFLAGS='' go install "github.com/google/go-containerregistry/cmd/crane@$ggcr"
	fi
fi
echo "crane: $("$CRANE" version) ($CRANE)"

go run ./bench/image/gen.go -mb "$MB" -out "$WORK" >/dev/null
reg=$(PORT=$PORT scripts/registry.sh start "$WORK/registry" | sed -n 's/^REGISTRY=//p')
export DOCKER_CONFIG=$WORK/docker # no credentials: both tools go anonymous
mkdir -p "$WORK/cwd"
export BENCH_IN=$WORK/cwd

bench_machine
echo "image: $MB MiB of random content in 10 gzipped layers ($(du -sh "$WORK/oci/blobs" | cut -f1) of blobs); registry: docker-registry $(docker-registry --version 2>/dev/null | awk '{ print $NF }') on $reg"

# A first push goes to a fresh repository each run: sh's PID names it.
# shellcheck disable=SC2016 # expanded by sh -c, not here
fresh_crane='exec "$0" push "$1" "$2/crane-$$:1.0.0"'
# shellcheck disable=SC2016
fresh_ship='exec "$0" image push --source "$1" --repository "$2/ship-$$" --image-version 1.0.0 --format json'
# crane, the tags shipflow writes, into the repository $3 (a fresh one:
# sh's PID names it).
# shellcheck disable=SC2016
crane_tags='r=$2/${3:-cranetags-$$}; "$0" push "$1" "$r:1.0.0" >/dev/null && for t in 1.0 1 latest; do "$0" tag "$r:1.0.0" "$t" || exit; done'
for src in $SOURCES; do
	case $src in
	tar) path=$WORK/image.tar what="docker tarball" ;;
	oci) path=$WORK/oci what="OCI layout" ;;
	*) echo "unknown source $src: use tar or oci" >&2; exit 2 ;;
	esac
	echo
	echo "== $what, first push (a fresh repository each run)"
	bench_reset
	bench_add crane "crane push ($src)" sh -c "$fresh_crane" "$CRANE" "$path" "$reg"
	bench_add ship "shipflow image push ($src)" sh -c "$fresh_ship" "$SF" "$path" "$reg"
	bench_add cranetags "crane push + crane tag X.Y, X, latest ($src)" sh -c "$crane_tags" "$CRANE" "$path" "$reg"
	bench_rounds
	bench_report
	bench_target ship 1.053 1.3
	bench_ratio ship cranetags

	echo
	echo "== $what, re-push of the same image (nothing to upload)"
	bench_reset
	bench_add crane "crane push ($src, again)" "$CRANE" push "$path" "$reg/crane-again-$src:1.0.0"
	bench_add ship "shipflow image push ($src, again)" "$SF" image push --source "$path" --repository "$reg/ship-again-$src" --image-version 1.0.0 --format json
	bench_add cranetags "crane push + crane tag X.Y, X, latest ($src, again)" sh -c "$crane_tags" "$CRANE" "$path" "$reg" "cranetags-again-$src"
	bench_rounds
	bench_report
	bench_target ship 1.1
	bench_ratio ship cranetags
	echo "tags shipflow wrote: $("$CRANE" ls "$reg/ship-again-$src" | sort | tr '\n' ' ')"
done

if [[ $LIBRARY == 1 ]]; then
	out=$(SHIPFLOW_BENCH_MB=$MB go test -run '^$' -bench 'BenchmarkPush/(ratio|again)$' -benchtime "${ROUNDS}x" -count 1 ./release/image/)
	metric() { echo "$out" | awk -v b="$1" -v m="$2" '$1 ~ b { for (i = 2; i < NF; i++) if ($(i+1) == m) print $i }'; }
	lratio=$(metric 'ratio' 'push/floor-throughput')
	again=$(metric 'again' 'uploaded-B/op')
	echo
	echo "== library (release/image.BenchmarkPush, OCI layout, in process, $ROUNDS interleaved runs)"
	echo "floor (remote.Write): $(metric 'ratio' 'floor-MB/s') MB/s"
	echo "image.Push:           $(metric 'ratio' 'push-MB/s') MB/s  (${lratio}× the floor, target ≥ 0.9×)"
	echo "second push uploads:  ${again} bytes (target 0)"
	awk -v r="$lratio" -v a="$again" 'BEGIN { print "target library: " ((r >= 0.9 && a == 0) ? "MET" : "NOT MET") }'
fi
