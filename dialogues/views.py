"""Public pages of the dialogues and their calendar."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from core.filters import ignored_notes
from core.translations import in_language, language_tagged
from core.views import FilteredListPage
from resources.discovery import metadata
from resources.models import Country
from usage.mixins import CountedDetailMixin
from usage.recording import DIALOGUE

from .calendar import dialogue_calendar
from .filters import DialogueFilter
from .models import Dialogue, DialogueDocument


class DialogueListView(FilteredListPage):
    """Upcoming dialogues, then past ones (paginated), under the same filters."""

    template_name = "dialogues/dialogue_list.html"
    context_object_name = "past"
    filterset_class = DialogueFilter
    feed = "feeds:dialogues"

    def listing(self):
        return Dialogue.objects.for_listing()

    def get_queryset(self):
        self.now = timezone.now()
        return super().get_queryset().past(self.now)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        context.update(
            upcoming=self.filterset.qs.upcoming(self.now),
            notes=ignored_notes(self.filterset),
            scope_choices=Dialogue.Scope.choices,
            theme_choices=form.fields["theme"].choices,
            country_choices=_country_choices(),
            year_choices=[d.year for d in Dialogue.objects.dates("starts_at", "year", "DESC")],
            selected=self.filterset.form.cleaned_data if self.filterset.is_bound else {},
        )
        return context


def _country_choices():
    """(iso2, name) of the countries some dialogue is in, by name."""
    countries = Country.objects.filter(dialogues__isnull=False).distinct()
    return sorted(((c.slug, str(c.name)) for c in countries), key=lambda pair: pair[1])


class DialogueDetailView(CountedDetailMixin, DetailView):
    """A dialogue from start to finish: its stages, who sat at the table, its documents
    by role, and the learning group it led to."""

    template_name = "dialogues/dialogue_detail.html"
    context_object_name = "dialogue"
    usage_kind = DIALOGUE

    def get_queryset(self):
        return Dialogue.objects.for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts_recorded"] = any(
            row.count is not None for row in self.object.participation.all()
        )
        documents = self.object.public_documents
        context["document_groups"] = [
            (label, [d for d in documents if d.role == role])
            for role, label in DialogueDocument.Role.choices
            if any(d.role == role for d in documents)
        ]
        context["jsonld"] = dialogue_jsonld(self.object, self.request.build_absolute_uri)
        return context


def dialogue_jsonld(dialogue, absolute):
    """The dialogue as a schema.org Event (dates only when the hours are not known) and
    its breadcrumb trail."""
    when = (
        (dialogue.local_start, dialogue.local_end)
        if dialogue.times_known
        else (dialogue.local_start.date(), dialogue.local_end.date())
    )
    organisers = [o.name for o in dialogue.convenors.all()]
    organisers += [o.name for o in dialogue.organisers.all() if o.name not in organisers]
    return [
        metadata.event_jsonld(
            name=language_tagged(dialogue, "title"),
            url=absolute(dialogue.get_absolute_url()),
            start=when[0],
            end=when[1],
            place=dialogue.place,
            country=dialogue.country,
            organisers=organisers,
            description=language_tagged(dialogue, "summary"),
            cancelled=dialogue.status == Dialogue.Status.CANCELLED,
        ),
        metadata.breadcrumbs_jsonld(
            [
                (_("Home"), reverse("home")),
                (_("Dialogues"), reverse("dialogues:list")),
                *metadata.country_crumb(dialogue.country),
                (in_language(dialogue, "title"), dialogue.get_absolute_url()),
            ],
            absolute,
        ),
    ]


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def calendar_ics(request):
    """Every dialogue (or those the same filters as /dialogues/ select) as iCalendar."""
    dialogues = DialogueFilter(request.GET, queryset=Dialogue.objects.for_listing()).qs
    body = dialogue_calendar(
        dialogues.order_by("starts_at"), request=request, name=_("ASM Hub dialogues")
    )
    return _ics_response(body, "asmhub-dialogues.ics")


@require_safe
def event_ics(request, slug):
    """One dialogue as an iCalendar file."""
    dialogue = get_object_or_404(Dialogue.objects.for_listing(), slug=slug)
    body = dialogue_calendar([dialogue], request=request, name=str(in_language(dialogue, "title")))
    return _ics_response(body, f"{dialogue.slug}.ics")
