#!/usr/bin/env bash
# The whole local check, as CI runs it: lint, types, import rules, and the test
# suite on SQLite and on PostgreSQL.
#   bash scripts/check.sh                 # everything
#   SKIP_POSTGRES=1 bash scripts/check.sh # without PostgreSQL (a laptop without one)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test.sh --collect-only -q >/dev/null   # sets up .venv
step() { printf '\n== %s\n' "$*"; }
step "ruff";          .venv/bin/ruff check src tests bench
step "ruff format";   .venv/bin/ruff format --check src tests bench
step "mypy --strict"; .venv/bin/mypy
step "import rules";  .venv/bin/lint-imports
step "tests on SQLite"
bash scripts/test.sh -q -n 2 --db sqlite
if [ -z "${SKIP_POSTGRES:-}" ]; then
  step "tests on PostgreSQL"
  bash scripts/test.sh -q -n 2 --db postgresql -m db
fi
