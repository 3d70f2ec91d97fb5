#!/bin/sh
# Re-records commitlint/testdata/upstream/cases: commitlint's own verdicts on
# the cases of its public tests (@commitlint/rules, is-ignored,
# config-conventional), run against the published 20.x packages.
# Needs Node 20+, npm, git and network access; the Go tests never do.
# Usage: commitlint/testdata/upstream/gen.sh [COMMITLINT_SRC]
#   COMMITLINT_SRC: a checkout of conventional-changelog/commitlint at the tag
#   below (default: cloned into a temporary directory).
set -eu
TAG=v20.5.3
VERSION=20.5.3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=${1:-}
if [ -z "$src" ]; then
	git clone -q --depth 1 --branch "$TAG" https://github.com/conventional-changelog/commitlint "$tmp/src"
	src=$tmp/src
fi
mkdir -p "$tmp/node"
(cd "$tmp/node" && npm init -y >/dev/null &&
	npm install --silent --no-audit --no-fund \
		@commitlint/rules@$VERSION @commitlint/parse@20.5.0 @commitlint/is-ignored@20.5.0 \
		@commitlint/lint@$VERSION @commitlint/config-conventional@$VERSION \
		conventional-changelog-angular conventional-changelog-conventionalcommits esbuild@0.25.0)
node "$here/harness.mjs" "$tmp/node" "$src" "$here/cases"
