#!/usr/bin/env bash
# Installs the shipflow binary for shipflow's composite actions. Every
# action.yml calls this script, so the logic lives here once.
#
#   install.sh find   decide where the binary comes from; print to
#                     GITHUB_OUTPUT: path (where the binary will be), build
#                     (true when it must be built from source), go-mod (the
#                     go.mod for actions/setup-go)
#   install.sh build  build the binary from the action's own source
#
# Where the binary comes from:
#   1. a release binary installed by an earlier step of this job: reused;
#   2. the `version` input: shipflow_<os>_<arch>.tar.gz and checksums.txt
#      from that GitHub release, verified with sha256 — a mismatch or a
#      failed download is fatal (never silently another version);
#   3. an action ref that is a release tag (vX.Y.Z): the same download;
#   4. a floating major ref (v0, as in the recommended `@v0`): the newest
#      vX.Y.Z release of that major, found through the GitHub REST API
#      (GET /repos/OWNER/REPO/releases; the release workflow moves the major tag (v0, v1, ...) to
#      every release), then the same download;
#   5. anything else (a commit SHA, a branch, `uses: ./`), a floating ref
#      without a matching release, or a release without assets: `go build`
#      of the action's source, with a notice.
#
# Environment (set by action.yml):
#   SHIPFLOW_ACTION_PATH        ${{ github.action_path }}
#   SHIPFLOW_ACTION_REF         ${{ github.action_ref }} (may be empty in composite actions)
#   SHIPFLOW_ACTION_REPOSITORY  ${{ github.action_repository }} (may be empty)
#   SHIPFLOW_VERSION            the `version` input, or empty
#   SHIPFLOW_TOKEN              the `token` input, for the REST API (optional)
#   GITHUB_API_URL              the REST API root (set by the runner)
set -euo pipefail

die() {
	echo "::error title=shipflow install::$*"
	exit 1
}

# The source root is the nearest directory above the action with shipflow's go.mod.
root=$SHIPFLOW_ACTION_PATH
while [[ ! -f "$root/go.mod" ]] || ! grep -q '^module github.com/shipflow/shipflow$' "$root/go.mod"; do
	[[ "$root" == / || -z "$root" ]] && die "no shipflow go.mod above $SHIPFLOW_ACTION_PATH"
	root=$(dirname "$root")
done

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

tag=
explicit=false
if [[ -n "${SHIPFLOW_VERSION:-}" ]]; then
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

# One directory per source, so the steps of a job share one binary.
key=${tag:-src-$(printf '%s' "$root@$ref" | sha256sum | cut -c1-16)}
dir=${RUNNER_TEMP:-/tmp}/shipflow/$key
bin=$dir/$exe

sha256() {
	if command -v sha256sum >/dev/null; then
		sha256sum "$1" | cut -d' ' -f1
	else
		shasum -a 256 "$1" | cut -d' ' -f1
	fi
}

download() {
	local asset=shipflow_${os}_${arch}.tar.gz
	local url=${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/$tag
	local tmp
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
	local want got
	want=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1 }' "$tmp/checksums.txt")
	got=$(sha256 "$tmp/$asset")
	[[ -n "$want" ]] || die "checksums.txt of $tag has no line for $asset"
	[[ "$want" == "$got" ]] || die "checksum mismatch for $asset of $tag: checksums.txt says $want, the download is $got"
	mkdir -p "$dir"
	tar -xzf "$tmp/$asset" -C "$dir" "$exe"
	rm -rf "$tmp"
}

out() { echo "$1=$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }

case "${1:-find}" in
find)
	out path "$bin"
	out go-mod "$root/go.mod"
	# A release binary is immutable: reuse it. A build from source is
	# redone (incrementally, from Go's build cache), since the source under
	# a branch or floating tag can change between runs on a reused runner.
	if [[ -n "$tag" && -x "$bin" ]]; then
		echo "shipflow $tag already installed at $bin"
		out build false
	elif [[ -n "$tag" ]] && download; then
		out build false
	else
		echo "Building shipflow from the action's source (${ref:-local})"
		out build true
	fi
	;;
build)
	command -v go >/dev/null || die "go is not installed: actions/setup-go should have run"
	mkdir -p "$dir"
	(cd "$root" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${ref:-dev}" -o "$bin" ./cmd/shipflow)
	echo "Built $bin"
	;;
*)
	die "unknown mode ${1}: use find or build"
	;;
esac
