#!/usr/bin/env bash
# Loopback load test: gunicorn (gunicorn.conf.py) on 127.0.0.1 with a Redis cache, as
# production runs it, then wrk with 50 connections for 60 s; fails if any request failed,
# timed out or was not 2xx. Needs wrk (apt-get install wrk) and Redis (REDIS_URL, default
# the local one). Bounded in time; stops what it started.
#
# LOADTEST_MIX=varied (the default): 20,000 random library states (filters, words, sorts,
# pages), so nearly every request misses the page cache and is computed;
# LOADTEST_MIX=fixed: the benchmark's page states, over and over (mostly cached).
# LOADTEST_SEED (1): which random states each of wrk's threads asks (scripts/loadtest.lua).
# LOADTEST_PORT (8161), LOADTEST_DURATION (60s), LOADTEST_CONNECTIONS (50) and
# LOADTEST_WARM_PASSES (3, passes over the benchmark's states before measuring).
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
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
# A prefix of this run's own, so nothing cached by an earlier run is served.
export CACHE_KEY_PREFIX=loadtest-$$-$(date +%s)
MIX=${LOADTEST_MIX:-varied}

paths=$(mktemp)
warm=$(mktemp)
log=$(mktemp)
$BIN/python manage.py bench --list-paths > "$warm"
if [ "$MIX" = varied ]; then
    $BIN/python manage.py bench --list-paths --varied 20000 > "$paths"
else
    cp "$warm" "$paths"
fi
$BIN/gunicorn asmhub.wsgi -c gunicorn.conf.py > "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$paths" "$warm" "$log"' EXIT
# The master reads the facet index before it starts the workers (gunicorn.conf.py): at a
# million resources that takes a while.
for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.2
done
# Warm the database's buffers and the workers' memory of common search words, as a
# running site has them: a few passes over the benchmark's states.
for _ in $(seq 1 "${LOADTEST_WARM_PASSES:-3}"); do
    while read -r p; do curl -fs -o /dev/null "http://127.0.0.1:$PORT$p"; done < "$warm"
done
# And, for the varied mix, each of its searches once, unfiltered: a site that has been up
# a while has its readers' common searches in its cache (a search's matches are kept per
# process and shared through Redis; a new one is the slowest request of all, measured by
# make bench's "new query" mode: docs/performance.md).
if [ "$MIX" = varied ]; then
    $BIN/python - "$paths" > "$warm" <<'PY'
import sys
from urllib.parse import parse_qs, urlencode, urlsplit

words = {q for line in open(sys.argv[1]) for q in parse_qs(urlsplit(line.strip()).query).get("q", [])}
for q in sorted(words):
    print("/resources/?" + urlencode({"q": q}))
PY
    echo "loadtest: warming $(wc -l < "$warm") searches"
    while read -r p; do curl -fs -o /dev/null "http://127.0.0.1:$PORT$p"; done < "$warm"
fi
echo "loadtest: $CONNECTIONS connections for $DURATION over $(wc -l < "$paths") page states ($MIX)"
# The CPU the run costs (the app's workers and the database's backends), which other work
# on the machine changes less than it changes the throughput (scripts/cpu_sampler.py).
cpu=$(mktemp)
$BIN/python scripts/cpu_sampler.py "$server" "$(basename "${DATABASE_URL%%\?*}")" > "$cpu" &
sampler=$!
if [ -n "${LOADTEST_PROFILE:-}" ]; then
    # Sampled stacks of every worker for the whole run (pip install py-spy), read by
    # scripts/profile_breakdown.py.
    spy=$(command -v py-spy || echo "$BIN/py-spy")
    "$spy" record --pid "$server" --subprocesses --gil --nonblocking --rate 97 --format raw \
        --duration "${DURATION%s}" --output "$LOADTEST_PROFILE" >/dev/null 2>&1 &
    profiler=$!
fi
out=$(LOADTEST_PATHS="$paths" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency \
    -s scripts/loadtest.lua "http://127.0.0.1:$PORT")
kill -TERM $sampler; wait $sampler
[ -n "${profiler:-}" ] && wait $profiler
echo "$out"
requests=$(grep -oE '^ *[0-9]+ requests in' <<<"$out" | grep -oE '[0-9]+' | head -1)
$BIN/python - "$cpu" "$requests" <<'PY'
import json, sys
used = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
app, db = used["app"] * 1000 / n, used["database"] * 1000 / n
print(f"CPU per request: {app:.1f} ms app + {db:.1f} ms database = {app + db:.1f} ms "
      f"({n} requests; at most {2000 / (app + db):.0f} requests/s on 2 cores)")
print(f"Memory per worker, the largest seen: {used['worker_rss_mb']:.0f} MB resident, "
      f"{used['worker_pss_mb']:.0f} MB its share (pages shared with the master split)")
PY
rm -f "$cpu"
if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
    # Which requests failed, as the server logged them (a 4xx or 5xx is a warning or an
    # error in its log; wrk counts them without saying which).
    grep -E '"status": ?[45][0-9][0-9]|WARNING|ERROR|Traceback' "$log" | tail -n 20 || true
    echo "loadtest: FAILED (errors above)"; exit 1
fi
echo "loadtest: zero errors"
