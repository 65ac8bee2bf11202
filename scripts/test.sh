#!/usr/bin/env bash
# Set up the development environment (once, and again when pyproject.toml
# changes) and run the test suite. Arguments go to pytest, for example:
#   bash scripts/test.sh                    # SQLite
#   bash scripts/test.sh --db postgresql    # the same suite on PostgreSQL
# CONSENTRY_EXTRAS picks the optional extras installed with it (default "dev";
# CI uses "dev,ray" so that the Ray executor's test runs too).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.consentry-installed
extras=${CONSENTRY_EXTRAS:-dev}
want="$(sha256sum pyproject.toml | cut -d' ' -f1) $extras"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$extras]"
  echo "$want" > "$stamp"
fi
exec .venv/bin/python -m pytest "$@"
