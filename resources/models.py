"""The library: countries, organisations, vocabularies and the resources themselves."""

import mimetypes
import os
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries import countries as iso_countries
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from resources import labels
from resources.files.images import LogoField
from resources.files.uploads import validate_upload
from resources.querysets import ResourceQuerySet

# Fields kept up to date by the system, not edited by people (see Resource.save).
BOOKKEEPING_FIELDS = {"download_count", "full_text", "search_vector", "file_size", "page_count"}

MIN_YEAR = 1900
MAX_YEAR = 2100

# "10." and a registrant code of four to nine digits (sub-codes after dots), "/" and a
# suffix (DOI Handbook 2.2; Crossref's recommended pattern, with any printable suffix).
DOI_RE = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")


def validate_doi(value):
    """Refuse what is not a bare DOI, such as 10.1234/abc-123: a prefix (doi:, a URL), a
    space, a line break or a character that does not print."""
    if not DOI_RE.fullmatch(value) or not value.isprintable():
        raise ValidationError(
            _("Enter a DOI such as 10.1234/abc-123, without “doi:” or https://doi.org/."),
            code="invalid_doi",
        )


LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("sw", _("Swahili")),
    ("am", _("Amharic")),
    ("mg", _("Malagasy")),
    ("hi", _("Hindi")),
    ("zh", _("Chinese")),
    ("id", _("Indonesian")),
    ("other", _("Other")),
]


class Country(models.Model):
    """A country, keyed by its ISO 3166-1 alpha-2 code, with headline ASM figures."""

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        primary_key=True,
        choices=list(iso_countries),
        help_text=_("ISO 3166-1 alpha-2 code, e.g. GH."),
    )
    region = models.CharField(_("region"), max_length=80, blank=True)
    is_programme_country = models.BooleanField(_("programme country"), default=False)
    est_asm_miners = models.PositiveBigIntegerField(
        _("estimated ASM miners"), null=True, blank=True
    )
    est_asm_miners_low = models.PositiveBigIntegerField(
        _("estimate, low end"), null=True, blank=True
    )
    est_asm_miners_high = models.PositiveBigIntegerField(
        _("estimate, high end"), null=True, blank=True
    )
    figures_year = models.PositiveSmallIntegerField(_("year of the figures"), null=True, blank=True)
    figures_source = models.TextField(_("source of the figures"), blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"),
                name="country_code_upper_alpha2",
            ),
        ]

    def __str__(self):
        return str(self.name)

    def get_absolute_url(self):
        return reverse("country-detail", args=[self.slug])

    @property
    def name(self):
        return labels.country_name(self.code)

    @property
    def slug(self):
        return self.code.lower()

    def clean(self):
        self.code = (self.code or "").upper()
        if self.code not in dict(iso_countries):
            raise ValidationError({"code": _("Not an ISO 3166-1 alpha-2 country code.")})


class Organisation(models.Model):
    """A government body, company, NGO, research institute or other organisation."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        ASM_ORGANISATION = "asm", _("ASM organisation")
        LARGE_SCALE_MINING = "lsm", _("Large-scale mining")
        CIVIL_SOCIETY = "ngo", _("NGO / civil society")
        RESEARCH = "research", _("Research")
        DONOR = "donor", _("Donor")
        INTERNATIONAL = "international", _("International initiative")
        BUYER = "buyer", _("Buyer / refiner")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    logo = LogoField(  # checked by content, stripped of metadata, resized (files/images.py)
        _("logo"), blank=True, width_field="logo_width", height_field="logo_height"
    )
    logo_width = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.acronym or self.name)[:200]
        super().save(*args, **kwargs)


class Vocabulary(models.Model):
    """A term of a controlled vocabulary, with a stable slug used in URLs."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Theme(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Commodity(Vocabulary):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader commodity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("e.g. 'development minerals' over sand and gravel."),
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A commodity cannot sit under itself.")})
            ancestor = ancestor.parent


def safe_extension(filename):
    """The lower-cased extension of filename if it is one we keep, else nothing."""
    extension = os.path.splitext(filename or "")[1].lower()
    return extension if extension[1:].isalnum() and len(extension) <= 6 else ""


def content_type_of(filename):
    """The media type a file's name gives, else application/octet-stream."""
    guessed, _encoding = mimetypes.guess_type(filename) if filename else (None, None)
    return guessed or "application/octet-stream"


def resource_upload_to(instance, filename):
    """Files live under a path the uploader cannot choose:
    resources/<year>/<slug>-<random>.<ext>. The random part means a replacement never
    overwrites the earlier file, which stays in storage as a previous version."""
    token = secrets.token_hex(4)
    return (
        f"resources/{instance.year or 'undated'}/{instance.slug}-{token}{safe_extension(filename)}"
    )


class ResultFields:
    """What a result list reads of a resource besides its columns, the same whether it is
    a Resource or a ListedResource (listing.py): one template lists either. Needs slug,
    resource_type and country_codes."""

    __slots__ = ()

    def get_absolute_url(self):
        return reverse("resources:detail", args=[self.slug])

    @property
    def type_label(self):
        return labels.type_label(self.resource_type)

    @property
    def country_names(self):
        return [labels.country_name(code) for code in self.country_codes]


class StoredFileFacts:
    """What Resource and ResourceFile derive alike from the file they hold: its size and
    page count (kept in their columns by save()), its extension, media type and download
    name. Needs file, file_size, page_count and download_stem (the download's name
    without its extension)."""

    __slots__ = ()

    def update_file_facts(self):
        """Size and page count of a newly attached file, and the size of a stored file
        whose size is not known yet."""
        new_file = self.file and not getattr(self.file, "_committed", True)
        if self.file and (new_file or self.file_size is None):
            try:
                self.file_size = self.file.size
            except OSError:
                self.file_size = None
            if new_file:
                self.page_count = pdf_page_count(self.file)

    @property
    def file_name(self):
        """A clean name for the downloaded file: its stem and the stored extension."""
        return f"{self.download_stem}{safe_extension(self.file.name)}"

    @property
    def file_extension(self):
        return safe_extension(self.file.name).lstrip(".").upper()

    @property
    def content_type(self):
        return content_type_of(self.file.name)


class Resource(StoredFileFacts, ResultFields, models.Model):
    """A publication or other item in the library."""

    class Type(models.TextChoices):
        REPORT = "report", _("Report")
        POLICY_BRIEF = "policy_brief", _("Policy brief")
        WORKING_PAPER = "working_paper", _("Working paper")
        TOOLKIT = "toolkit", _("Toolkit / guidance")
        CASE_STUDY = "case_study", _("Case study")
        LAW_POLICY = "law_policy", _("Law or policy")
        DATASET = "dataset", _("Dataset")
        ARTICLE = "article", _("Article")
        BOOK = "book", _("Book")
        PRESENTATION = "presentation", _("Presentation")
        VIDEO = "video", _("Video")
        OUTLOOK = "outlook", _("Outlook report")
        DIALOGUE_SUMMARY = "dialogue_summary", _("Dialogue summary")
        BLOG = "blog", _("Blog or news")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=400)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Leave empty when the source gives none.")
    )
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Full date, if known."))
    resource_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="en")
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("countries"),
        blank=True,
        related_name="resources",
        help_text=_("Leave empty for a global resource."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="resources"
    )
    commodities = models.ManyToManyField(
        Commodity, verbose_name=_("commodities"), blank=True, related_name="resources"
    )
    tags = TaggableManager(verbose_name=_("tags"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to=resource_upload_to,
        max_length=300,
        blank=True,
        validators=[validate_upload],
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, EPUB, PNG, JPEG, or a "
            "ZIP of those."
        ),
    )
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    # The first page as a small WebP (resources/curation/thumbnails.py), and the file it was
    # made from: a thumbnail whose source is not the current file is stale.
    thumbnail = models.CharField(_("thumbnail"), max_length=320, blank=True, editable=False)
    thumbnail_source = models.CharField(max_length=300, blank=True, editable=False)
    thumbnail_width = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    external_url = models.URLField(_("external URL"), max_length=500, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[validate_doi])
    isbn = models.CharField(_("ISBN"), max_length=40, blank=True)
    publisher_code = models.CharField(
        _("publisher code"), max_length=200, blank=True, help_text=_("e.g. 16618IIED")
    )
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    is_open_access = models.BooleanField(_("open access"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_resources",
    )
    is_featured = models.BooleanField(_("featured"), default=False, editable=False)
    withdrawal_note = models.TextField(
        _("withdrawal note"),
        blank=True,
        editable=False,
        help_text=_("Shown publicly on the page of a withdrawn resource."),
    )
    edit_version = models.PositiveIntegerField(
        _("edit version"),
        default=0,
        editable=False,
        help_text=_(
            "Counts saves, so that two people editing at once cannot overwrite each other's change."
        ),
    )
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    source_note = models.TextField(
        _("cataloguing note"),
        blank=True,
        help_text=_("Where this record's metadata came from; not shown publicly."),
    )
    is_demo = models.BooleanField(
        _("demo record"),
        default=False,
        help_text=_("Made up for the demo data set; not a real publication."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    full_text = models.TextField(_("extracted text"), blank=True, editable=False)

    objects = ResourceQuerySet.as_manager()
    # Tags (django-taggit) are not in the history: simple-history cannot follow them.
    HISTORY_M2M_FIELDS = ["countries", "themes", "commodities"]
    history = HistoricalRecords(
        m2m_fields=[countries, themes, commodities],
        excluded_fields=["download_count", "full_text", "edit_version"],
    )

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        permissions = [
            ("submit_resource", _("Can submit a resource for review")),
            ("publish_resource", _("Can publish, send back and withdraw resources")),
            ("feature_resource", _("Can feature resources")),
            ("import_resource", _("Can import and export resources in bulk")),
            ("view_previous_file", _("Can download previous versions of files")),
        ]
        ordering = [models.F("year").desc(nulls_last=True), "title"]
        indexes = [
            models.Index(fields=["status", "year"], name="resource_status_year"),
            # The Atom feed: the newest published first, read from the index, not sorted.
            models.Index(
                models.F("published_at").desc(),
                models.F("id").desc(),
                condition=models.Q(status="published"),
                name="resource_published_newest",
            ),
            # OAI-PMH lists in datestamp order; the status columns make counting the
            # harvestable records an index-only scan.
            models.Index(
                fields=["updated_at", "id"],
                include=["status", "published_at"],
                name="resource_updated",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True)
                | models.Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="resource_year_in_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | ~models.Q(file="")
                | ~models.Q(external_url=""),
                name="resource_published_has_file_or_url",
                violation_error_message=_("A published resource needs a file or an external URL."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Resource, self.title)
        self.update_file_facts()
        # The words of a file are read where it is attached (services.file_extract_text);
        # without a file there are none.
        if not self.file:
            self.full_text = ""
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        # Every edit counts, so an edit form opened before another save can tell; saves
        # of bookkeeping alone (counters, extracted text) are not edits.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not set(update_fields) <= BOOKKEEPING_FIELDS:
            self.edit_version = (self.edit_version or 0) + 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "edit_version"}
        super().save(*args, **kwargs)

    # What a result list shows (ResultFields), from the prefetched relations of
    # for_listing(); a ListedResource (listing.py) holds the same as plain lists.

    @property
    def author_names(self):
        return [author.name for author in self.authors.all()]

    @property
    def country_codes(self):
        return [country.code for country in self.countries.all()]

    @property
    def theme_names(self):
        return [theme.name for theme in self.themes.all()]

    def listed_tags(self):
        """The resource's tags: the list with_tag_lists() read, else from its manager."""
        tags = getattr(self, "tag_list", None)
        return tags if tags is not None else list(self.tags.all())

    def get_download_url(self):
        return reverse("resources:download", args=[self.slug])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_withdrawn(self):
        return self.status == self.Status.WITHDRAWN

    @property
    def was_ever_published(self):
        """Once published, a resource is part of the record: withdrawn, never deleted."""
        return self.published_at is not None

    @property
    def download_stem(self):
        return self.slug

    def clean(self):
        errors = {}
        if self.year is not None and not MIN_YEAR <= self.year <= MAX_YEAR:
            errors["year"] = _("Give a year between %(min)s and %(max)s.") % {
                "min": MIN_YEAR,
                "max": MAX_YEAR,
            }
        if self.date and self.year and self.date.year != self.year:
            errors["date"] = _("The date must fall in the resource's year.")
        if self.status == self.Status.PUBLISHED and not self.file and not self.external_url:
            errors["file"] = _("A published resource needs a file or an external URL.")
        if errors:
            raise ValidationError(errors)


class ResourceAuthor(models.Model):
    """One author of a resource, in order: a person ("Family, Given") or an organisation."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(
        _("name"), max_length=200, help_text=_('A person as "Family, Given", or an organisation.')
    )
    is_organisation = models.BooleanField(_("organisation"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["resource", "position", "pk"]

    def __str__(self):
        return self.name

    @property
    def family_name(self):
        if self.is_organisation:
            return self.name
        return self.name.split(",", 1)[0].strip()

    @property
    def given_names(self):
        if self.is_organisation or "," not in self.name:
            return ""
        return self.name.split(",", 1)[1].strip()


def unique_slug(model, text, max_length=200):
    """A slug for text that no row of model uses yet (suffixes -2, -3… on clashes)."""
    base = slugify(text)[: max_length - 6].strip("-") or "item"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class Subscription(models.Model):
    """An e-mail alert on a library search, without an account: double opt-in, then a
    daily or weekly digest of resources published since the last one."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    email = models.EmailField(_("e-mail address"))
    query = models.CharField(
        _("search"),
        max_length=1000,
        blank=True,
        help_text=_("The library's filters and search words as a canonical query string."),
    )
    frequency = models.CharField(
        _("frequency"), max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        default="en",
        help_text=_("The interface language the alert was asked in; its mails are written in it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("confirmation mailed"),
        null=True,
        blank=True,
        help_text=_("When the last confirmation link was queued for this address and search."),
    )
    sent_until = models.DateTimeField(
        _("covered until"),
        null=True,
        blank=True,
        help_text=_("Resources published up to this moment have been mailed or predate it."),
    )
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail alert")
        verbose_name_plural = _("e-mail alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "query"], name="subscription_unique_search"),
        ]

    def __str__(self):
        return f"{self.email}: {self.query or _('all new resources')}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


def pdf_page_count(field_file):
    """The page count of a PDF file, or None when it is no PDF or cannot be read."""
    if safe_extension(field_file.name) != ".pdf":
        return None
    from resources.files.uploads import inspect_pdf

    return inspect_pdf(field_file).page_count


def language_version_upload_to(instance, filename):
    """resources/<year>/<slug>.<language>-<random>.<ext>: not chosen by the uploader."""
    resource = instance.resource
    token = secrets.token_hex(4)
    return (
        f"resources/{resource.year or 'undated'}/{resource.slug}.{instance.language}-{token}"
        f"{safe_extension(filename)}"
    )


class ResourceFile(StoredFileFacts, models.Model):
    """A language version of a resource's file (e.g. the French edition of a report)."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="versions"
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    file = models.FileField(
        _("file"),
        upload_to=language_version_upload_to,
        max_length=300,
        validators=[validate_upload],
    )
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["resource", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "language"],
                name="resource_file_one_per_language",
                violation_error_message=_("This resource already has a file in that language."),
            ),
        ]

    def __str__(self):
        return f"{self.resource} ({self.get_language_display()})"

    def save(self, *args, **kwargs):
        self.update_file_facts()
        super().save(*args, **kwargs)

    def get_download_url(self):
        return reverse("resources:download-version", args=[self.resource.slug, self.language])

    @property
    def download_stem(self):
        return f"{self.resource.slug}.{self.language}"


class PreviousFile(models.Model):
    """A file that was replaced or removed: kept in storage, downloadable by curators."""

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="previous_files",
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, blank=True)
    file = models.FileField(_("file"), max_length=300)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True)
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("previous file")
        verbose_name_plural = _("previous files")
        ordering = ["resource", "-replaced_at", "-pk"]

    def __str__(self):
        return os.path.basename(self.file.name)


class StatusChange(models.Model):
    """One step of the review workflow: who moved a resource from which status to which,
    when, and what they said."""

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Resource.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Resource.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-pk"]
        get_latest_by = "changed_at"

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class PartnerProfile(models.Model):
    """Attaches a user to the one organisation whose resources they may edit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="partner_profile",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="partners",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["organisation", "user"]

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class ReviewQueueItem(Resource):
    """The curators' view of resources waiting for review (a proxy of Resource)."""

    class Meta:
        proxy = True
        verbose_name = _("resource in review")
        verbose_name_plural = _("review queue")


class PostgresOnlyField(models.Field):
    """A column whose type exists only on PostgreSQL (a text array, a tsvector); on SQLite
    it is plain text and stays empty, so one migration serves both databases."""

    def __init__(self, *args, pg_type, **kwargs):
        self.pg_type = pg_type
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["pg_type"] = self.pg_type
        return name, path, args, kwargs

    def db_type(self, connection):
        return self.pg_type if connection.vendor == "postgresql" else "text"


class ResourceSearch(models.Model):
    """The search index row of one published resource (PostgreSQL only; see
    search/indexing.py): the filter values as arrays and the weighted text search vectors,
    so the library is filtered, counted, faceted and ranked from this one table.

    Only published resources have a row, so nothing else can reach a public result."""

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, primary_key=True, related_name="search_row"
    )
    title = models.TextField()
    year = models.SmallIntegerField(null=True)
    date = models.DateField(null=True)
    resource_type = models.CharField(max_length=20)
    language = models.CharField(max_length=5)
    countries = PostgresOnlyField(pg_type="text[]")
    themes = PostgresOnlyField(pg_type="text[]")
    commodities = PostgresOnlyField(pg_type="text[]")
    tags = PostgresOnlyField(pg_type="text[]")
    meta_vector = PostgresOnlyField(pg_type="tsvector")
    vector = PostgresOnlyField(pg_type="tsvector")

    class Meta:
        verbose_name = _("search index row")
        verbose_name_plural = _("search index rows")

    def __str__(self):
        return self.title


class SearchWord(models.Model):
    """A word of the titles and vocabularies, for "did you mean" (trigram similarity)."""

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


class SearchChange(models.Model):
    """A resource whose search index row was rebuilt, and when: the log a process reads
    to bring its in-memory facet index up to date (search/facetindex/). Entries are
    kept for a day."""

    resource_id = models.IntegerField()
    at = models.DateTimeField(db_index=True)
    # The writing transaction's id (PostgreSQL's pg_current_xact_id): a process reads the
    # entries of every transaction not yet ended when it last looked.
    xid = models.BigIntegerField(default=0, db_index=True)

    class Meta:
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")

    def __str__(self):
        return f"{self.resource_id} at {self.at}"


class ContentVersion(models.Model):
    """A counter bumped on every change to the library, in the same transaction, so
    cached facet counts and result pages keyed by it are never stale, on any process."""

    key = models.CharField(max_length=40, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return f"{self.key} {self.version}"
