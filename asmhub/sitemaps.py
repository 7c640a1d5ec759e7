"""/sitemap.xml: one sitemap while every section fits the protocol's limit (50,000 URLs),
a sitemap index pointing to /sitemap-<section>.xml pages once one does not."""

from django.contrib.sitemaps import views as sitemap_views

from resources.sitemaps import CountrySitemap, PageSitemap, ResourceSitemap

# Extension point: "learning-groups", "outlooks" and "dialogues" sections join at merge.
SITEMAPS = {
    "pages": PageSitemap,
    "resources": ResourceSitemap,
    "countries": CountrySitemap,
}


def sitemap(request):
    """The sitemap, or the sitemap index when a section needs more than one page."""
    if any(section().paginator.num_pages > 1 for section in SITEMAPS.values()):
        return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")
    return sitemap_views.sitemap(request, SITEMAPS)


def section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
