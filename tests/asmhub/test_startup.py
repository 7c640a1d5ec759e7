"""What a server process loads before it serves (asmhub/startup.py): in gunicorn's master,
so that a worker's first requests, a recycled worker's too, cost what later ones do."""

import logging
import runpy
from pathlib import Path

import pytest
from django.template import engines

from asmhub import startup

LOG = logging.getLogger("gunicorn.error")


def cached_templates():
    """The names the Django engine's cached loader holds compiled."""
    (loader,) = engines["django"].engine.template_loaders
    return {
        template.origin.template_name
        for template in loader.get_template_cache.values()
        if hasattr(template, "origin")
    }


@pytest.mark.django_db
def test_the_urls_templates_and_caches_are_loaded_without_a_query(
    caplog, django_assert_num_queries
):
    (loader,) = engines["django"].engine.template_loaders
    loader.reset()
    with caplog.at_level("INFO", logger=LOG.name), django_assert_num_queries(0):
        startup.load(LOG)
    assert {"base.html", "resources/resource_list.html"} <= cached_templates()
    assert "URL patterns and" in caplog.text and "does not compile" not in caplog.text


def test_a_template_that_does_not_compile_is_logged_and_the_rest_loaded(settings, tmp_path, caplog):
    (tmp_path / "good.html").write_text("{% if x %}yes{% endif %}")
    (tmp_path / "bad.html").write_text("{% if %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with caplog.at_level("INFO", logger=LOG.name):
        startup.load(LOG)
    assert "good.html" in cached_templates()
    assert f"startup: {tmp_path / 'bad.html'} does not compile" in caplog.text


def test_gunicorns_master_loads_them_before_it_forks(caplog, monkeypatch):
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    loaded = []
    monkeypatch.setattr(startup, "load", loaded.append)
    monkeypatch.setattr("core.memory.settle", lambda: 0)  # test_memory.py tests it

    class Server:
        log = LOG

    config["when_ready"](Server())
    assert loaded == [LOG]
