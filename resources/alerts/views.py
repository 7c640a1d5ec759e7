"""The pages of e-mail alerts: ask for one, confirm it, unsubscribe."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from resources.alerts import services
from resources.alerts.forms import SubscriptionForm
from resources.filters import ResourceFilter
from resources.models import Resource, Subscription


def subscribe(request):
    """Ask for an e-mail alert on the library search in the query string (GET shows the
    form, POST queues a confirmation link). The answer to a valid POST is the same page
    whether or not anything was recorded or mailed: past the rate limit of the client's
    address, or of the address asked for (services.subscription_request)."""
    filterset = ResourceFilter(request.GET, queryset=Resource.objects.none())
    params = filterset.canonical_params()
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limited = is_ratelimited(
            request,
            group="alerts.subscribe",
            key="ip",
            rate=settings.ASMHUB_ALERT_RATE,
            method="POST",
            increment=True,
        )
        if not limited:
            services.subscription_request(
                email=form.cleaned_data["email"],
                params=request.GET,
                frequency=form.cleaned_data["frequency"],
                language=translation.get_language(),
            )
        return render(
            request,
            "resources/alert_sent.html",
            {"email": form.cleaned_data["email"]},
        )
    return render(
        request,
        "resources/alert_subscribe.html",
        {
            "form": form,
            "search": services.describe_query(urlencode(params)),
            "library_url": reverse("resources:list") + (f"?{urlencode(params)}" if params else ""),
        },
        status=400 if request.method == "POST" else 200,
    )


def confirm_subscription(request, token):
    """The link of the confirmation mail: a button (POST) confirms, so a mail scanner that
    follows links does not subscribe anybody."""
    pk = services.read_confirm_token(token)
    subscription = Subscription.objects.filter(pk=pk).first() if pk else None
    if subscription is None:
        return render(request, "resources/alert_confirm.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.subscription_confirm(subscription=subscription)
    return render(
        request,
        "resources/alert_confirm.html",
        {"subscription": subscription, "search": services.describe_query(subscription.query)},
    )


@csrf_exempt
def unsubscribe(request, token):
    """The unsubscribe link of every mail. POST (the page's button, or a mail client's
    RFC 8058 one-click request, which carries no CSRF token) deletes the subscription."""
    pk = services.read_unsubscribe_token(token)
    subscription = Subscription.objects.filter(pk=pk).first() if pk else None
    done = False
    if request.method == "POST":
        if subscription is not None:
            services.subscription_cancel(subscription=subscription)
        done = True
    elif subscription is None and pk is None:
        return render(request, "resources/alert_unsubscribe.html", {"invalid": True}, status=404)
    return render(
        request,
        "resources/alert_unsubscribe.html",
        {"done": done or subscription is None, "subscription": subscription},
    )
