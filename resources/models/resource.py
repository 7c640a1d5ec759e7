"""The resource itself, its authors, and what a result list reads of it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from core.reversing import slug_url
from resources import labels
from resources.files.uploads import validate_upload
from resources.querysets import ResourceQuerySet

from .common import (
    BOOKKEEPING_FIELDS,
    LANGUAGE_CHOICES,
    MAX_YEAR,
    MIN_YEAR,
    unique_slug,
    validate_doi,
)
from .files import StoredFileFacts, resource_upload_to
from .vocabularies import Commodity, Country, Organisation, Theme


class ResultFields:
    """What a result list reads of a resource besides its columns, the same whether it is
    a Resource or a ListedResource (listing.py): one template lists either. Needs slug,
    resource_type and country_codes."""

    __slots__ = ()

    # The URL named by a resource's page, whose one argument is its slug.
    DETAIL_URL = "resources:detail"

    def get_absolute_url(self):
        return slug_url(self.DETAIL_URL, self.slug)

    @property
    def type_label(self):
        return self.type_label_in()

    def type_label_in(self, language=None):
        """Its type's label in language, the active one (labels.py)."""
        return labels.type_label(self.resource_type, language)

    @property
    def country_names(self):
        return self.country_names_in()

    def country_names_in(self, language=None):
        """The names of its countries in language, the active one (labels.py)."""
        return [labels.country_name(code, language) for code in self.country_codes]


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
    # Unique downloads by the COUNTER rules plus those counted before them, and unique
    # views: refreshed by `manage.py aggregate_usage` (usage_reports), never by a request.
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
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
    # Said by a partner, so that "no country" is a choice and not a field left out.
    is_global = models.BooleanField(
        _("global"),
        default=False,
        help_text=_("About no particular country: tick this instead of choosing countries."),
    )

    objects = ResourceQuerySet.as_manager()
    # Tags (django-taggit) are not in the history: simple-history cannot follow them.
    HISTORY_M2M_FIELDS = ["countries", "themes", "commodities"]
    history = HistoricalRecords(
        m2m_fields=[countries, themes, commodities],
        excluded_fields=["download_count", "view_count", "full_text", "edit_version"],
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
