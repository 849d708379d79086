#!/usr/bin/env bash
# Creates .venv with the Python reference tools (torch, transformers,
# tokenizers, pyarrow, math-verify, TRL, ...) that poly's interop tests and
# benchmarks compare against. Idempotent: does nothing when the installed
# set already matches scripts/requirements-ref.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
req=scripts/requirements-ref.txt
stamp=.venv/.requirements-ref.sha
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
echo "pyref: installing reference tools into .venv (first run downloads a few GB)..." >&2
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
