"""Public pages of miners' voices: the list, one voice, its photo and recording, the
form to share one and the private page to withdraw it."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import DetailView
from django_ratelimit.core import is_ratelimited

from core.filters import canonical_query, ignored_notes
from core.views import FilteredListPage
from resources.files.downloads import ranged_file_response
from usage.mixins import CountedDetailMixin
from usage.recording import VOICE

from . import services
from .filters import VoiceFilter
from .forms import ShareForm, WithdrawForm
from .models import Voice


class VoiceListView(FilteredListPage):
    """Published voices, newest first, with the library's kind of facets."""

    template_name = "voices/voice_list.html"
    context_object_name = "voices"
    filterset_class = VoiceFilter
    feed = "feeds:voices"

    def listing(self):
        return Voice.objects.for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = canonical_query(self.filterset)
        context.update(
            notes=ignored_notes(self.filterset),
            facets=self.filterset.facets(reverse("voices:list")),
            active_filter_count=len(query.split("&")) if query else 0,
        )
        return context


class VoiceDetailView(CountedDetailMixin, DetailView):
    """One published voice; a withdrawn one answers 410 Gone and shows nothing of it."""

    template_name = "voices/voice_detail.html"
    context_object_name = "voice"
    usage_kind = VOICE

    def get_queryset(self):
        return Voice.objects.for_detail()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            withdrawn = Voice.objects.filter(pk=kwargs["pk"], status=Voice.Status.WITHDRAWN)
            if withdrawn.exists():
                return render(request, "voices/voice_withdrawn.html", status=410)
            raise


def _published_file(pk, field):
    voice = Voice.objects.published().filter(pk=pk).only(field, "audio_type").first()
    if voice is None or not getattr(voice, field):
        raise Http404(_("No such file."))
    return voice


@require_safe
def photo(request, pk):
    """A published voice's photo (already stripped of metadata when it was shared)."""
    voice = _published_file(pk, "photo")
    response = ranged_file_response(
        request, _open(voice.photo), filename=f"voice-{pk}.jpg", content_type="image/jpeg"
    )
    return _inline(response)


@require_safe
def audio(request, pk):
    """A published voice's recording, with Range so the player can seek."""
    voice = _published_file(pk, "audio")
    extension = voice.audio.name.rsplit(".", 1)[-1]
    response = ranged_file_response(
        request,
        _open(voice.audio),
        filename=f"voice-{pk}.{extension}",
        content_type=voice.audio_type or "application/octet-stream",
    )
    return _inline(response)


def _open(field):
    try:
        return field.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such file.")) from None


def _inline(response):
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline", 1
    )
    # Asked again each time: a withdrawn voice's file must not live on in caches.
    response["Cache-Control"] = "no-cache"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def share(request):
    """The public form (GET) and a shared voice (POST): on success the page with the
    private withdrawal link, shown once; on failure the form again with every text kept.
    Past ASMHUB_VOICE_RATE posts from one address the form answers 429 and saves nothing."""
    if request.method != "POST":
        return render(request, "voices/share.html", {"form": ShareForm()})
    limited = is_ratelimited(
        request,
        group="voices.share",
        key="ip",
        rate=settings.ASMHUB_VOICE_RATE,
        method="POST",
        increment=True,
    )
    if limited:
        # Nothing is read from the files; the texts come back unchecked, to send later.
        form = ShareForm(initial=request.POST.dict())
        return render(request, "voices/share.html", {"form": form, "limited": True}, status=429)
    form = ShareForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "voices/share.html", {"form": form}, status=400)
    data = form.cleaned_data
    voice, token = services.voice_share(
        text=data["text"],
        country=data["country"],
        commodity=data["commodity"],
        role=data["role"],
        naming=data["naming"],
        name=data["name"],
        photo=data["photo"],
        audio=data["audio"],
        audio_type=getattr(form, "audio_type", ""),
        language=translation.get_language(),
    )
    # The key after a "#": browsers never send it, so no server's log records it.
    withdraw_url = request.build_absolute_uri(reverse("voices:withdraw")) + "#" + token
    return render(
        request,
        "voices/shared.html",
        {"voice": voice, "withdraw_url": withdraw_url, "key": token},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request):
    """The withdrawal page. The private link carries the key after a "#", which a small
    script puts in the form; without JavaScript the person pastes it. A POST of the key
    shows the voice and a button; that button's POST (confirm) withdraws it, so neither a
    link scanner nor a log ever holds what withdraws a voice."""
    if request.method != "POST":
        return render(request, "voices/withdraw.html", {"form": WithdrawForm()})
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render(request, "voices/withdraw.html", {"form": form}, status=400)
    if "confirm" in request.POST:
        return _withdrawn(request, form.voice)
    key = form.cleaned_data["key"]
    return render(request, "voices/withdraw.html", {"voice": form.voice, "key": key})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw_link(request, token):
    """A private link of the earlier form, with the key in its path (given out before
    the key moved after the "#"): still the voice and its button, which posts the key to
    the withdrawal page; a POST here withdraws too, for a page opened before."""
    voice = services.voice_for_token(token)
    if voice is None:
        return render(request, "voices/withdraw.html", {"invalid": True}, status=404)
    if request.method == "POST":
        return _withdrawn(request, voice)
    return render(request, "voices/withdraw.html", {"voice": voice, "key": token})


def _withdrawn(request, voice):
    services.voice_withdraw(voice=voice)
    return render(request, "voices/withdraw.html", {"done": True})
