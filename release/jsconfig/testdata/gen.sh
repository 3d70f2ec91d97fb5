#!/bin/sh
# Records real commitlint 20.x's verdicts on messages.json for each config
# directory here, into verdicts.json. Needs Node 20+ and npm (the tests do
# not: they compare against the recorded file).
#
#   sh release/jsconfig/testdata/gen.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent @commitlint/cli@20 @commitlint/load@20 @commitlint/lint@20 \
  @commitlint/config-conventional@20 @commitlint/config-angular@20 @commitlint/types@20 >/dev/null
cp "$here/gen.mjs" "$work/gen.mjs"
node gen.mjs "$here" > "$here/verdicts.json.tmp"
mv "$here/verdicts.json.tmp" "$here/verdicts.json"
