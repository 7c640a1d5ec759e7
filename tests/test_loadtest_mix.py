"""scripts/loadtest.lua, the requests make loadtest sends: wrk's threads each draw states
of their own (once they drew the same sequence, and half a varied run repeated states
another thread had just asked), and the same ones in every run, so runs compare."""

import os
import shutil
import subprocess
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import missing_tool

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "loadtest.lua"
STATES = 20_000


@pytest.fixture
def wrk():
    found = shutil.which("wrk")
    if not found:
        missing_tool("wrk", "wrk")
    return found


def asked(wrk, tmp_path, seed):
    """The paths a two-thread wrk run of the script asks of a local server, in order."""
    paths = tmp_path / "paths.txt"
    paths.write_text("".join(f"/state/{n}\n" for n in range(STATES)))
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        subprocess.run(
            [wrk, "-t2", "-c2", "-d1s", "-s", str(SCRIPT), url],
            env={**os.environ, "LOADTEST_PATHS": str(paths), "LOADTEST_SEED": str(seed)},
            check=True,
            capture_output=True,
            timeout=30,
        )
    finally:
        server.shutdown()
        server.server_close()
    return seen


def test_threads_draw_states_of_their_own(wrk, tmp_path):
    seen = asked(wrk, tmp_path, seed=1)
    n = len(seen)
    assert n > 200
    repeats = sum(count - 1 for count in Counter(seen).values())
    # n draws of 20,000 states repeat about n² / 40,000 by chance (twice that allowed);
    # the threads drawing one sequence between them repeated nearly half of n.
    assert repeats < n * n / STATES + 20, (repeats, n)


def test_a_seed_draws_the_same_states_in_every_run(wrk, tmp_path):
    first = set(asked(wrk, tmp_path, seed=7))
    again = set(asked(wrk, tmp_path, seed=7))
    other = set(asked(wrk, tmp_path, seed=8))
    # Each run asks as many as the server answers in a second: compare what both asked.
    shared = len(first & again) / min(len(first), len(again))
    assert shared > 0.6
    assert len(first & other) / min(len(first), len(other)) < 0.2
