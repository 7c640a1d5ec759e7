"""The API's human documentation: Swagger UI at /api/docs/ from the package's own files,
under the site's strict Content-Security-Policy, in a real browser."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_documentation_page_has_no_inline_script_or_style(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)
    assert "cdn" not in html.lower()
    (init,) = re.findall(r'<script src="([^"]*script=[^"]*)"', html)
    script = client.get(init.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:openapi").encode() in script.content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_documentation_shows_every_operation_without_a_csp_error(page, live_server, settings):
    # The live server serves static files by their own names, not the manifest's.
    storage = "django.contrib.staticfiles.storage.StaticFilesStorage"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": storage}}
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + reverse("api:docs"))
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    shown = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/resources/", "/api/resources/{slug}/", "/api/dialogues/", "/api/news/"} <= shown
    # 12 before, and /api/voices/, /api/voices/{id}/, /api/news/, /api/news/{slug}/,
    # /api/usage/resources/, /api/usage/item-report/.
    assert len(shown) == 18
    page.locator(".opblock-summary-path", has_text=re.compile("^/api/resources/$")).click()
    page.wait_for_selector("text=page_size")
    assert page.locator(".parameters-col_name", has_text="year_from").count() == 1
    assert problems == []
