"""What a result row tells a reader before they tap it: the resource's language, and what
following it costs ("PDF, 2.3 MB" or "external link"); a resource page shows no
download count while it is zero."""

import re

import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape

from resources.listing import listed
from resources.models import Resource
from resources.pictures import version_of
from tests.factories import ResourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def access_line(html, title):
    """The text of the result-access line of the row titled title."""
    row = html.split(f">{title}</a>", 1)[1].split("</li>", 1)[0]
    (line,) = re.findall(r'<p class="result-access">(.*?)</p>', row)
    return line


def test_a_row_names_the_language_and_the_file_format_and_size(client):
    ResourceFactory(title="Gold in Ghana", language="fr", with_file=True)
    pdf = Resource.objects.get(title="Gold in Ghana")
    Resource.objects.filter(pk=pdf.pk).update(file_size=2_400_000)
    ResourceFactory(title="Elsewhere", language="sw")
    html = client.get("/resources/").content.decode()
    assert access_line(html, "Gold in Ghana") == "French · PDF, 2.3\xa0MB"
    assert access_line(html, "Elsewhere") == "Swahili · external link"


def test_a_row_reads_the_same_in_the_readers_language(client):
    ResourceFactory(title="Oro", language="en", with_file=True)
    html = client.get("/es/resources/").content.decode()
    assert access_line(html, "Oro").startswith("Inglés · PDF, ")


def test_rows_and_resources_give_the_same_facts(client):
    """Home and country pages list Resources, the library ListedResources: one line."""
    ResourceFactory(title="Zipped", file=ContentFile(b"PK\x05\x06" + b"\0" * 18, name="d.zip"))
    resource = Resource.objects.get(title="Zipped")
    Resource.objects.filter(pk=resource.pk).update(file_size=None)
    template = Template("{% load library %}{% file_facts r %}|{{ r.language|language_label }}")
    (row,) = listed([resource.pk])
    resource.refresh_from_db()
    assert template.render(Context({"r": row})) == "ZIP|English"
    assert template.render(Context({"r": resource})) == "ZIP|English"
    with translation.override("fr"):
        assert template.render(Context({"r": row})) == "ZIP|Anglais"


def test_the_summary_of_a_row_is_two_lines_in_the_stylesheet(client):
    from django.contrib.staticfiles import finders

    with open(finders.find("css/hub.css")) as handle:
        css = handle.read()
    assert re.search(r"\.result-summary:not\(\.snippet\) \{[^}]*line-clamp: 2", css)


def test_a_zero_download_count_is_not_shown(client):
    # The figures are COUNTER's (usage_reports): shown once there is any use.
    resource = ResourceFactory(with_file=True)
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "Use since publication" not in html
    Resource.objects.filter(pk=resource.pk).update(download_count=1234)
    html = client.get(resource.get_absolute_url()).content.decode()
    # The figure written as the reader's language writes numbers.
    assert "Use since publication" in html and "1,234 downloads" in html


# The row as the template language wrote it, before one Python call wrote a page's rows
# (resources/templatetags/library.py, result_rows): the same bytes are expected.
ROW_TEMPLATE = """{% load i18n library %}<li class="result">
  {% thumbnail resource %}
  <h3 class="result-title"><a href="{{ resource.get_absolute_url }}">{% firstof resource.marked_title resource.title %}</a></h3>
  <p class="result-meta">
    {% author_list resource.author_names %}{% if resource.author_names %} · {% endif %}{{ resource.year }} · {{ resource.type_label }}{% if resource.publisher %} · {{ resource.publisher }}{% endif %}
  </p>
  <p class="result-access">{% file_facts resource as facts %}{{ resource.language|language_label }}{% if facts %} · {{ facts }}{% endif %}</p>
  {% if resource.snippet %}<p class="result-summary snippet">{{ resource.snippet }}</p>{% elif resource.summary %}<p class="result-summary">{{ resource.summary|truncatewords:40 }}</p>{% endif %}
  <p class="result-tags">
    {% for name in resource.country_names %}<span class="pill">{{ name }}</span> {% empty %}<span class="pill">{% translate "Global" %}</span> {% endfor %}
    {% for name in resource.theme_names %}<span class="pill pill-theme">{% if name in resource.matched_themes %}<mark>{{ name }}</mark>{% else %}{{ name }}{% endif %}</span> {% endfor %}
  </p>
</li>
"""  # noqa: E501


@pytest.mark.parametrize("language", ["en", "es", "sw"])
def test_rows_are_written_as_the_row_template_wrote_them(language):
    from django.utils.safestring import mark_safe

    from resources.templatetags.library import result_rows
    from tests.factories import CountryFactory, ThemeFactory

    ghana, peru = CountryFactory(code="GH"), CountryFactory(code="PE")
    theme = ThemeFactory(name="Mercury & <health>")
    ResourceFactory(
        title='Gold & "mercury" <b>',
        summary="word " * 60,
        publisher="O'Brien & Co",
        countries=[ghana, peru],
        themes=[theme],
        authors=["Ana María", "B. Smith", "C. Jones", "D. Brown"],
        with_file=True,
    )
    ResourceFactory(title="No summary", summary="", year=None, external_url="https://x.org/")
    ResourceFactory(title="Plain", language="es", authors=["Únic Author"])
    pictured = Resource.objects.get(publisher="O'Brien & Co")
    Resource.objects.filter(pk=pictured.pk).update(
        thumbnail="p.thumb.webp",
        thumbnail_source=pictured.file.name,
        thumbnail_width=160,
        thumbnail_height=227,
    )
    resources = list(Resource.objects.for_listing().order_by("pk"))
    rows = listed([r.pk for r in resources])
    rows[0].snippet = mark_safe("a <mark>gold</mark> snippet &amp; more")
    rows[0].marked_title = mark_safe("<mark>Gold</mark> &amp; more")
    rows[0].matched_themes = ["Mercury & <health>"]
    template = Template(ROW_TEMPLATE)
    with translation.override(language):
        for each in (rows, resources):
            expected = "".join(template.render(Context({"resource": r})) for r in each)
            assert result_rows(each) == expected
        alt = translation.gettext("First page of “%(title)s”") % {"title": rows[0].title}
        assert (
            f'<img class="thumbnail" src="/thumbnails/{rows[0].slug}.webp?v=" width="80"'
            f' height="113" alt="{escape(alt)}" loading="lazy" decoding="async">'
        ).replace('?v="', f'?v={version_of("p.thumb.webp")}"') in result_rows(rows)


class CountedReads:
    """A stand-in for one of Django's asgiref Locals that counts the reads of it."""

    def __init__(self, local, counts):
        object.__setattr__(self, "_local", local)
        object.__setattr__(self, "_counts", counts)

    def __getattr__(self, name):
        self._counts.append(name)
        return getattr(self._local, name)

    def __setattr__(self, name, value):
        setattr(self._local, name, value)

    def __delattr__(self, name):
        delattr(self._local, name)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_list_reads_the_language_and_url_prefix_once_whatever_its_length(monkeypatch, language):
    """The active language, URL configuration and script prefix are read through asgiref's
    Local and its lock, which a worker's threads contend for (docs/performance.md): a
    list of rows reads them once for the list, not once or more for each row."""
    from django.urls import base as urls_base
    from django.utils.translation import trans_real

    from resources.templatetags.library import result_rows
    from tests.factories import CountryFactory

    ghana = CountryFactory(code="GH")
    for n in range(6):
        ResourceFactory(
            title=f"Row {n}", year=2000 + n, countries=[ghana] if n % 2 else [], with_file=n < 3
        )
    first = Resource.objects.filter(file__gt="").order_by("pk").first()
    Resource.objects.filter(file__gt="").update(
        thumbnail="t.thumb.webp",
        thumbnail_source=first.file.name,
        file=first.file.name,
        thumbnail_width=160,
        thumbnail_height=227,
    )
    rows = listed(list(Resource.objects.order_by("pk").values_list("pk", flat=True)))
    reads = []
    with translation.override(language):
        result_rows(rows)  # what is kept per language and number, kept
        for name in ("_active",):
            monkeypatch.setattr(trans_real, name, CountedReads(getattr(trans_real, name), reads))
        for name in ("_urlconfs", "_prefixes"):
            monkeypatch.setattr(urls_base, name, CountedReads(getattr(urls_base, name), reads))
        html = result_rows(rows[:1])
        one = len(reads)
        reads.clear()
        html = result_rows(rows)
    assert html.count('class="thumbnail"') == 3 and html.count("<li") == 6
    assert 0 < len(reads) == one
