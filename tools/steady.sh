#!/usr/bin/env bash
# `make test-steady`: the timing-sensitive tests (hardening, store concurrency, command line, browser) three rounds
# in a row while two CPU-burning processes occupy both cores, as on a busy shared machine. Stops at the first failing
# round, exit code 1. The burners are stopped however it ends (pass, fail, Ctrl-C).
#
# usage: PYTHON=.venv/bin/python tools/steady.sh [extra pytest arguments]   (ROUNDS=3, BURNERS=2 by default)
set -u
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
ROUNDS=${ROUNDS:-3}
BURNERS=${BURNERS:-2}
FILES=(tests/test_hardening_*.py tests/test_store.py tests/test_cli.py
       tests/test_browser.py tests/test_upload_browser.py tests/test_session_cookie.py)

burners=()
stop_burners() {
    [ ${#burners[@]} -gt 0 ] && kill "${burners[@]}" 2>/dev/null
    wait 2>/dev/null
}
trap stop_burners EXIT
trap 'exit 130' INT TERM

for _ in $(seq "$BURNERS"); do
    "$PYTHON" -c 'while True: pass' &
    burners+=($!)
done
echo "test-steady: $BURNERS CPU burners (pids ${burners[*]}), $ROUNDS rounds of ${#FILES[@]} test files"

started=$SECONDS
for round in $(seq "$ROUNDS"); do
    echo "== round $round/$ROUNDS, load average $(cut -d' ' -f1-3 /proc/loadavg) =="
    t=$SECONDS
    if ! "$PYTHON" -m pytest -q "${FILES[@]}" "$@"; then
        echo "test-steady: round $round of $ROUNDS FAILED after $((SECONDS - t)) s"
        exit 1
    fi
    echo "test-steady: round $round passed in $((SECONDS - t)) s"
done
echo "test-steady: all $ROUNDS rounds passed under load in $((SECONDS - started)) s"
