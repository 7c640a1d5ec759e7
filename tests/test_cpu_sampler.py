"""scripts/cpu_sampler.py, which make loadtest reads: the CPU and the memory of a gunicorn
master's workers, measured from /proc."""

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "cpu_sampler.py"

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc"
)


def load():
    spec = importlib.util.spec_from_file_location("cpu_sampler", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_memory_of_a_process_and_of_one_that_has_ended():
    sampler = load()
    rss, pss = sampler.memory_mb(os.getpid())
    assert rss > 10 and 0 < pss <= rss
    assert sampler.memory_mb(2**22 + 12345) is None


def test_a_worker_s_cpu_and_memory_are_reported():
    """A 'master' whose child burns CPU and holds 64 MB: the sampler sees both."""
    master = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            "child = subprocess.Popen([sys.executable, '-c', "
            "'import time\\nb = bytes(range(256)) * 2**18\\nend = time.time() + 3\\n"
            "while time.time() < end: pass'])\n"
            "child.wait()",
        ]
    )
    try:
        time.sleep(0.3)
        sampler = subprocess.Popen(
            [sys.executable, str(SCRIPT), str(master.pid), "no_such_database"],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(2)
        sampler.send_signal(signal.SIGTERM)
        used = json.loads(sampler.communicate(timeout=10)[0])
    finally:
        master.wait(timeout=10)
    assert used["app"] > 0.5
    assert used["database"] == 0
    assert used["worker_rss_mb"] > 64
    assert 0 < used["worker_pss_mb"] <= used["worker_rss_mb"]
