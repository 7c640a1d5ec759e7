"""{% voices_link country=… %}: a link from a country's, learning group's or dialogue's
page to the published voices of it, shown only when there are some (one query)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from voices.models import Voice

register = template.Library()


@register.inclusion_tag("voices/_voices_link.html")
def voices_link(*, country=None, learning_group=None, dialogue=None):
    if country is not None:
        voices, param = Voice.objects.filter(country=country), ("country", country.slug)
    elif learning_group is not None:
        voices = Voice.objects.filter(learning_group=learning_group)
        param = ("learning_group", learning_group.slug)
    elif dialogue is not None:
        voices, param = Voice.objects.filter(dialogue=dialogue), ("dialogue", dialogue.slug)
    else:
        return {"count": 0}
    count = voices.published().count()
    return {"count": count, "url": reverse("voices:list") + "?" + urlencode([param])}
