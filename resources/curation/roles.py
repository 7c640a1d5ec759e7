"""Who may do what: the Partners and Curators groups, and the questions the admin and the
services ask about a user.

`sync_roles()` gives both groups exactly their permissions. It runs from a data migration
(so a fresh install has the groups), after every `migrate` (post_migrate, so permissions of
models added later are granted too) and as `manage.py sync_roles`; it is idempotent.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import transaction

PARTNERS = "Partners"
CURATORS = "Curators"

# Curators get every permission of these apps, whatever models they hold now or later.
CURATOR_APPS = ["resources", "learning_groups", "dialogues", "voices", "network", "taggit"]
# And these: the outbox, to see what mail waits and what failed (cron sends it, not them).
CURATOR_PERMISSIONS = [
    "mailer.view_message",
    "mailer.view_messagelog",
    "mailer.view_dontsendentry",
]

# Partners get these only; the admin and the services narrow them to their organisation.
PARTNER_PERMISSIONS = [
    "resources.view_resource",
    "resources.add_resource",
    "resources.change_resource",
    "resources.submit_resource",
    "resources.view_resourceauthor",
    "resources.add_resourceauthor",
    "resources.change_resourceauthor",
    "resources.delete_resourceauthor",
    "resources.view_resourcefile",
    "resources.add_resourcefile",
    "resources.change_resourcefile",
    "resources.delete_resourcefile",
    "resources.view_resourcetranslation",
    "resources.add_resourcetranslation",
    "resources.change_resourcetranslation",
    "resources.delete_resourcetranslation",
    "resources.view_organisation",
    "resources.change_organisation",
    # For the autocomplete of countries, themes and commodities on the resource form.
    "resources.view_country",
    "resources.view_theme",
    "resources.view_commodity",
    # News of their own organisation, written as drafts and submitted for review.
    "network.view_news",
    "network.add_news",
    "network.change_news",
    "network.submit_news",
    "network.view_newstranslation",
    "network.add_newstranslation",
    "network.change_newstranslation",
    "network.delete_newstranslation",
]


def is_curator(user):
    """Curators (and superusers) have full editorial control."""
    return bool(user and user.is_active and user.has_perm("resources.publish_resource"))


def partner_organisation(user):
    """The organisation a partner works for, or None (anonymous users, curators without
    one, users not attached to any)."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_partner_organisation"):
        from resources.models import PartnerProfile

        profile = PartnerProfile.objects.select_related("organisation").filter(user=user).first()
        user._partner_organisation = profile.organisation if profile else None
    return user._partner_organisation


def may_edit_draft(user, organisation_id, status, permission):
    """Curators edit anything; a partner with permission only a draft (status) of their
    own organisation (organisation_id): the rule for resources and news alike."""
    if is_curator(user):
        return True
    organisation = partner_organisation(user)
    return (
        organisation is not None
        and organisation_id == organisation.pk
        and status == "draft"
        and user.has_perm(permission)
    )


def may_edit_resource(user, resource):
    """Curators edit any resource; a partner only drafts of their own organisation."""
    return may_edit_draft(user, resource.owner_id, resource.status, "resources.change_resource")


def may_view_resource(user, resource):
    """In the admin: curators see everything, partners their own organisation's."""
    if is_curator(user):
        return True
    organisation = partner_organisation(user)
    return organisation is not None and resource.owner_id == organisation.pk


def _permissions(app_labels=(), codenames=()):
    from django.contrib.auth.models import Permission

    by_app = Permission.objects.filter(content_type__app_label__in=app_labels)
    wanted = [tuple(name.split(".", 1)) for name in codenames]
    explicit = Permission.objects.none()
    for app_label, codename in wanted:
        explicit |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return set(by_app) | set(explicit)


@transaction.atomic
def sync_roles(*, verbosity=0):
    """Create the Partners and Curators groups and give each exactly its permissions."""
    from django.contrib.auth.models import Group

    # Permissions are made by post_migrate one app at a time; make sure all exist now.
    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    changes = {}
    for name, permissions in (
        (PARTNERS, _permissions(codenames=PARTNER_PERMISSIONS)),
        (CURATORS, _permissions(app_labels=CURATOR_APPS, codenames=CURATOR_PERMISSIONS)),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        current = set(group.permissions.all())
        if current != permissions:
            group.permissions.set(permissions)
        changes[name] = (len(permissions - current), len(current - permissions))
    return changes


def sync_roles_after_migrate(sender, **kwargs):
    """post_migrate hook (connected for the resources app only, so it runs once per
    migrate): grants permissions of models added since the last run."""
    sync_roles()


# Who may make a move of a review workflow (resources, news): curators alone, or the
# item's own partner organisation too.
CURATOR = "curator"
PARTNER_OR_CURATOR = "partner_or_curator"


def may_make_move(user, who, organisation_id, permission):
    """Whether user may make a move open to `who` on an item of organisation_id: curators
    any move; a partner only one open to partners, on their own organisation's item,
    holding the app's permission."""
    if is_curator(user):
        return True
    organisation = partner_organisation(user)
    return (
        who == PARTNER_OR_CURATOR
        and organisation is not None
        and organisation_id == organisation.pk
        and user.has_perm(permission)
    )
