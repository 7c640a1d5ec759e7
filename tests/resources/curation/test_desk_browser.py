"""In a real browser at 1280 and 375 px: the partner's journey through their desk
(add with the completeness check failing, then passing; authors ordered with the up
button; save and submit keeping unsaved edits; take back; resubmit), a curator sending
back with a comment, the partner seeing it and fixing, the curator publishing; axe finds
no WCAG 2.1 A/AA violation on any admin page a partner sees; the mails of each step."""

import pytest

from resources.models import Resource
from tests.conftest import axe_violations
from tests.factories import (
    PASSWORD,
    CuratorFactory,
    OrganisationFactory,
    PartnerFactory,
    ThemeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def fill_the_rest(page, *, summary):
    """Fill in what a submission needs beyond title, type, year, authors and file."""
    page.fill("#id_summary", summary)
    page.check("#id_is_global")
    page.locator(".field-themes .select2-selection").click()
    page.keyboard.type("Merc")
    page.wait_for_selector(".select2-results__option--highlighted")
    page.keyboard.press("Enter")
    page.fill("#id_licence", "CC BY 4.0")


def accessible(page, seen):
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"
    seen.append(page.url)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_partners_journey(browser, live_server, mailoutbox, width):
    base = live_server.url
    org = OrganisationFactory(name="Friends of the Nation")
    PartnerFactory(username="fon", email="fon@example.org", organisation=org)
    CuratorFactory(username="curator", email="curator@example.org")
    ThemeFactory(name="Mercury", slug="mercury")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    seen = []
    try:
        log_in(page, base, "fon")
        assert "Drafts (0)" in page.inner_text("#content-main")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        accessible(page, seen)

        page.click("a.desk-add")
        page.wait_for_selector("#id_title")
        accessible(page, seen)
        page.fill("#id_title", "Galamsey and livelihoods")
        page.select_option("#id_resource_type", "report")
        page.fill("#id_year", "2024")
        page.fill("#id_authors-0-name", "Maconachie, Roy")
        page.click("#authors-group .add-row a")
        page.fill("#id_authors-1-name", "Hilson, Gavin")
        page.locator("#authors-group tr.form-row").nth(1).locator(
            "button.author-move"
        ).first.click()
        page.click("input[name=_submit]")
        page.wait_for_selector(".messagelist")
        assert "not yet submitted" in page.inner_text(".messagelist")
        accessible(page, seen)
        resource = Resource.objects.get(title="Galamsey and livelihoods")
        assert list(resource.authors.values_list("name", flat=True)) == [
            "Hilson, Gavin",
            "Maconachie, Roy",
        ]
        assert resource.status == Resource.Status.DRAFT

        # The rest, typed and submitted without saving first.
        page.fill("#id_external_url", "https://example.org/galamsey")
        fill_the_rest(page, summary="How galamsey sustains households.")
        page.click("input[name=_submit]")
        page.wait_for_selector("#desk-in_review")
        assert "Galamsey and livelihoods" in page.inner_text("#desk-in_review")
        accessible(page, seen)

        # Taken back to fix a typo, then submitted again.
        page.click("#desk-in_review a")
        page.click("button[value=pull_back]")
        page.wait_for_selector(".messagelist")
        assert "draft" in page.inner_text(".messagelist").lower()
        page.fill("#id_summary", "How galamsey sustains households in the Western Region.")
        page.click("input[name=_submit]")
        page.wait_for_selector("#desk-in_review")
        resource.refresh_from_db()
        assert resource.summary.endswith("Western Region.")
        assert resource.status == Resource.Status.IN_REVIEW

        page.goto(f"{base}/resources/{resource.slug}/preview/")
        assert "Preview: not public" in page.inner_text("main")
        accessible(page, seen)
        page.goto(f"{base}/admin/resources/notificationsetting/")
        page.wait_for_selector("#id_language")
        accessible(page, seen)
        page.click("#logout-form button")

        log_in(page, base, "curator")
        assert "Waiting for review: 1" in page.inner_text("#content")
        page.click(".desk-queue a")
        page.fill("#comment-send_back", "Please add the 2019 field data.")
        page.click("button[value=send_back]")
        page.wait_for_selector(".messagelist")
        page.click("#logout-form button")

        log_in(page, base, "fon")
        assert "Please add the 2019 field data." in page.inner_text("#desk-sent_back")
        accessible(page, seen)
        page.click("#desk-sent_back a")
        page.fill("#id_publisher", "IIED")
        page.click("input[name=_submit]")
        page.wait_for_selector("#desk-in_review")
        page.click("#logout-form button")

        log_in(page, base, "curator")
        page.goto(f"{base}/admin/resources/resource/{resource.pk}/publish/")
        page.click("input[value='Yes, publish it']")
        page.wait_for_selector(".messagelist")
        page.goto(f"{base}/resources/")
        assert "Galamsey and livelihoods" in page.inner_text("main")

        mails = [(mail.to[0], mail.subject) for mail in mailoutbox]
        assert mails == [
            ("fon@example.org", "Sent back to you: Galamsey and livelihoods"),
            ("fon@example.org", "Published: Galamsey and livelihoods"),
        ]
        assert len(seen) == 7
    finally:
        context.close()
