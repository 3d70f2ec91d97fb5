#!/bin/sh
# Regenerates the JUnit XML fixtures in junit/ by running real producers on
# the sources in python/, node/ and jest/. Each producer runs in a copy under a fixed
# directory, $GEN (default /tmp/shipflow-testreport-gen), so the absolute
# paths in the reports are stable; tests pass that directory as the root.
#
# Needs: python3 with pytest (Debian: apt-get install -y python3-pytest),
# node >= 20, and npm with access to the npm registry (jest, jest-junit).
set -eu
cd "$(dirname "$0")"
GEN=${GEN:-/tmp/shipflow-testreport-gen}
rm -rf "$GEN"
mkdir -p "$GEN"

# pytest, default (xunit2) and xunit1 families (xunit1 adds file and line).
PY=python3
$PY -c 'import pytest' 2>/dev/null || PY=/usr/bin/python3
cp -r python "$GEN/pytest"
# The fixtures fail on purpose: a runner's non-zero exit is expected.
(cd "$GEN/pytest" && { $PY -m pytest -q -p no:cacheprovider --junitxml=report.xml >/dev/null || true; })
(cd "$GEN/pytest" && { $PY -m pytest -q -p no:cacheprovider -o junit_family=xunit1 --junitxml=report1.xml >/dev/null || true; })
cp "$GEN/pytest/report.xml" junit/pytest.xml
cp "$GEN/pytest/report1.xml" junit/pytest-xunit1.xml

# node's test runner.
cp -r node "$GEN/node"
(cd "$GEN/node" && { node --test --test-reporter=junit --test-reporter-destination=report.xml calc.test.js >/dev/null || true; })
cp "$GEN/node/report.xml" junit/node.xml

# jest with jest-junit, file attributes on.
cp -r jest "$GEN/jest"
(cd "$GEN/jest" && npm install --no-audit --no-fund --no-save >/dev/null 2>&1 && {
	JEST_JUNIT_OUTPUT_FILE=report.xml JEST_JUNIT_ADD_FILE_ATTRIBUTE=true \
		npx jest --ci --reporters=default --reporters=jest-junit >/dev/null 2>&1 || true
})
cp "$GEN/jest/report.xml" junit/jest.xml

echo "regenerated: $(ls junit)"
