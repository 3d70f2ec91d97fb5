#!/usr/bin/env bash
# Installs the shipflow binary for shipflow's composite actions. Every
# action.yml calls this script, so the logic lives here once. The release
# workflow builds the release archives with GoReleaser (.goreleaser.yaml,
# the same names, layout and reproducible flags as `dist` below) and pins
# and checks them with `pin` and `verify-dist`.
#
#   install.sh find   decide where the binary comes from; print to
#                     GITHUB_OUTPUT: path (where the binary will be), build
#                     (true when it must be built from source), go-mod (the
#                     go.mod for actions/setup-go)
#   install.sh build  build the binary from the action's own source
#   install.sh dist TAG DIR
#                     build the release assets of TAG reproducibly into DIR:
#                     shipflow_<os>_<arch>.tar.gz for each of DIST_TARGETS
#                     (default: every released os/arch) and checksums.txt
#   install.sh pin TAG DIR
#                     write the digests of DIR's assets for TAG into
#                     actions/digests.txt (replacing TAG's old lines)
#   install.sh verify-dist TAG DIR
#                     check that DIR's assets are exactly those pinned for
#                     TAG in actions/digests.txt
#
# Where the binary comes from:
#   1. a release binary installed by an earlier step of this job, cached
#      under $RUNNER_TEMP/shipflow/OWNER/REPO/vX.Y.Z with its tarball: reused
#      only after the tarball matches the trusted digest again, and then
#      extracted afresh (a binary planted there is never run);
#   2. the `version` input: shipflow_<os>_<arch>.tar.gz from that GitHub
#      release, verified as below — a mismatch or a failed download is fatal
#      (never silently another version);
#   3. an action ref that is a release tag (vX.Y.Z): the same download;
#   4. a floating major ref (v0, as in the recommended `@v0`): the newest
#      vX.Y.Z release of that major, found through the GitHub REST API
#      (GET /repos/OWNER/REPO/releases; the release workflow moves the major
#      tag (v0, v1, ...) to every release), then the same download;
#   5. anything else (a commit SHA, a branch, `uses: ./`), a floating ref
#      without a matching release, or a release without assets: `go build`
#      of the action's source, with a notice, in a Go environment of its
#      own under RUNNER_TEMP that never reaches the job's PATH (see
#      build_source below); a commit's build is reused by later steps.
#
# Trust: checksums.txt comes from the same release as the tarball, so whoever
# can replace one can replace both. The trust root is actions/digests.txt,
# committed in the action's own tree at the release tag (lines
# "<sha256>  shipflow_<os>_<arch>.tar.gz vX.Y.Z"): the release workflow
# builds the assets reproducibly before the release and pins their digests
# there. A download is verified against it; checksums.txt is then only a
# cross-check. A version that is not pinned (a `version` input naming
# another release than the action's tag) is verified with
# `gh attestation verify` when gh is installed; else it is refused, unless
# the `verify` input is `checksums` (checksums.txt alone). A release tag or
# floating ref whose release is not pinned and not attested builds from the
# action's source instead, which is what the workflow pinned.
#
# Environment (set by action.yml):
#   SHIPFLOW_ACTION_PATH        ${{ github.action_path }}
#   SHIPFLOW_ACTION_REF         ${{ github.action_ref }} (may be empty in composite actions)
#   SHIPFLOW_ACTION_REPOSITORY  ${{ github.action_repository }} (may be empty)
#   SHIPFLOW_VERSION            the `version` input, or empty
#   SHIPFLOW_VERIFY             the `verify` input: empty, or checksums
#   SHIPFLOW_TOKEN              the `token` input, for the REST API and gh (optional)
#   GITHUB_API_URL              the REST API root (set by the runner)
set -euo pipefail

die() {
	echo "::error title=shipflow install::$*"
	exit 1
}

# semver is X.Y.Z with an optional leading v and an optional semver 2.0.0
# pre-release (no leading zeros in numbers or numeric identifiers). Bash's
# =~ matches the whole string: a newline is never inside a match.
num='(0|[1-9][0-9]*)'
ident='(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)'
semver="^v?$num\\.$num\\.$num(-$ident(\\.$ident)*)?\$"

# The source root is the nearest directory above the action with shipflow's go.mod.
root=${SHIPFLOW_ACTION_PATH:-$(dirname "$0")}
while [[ ! -f "$root/go.mod" ]] || ! grep -q '^module github.com/shipflow/shipflow$' "$root/go.mod"; do
	[[ "$root" == / || "$root" == . || -z "$root" ]] && die "no shipflow go.mod above ${SHIPFLOW_ACTION_PATH:-$0}"
	root=$(dirname "$root")
done
digests=$root/actions/digests.txt

# The runner unpacks actions to .../_actions/OWNER/REPO/REF/; use that when
# github.action_ref is empty (actions/runner#2473).
ref=${SHIPFLOW_ACTION_REF:-}
repo=${SHIPFLOW_ACTION_REPOSITORY:-}
if [[ -z "$ref" && "$root" == */_actions/*/*/* ]]; then
	rest=${root#*/_actions/}
	IFS=/ read -r owner name ref _ <<<"$rest"
	repo=${repo:-$owner/$name}
fi
repo=${repo:-shipflow/shipflow}

# The ref and repository name a cache directory, a URL and a linker flag:
# only the characters GitHub allows in them get through, so no value can
# climb out of a path, add a URL part or a linker option.
if ! [[ "$repo" =~ ^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9_.-]+$ ]] || [[ "$repo" == */. || "$repo" == */.. ]]; then
	die "action repository \"$repo\" is not OWNER/REPO"
fi
if [[ -n "$ref" ]] && { ! [[ "$ref" =~ ^[A-Za-z0-9_][A-Za-z0-9_./+-]*$ ]] || [[ "$ref" == *..* || "$ref" == */ ]]; }; then
	die "action ref \"$ref\" is not a tag, branch or commit name"
fi

verify=${SHIPFLOW_VERIFY:-}
case "$verify" in
"" | checksums) ;;
*) die "input verify: \"$verify\" is not empty or checksums" ;;
esac

# latest_release MAJOR prints the newest vMAJOR.Y.Z release tag of $repo
# (drafts and pre-releases left out), or nothing. Releases come newest
# first; the first page of 100 holds the newest of any major in practice.
latest_release() {
	local major=$1 api=${GITHUB_API_URL:-https://api.github.com} json
	# The token goes to curl on stdin (-K -), never on its command line,
	# where other processes of the runner could read it.
	local cfg=
	[[ -n "${SHIPFLOW_TOKEN:-}" ]] && cfg="header = \"Authorization: Bearer $SHIPFLOW_TOKEN\""
	if ! json=$(printf '%s\n' "$cfg" | curl -fsSL --retry 3 -K - -H "Accept: application/vnd.github+json" \
		"$api/repos/$repo/releases?per_page=100"); then
		echo "::notice title=shipflow install::could not list the releases of $repo at $api" >&2
		return 0
	fi
	local tags
	if command -v jq >/dev/null; then
		tags=$(jq -r '.[] | select((.draft | not) and (.prerelease | not)) | .tag_name' <<<"$json" || true)
	else
		tags=$(grep -o '"tag_name": *"[^"]*"' <<<"$json" | sed 's/.*"\([^"]*\)"$/\1/' || true)
	fi
	grep -E "^v$major\.[0-9]+\.[0-9]+$" <<<"$tags" | sort -t. -k1,1 -k2,2n -k3,3n | tail -n1 || true
}

sha256() {
	if command -v sha256sum >/dev/null; then
		sha256sum "$1" | cut -d' ' -f1
	else
		shasum -a 256 "$1" | cut -d' ' -f1
	fi
}

# rand_hex prints 32 random hex digits.
rand_hex() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

# out writes a step output in the heredoc form with a fresh random
# delimiter, so no value can end it early and add or replace an output
# (what `name=value` lines allowed: a newline in the version input forged
# `build`).
out() {
	local d
	d=ghadelimiter_$(rand_hex)
	[[ "$2" == *"$d"* ]] && die "output $1 contains its delimiter"
	printf '%s<<%s\n%s\n%s\n' "$1" "$d" "$2" "$d" >>"${GITHUB_OUTPUT:-/dev/null}"
}

# pinned TAG ASSET sets pin to the digest actions/digests.txt pins for
# ASSET of TAG, or to nothing. Two different digests for one asset are an
# error. (A variable, not output: die must not run in a subshell.)
pin=
pinned() {
	pin=
	[[ -f "$digests" ]] || return 0
	pin=$(awk -v f="$2" -v v="$1" '$1 !~ /^#/ && $2 == f && $3 == v { print $1 }' "$digests" | sort -u)
	[[ "$pin" == *$'\n'* ]] && die "actions/digests.txt pins two digests for $2 of $1"
	[[ -z "$pin" || "$pin" =~ ^[0-9a-f]{64}$ ]] || die "actions/digests.txt: \"$pin\" for $2 of $1 is not a sha256"
	return 0
}

# Reproducible builds: no cgo, no paths (-trimpath), no VCS stamp (the
# release commit is made after the digests are pinned), no build ID, and
# tarballs with sorted entries, a fixed owner, mode and mtime and no gzip
# timestamp. SOURCE_DATE_EPOCH is fixed rather than the commit's date for
# the same reason as the VCS stamp.
dist_epoch=${SOURCE_DATE_EPOCH:-0}
dist_targets=${DIST_TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}

dist_build() {
	local tag=$1 outdir=$2 target os arch exe tmp
	[[ "$tag" =~ $semver && "$tag" == v* ]] || die "dist: tag \"$tag\" is not vX.Y.Z"
	command -v go >/dev/null || die "go is not installed"
	mkdir -p "$outdir"
	for target in $dist_targets; do
		os=${target%/*} arch=${target#*/} exe=shipflow
		[[ $os == windows ]] && exe=shipflow.exe
		tmp=$(mktemp -d)
		(cd "$root" && CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOFLAGS='' go build -trimpath -buildvcs=false \
			-ldflags "-s -w -buildid= -X main.version=$tag" -o "$tmp/$exe" ./cmd/shipflow)
		chmod 0755 "$tmp/$exe"
		tar --sort=name --mtime="@$dist_epoch" --owner=0 --group=0 --numeric-owner --format=gnu \
			-C "$tmp" -cf - "$exe" | gzip -n -9 >"$outdir/shipflow_${os}_${arch}.tar.gz"
		rm -rf "$tmp"
	done
	(cd "$outdir" && for f in shipflow_*.tar.gz; do printf '%s  %s\n' "$(sha256 "$f")" "$f"; done >checksums.txt)
	cat "$outdir/checksums.txt"
}

dist_pin() {
	local tag=$1 indir=$2 f tmp
	[[ "$tag" =~ $semver && "$tag" == v* ]] || die "pin: tag \"$tag\" is not vX.Y.Z"
	tmp=$(mktemp)
	if [[ -f "$digests" ]]; then
		awk -v v="$tag" '$1 ~ /^#/ || $3 != v' "$digests" >"$tmp"
	else
		printf '# Digests of the release assets, pinned before each release commit\n# by the release workflow (actions/install.sh pin): install.sh trusts\n# these, not the release it downloads from.\n' >"$tmp"
	fi
	for f in "$indir"/shipflow_*.tar.gz; do
		[[ -f "$f" ]] || die "pin: no shipflow_*.tar.gz in $indir"
		printf '%s  %s %s\n' "$(sha256 "$f")" "${f##*/}" "$tag" >>"$tmp"
	done
	mv "$tmp" "$digests"
}

dist_verify() {
	local tag=$1 indir=$2 f want got n=0 bad=0
	for f in "$indir"/shipflow_*.tar.gz; do
		[[ -f "$f" ]] || die "verify-dist: no shipflow_*.tar.gz in $indir"
		pinned "$tag" "${f##*/}"
		want=$pin
		got=$(sha256 "$f")
		n=$((n + 1))
		if [[ "$want" != "$got" ]]; then
			echo "::error title=shipflow dist::${f##*/} of $tag is $got, actions/digests.txt pins ${want:-nothing}"
			bad=$((bad + 1))
		fi
	done
	local pins
	pins=$(awk -v v="$tag" '$1 !~ /^#/ && $3 == v' "$digests" 2>/dev/null | wc -l | tr -d ' ')
	[[ "$pins" == "$n" ]] || die "actions/digests.txt pins $pins assets for $tag, $indir has $n"
	((bad == 0)) || die "$bad of $n assets of $tag differ from actions/digests.txt: the build is not reproducible or the tree changed"
	echo "All $n assets of $tag match actions/digests.txt"
}

case "${1:-find}" in
dist)
	dist_build "${2:?usage: install.sh dist TAG DIR}" "${3:?usage: install.sh dist TAG DIR}"
	exit 0
	;;
pin)
	dist_pin "${2:?usage: install.sh pin TAG DIR}" "${3:?usage: install.sh pin TAG DIR}"
	exit 0
	;;
verify-dist)
	dist_verify "${2:?usage: install.sh verify-dist TAG DIR}" "${3:?usage: install.sh verify-dist TAG DIR}"
	exit 0
	;;
esac

tag=
explicit=false
if [[ -n "${SHIPFLOW_VERSION:-}" ]]; then
	# Checked before any use: the version names a directory and a URL.
	[[ "$SHIPFLOW_VERSION" =~ $semver ]] || die "input version: \"$SHIPFLOW_VERSION\" is not a semantic version X.Y.Z (e.g. 1.4.0 or v1.4.0-rc.1)"
	tag=v${SHIPFLOW_VERSION#v}
	explicit=true
elif [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
	tag=$ref
elif [[ "$ref" =~ ^v([0-9]+)$ ]]; then
	tag=$(latest_release "${BASH_REMATCH[1]}")
	if [[ -n "$tag" ]]; then
		echo "Resolved $ref to the release $tag of $repo"
	else
		echo "::notice title=shipflow install::no v${BASH_REMATCH[1]}.x.y release of $repo found for $ref: building from source"
	fi
fi

case "${RUNNER_OS:-Linux}" in
Linux) os=linux ;;
macOS) os=darwin ;;
Windows) os=windows ;;
*) die "unsupported runner OS ${RUNNER_OS:-}" ;;
esac
case "${RUNNER_ARCH:-X64}" in
X64) arch=amd64 ;;
ARM64) arch=arm64 ;;
*) die "unsupported runner architecture ${RUNNER_ARCH:-}" ;;
esac
exe=shipflow
[[ $os == windows ]] && exe=shipflow.exe
asset=shipflow_${os}_${arch}.tar.gz

# One directory per source, so the steps of a job share one binary: a
# release by repository and tag (a fork's v1.2.3 is not upstream's), a build
# by the source's path and ref.
if [[ -n "$tag" ]]; then
	dir=${RUNNER_TEMP:-/tmp}/shipflow/$repo/$tag
else
	dir=${RUNNER_TEMP:-/tmp}/shipflow/src-$(printf '%s' "$root@$ref" | sha256sum | cut -c1-16)
fi
bin=$dir/$exe

# install_from TARBALL extracts the binary of a verified tarball, keeping
# the tarball so a later step can verify it again, and replacing whatever
# was at $bin.
install_from() {
	local tmp
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/.extract.XXXXXX")
	tar -xzf "$1" -C "$tmp" "$exe" || {
		rm -rf "$tmp"
		die "could not extract $exe from $asset of $tag"
	}
	[[ "$1" == "$dir/$asset" ]] || mv -f "$1" "$dir/$asset"
	mv -f "$tmp/$exe" "$bin"
	rm -rf "$tmp"
}

# attested FILE reports whether gh finds a valid attestation for FILE made
# by $repo's workflows.
attested() {
	command -v gh >/dev/null || return 1
	GH_TOKEN=${GH_TOKEN:-${SHIPFLOW_TOKEN:-}} gh attestation verify "$1" --repo "$repo" >/dev/null 2>&1
}

# download fetches and verifies the release asset, then installs it; it
# returns 1 (build from source) only for a ref-chosen release that cannot
# be fetched or trusted.
download() {
	local url=${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/$tag
	local tmp want got sums=
	pinned "$tag" "$asset"
	want=$pin
	# A cached tarball that still matches the pinned digest needs no download.
	if [[ -n "$want" && -f "$dir/$asset" && "$(sha256 "$dir/$asset")" == "$want" ]]; then
		install_from "$dir/$asset"
		echo "shipflow $tag already downloaded to $dir: verified against actions/digests.txt again"
		return 0
	fi
	tmp=$(mktemp -d)
	echo "Downloading shipflow $tag ($asset) from $url"
	if ! curl -fsSL --retry 3 -o "$tmp/$asset" "$url/$asset" || ! curl -fsSL --retry 3 -o "$tmp/checksums.txt" "$url/checksums.txt"; then
		rm -rf "$tmp"
		# An explicit version is what the workflow asked for: building the
		# action's source instead would run another version.
		$explicit && die "could not download $asset and checksums.txt of release $tag of $repo from $url (version input $SHIPFLOW_VERSION)"
		echo "::warning title=shipflow install::no $asset in release $tag of $repo: building from source"
		return 1
	fi
	got=$(sha256 "$tmp/$asset")
	sums=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1 }' "$tmp/checksums.txt")
	if [[ -n "$want" ]]; then
		[[ "$want" == "$got" ]] || die "$asset of $tag from $url is $got, but actions/digests.txt of this action pins $want: refusing a release asset that differs from the one built for the tag"
		[[ -z "$sums" || "$sums" == "$got" ]] || die "checksum mismatch for $asset of $tag: checksums.txt says $sums, the download is $got"
		echo "Verified $asset of $tag against actions/digests.txt ($got)"
	else
		[[ -n "$sums" ]] || die "checksums.txt of $tag has no line for $asset"
		[[ "$sums" == "$got" ]] || die "checksum mismatch for $asset of $tag: checksums.txt says $sums, the download is $got"
		if attested "$tmp/$asset"; then
			echo "Verified $asset of $tag with its attestation (gh attestation verify --repo $repo)"
		elif [[ "$verify" == checksums ]]; then
			echo "::warning title=shipflow install::$tag is not pinned in this action's actions/digests.txt and has no attestation gh could verify: trusting checksums.txt of the same release (verify: checksums)"
		elif $explicit; then
			rm -rf "$tmp"
			die "shipflow $tag is not pinned in actions/digests.txt of $repo@${ref:-this action} and no attestation could be verified (gh attestation verify needs gh and a token): pin the action to the release instead (uses: $repo@$tag, without the version input), or drop the version input, or set verify: checksums to trust the release's own checksums.txt"
		else
			rm -rf "$tmp"
			echo "::notice title=shipflow install::$tag of $repo is not pinned in this action's actions/digests.txt and has no verifiable attestation: building from source"
			return 1
		fi
	fi
	install_from "$tmp/$asset"
	rm -rf "$tmp"
}

# A build from source never touches the job's PATH or environment (nothing
# is written to GITHUB_PATH or GITHUB_ENV): it runs a Go found on PATH or in
# the runner's tool cache with its own GOPATH, module cache and build cache
# under RUNNER_TEMP, and GOTOOLCHAIN=auto, so a Go older than go.mod asks for
# fetches the toolchain go.mod names into that module cache (checked
# against the Go checksum database) and builds with it as its GOROOT. Only
# when the runner has no Go at all does the action fall back to
# actions/setup-go (output build=true, then `install.sh build`).
# SHIPFLOW_GOCACHE and SHIPFLOW_GOMODCACHE name other caches (the tests
# share the host's).
gobase=${RUNNER_TEMP:-/tmp}/shipflow/go

# find_go prints the path of a go command: PATH's, else the newest in the
# runner's tool cache (where hosted runners keep preinstalled Go versions
# off the PATH).
find_go() {
	local g
	if g=$(command -v go); then
		echo "$g"
		return 0
	fi
	g=$(printf '%s\n' "${RUNNER_TOOL_CACHE:-/opt/hostedtoolcache}"/go/*/*/bin/go | sort -V | tail -n1)
	[[ -x "$g" ]] || return 1
	echo "$g"
}

# build_source GO builds the action's source into $bin with GO.
build_source() {
	local gocmd=$1
	mkdir -p "$dir" "$gobase/path"
	(cd "$root" && env GOPATH="$gobase/path" GOMODCACHE="${SHIPFLOW_GOMODCACHE:-$gobase/path/pkg/mod}" \
		GOCACHE="${SHIPFLOW_GOCACHE:-$gobase/cache}" GOTOOLCHAIN=auto GOFLAGS=-mod=readonly GOENV=off CGO_ENABLED=0 \
		"$gocmd" build -trimpath -buildvcs=false -ldflags "-s -w -X main.version=${ref:-dev}" -o "$bin.tmp" ./cmd/shipflow)
	mv -f "$bin.tmp" "$bin"
	# A commit's source cannot change: later steps of the job reuse the
	# binary (RUNNER_TEMP is emptied by the runner before every job).
	if [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then
		printf '%s\n' "$ref" >"$dir/commit"
	else
		rm -f "$dir/commit"
	fi
	echo "Built $bin"
}

case "${1:-find}" in
find)
	out path "$bin"
	out go-mod "$root/go.mod"
	# A release binary is verified on every step, even when cached (a
	# planted file under RUNNER_TEMP is never run). A build from source is
	# reused when the action is pinned to a commit and this job built it
	# already; else it is redone (incrementally, from the build cache),
	# since the source under a branch or floating tag can change between
	# runs on a reused runner.
	if [[ -n "$tag" ]] && download; then
		out build false
	elif [[ "$ref" =~ ^[0-9a-f]{40}$ && -x "$bin" && "$(cat "$dir/commit" 2>/dev/null)" == "$ref" ]]; then
		echo "shipflow ${ref} already built from source in this job: $bin"
		out build false
	elif gocmd=$(find_go); then
		echo "Building shipflow from the action's source (${ref:-local}) with $gocmd, in $gobase"
		build_source "$gocmd"
		out build false
	else
		echo "::notice title=shipflow install::no Go on this runner to build shipflow's source (${ref:-local}): actions/setup-go installs one"
		out build true
	fi
	;;
build)
	gocmd=$(command -v go) || die "go is not installed: actions/setup-go should have run"
	build_source "$gocmd"
	;;
*)
	die "unknown mode ${1}: use find, build, dist, pin or verify-dist"
	;;
esac
