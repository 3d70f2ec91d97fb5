#!/bin/sh
# Rebuilds testdata/corpus from the shared release-history data.
# Usage: commitlint/testdata/gen-corpus.sh [DATA_DIR]   (default /work/shared/data)
set -eu
cd "$(dirname "$0")/../.."
exec go run ./commitlint/internal/gencorpus -data "${1:-/work/shared/data}" -out commitlint/testdata/corpus
