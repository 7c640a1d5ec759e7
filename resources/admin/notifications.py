"""Each person's own mail settings: which workflow mails they get and in which language.
Anyone with access to the admin reaches their own, and only their own."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from resources.curation.notifications import setting_for
from resources.curation.roles import is_curator
from resources.models import NotificationSetting


@admin.register(NotificationSetting)
class NotificationSettingAdmin(admin.ModelAdmin):
    def get_fields(self, request, obj=None):
        fields = ["on_published", "on_sent_back", "language"]
        return ["on_submission", *fields] if is_curator(request.user) else fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def _own(self, request, obj):
        return (
            request.user.is_active
            and request.user.is_staff
            and (obj is None or obj.user_id == request.user.pk)
        )

    def has_module_permission(self, request):
        return self._own(request, None)

    def has_view_permission(self, request, obj=None):
        return self._own(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._own(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """There is one row per person: straight to their own."""
        setting = setting_for(request.user)
        return HttpResponseRedirect(
            reverse("admin:resources_notificationsetting_change", args=[setting.pk])
        )

    def response_change(self, request, obj):
        super().response_change(request, obj)
        return HttpResponseRedirect(reverse("admin:index"))
