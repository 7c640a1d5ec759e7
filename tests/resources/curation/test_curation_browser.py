"""In a real browser: a partner uploads a PDF and submits it, a curator publishes it, and
it appears in the library. The admin pages must run under the strict CSP."""

import pytest

from tests.conftest import axe_violations
from tests.factories import (
    CuratorFactory,
    OrganisationFactory,
    PartnerFactory,
    ThemeFactory,
)
from tests.resources.curation.test_desk_browser import fill_the_rest
from tests.resources.curation.test_desk_browser import log_in as desk_log_in
from tests.resources.files.test_uploads import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def unhashed_static(settings):
    """The live server serves static files from the apps' folders, not the collected,
    hashed copies: ask templates for the plain names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def log_in(page, live_server, username):
    desk_log_in(page, live_server.url, username)


def log_out(page):
    page.click("#logout-form button")
    page.wait_for_load_state()


def test_partner_uploads_and_submits_curator_publishes(page, live_server, tmp_path):
    org = OrganisationFactory(name="Friends of the Nation")
    PartnerFactory(username="fon", organisation=org)
    CuratorFactory(username="curator")
    ThemeFactory(name="Mercury", slug="mercury")
    pdf = tmp_path / "galamsey-study.pdf"
    pdf.write_bytes(pdf_bytes(3))
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    log_in(page, live_server, "fon")
    page.goto(f"{live_server.url}/admin/resources/resource/add/")
    page.locator("#id_title").press_sequentially("Galamsey and livelihoods in the Western Region")
    # The slug is filled in from the title by the admin's own script.
    assert page.input_value("#id_slug") == "galamsey-and-livelihoods-in-the-western-region"
    page.select_option("#id_resource_type", "report")
    page.fill("#id_year", "2024")
    page.set_input_files("#id_file", str(pdf))
    # Save and submit while incomplete: saved as a draft, with what is missing linked.
    page.click("input[name=_submit]")
    page.wait_for_selector(".messagelist")
    assert "not yet submitted" in page.inner_text(".messagelist")
    page.click(".messagelist a[href='#id_summary']")
    assert page.evaluate("location.hash") == "#id_summary"
    assert "Draft" in page.inner_text("#workflow")
    assert page.input_value("#id_year") == "2024"
    # The rest, then save and submit without saving first: nothing typed is lost.
    page.fill("#id_authors-0-name", "Hilson, Gavin")
    fill_the_rest(page, summary="How galamsey sustains households in the Western Region.")
    page.click("input[name=_submit]")
    page.wait_for_selector(".messagelist")
    assert "submitted for review" in page.inner_text(".messagelist")
    assert "Galamsey and livelihoods" in page.inner_text("#desk-in_review")
    log_out(page)

    log_in(page, live_server, "curator")
    page.goto(f"{live_server.url}/admin/resources/reviewqueueitem/")
    page.click("text=Galamsey and livelihoods in the Western Region")
    page.wait_for_selector("#workflow")
    # The preview is the public page, not indexed; publishing asks first.
    page.click("text=Preview the public page")
    assert page.get_attribute("meta[name=robots]", "content") == "noindex, nofollow"
    assert "Preview: not public" in page.inner_text("main")
    page.click(".preview-banner a.button")
    assert "Hilson, Gavin" in page.inner_text(".goes-public")
    page.click("input[value='Yes, publish it']")
    page.wait_for_selector(".messagelist")
    assert "published" in page.inner_text(".messagelist")
    log_out(page)

    page.goto(f"{live_server.url}/resources/")
    page.click("text=Galamsey and livelihoods in the Western Region")
    assert "Friends of the Nation" in page.inner_text("main")
    assert "3 pages" in page.inner_text(".access")
    with page.expect_download() as download:
        page.click(".access a.button")
    assert download.value.suggested_filename == (
        "galamsey-and-livelihoods-in-the-western-region.pdf"
    )
    assert axe_violations(page) == []
    assert csp_errors == []
