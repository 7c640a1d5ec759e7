"""Keep the search index and the content version current on every change to the library.

The index row of a resource is rebuilt from its relations (search/indexing.py), so any
change to the resource, its authors, translations, countries, themes, commodities or
tags, or to the name of a term it carries, rebuilds the rows concerned and bumps the
content version that cached counts are keyed by.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from resources.models import (
    Commodity,
    Organisation,
    Resource,
    ResourceAuthor,
    ResourceTranslation,
    Theme,
)
from resources.search.backends import backend
from resources.search.version import bump_version


def changed(ids):
    backend().refresh(ids)
    bump_version()


@receiver(post_save, sender=Resource, dispatch_uid="search-resource-saved")
def resource_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        changed([instance.pk])


@receiver(post_delete, sender=Resource, dispatch_uid="search-resource-deleted")
def resource_deleted(sender, instance, **kwargs):
    # Deleting a resource first deletes its authors, whose signal rebuilds the index row
    # of the resource that is still there; drop that row once the resource is gone.
    changed([instance.pk])


@receiver(post_save, sender=ResourceAuthor, dispatch_uid="search-author-saved")
@receiver(post_delete, sender=ResourceAuthor, dispatch_uid="search-author-deleted")
@receiver(post_save, sender=ResourceTranslation, dispatch_uid="search-translation-saved")
@receiver(post_delete, sender=ResourceTranslation, dispatch_uid="search-translation-deleted")
def part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        changed([instance.resource_id])


def relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An m2m of a resource changed, from either side."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Resource):
        changed([instance.pk])
    elif pk_set:
        changed(pk_set)
    else:
        bump_version()


for through in (
    Resource.countries.through,
    Resource.themes.through,
    Resource.commodities.through,
    TaggedItem,
):
    m2m_changed.connect(relations_changed, sender=through, dispatch_uid=f"search-{through}")


@receiver(post_save, sender=Theme, dispatch_uid="search-theme-saved")
@receiver(post_save, sender=Commodity, dispatch_uid="search-commodity-saved")
def term_saved(sender, instance, created=False, raw=False, **kwargs):
    """A renamed term changes the words of every resource that carries it; a new one the
    filters' choices (kept under the content version: version.per_version)."""
    if raw:
        return
    if created:
        bump_version()
    else:
        changed(instance.resources.values_list("pk", flat=True))


@receiver(post_delete, sender=Theme, dispatch_uid="search-theme-deleted")
@receiver(post_delete, sender=Commodity, dispatch_uid="search-commodity-deleted")
@receiver(post_delete, sender=Organisation, dispatch_uid="search-organisation-deleted")
@receiver(post_delete, sender=Tag, dispatch_uid="search-tag-deleted")
def term_deleted(sender, instance, **kwargs):
    """A term gone is gone from the filters' choices and names too."""
    bump_version()


@receiver(post_save, sender=Tag, dispatch_uid="search-tag-saved")
def tag_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        bump_version()
    elif not raw:
        changed(
            TaggedItem.objects.filter(
                tag=instance, content_type__app_label="resources", content_type__model="resource"
            ).values_list("object_id", flat=True)
        )


@receiver(pre_save, sender=Organisation, dispatch_uid="search-organisation-before")
def organisation_before(sender, instance, raw=False, **kwargs):
    """Remember the name the organisation had: resources published under it change too."""
    if not raw and instance.pk:
        instance._name_before = (
            Organisation.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        )


@receiver(post_save, sender=Organisation, dispatch_uid="search-organisation-saved")
def organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    """A new, renamed or re-slugged organisation changes the organisation facet of the
    resources it owns or whose publisher names it (now or before)."""
    if raw:
        return
    names = {instance.name, getattr(instance, "_name_before", None)} - {None}
    changed(
        Resource.objects.filter(Q(owner=instance) | Q(publisher__in=names)).values_list(
            "pk", flat=True
        )
    )
