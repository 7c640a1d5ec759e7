#!/usr/bin/env bash
# Loopback load test: gunicorn (gunicorn.conf.py) on 127.0.0.1, then wrk with 50
# connections for 60 s over a mix of page states; fails if any request failed or was
# not 2xx. Needs wrk (apt-get install wrk). Bounded in time; stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${LOADTEST_PORT:-8161}
DURATION=${LOADTEST_DURATION:-60s}
CONNECTIONS=${LOADTEST_CONNECTIONS:-50}
BIN=.venv/bin
command -v wrk >/dev/null || { echo "loadtest: wrk is missing (apt-get install wrk)"; exit 1; }

export DJANGO_DEBUG=false DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-loadtest-only}
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false
export GUNICORN_BIND=127.0.0.1:$PORT

paths=$(mktemp)
log=$(mktemp)
$BIN/python manage.py bench --list-paths > "$paths"
$BIN/gunicorn asmhub.wsgi -c gunicorn.conf.py > "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$paths" "$log"' EXIT
for _ in $(seq 1 50); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.2
done
# Warm the workers' caches and the database's buffers, as a running site has them. Each
# worker has its own memory cache (until a shared one is configured), and requests land
# on workers at random, so several passes are needed for every worker to see every state.
for _ in $(seq 1 "${LOADTEST_WARM_PASSES:-8}"); do
    while read -r p; do curl -fs -o /dev/null "http://127.0.0.1:$PORT$p"; done < "$paths"
done
echo "loadtest: $CONNECTIONS connections for $DURATION over $(wc -l < "$paths") page states"
out=$(LOADTEST_PATHS="$paths" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency \
    -s scripts/loadtest.lua "http://127.0.0.1:$PORT")
echo "$out"
if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
    echo "loadtest: FAILED (errors above)"; exit 1
fi
echo "loadtest: zero errors"
