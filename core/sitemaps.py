"""A sitemap whose every URL lists its versions in each interface language.

Django's own i18n sitemaps list each item once per language, building every
(item, language) pair in memory; at a million resources that is five million pairs for
one page. Here each item stays one <url>, its language versions named beside it as
hreflang alternates (the same rule as the pages' own links: core/i18n.py).
SavedRecordSitemap lists every record of a model whose records are all public."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap

from core import i18n


class LanguageAlternatesSitemap(Sitemap):
    """Every URL with xhtml:link alternates for each language and x-default."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            parts = urlsplit(url["location"])
            root = f"{parts.scheme}://{parts.netloc}"
            url["alternates"] = [
                {"lang_code": code, "location": root + path}
                for code, path in i18n.alternates(parts.path)
            ]
        return urls


class SavedRecordSitemap(LanguageAlternatesSitemap):
    """Every record of model (all public, at get_absolute_url), in the order they were
    made, last modified when last saved (its updated_at)."""

    model = None

    def items(self):
        return self.model.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
