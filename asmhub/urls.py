"""Root URLs: the public contract of DESIGN.md.

Every human page, feed and calendar exists in each language of LANGUAGES: English
unprefixed, the others under their code (/es/…, /fr/…); machine endpoints (the API,
OAI-PMH, sitemaps, robots.txt, health checks) keep one URL. Uploaded files are never
served from /media/: only the counted download view hands them out, and only for
published resources.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from dialogues.feeds import dialogue_feed
from network.feeds import news_feed
from resources.discovery.feeds import resource_feed
from resources.pictures import logo, thumbnail
from resources.views import oai_pmh
from voices.feeds import voice_feed

from . import offline, pages, sitemaps, views

feed_patterns = [
    path("resources.atom", resource_feed, name="resources"),
    path("dialogues.atom", dialogue_feed, name="dialogues"),
    path("voices.atom", voice_feed, name="voices"),
    path("news.atom", news_feed, name="news"),
]

urlpatterns = [
    path("oai", oai_pmh, name="oai"),
    path("api/", include("asmhub.api_urls")),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap-section"),
    path("thumbnails/<slug:slug>.webp", thumbnail, name="thumbnail"),
    path("logos/<slug:slug>.webp", logo, name="logo"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("sw.js", offline.service_worker, name="service-worker"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("resources/", include("resources.urls")),
    path("countries/", views.country_list, name="country-list"),
    re_path(r"^countries/(?P<iso2>[A-Za-z]{2})/$", views.country_detail, name="country-detail"),
    path("", include("learning_groups.urls")),
    path("dialogues/", include("dialogues.urls")),
    path("voices/", include("voices.urls")),
    path("", include("network.urls")),
    path("feeds/", include((feed_patterns, "feeds"))),
    path("alerts/", include("resources.alerts.urls")),
    path("search/", views.site_search, name="search"),
    path("statistics/", include("usage_reports.urls")),
    path("about/", pages.about, name="about"),
    path("about/api/", pages.api_reference, name="api-reference"),
    path("offline/", offline.offline_page, name="offline"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = "asmhub.views.bad_request"
handler404 = "asmhub.views.page_not_found"
handler500 = "asmhub.views.server_error"
