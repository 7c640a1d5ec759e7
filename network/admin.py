"""Admin of the news: curators write, publish, send back and withdraw; partners write
their own organisation's drafts and submit them (network.services decides who may)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from resources.admin import CuratorHistoryAdmin, TranslationInline
from resources.curation.roles import is_curator, partner_organisation

from . import services
from .models import News, NewsStatusChange, NewsTranslation


class NewsTranslationInline(TranslationInline):
    """Editable exactly when the news item is (a partner's draft, anything for a curator)."""

    model = NewsTranslation

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.may_edit_news(request.user, obj))

    def has_add_permission(self, request, obj=None):
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or services.may_edit_news(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.may_edit_news(request.user, obj))


class NewsStatusChangeInline(admin.TabularInline):
    model = NewsStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _workflow_action(service, label, **extra):
    def action(modeladmin, request, queryset):
        done = 0
        for news in queryset:
            try:
                service(news=news, user=request.user, **extra)
                done += 1
            except (PermissionDenied, ValidationError) as e:
                messages.error(request, f"{news}: {' '.join(getattr(e, 'messages', [str(e)]))}")
        if done:
            messages.success(request, _("%(n)s news items changed.") % {"n": done})

    action.short_description = label
    action.__name__ = service.__name__
    return action


@admin.register(News)
class NewsAdmin(CuratorHistoryAdmin):
    list_display = ["title", "organisation", "status", "published_at"]
    list_filter = ["status", "themes"]
    search_fields = ["title", "body"]
    list_select_related = ["organisation"]
    autocomplete_fields = [
        "organisation",
        "countries",
        "themes",
        "resources",
        "dialogues",
        "learning_groups",
    ]
    inlines = [NewsTranslationInline, NewsStatusChangeInline]
    actions = [
        _workflow_action(services.news_submit, _("Submit for review")),
        _workflow_action(services.news_publish, _("Publish")),
        _workflow_action(
            services.news_send_back, _("Send back to draft"), comment=_("Sent back for changes.")
        ),
        _workflow_action(services.news_withdraw, _("Withdraw")),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_curator(request.user):
            return queryset
        organisation = partner_organisation(request.user)
        return queryset.filter(organisation=organisation.pk if organisation else None)

    def get_readonly_fields(self, request, obj=None):
        # The status moves only through the workflow's actions.
        fields = ["status", "published_at"]
        if not is_curator(request.user):
            fields.append("organisation")
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.may_edit_news(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # Published news are withdrawn, never deleted.
        return is_curator(request.user) and (obj is None or obj.status == News.Status.DRAFT)

    def save_model(self, request, obj, form, change):
        services.news_save(news=obj, user=request.user, created=not change)
