"""Shared fixtures: uploads in a temporary folder, and a real Chromium for browser tests."""

import os
import shutil

import pytest
from django.conf import settings as django_settings
from django.utils import translation

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test uploads into its own folder, removed afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english():
    """A request under /es/ leaves Spanish active in the thread: start and end in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def default_language_between_tests():
    """Each test starts in the default language: a request under /es/ leaves Spanish
    active in the thread, and reverse() in the next test would answer /es/ URLs."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a quarter second per user; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_gc_settling(settings):
    """The test process does not freeze its objects after twenty requests, as a server
    process does (core/memory.py): tests make and drop far more than a server."""
    settings.ASMHUB_GC_SETTLE_AFTER = 0


@pytest.fixture(autouse=True)
def facet_index(settings):
    """Each test starts with no in-memory facet index: a test's data is rolled back behind
    the change log's back, so a view loaded in one test must not serve the next. Reloads
    happen in the request (a background thread would not see the test's transaction)."""
    from resources.search.facetindex import state

    settings.ASMHUB_FACET_INDEX_BACKGROUND = False
    state.process_index().view = None
    yield state.process_index()
    state.process_index().view = None


@pytest.fixture(autouse=True)
def no_fragments_kept():
    """Each test starts with the header and footer to write afresh (the fragment cache is
    kept per process for ever: nothing a server does changes them, where a test may
    change the settings they show)."""
    from django.core.cache import caches

    caches["template_fragments"].clear()


@pytest.fixture(autouse=True)
def nothing_kept_under_the_version():
    """Names and result rows kept under the content version (version.per_version) are
    forgotten between tests: a rolled-back test can leave the version as it found it."""
    from resources.search import fts_columns
    from resources.search.version import forget_kept

    forget_kept()
    fts_columns.forget()
    yield
    forget_kept()
    fts_columns.forget()


@pytest.fixture
def warm_facet_index():
    """A function that brings the process's facet index up to date, as a running server's
    is: query counts pinned per page are the page's own, and the index's own costs (a
    load, a sync) are pinned in test_facetindex.py; on SQLite, the columns read
    (fts_columns.py)."""
    from resources.search.backends import backend
    from resources.search.version import content_version

    def warm():
        backend().warm(content_version())

    return warm


@pytest.fixture
def on_postgres(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")


def missing_tool(tool, package):
    """Skip a test whose tool (a program CI installs) is missing on a laptop; in CI
    (CI=true) a missing tool is a failure, never a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the tests that need {tool}, but it is missing")
    pytest.skip(f"{tool} is not installed (apt-get install {package})")


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright (skips on a laptop without it:
    missing_tool)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        missing_tool(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's database
    # access happens in its own thread, but fixtures touching the ORM here need this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(autouse=True)
def browser_sees_the_stylesheet(request, settings):
    """pytest-django's live server serves static files from the finders, which know
    `hub.css` but not the hashed name the manifest storage writes into pages: without
    this, a browser test sees a page with no stylesheet at all (a 404), so layout and
    colour contrast would go untested."""
    if request.node.get_closest_marker("browser"):
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }


@pytest.fixture
def page(browser):
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def axe_violations(page):
    """WCAG 2.1 A and AA violations axe-core finds on the page."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in result.response["violations"]
    ]


def page_html(client, url):
    """The HTML of the page at url, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# What a reader's browser says it is: the test client sends it, as a browser would, so
# that its requests are counted as people's use (an empty agent is a robot by COUNTER's
# list, and is not counted).
BROWSER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def client():
    """Django's test client, with a browser's User-Agent."""
    from django.test import Client

    return Client(headers={"User-Agent": BROWSER_AGENT})


@pytest.fixture(autouse=True)
def usage_salt():
    """The process already knows today's salt of the usage session hash, as a server does
    after its first counted request of the day: pinned query counts are the page's own."""
    from django.utils import timezone

    from usage.sessions import remember_salt

    remember_salt(timezone.now().date(), "salt-of-the-test-day")


@pytest.fixture(scope="session", autouse=True)
def test_database_dropped_whatever_threads_still_hold(django_db_setup, django_db_blocker):
    """At the end of a run (of each pytest-xdist worker), PostgreSQL refuses to drop the
    test database while a connection a test's thread opened is still there (seen once:
    "being accessed by other users", after every test had passed): end those sessions
    first, as the database is about to go anyway."""
    yield
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connections.close_all()
