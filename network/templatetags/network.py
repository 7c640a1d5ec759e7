"""The newest news on other apps' pages (home, a country, a learning group), through a
template tag, so those apps need not import the network: {% latest_news country=c %}."""

from django import template

from network.models import News

register = template.Library()

LATEST = 3


@register.inclusion_tag("network/_news_section.html")
def latest_news(country=None, group=None, organisation=None, limit=LATEST):
    """The newest published news about country, group or organisation (or all), one query."""
    news = list(News.objects.about(country=country, group=group, organisation=organisation)[:limit])
    query = f"?country={country.slug}" if country is not None else ""
    return {"news": news, "news_query": query}
