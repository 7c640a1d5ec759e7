"""Reading offline: the service worker at /sw.js and the "My offline reading" page.

The worker (templates/offline/sw.js) is a Django template so that it names the hashed
stylesheet and the offline page in every language, and carries a version that changes
when any of them does; static/js/offline.js registers it from the pages that offer
keeping (a resource's page and /offline/) and builds the list of what is kept. What the
worker never keeps is written once, in `NEVER_KEPT`, for the worker and the tests.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

# Paths (after an optional language prefix) the worker neither stores nor answers from
# its caches: the admin and each role's desk, sign-in, the alert pages reached through a
# subscriber's private links, the voices' form and private withdrawal page, a draft's
# preview, and what machines read. A page the server marks `private` or `no-store` is
# never stored either, whatever its path.
NEVER_KEPT = (
    r"^/(?:[a-z]{2}/)?(?:admin|accounts|alerts|api|oai|feeds|voices/share|voices/withdraw)"
    r"(?:/|$)|/preview/$|^/(?:sw\.js|healthz|readyz)$"
)


def offline_urls():
    """The offline page in each interface language, English first."""
    urls = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls.append(reverse("offline"))
    return urls


@require_safe
def service_worker(request):
    """The worker, from the root so that its scope is the whole site; revalidated on
    every check (no-cache) so a new version reaches readers at their next visit."""
    shell = [*offline_urls(), static("css/hub.css"), static("js/offline.js")]
    config = json.dumps({"shell": shell, "neverKept": NEVER_KEPT, "version": "__VERSION__"})
    body = render_to_string("offline/sw.js", {"config": config})
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    response = HttpResponse(
        body.replace("__VERSION__", version), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline_page(request):
    """What this browser keeps for offline reading: listed by the script from its
    caches; without JavaScript, a page that says how keeping works. No query."""
    return render(request, "offline/offline.html")
