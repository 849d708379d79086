#!/usr/bin/env bash
# Runs bench/grade: poly's grader, math-verify and verl's default MATH
# scorer on the same corpus, one core each. Installs verl (the reference
# only) into the reference venv without its dependencies: its scorer module
# is plain Python, while the package's dependencies (ray, torch, vllm, ...)
# are not needed and not wanted here.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/pyref.sh
py=${POLY_PYTHON:-.venv/bin/python}
if ! "$py" -c 'import importlib.util,sys; sys.exit(importlib.util.find_spec("verl") is None)'; then
  "$py" -m pip install --quiet --disable-pip-version-check --no-deps verl==0.9.1
fi
exec go run ./bench/grade "$@"
