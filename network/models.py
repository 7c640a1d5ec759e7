"""The network's news: short updates by curators and, through review, by partners."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.images import CleanImageField
from core.translations import Translation, translation_meta
from dialogues.models import Dialogue
from learning_groups.models import LearningGroup
from resources.models import (
    LANGUAGE_CHOICES,
    BaseStatusChange,
    Country,
    Organisation,
    Resource,
    Theme,
)

from .markup import render_markdown
from .querysets import NewsQuerySet


class News(models.Model):
    """A short update: a title, Markdown text, an optional picture, and what it is about."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Markdown: paragraphs, **bold**, *italics*, lists, quotes and links. "
            "HTML is shown as text."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=LANGUAGE_CHOICES,
        default="en",
        help_text=_("The language the news is written in; pages mark it for screen readers."),
    )
    # Derived from body on every save (render_markdown): sanitised, safe to show.
    body_html = models.TextField(editable=False, blank=True)
    image = CleanImageField(
        _("picture"),
        upload_to="news/",
        blank=True,
        help_text=_("JPEG, PNG or WebP; resized, its metadata (such as a GPS position) removed."),
    )
    image_alt = models.CharField(
        _("picture description"),
        max_length=200,
        blank=True,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="news",
        help_text=_("The organisation the news is from (a partner's own, always)."),
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="news"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="news"
    )
    resources = models.ManyToManyField(
        Resource, verbose_name=_("resources"), blank=True, related_name="news"
    )
    dialogues = models.ManyToManyField(
        Dialogue, verbose_name=_("dialogues"), blank=True, related_name="news"
    )
    learning_groups = models.ManyToManyField(
        LearningGroup, verbose_name=_("learning groups"), blank=True, related_name="news"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = NewsQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[countries, themes, resources, dialogues, learning_groups],
        excluded_fields=["body_html"],
    )

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-published_at", "-created_at", "-pk"]
        permissions = [
            ("submit_news", _("Can submit news for review")),
            ("publish_news", _("Can publish and withdraw news")),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="news_published")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.title)[:180] or "news"
            self.slug = f"{base}-{timezone.now():%Y%m%d%H%M%S}"
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("network:news-detail", args=[self.slug])


class NewsTranslation(Translation):
    """A news item's title and text in another language of the interface, the text
    made safe as the original's is."""

    news = models.ForeignKey(
        News, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="translations"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=News._meta.get_field("body").help_text)
    # Derived from body on every save, as News.body_html is.
    body_html = models.TextField(editable=False, blank=True)

    history = HistoricalRecords(excluded_fields=["body_html"])

    record_field = "news"

    Meta = translation_meta("news", "one_news_translation_per_language")

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


class NewsStatusChange(BaseStatusChange):
    """One step of a news item's review: who moved it from which status to which, when,
    and what they said."""

    news = models.ForeignKey(
        News, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=News.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=News.Status.choices)

    class Meta:
        verbose_name = _("news status change")
        verbose_name_plural = _("news status changes")
        ordering = ["news", "changed_at", "pk"]

    def __str__(self):
        return f"{self.news}: {self.from_status} → {self.to_status}"
