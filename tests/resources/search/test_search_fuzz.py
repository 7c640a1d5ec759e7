"""Any search text, whatever it holds (operators, quotes, a lone "-", accents, markup,
10 kB), answers 200 with its highlights escaped, on both databases."""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PIECES = [
    "gold",
    "mercurio",
    "formalização",
    "Étain",
    "child labour",
    "zebaki",
    " ",
    " ",
    "-",
    '"',
    "or",
    "OR",
    "(",
    ")",
    "*",
    ":",
    "^",
    "{",
    "}",
    "'",
    "\\",
    "&",
    "<",
    ">",
    "<b>",
    "<script>",
    "NEAR",
    "AND",
    "NOT",
    "é",
    "ß",
    "ﬁ",
    "\u0301",
    "\ue000",
    "\u200b",
    "—",
]
QUERY = st.lists(st.sampled_from(PIECES), max_size=30).map("".join) | st.text(max_size=60)
MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


@pytest.fixture
def marked_library():
    theme = ThemeFactory(slug="mercury", name="Mercury <i>")
    ResourceFactory(
        title='<b>Gold</b> & "mercury" <script>alert(1)</script>',
        summary="<img src=x onerror=alert(1)> gold mercurio & formalização étain",
        themes=[theme],
    )
    ResourceFactory(title="Child labour in gold mining", language="fr")


def assert_escaped(body):
    assert "<script>alert" not in body and "<b>Gold</b>" not in body
    assert "<img src=x" not in body and "Mercury <i>" not in body
    assert body.count("<mark>") == body.count("</mark>")
    for marked in MARK.findall(body):
        assert "<" not in marked and ">" not in marked


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=QUERY)
def test_any_search_answers_with_escaped_highlights(client, marked_library, query):
    for url in (reverse("resources:list"), reverse("search")):
        response = client.get(url, {"q": query.replace("\x00", "")})
        assert response.status_code == 200, (url, query)
        assert_escaped(response.content.decode())


@pytest.mark.parametrize(
    "query",
    ["gold " * 2000, '"' * 10_000, "-" * 10_000, "é" * 5000, "gold mercurio", "<b>gold</b>"],
)
def test_long_and_marked_up_searches(client, marked_library, query):
    response = client.get(reverse("resources:list"), {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert_escaped(body)
    if query == "gold mercurio":
        assert "<mark>" in body
