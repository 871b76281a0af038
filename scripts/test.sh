#!/usr/bin/env bash
# The whole test suite: lint, types, then pytest with the real local services the integration tests need.
# Called by `make test` (and so by CI). Installs missing system packages when run as root; stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== lint and types"
"$BIN/ruff" check .
"$BIN/ruff" format --check .
"$BIN/mypy"

echo "== services"
# shellcheck source=scripts/services.sh
source scripts/services.sh
trap stop_services EXIT
start_chroma
start_postgres

echo "== tests"
set +e
"$BIN/pytest" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$status"
