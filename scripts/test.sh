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

echo "== browser"
# The end-to-end app test drives Debian's chromium; install it when missing and allowed (root with apt-get).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
command -v chromium >/dev/null 2>&1 || echo "chromium not installed: the browser test will be skipped" >&2

echo "== services"
# shellcheck source=scripts/services.sh
source scripts/services.sh
trap stop_services EXIT
start_chroma
start_postgres
# The local OpenAI-compatible server for the wire tests (compiled once, then cached); if it cannot start, only the
# tests marked llm_server skip, with the reason.
if VETTING_TEST_LLM_URL="$(scripts/llm-server.sh start)"; then
  export VETTING_TEST_LLM_URL
  on_stop "scripts/llm-server.sh stop"
else
  unset VETTING_TEST_LLM_URL
  echo "services: the local LLM server did not start: the llm_server tests will skip" >&2
fi

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
