"""The discovery parts people see (the Cite block, the follow links, the alert pages) in a
real Chromium: no WCAG 2.1 A/AA violations, and the subscription works without JavaScript."""

import pytest
from django.urls import reverse

from tests.conftest import axe_violations
from tests.factories import CountryFactory, ResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resource():
    return ResourceFactory(
        with_file=True,
        title="Mercury in Ghana",
        countries=[CountryFactory(code="GH")],
        authors=["Hilson, Gavin", "IIED"],
    )


def test_detail_page_with_its_cite_block_is_accessible(live_server, page, resource):
    page.goto(live_server.url + resource.get_absolute_url())
    assert page.locator("h2#cite-heading").inner_text() == "Cite"
    assert "Hilson, G., & IIED. (2020)." in page.locator("blockquote.reference").inner_text()
    assert axe_violations(page) == []


def test_library_follow_links_are_accessible(live_server, page, resource):
    page.goto(live_server.url + reverse("resources:list") + "?country=gh")
    assert page.get_by_role("link", name="Feed of this search").get_attribute("href") == (
        reverse("feeds:resources") + "?country=gh"
    )
    assert axe_violations(page) == []


def test_subscribing_works_without_javascript(live_server, browser, settings, resource):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("resources:list") + "?country=gh")
        page.get_by_role("link", name="E-mail alert for this search").click()
        assert "country: gh" in page.locator("main").inner_text()
        page.get_by_label("Your e-mail address").fill("reader@example.org")
        page.get_by_label("Daily").check()
        page.get_by_role("button", name="Send me the confirmation link").click()
        assert page.locator("h1").inner_text() == "Check your inbox"
    finally:
        context.close()


def test_subscribe_page_is_accessible(live_server, page):
    page.goto(live_server.url + reverse("alerts:subscribe") + "?q=gold")
    # axe-core runs as JavaScript in the page, so this check needs a context with it.
    assert axe_violations(page) == []
