"""Values every template may use."""

from django.conf import settings


def site(request):
    return {"site_name": settings.ASMHUB_SITE_NAME}
