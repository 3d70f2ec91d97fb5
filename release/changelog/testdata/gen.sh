#!/bin/sh
# Regenerates testdata/cases from the shared reference data: the 11 real
# changelog sections (release-please and vuejs/core) with every commit of
# their ranges. Run from this directory: ./gen.sh [SHARED_DIR]
set -eu
shared=${1:-/work/shared}
rm -rf cases
mkdir cases
cp "$shared"/data/changelog-cases/*.json cases/
chmod 644 cases/*.json
find cases -name '*.json' | wc -l
