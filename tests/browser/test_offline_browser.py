"""Reading offline in a real Chromium: a reader keeps a resource on a resource's page,
the network goes (Playwright's offline mode, which reaches the service worker too), and
the page comes back from the device with its "offline copy" mark, its file downloads,
and "My offline reading" lists both; the admin, a draft's preview and the private forms
are never stored, signed in or not; with JavaScript off nothing on the pages changes."""

import re

import pytest

from tests.conftest import axe_violations
from tests.factories import PASSWORD, PDF_BYTES, CuratorFactory, ResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every URL any of the service worker's caches holds, as paths.
CACHED_PATHS = """async () => {
  const paths = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
  }
  return paths;
}"""


@pytest.fixture
def resources():
    kept = ResourceFactory(
        title="Mercury use in Ghana's gold fields", slug="mercury-ghana", with_file=True
    )
    other = ResourceFactory(title="Women in Tanzanian gold mining", slug="women-tanzania")
    draft = ResourceFactory(title="A draft not yet public", slug="a-draft", status="draft")
    return kept, other, draft


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, accept_downloads=True)
    try:
        yield context
    finally:
        context.close()


def cached_paths(page):
    return set(page.evaluate(CACHED_PATHS))


def controlled(page, url):
    """Open url and wait until the service worker, registered by the page, controls it."""
    page.goto(url)
    # Evaluated, not polled: wait_for_function's polling needs eval, which the CSP refuses.
    page.evaluate(
        """() => navigator.serviceWorker.controller || new Promise(resolve =>
          navigator.serviceWorker.addEventListener("controllerchange", resolve))"""
    )


def test_a_kept_resource_reads_offline_with_its_file(phone, live_server, resources):
    page = phone.new_page()
    controlled(page, f"{live_server.url}/resources/mercury-ghana/")
    keep = page.get_by_role("button", name="Keep for offline reading")
    assert not page.locator(".offline-mark").is_visible()
    keep.click()
    status = page.locator(".offline-keep [role=status]")
    status.get_by_text("Kept on this device").wait_for()
    assert page.get_by_role("button", name="Remove the offline copy").is_visible()
    assert cached_paths(page) >= {"/resources/mercury-ghana/", "/resources/mercury-ghana/download/"}

    phone.set_offline(True)
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Mercury use in Ghana's gold fields"
    mark = page.locator(".offline-mark")
    assert mark.is_visible()
    assert mark.inner_text().startswith("Offline copy: you are not connected")
    # Still "kept" when read from the device; the page fits the phone and passes axe.
    page.get_by_role("button", name="Remove the offline copy").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    assert axe_violations(page) == []

    # The kept file, with no network: a download of the same bytes.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download")).click()
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PDF_BYTES
    assert download.value.suggested_filename == "mercury-ghana.pdf"

    # A page never visited: the offline list instead, which names what is kept.
    page.goto(f"{live_server.url}/resources/women-tanzania/")
    assert page.get_by_role("heading", level=1).inner_text() == "My offline reading"
    assert page.locator(".offline-mark").is_visible()
    kept = page.locator("section", has=page.get_by_role("heading", name="Kept by you"))
    kept.get_by_role("link", name=re.compile("Mercury use in Ghana")).wait_for()
    assert kept.get_by_role("link", name=re.compile(r"^mercury-ghana\.pdf \(\d")).count() == 1
    assert axe_violations(page) == []


def test_visited_pages_read_offline_and_a_removed_copy_is_gone(phone, live_server, resources):
    page = phone.new_page()
    controlled(page, f"{live_server.url}/resources/mercury-ghana/")
    page.goto(f"{live_server.url}/resources/women-tanzania/")
    page.goto(f"{live_server.url}/es/resources/")
    page.goto(f"{live_server.url}/offline/")
    visited = page.locator("section", has=page.get_by_role("heading", name="Recently visited"))
    visited.get_by_role("link", name=re.compile("Women in Tanzanian gold mining")).wait_for()
    assert not page.locator("#offline-needs-js").is_visible()

    phone.set_offline(True)
    page.goto(f"{live_server.url}/es/resources/")
    assert page.locator(".offline-mark").inner_text().startswith("Copia sin conexión")
    page.goto(f"{live_server.url}/resources/women-tanzania/")
    assert page.get_by_role("heading", level=1).inner_text() == "Women in Tanzanian gold mining"
    assert page.locator(".offline-mark").is_visible()
    # A library search never made online: the offline page in the reader's language.
    page.goto(f"{live_server.url}/fr/resources/?q=mercure")
    assert page.get_by_role("heading", level=1).inner_text() == "Mes lectures hors ligne"

    # Kept, then removed on the offline list: gone from the device.
    phone.set_offline(False)
    page.goto(f"{live_server.url}/resources/mercury-ghana/")
    page.get_by_role("button", name="Keep for offline reading").click()
    page.get_by_role("button", name="Remove the offline copy").wait_for()
    page.goto(f"{live_server.url}/offline/")
    kept = page.locator("section", has=page.get_by_role("heading", name="Kept by you"))
    remove = kept.get_by_role("button", name=re.compile(r"^Remove: mercury-ghana\.pdf"))
    remove.click()
    remove.wait_for(state="detached")
    assert "/resources/mercury-ghana/download/" not in cached_paths(page)


def test_only_the_last_30_pages_visited_are_kept(phone, live_server):
    for number in range(32):
        ResourceFactory(title=f"Visited {number}", slug=f"visited-{number}")
    page = phone.new_page()
    controlled(page, f"{live_server.url}/resources/visited-0/")
    for number in range(32):
        page.goto(f"{live_server.url}/resources/visited-{number}/")
    expected = [f"/resources/visited-{number}/" for number in range(2, 32)]
    for _attempt in range(50):  # the worker stores a page after handing it over
        visited = page.evaluate(
            """async () => (await (await caches.open("asmhub-visited")).keys())
              .map(request => new URL(request.url).pathname)"""
        )
        if visited == expected:
            break
        page.wait_for_timeout(100)
    assert visited == expected


def test_the_admin_and_personal_pages_are_never_kept(phone, live_server, resources):
    CuratorFactory(username="curator")
    page = phone.new_page()
    controlled(page, f"{live_server.url}/resources/mercury-ghana/")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    for path in (
        "/resources/women-tanzania/",  # signed in: a public page is still a public page
        "/admin/resources/resource/",
        "/es/admin/",
        "/resources/a-draft/preview/",
        "/voices/share/",
        "/alerts/subscribe/?q=mercury",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
    page.goto(f"{live_server.url}/offline/")
    paths = cached_paths(page)
    assert "/resources/women-tanzania/" in paths  # the worker was storing all along
    never = re.compile(r"^/(?:[a-z]{2}/)?(?:admin|accounts|alerts|voices/share)|/preview/$")
    assert [path for path in paths if never.search(path)] == []

    phone.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(f"{live_server.url}/admin/")


def test_without_javascript_nothing_changes(browser, live_server, resources):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/resources/mercury-ghana/")
        assert page.locator(".offline-keep").count() == 1
        assert not page.locator(".offline-keep").is_visible()
        assert not page.get_by_role("button", name="Keep for offline reading").is_visible()
        assert not page.locator(".offline-mark").is_visible()
        assert page.get_by_role("link", name=re.compile(r"^Download")).is_visible()
        page.goto(f"{live_server.url}/offline/")
        assert page.locator("#offline-needs-js").is_visible()
        assert not page.locator("#offline-list").is_visible()
        assert context.service_workers == []
    finally:
        context.close()
