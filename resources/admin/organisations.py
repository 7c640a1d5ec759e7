"""Organisations and the partners attached to them: onboarding in one step, partner
profiles, and the user admin that shows a user's organisation."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resources.admin.history import HTTPS_URLS, CuratorHistoryAdmin
from resources.curation import services
from resources.curation.roles import (
    is_curator,
    partner_organisation,
)
from resources.models import (
    Organisation,
    PartnerProfile,
)


class OnboardPartnerForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("username"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("email"))


@admin.register(Organisation)
class OrganisationAdmin(CuratorHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "acronym", "kind", "country", "is_partner"]
    list_filter = ["kind", "is_partner"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        # Only curators say who is a programme partner.
        extra = [] if is_curator(request.user) else ["is_partner"]
        return [*super().get_readonly_fields(request, obj), *extra]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_curator(request.user):
            return queryset
        organisation = partner_organisation(request.user)
        return queryset.filter(pk=organisation.pk if organisation else None)

    def _own(self, request, obj):
        return obj is None or is_curator(request.user) or obj == partner_organisation(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._own(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._own(request, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/add-partner/",
                self.admin_site.admin_view(self.onboard_view),
                name="resources_organisation_onboard",
            ),
        ] + super().get_urls()

    def onboard_view(self, request, object_id):
        """Onboard a partner in one step: a staff account in the Partners group, attached
        to this organisation, with a one-time password to hand over."""
        organisation = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not (is_curator(request.user) and request.user.has_perm("resources.add_partnerprofile")):
            raise PermissionDenied
        form = OnboardPartnerForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add a partner to %(org)s") % {"org": organisation},
            "organisation": organisation,
            "form": form,
            "opts": self.model._meta,
        }
        if request.method == "POST" and form.is_valid():
            try:
                user, password = services.partner_onboard(
                    organisation=organisation,
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("username", error)
            else:
                context.update(created_user=user, password=password)
        return TemplateResponse(request, "admin/resources/onboard_partner.html", context)


@admin.register(PartnerProfile)
class PartnerProfileAdmin(CuratorHistoryAdmin):
    list_display = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["organisation"]
    search_fields = ["user__username", "organisation__name"]

    def has_module_permission(self, request):
        return is_curator(request.user) and super().has_module_permission(request)


class PartnerProfileInline(admin.StackedInline):
    model = PartnerProfile
    can_delete = True
    autocomplete_fields = ["organisation"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PartnerAwareUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, PartnerProfileInline]
