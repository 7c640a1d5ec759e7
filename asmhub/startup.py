"""What a server process loads before it serves anything, so that its first requests cost
what later ones do: done in gunicorn's master before it forks (gunicorn.conf.py), so every
worker, a recycled one too (max_requests), starts with it, shared copy-on-write.

Loaded lazily, a worker's first requests imported every view module behind the URL
configuration (the API's schema generator, the calendar's iCalendar library…) and every
template tag library, compiled the templates and reversed each language's URL patterns:
about 4 % of the app's CPU under a varied load, where workers are recycled every thousand
or so requests (docs/performance.md)."""

from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation


def load(log):
    """Import the URL configuration and what it names; reverse its patterns in every
    language (which loads that language's catalogue); make the template engines and
    compile the project's own templates (each engine's cached loader keeps them); and make
    the cache backends (their modules: no connection is opened until one is used)."""
    resolver = get_resolver()
    patterns = len(resolver.url_patterns)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 (read to populate it)
    compiled = 0
    for engine in engines.all():
        for folder in engine.dirs:
            for path in sorted(Path(folder).rglob("*.html")):
                try:
                    engine.get_template(str(path.relative_to(folder)))
                except TemplateSyntaxError:
                    log.exception("startup: %s does not compile", path)
                else:
                    compiled += 1
    for alias in settings.CACHES:
        caches[alias]
    log.info("startup: %s URL patterns and %s templates loaded", patterns, compiled)
