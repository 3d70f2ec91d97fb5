#!/usr/bin/env bash
# Writes a CycloneDX SBOM (JSON) of a release archive: GoReleaser's sboms
# step runs it once per archive (see .goreleaser.yaml), in dist/.
#
#   sbom.sh ARCHIVE DOCUMENT VERSION
#
# The archive's binary (shipflow or shipflow.exe) is extracted into a
# temporary directory and described by `cyclonedx-gomod bin` from its
# embedded build information (the Go version, the main module and every
# module linked in, as `go version -m` shows them). cyclonedx-gomod
# (github.com/CycloneDX/cyclonedx-gomod v1.10.0) is taken from
# $CYCLONEDX_GOMOD, else from PATH.
set -euo pipefail

archive=${1:?usage: sbom.sh ARCHIVE DOCUMENT VERSION}
document=${2:?usage: sbom.sh ARCHIVE DOCUMENT VERSION}
version=${3:?usage: sbom.sh ARCHIVE DOCUMENT VERSION}
tool=${CYCLONEDX_GOMOD:-cyclonedx-gomod}
command -v "$tool" >/dev/null || {
	echo "sbom.sh: $tool not found: go install github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@v1.10.0" >&2
	exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$archive" -C "$tmp"
bins=("$tmp"/shipflow "$tmp"/shipflow.exe)
bin=
for b in "${bins[@]}"; do
	[[ -f $b ]] && bin=$b
done
[[ -n $bin ]] || {
	echo "sbom.sh: no shipflow binary in $archive" >&2
	exit 1
}
"$tool" bin -json -output "$document" -version "$version" "$bin"
