"""Gunicorn settings of the hub, read by `make serve`, `make cluster` and production units.

Every value can be changed through an environment variable (named beside it) without
editing this file. Why these values:

- gthread workers: a download to a reader on a slow mobile connection can take minutes;
  a sync worker would be held (and killed at its timeout) for all of it. A thread per
  request lets one process serve several slow readers; the database, the bucket and Redis
  all have connect and read timeouts in settings.py, so no thread waits for ever.
- workers = 2 x CPUs + 1 (capped at 12): the usual starting point for a mixed
  CPU/IO Django load; with 4 threads each that is 20 requests at once on 2 cores.
- max_requests with jitter recycles workers now and then, so a slow leak never grows
  into an outage and the workers of one server do not all restart at the same moment.
- preload_app: the app is imported once in the master, which reads the in-memory facet
  index (resources/search/facetindex/) and loads the URLs and templates (asmhub/startup.py)
  before forking, so every worker, a recycled one too, starts with them (shared
  copy-on-write) rather than reading the whole index and importing the views before its
  first answer (docs/performance.md). GUNICORN_PRELOAD=false turns it off
  (then `kill -HUP` also reloads the code, which a preloaded master does not). The master
  then freezes its objects for the garbage collector (core/memory.py), which keeps a
  full collection in a worker from walking them: that pause made the p95 of every page.
- timeout 30 s: a worker that stops answering its heartbeat is replaced; graceful_timeout
  lets requests in flight finish on a restart or deploy.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = _int("GUNICORN_WORKERS", min(multiprocessing.cpu_count() * 2 + 1, 12))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Heartbeat files on a RAM disk: a slow or full disk must not make workers look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The proxy in front sets X-Forwarded-*; trust it only from where the proxy runs.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The hub logs each request itself, as one JSON line with its id and query count
# (asmhub.middleware); gunicorn's own access log would only repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "asmhub")
# Gunicorn 25.1+ opens a control socket at one fixed path per user: several app servers
# on one machine would fight over it, and nothing here uses it.
control_socket_disable = True

preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in ("0", "false", "no", "off")


def when_ready(server):
    """In the master, before the first worker forks: read the facet index, load the URL
    configuration, templates and catalogues (asmhub/startup.py), then freeze what the
    master holds out of the garbage collector's sight (core/memory.py)."""
    if preload_app:
        from asmhub import startup
        from core import memory
        from resources.search.backends import backend

        backend().preload(server.log)
        startup.load(server.log)
        server.log.info("gc: %s objects frozen before the workers fork", memory.settle())
