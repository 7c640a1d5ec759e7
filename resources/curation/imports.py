"""Bulk import and export of resources in the library's CSV column layout (csvformat.py).

The import is all or nothing: every row is checked and applied inside one transaction,
which is rolled back when any row is refused or when it is a dry run, so the report of a
dry run says exactly what a real run would do. A row matches an existing resource on an
identifier (DOI, ISBN, publisher code), else on title and year; running the same file
again changes nothing, and writes no new history.
"""

import csv
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django_countries import countries as iso_countries

from resources.curation.csvformat import (
    COLUMNS,
    TRANSLATED_LANGUAGES,
    TRANSLATION_COLUMNS,
    TYPE_ALIASES,
    format_identifiers,
    parse_authors,
    parse_identifiers,
    split_list,
)
from resources.models import (
    LANGUAGE_CHOICES,
    MAX_YEAR,
    MIN_YEAR,
    Commodity,
    Country,
    Resource,
    ResourceAuthor,
    Theme,
    unique_slug,
    validate_doi,
)

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SCALAR_FIELDS = [
    "title",
    "year",
    "publisher",
    "resource_type",
    "language",
    "external_url",
    "source_note",
    "doi",
    "isbn",
    "publisher_code",
]
MAX_LENGTHS = {
    name: Resource._meta.get_field(name).max_length
    for name in ("title", "publisher", "external_url", "doi", "isbn", "publisher_code")
}


@dataclass
class RowResult:
    line: int
    title: str
    action: str
    errors: list = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)

    @property
    def errors(self):
        """Every problem, each naming its line."""
        lines = list(self.file_errors)
        for row in self.rows:
            lines += [
                _("line %(line)s: %(error)s") % {"line": row.line, "error": e} for e in row.errors
            ]
        return lines

    @property
    def ok(self):
        return not self.errors

    @property
    def applied(self):
        return self.ok and not self.dry_run

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {action: self.count(action) for action in (CREATED, UPDATED, UNCHANGED, REFUSED)}


def _unescape(value):
    """Undo the export's guard against spreadsheet formulas ('=… → =…)."""
    value = (value or "").strip()
    if value.startswith("'") and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def _escape(value):
    """Spreadsheets run a cell starting with = + - @ as a formula: quote it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Vocabularies:
    """The controlled vocabularies, read once per import."""

    def __init__(self):
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.commodities = {c.slug: c for c in Commodity.objects.all()}
        self.types = {value for value, _label in Resource.Type.choices}
        self.languages = {code for code, _label in LANGUAGE_CHOICES}
        self.iso = {code for code, _name in iso_countries}


def _read_row(raw, vocab):
    """Check one row; return (desired values, errors)."""
    errors = []
    values = {}
    title = raw["title"]
    if not title:
        errors.append(_("the title is empty"))
    values["title"] = title
    year = raw["year"]
    values["year"] = None
    if year:
        try:
            values["year"] = int(year)
        except ValueError:
            errors.append(_("the year %(year)r is not a number") % {"year": year})
        else:
            if not MIN_YEAR <= values["year"] <= MAX_YEAR:
                errors.append(_("the year %(year)s is out of range") % {"year": year})
    values["publisher"] = raw["publisher"]
    kind = TYPE_ALIASES.get(raw["resource_type"], raw["resource_type"])
    if kind not in vocab.types:
        errors.append(_("unknown type %(type)r") % {"type": raw["resource_type"]})
    values["resource_type"] = kind
    language = raw["language"] or "en"
    if language not in vocab.languages:
        errors.append(_("unknown language %(language)r") % {"language": language})
    values["language"] = language
    url = raw["url"]
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            errors.append(_("the URL %(url)r is not valid") % {"url": url})
    values["external_url"] = url
    values["source_note"] = raw["source_note"]
    values.update(parse_identifiers(raw["identifier"]))
    if values["doi"]:
        try:
            validate_doi(values["doi"])
        except ValidationError:
            errors.append(_("the DOI %(doi)r is not valid") % {"doi": values["doi"]})
    for name, limit in MAX_LENGTHS.items():
        if len(values[name] or "") > limit:
            errors.append(
                _("the %(field)s is longer than %(limit)s characters")
                % {
                    "field": Resource._meta.get_field(name).verbose_name,
                    "limit": limit,
                }
            )

    codes = [code.upper() for code in split_list(raw["countries"])]
    unknown = [code for code in codes if code not in vocab.iso]
    if unknown:
        errors.append(_("unknown countries: %(codes)s") % {"codes": ", ".join(unknown)})
    values["countries"] = sorted(set(codes))
    for name, known in (("themes", vocab.themes), ("commodities", vocab.commodities)):
        slugs = split_list(raw[name])
        missing = [slug for slug in slugs if slug not in known]
        if missing:
            errors.append(
                _("unknown %(vocabulary)s: %(slugs)s")
                % {"vocabulary": name, "slugs": ", ".join(missing)}
            )
        values[name] = sorted(set(slugs))
    values["authors"] = parse_authors(raw["authors"])
    for name, _org in values["authors"]:
        if len(name) > 200:
            errors.append(_("an author's name is longer than 200 characters"))
    values["translations"] = _read_translations(raw, values["language"], errors)
    return values, errors


def _read_translations(raw, language, errors):
    """[(code, title, summary)] from the title_xx and summary_xx columns, or None when
    the file has none of them (the resource's translations are then left alone)."""
    if not any(name in raw for name in TRANSLATION_COLUMNS):
        return None
    translations = []
    for code in TRANSLATED_LANGUAGES:
        title, summary = raw.get(f"title_{code}", ""), raw.get(f"summary_{code}", "")
        if not (title or summary):
            continue
        if code == language:
            errors.append(
                _("title_%(code)s: this is the resource's own language; use the title column")
                % {"code": code}
            )
        elif not title:
            errors.append(_("summary_%(code)s needs a title_%(code)s beside it") % {"code": code})
        elif len(title) > MAX_LENGTHS["title"]:
            errors.append(
                _("title_%(code)s is longer than %(max)s characters")
                % {"code": code, "max": MAX_LENGTHS["title"]}
            )
        translations.append((code, title, summary))
    return translations


def _match(values):
    """The existing resource a row means: by identifier, else by title and year."""
    by_identifier = Q()
    for name in ("doi", "isbn", "publisher_code"):
        if values[name]:
            by_identifier |= Q(**{name: values[name]})
    if by_identifier:
        found = list(Resource.objects.filter(by_identifier)[:2])
    else:
        found = list(Resource.objects.filter(title=values["title"], year=values["year"])[:2])
    if len(found) > 1:
        raise ValidationError(_("it matches more than one resource; make its identifier unique"))
    return found[0] if found else None


def _current(resource, values):
    state = {name: getattr(resource, name) for name in SCALAR_FIELDS}
    state["translations"] = None
    if values["translations"] is not None:
        state["translations"] = [
            (t.language, t.title, t.summary) for t in resource.translations.order_by("language")
        ]
    state["countries"] = sorted(c.code for c in resource.countries.all())
    state["themes"] = sorted(t.slug for t in resource.themes.all())
    state["commodities"] = sorted(c.slug for c in resource.commodities.all())
    state["authors"] = [(a.name, a.is_organisation) for a in resource.authors.all()]
    return state


def _apply(resource, values, vocab, user, before_save):
    for name in SCALAR_FIELDS:
        setattr(resource, name, values[name])
    if not resource.slug:
        resource.slug = unique_slug(Resource, resource.title)
    if user is not None:
        resource.updated_by = user
        resource._history_user = user
        if resource.pk is None:
            resource.created_by = user
    if before_save:
        before_save(resource, values)
    resource.full_clean(exclude=["slug", "file"], validate_unique=False)
    resource.save()
    for code in values["countries"]:
        Country.objects.get_or_create(code=code)
    resource.countries.set(values["countries"])
    resource.themes.set([vocab.themes[slug] for slug in values["themes"]])
    resource.commodities.set([vocab.commodities[slug] for slug in values["commodities"]])
    authors = [(a.name, a.is_organisation) for a in resource.authors.all()]
    if authors != values["authors"]:
        resource.authors.all().delete()
        ResourceAuthor.objects.bulk_create(
            ResourceAuthor(resource=resource, position=i, name=name, is_organisation=org)
            for i, (name, org) in enumerate(values["authors"])
        )
    if values["translations"] is not None:
        kept = [code for code, _title, _summary in values["translations"]]
        resource.translations.exclude(language__in=kept).delete()
        existing = {t.language: t for t in resource.translations.all()}
        for code, title, summary in values["translations"]:
            translation = existing.get(code) or resource.translations.model(
                resource=resource, language=code
            )
            if translation.pk is None or (translation.title, translation.summary) != (
                title,
                summary,
            ):
                translation.title, translation.summary = title, summary
                translation.save()


def import_csv(lines, *, dry_run=False, user=None, status=Resource.Status.DRAFT, before_save=None):
    """Import rows of CSV text (an iterable of lines) in the library's column layout.

    New resources get status (draft by default; load_demo publishes); an existing
    resource keeps its status and owner. before_save(resource, values), if given, may
    complete a resource before it is saved (the demo loader attaches its PDFs)."""
    report = ImportReport(dry_run=dry_run)
    reader = csv.reader(lines)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        report.file_errors.append(_("line 1: the file is empty"))
        return report
    except csv.Error as error:
        report.file_errors.append(_("line 1: %(error)s") % {"error": error})
        return report
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        report.file_errors.append(
            _("line 1: missing columns: %(columns)s") % {"columns": ", ".join(missing)}
        )
        return report
    vocab = _Vocabularies()
    with transaction.atomic():
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                report.rows.append(RowResult(line, "", REFUSED, [str(error)]))
                break
            if not any(cell.strip() for cell in cells):
                continue
            raw = {
                name: _unescape(cells[i]) if i < len(cells) else "" for i, name in enumerate(header)
            }
            report.rows.append(_import_row(line, raw, vocab, user, status, before_save))
        if not report.ok or dry_run:
            transaction.set_rollback(True)
    return report


def _import_row(line, raw, vocab, user, status, before_save):
    values, errors = _read_row(raw, vocab)
    result = RowResult(line, values["title"], REFUSED, errors)
    if errors:
        return result
    try:
        resource = _match(values)
        if resource is not None:
            if _current(resource, values) == values:
                result.action = UNCHANGED
                return result
            result.action = UPDATED
        else:
            resource = Resource(status=status)
            result.action = CREATED
        with transaction.atomic():
            _apply(resource, values, vocab, user, before_save)
    except ValidationError as error:
        result.action = REFUSED
        result.errors = [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in getattr(
                error, "message_dict", {"__all__": error.messages}
            ).items()
            for message in messages
        ]
    return result


def export_rows(queryset):
    """The rows of queryset in the import's column layout, authors in order."""
    queryset = queryset.prefetch_related(
        Prefetch("authors", queryset=ResourceAuthor.objects.order_by("position", "pk")),
        "countries",
        "themes",
        "commodities",
        "translations",
    ).order_by("pk")
    for resource in queryset:
        translated = {t.language: t for t in resource.translations.all()}
        yield {
            **{
                f"{field}_{code}": getattr(translated[code], field) if code in translated else ""
                for code in TRANSLATED_LANGUAGES
                for field in ("title", "summary")
            },
            "title": resource.title,
            "authors": "; ".join(author.name for author in resource.authors.all()),
            "year": resource.year or "",
            "publisher": resource.publisher,
            "resource_type": resource.resource_type,
            "countries": ";".join(sorted(c.code for c in resource.countries.all())),
            "commodities": ";".join(sorted(c.slug for c in resource.commodities.all())),
            "themes": ";".join(sorted(t.slug for t in resource.themes.all())),
            "language": resource.language,
            "url": resource.external_url,
            "identifier": format_identifiers(
                doi=resource.doi, isbn=resource.isbn, publisher_code=resource.publisher_code
            ),
            "source_note": resource.source_note,
        }


def export_csv(queryset, stream):
    """Write queryset to stream as CSV: the same columns the import reads."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS + TRANSLATION_COLUMNS)
    writer.writeheader()
    for row in export_rows(queryset):
        writer.writerow({name: _escape(value) for name, value in row.items()})
