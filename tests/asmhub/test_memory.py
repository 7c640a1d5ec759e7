"""A served process moves its long-lived objects out of the garbage collector's sight
(core/memory.py): once in gunicorn's master, once in each process after its first
requests."""

import gc
import runpy
from pathlib import Path

import pytest

from core import memory


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    memory.reset()
    yield
    gc.unfreeze()
    memory.reset()


def test_a_process_freezes_its_objects_once_after_its_first_requests(client, settings, unfrozen):
    settings.ASMHUB_GC_SETTLE_AFTER = 3
    client.get("/healthz")
    client.get("/healthz")
    assert gc.get_freeze_count() == 0

    client.get("/healthz")
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # Django, the app and its modules
    assert len(gc.get_objects()) < frozen / 10

    kept = [[] for _ in range(50)]  # made after settling: the collector still sees them
    client.get("/healthz")
    client.get("/healthz")
    assert gc.get_freeze_count() <= frozen  # frozen objects can still be freed, not added
    assert any(x is kept for x in gc.get_objects())


def test_zero_never_freezes(client, settings, unfrozen):
    settings.ASMHUB_GC_SETTLE_AFTER = 0
    for _ in range(5):
        client.get("/healthz")
    assert gc.get_freeze_count() == 0


def test_gunicorns_master_freezes_before_it_forks(unfrozen, caplog):
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert config["preload_app"]

    class Server:
        log = __import__("logging").getLogger("gunicorn.error")

    with caplog.at_level("INFO", logger="gunicorn.error"):
        config["when_ready"](Server())
    assert gc.get_freeze_count() > 10_000
    assert "objects frozen before the workers fork" in caplog.text


def test_a_final_settling_is_the_last(client, settings, unfrozen):
    settings.ASMHUB_GC_SETTLE_AFTER = 2
    memory.settle(final=True)
    frozen = gc.get_freeze_count()
    kept = [[] for _ in range(50)]
    for _ in range(4):
        client.get("/healthz")
    assert gc.get_freeze_count() <= frozen
    assert any(x is kept for x in gc.get_objects()), "not frozen by a second settling"
