"""Tags, with a merge action for duplicates."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from resources.curation import services


class MergeTagsForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Tag.objects.none(), label=gettext_lazy("Merge into"), widget=forms.RadioSelect
    )


if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags, with a merge action for duplicates ("women", "Women", "gender and women")."""

    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_tags"]

    @admin.action(description=gettext_lazy("Merge selected tags into one"))
    def merge_tags(self, request, queryset):
        form = MergeTagsForm(request.POST if "apply" in request.POST else None)
        form.fields["into"].queryset = queryset
        if "apply" in request.POST and form.is_valid():
            try:
                count = services.tags_merge(
                    tags=list(queryset), into=form.cleaned_data["into"], user=request.user
                )
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(
                request,
                _("%(count)s tags merged into “%(into)s”.")
                % {"count": count, "into": form.cleaned_data["into"]},
                messages.SUCCESS,
            )
            return None
        return render(
            request,
            "admin/resources/merge_tags.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge tags"),
                "form": form,
                "tags": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
