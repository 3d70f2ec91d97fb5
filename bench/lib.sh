# shellcheck shell=bash
# bench/lib.sh: what the bench/*/run.sh scripts share. Source it, then:
#
#   bench_setup NAME          scratch dir $WORK (removed at exit), $SF (shipflow
#                             built from this tree, or $SHIPFLOW), $TIMEIT
#   bench_machine             date, cores, CPU, load, go and git versions
#   bench_add KEY LABEL CMD…  a contestant; the first one added is the floor.
#                             BENCH_IN=DIR runs it in DIR, BENCH_MAX=N in at
#                             most N rounds (slow anchors)
#   bench_rounds              one warm-up run of each, then $ROUNDS rounds;
#                             each round runs every contestant once, one
#                             after the other (the order rotates), so load
#                             that changes between rounds hits all of them
#   bench_report              medians per contestant (in seconds, or
#                             milliseconds with BENCH_UNIT=ms) and the paired ratios
#                             to the floor (the median of the per-round
#                             ratios), wall and user+sys CPU, and the
#                             contestant's own peak RSS (without the git it
#                             runs; the highest of its runs; for a run too
#                             short to poll, the tree's) and the peak RSS of
#                             the largest process of its tree (git included)
#   bench_target KEY W [C] [MIB]  says whether KEY is within W× the floor's
#                             wall, C× its CPU, MIB MiB of peak RSS
#   bench_totals              per contestant: runs, total and mean wall, mean
#                             CPU, and the ratio of means to the floor's
#   bench_reset               forget the contestants, for a second table
#   bench_golden REPO         bench/golden/check.sh on REPO when it is one of
#                             the recorded real histories (GOLDEN=0 skips it)
#
# Each run is timed by bench/timeit/timeit.go (wait4 rusage: wall, user,
# sys, peak RSS of the largest process of the run's tree — what GNU time's
# -f '%e %U %S %M' prints, with microseconds instead of 10 ms — and the
# command's own peak RSS, its VmHWM polled every millisecond); TIMER=gnu
# uses /usr/bin/time instead (10 ms steps; own RSS = the tree's). The scripts never write into the repository
# they measure: shipflow runs read-only verbs or --dry-run, outputs go to
# /dev/null or $WORK.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipflow-bench}
ROUNDS=${ROUNDS:-5}
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0

BENCH_KEYS=()
declare -A BENCH_LABEL=() BENCH_CMD=() BENCH_DIR=() BENCH_LIMIT=()

bench_setup() { # NAME
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/shipflow-bench-$1.XXXXXX")
	# shellcheck disable=SC2064 # expand $WORK now
	trap "rm -rf '$WORK'" EXIT
	mkdir -p "$BENCH_CACHE/bin"
	TIMEIT=$BENCH_CACHE/bin/timeit
	if [[ ! -x $TIMEIT || $BENCH_ROOT/bench/timeit/timeit.go -nt $TIMEIT ]]; then
		(cd "$BENCH_ROOT" && go build -o "$TIMEIT" bench/timeit/timeit.go)
	fi
	if [[ -n ${SHIPFLOW:-} ]]; then
		SF=$SHIPFLOW
	else
		SF=$WORK/shipflow
		(cd "$BENCH_ROOT" && CGO_ENABLED=0 go build -trimpath -o "$SF" ./cmd/shipflow)
	fi
	echo "shipflow: $("$SF" --version 2>&1 | head -1) ($SF)"
}

bench_machine() {
	local cpu
	cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine: $(nproc) cores, ${cpu:-unknown CPU}; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "tools: $(go version | cut -d' ' -f3-), $(git version)"
	echo "rounds: $ROUNDS interleaved (floor and the others in turn, the order rotating), medians"
}

bench_add() { # KEY LABEL CMD...
	local key=$1 label=$2 q
	shift 2
	printf -v q '%q ' "$@"
	BENCH_KEYS+=("$key")
	BENCH_LABEL[$key]=$label
	BENCH_CMD[$key]=$q
	BENCH_DIR[$key]=${BENCH_IN:-}
	BENCH_LIMIT[$key]=${BENCH_MAX:-0}
}

bench_reset() {
	BENCH_KEYS=()
	BENCH_LABEL=() BENCH_CMD=() BENCH_DIR=() BENCH_LIMIT=()
}

# bench_run1 KEY ROUND: runs KEY once and appends "KEY ROUND wall user sys
# tree-rss exit own-rss" to $WORK/results (ROUND 0 is the warm-up, left out of the report).
bench_run1() {
	local key=$1 round=$2 line
	local -a argv
	eval "argv=(${BENCH_CMD[$key]})"
	if [[ ${TIMER:-} == gnu ]]; then
		local rc=0
		(cd "${BENCH_DIR[$key]:-.}" && /usr/bin/time -f '%e %U %S %M' -o "$WORK/gnutime" "${argv[@]}" >/dev/null 2>>"$WORK/$key.err") || rc=$?
		line=$(tail -1 "$WORK/gnutime")
		line="$line $rc ${line##* }" # GNU time has no own RSS: the tree's
	else
		line=$("$TIMEIT" -dir "${BENCH_DIR[$key]}" -err "$WORK/$key.err" -- "${argv[@]}")
	fi
	echo "$key $round $line" >>"$WORK/results"
	if [[ $round == 0 ]]; then
		local rc
		rc=$(cut -d' ' -f5 <<<"$line")
		if ((rc > 1)); then
			echo "${BENCH_LABEL[$key]}: exit status $rc; its standard error ends with:" >&2
			tail -5 "$WORK/$key.err" >&2
			return 1
		fi
		((rc == 0)) || echo "note: ${BENCH_LABEL[$key]} exits with status 1 (findings); timed as it is"
	fi
}

bench_rounds() {
	local key r i n=${#BENCH_KEYS[@]}
	: >"$WORK/results"
	for key in "${BENCH_KEYS[@]}"; do bench_run1 "$key" 0; done
	for ((r = 1; r <= ROUNDS; r++)); do
		for ((i = 0; i < n; i++)); do
			key=${BENCH_KEYS[$(((i + r - 1) % n))]}
			if ((BENCH_LIMIT[$key] > 0 && r > BENCH_LIMIT[$key])); then continue; fi
			bench_run1 "$key" "$r"
		done
	done
}

# bench_report prints a table and leaves the medians in $WORK/summary:
# "KEY wall cpu rss wallratio cpuratio".
bench_report() {
	local key
	: >"$WORK/summary"
	echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
	local unit=${BENCH_UNIT:-s} scale=1
	[[ $unit == ms ]] && scale=1000
	printf '%-46s %6s %21s %9s %8s %8s %22s %10s\n' "" "rounds" "wall $unit (min-max)" "cpu $unit" "own MiB" "tree MiB" "wall/floor (range)" "cpu/floor"
	for key in "${BENCH_KEYS[@]}"; do
		awk -v key="$key" -v floor="${BENCH_KEYS[0]}" -v label="${BENCH_LABEL[$key]}" -v sum="$WORK/summary" -v k="$scale" '
			function median(a, n,   i, j, t) {
				for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
				return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
			}
			$2 == 0 { next }
			$1 == floor { fw[$2] = $3; fc[$2] = $4 + $5 }
			$1 == key { n++; w[n] = $3; c[n] = $4 + $5; r[n] = $2; o = $8 > 0 ? $8 : $6; if (o > rss) rss = o; if ($6 > tree) tree = $6 }
			END {
				if (n == 0) exit
				for (i = 1; i <= n; i++) {
					wmin = (i == 1 || w[i] < wmin) ? w[i] : wmin; wmax = (w[i] > wmax) ? w[i] : wmax
					# A floor of 0 (TIMER=gnu rounds to 10 ms) gives no ratio.
					if (fw[r[i]] > 0) { rw[++nw] = w[i] / fw[r[i]]; rmin = (nw == 1 || rw[nw] < rmin) ? rw[nw] : rmin; rmax = (rw[nw] > rmax) ? rw[nw] : rmax }
					if (fc[r[i]] > 0) rc[++nc] = c[i] / fc[r[i]]
				}
				mw = median(w, n); mc = median(c, n)
				ratio = nw ? sprintf("%7.2fx (%6.2f-%6.2f)", median(rw, nw), rmin, rmax) : sprintf("%22s", "n/a")
				cratio = nc ? sprintf("%9.2fx", median(rc, nc)) : sprintf("%10s", "n/a")
				printf "%-46.46s %6d %7.3f (%6.3f-%6.3f) %9.3f %8.1f %8.1f %s %s\n", label, n, mw * k, wmin * k, wmax * k, mc * k, rss / 1024, tree / 1024, ratio, cratio
				printf "%s %.6f %.6f %d %.4f %.4f\n", key, mw, mc, rss, nw ? median(rw, nw) : -1, nc ? median(rc, nc) : -1 >> sum
			}' "$WORK/results"
	done
}

bench_totals() {
	local key
	printf '%-46s %6s %12s %14s %14s %12s\n' "" "runs" "total wall s" "mean wall ms" "mean cpu ms" "mean/floor"
	for key in "${BENCH_KEYS[@]}"; do
		awk -v key="$key" -v floor="${BENCH_KEYS[0]}" -v label="${BENCH_LABEL[$key]}" '
			$2 == 0 { next }
			$1 == floor { fn++; fw += $3 }
			$1 == key { n++; w += $3; c += $4 + $5 }
			END { if (n) printf "%-46.46s %6d %12.3f %14.2f %14.2f %s\n", label, n, w, w / n * 1000, c / n * 1000, (fw > 0) ? sprintf("%11.2fx", (w / n) / (fw / fn)) : sprintf("%12s", "n/a") }' "$WORK/results"
	done
}

bench_target() { # KEY WALL [CPU] [MIB]: within W× the floor's wall, C× its CPU, MIB MiB
	awk -v key="$1" -v label="${BENCH_LABEL[$1]}" -v w="$2" -v c="${3:-}" -v m="${4:-}" '
		$1 == key && $5 < 0 { print "target " label ": no ratio (the floor timed 0; TIMER=gnu rounds to 10 ms)" }
		$1 == key && $5 >= 0 {
			ok = $5 <= w; line = sprintf("target %s: wall <= %sx the floor: %.2fx", label, w, $5)
			if (c != "") { ok = ok && $6 <= c; line = line sprintf(", cpu <= %sx: %.2fx", c, $6) }
			if (m != "") { ok = ok && $4 / 1024 <= m; line = line sprintf(", peak RSS <= %s MiB: %.1f MiB", m, $4 / 1024) }
			print line " -> " (ok ? "MET" : "NOT MET")
		}' "$WORK/summary"
}

# bench_ratio A B: "A/B" of the median wall and cpu of two contestants
# (when neither is the floor, e.g. an anchor against shipflow).
bench_ratio() {
	awk -v a="$1" -v b="$2" -v la="${BENCH_LABEL[$1]}" -v lb="${BENCH_LABEL[$2]}" '
		$1 == a { aw = $2; ac = $3 } $1 == b { bw = $2; bc = $3 }
		END { if (aw && bw) printf "%s / %s: %.2fx wall, %.2fx cpu (medians)\n", la, lb, aw / bw, ac / bc }' "$WORK/summary"
}

bench_golden() { # REPO
	[[ ${GOLDEN:-1} != 0 ]] || return 0
	local head name
	head=$(git -C "$1" rev-parse HEAD)
	name=$(awk -v h="$head" '$2 == h { print $1 }' "$BENCH_ROOT/bench/golden/heads.txt")
	[[ -n $name ]] || return 0
	SHIPFLOW=$SF "$BENCH_ROOT/bench/golden/check.sh" "$name=$1"
}

# bench_repo_summary REPO: one line on the history measured.
bench_repo_summary() {
	echo "repository: $1 at $(git -C "$1" rev-parse --short HEAD): $(git -C "$1" rev-list --count HEAD) commits, $(git -C "$1" tag | wc -l) tags"
}
