#!/usr/bin/env bash
# Runs bench/grade: poly's grader (in process, warm and cold, and the
# `poly grade` command end to end), math-verify and verl's default MATH
# scorer (every answer boxed, bare answers boxed, as given) on the same corpus, one core
# each; see bench/grade/README.md. -corpus FILE or gen:N (RL-shaped
# completions generated from a fixed seed). Installs verl (the reference
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
