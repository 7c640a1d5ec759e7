"""E-mail alert subscriptions: curators see and remove them, never invent them."""

from django.contrib import admin

from resources.models import (
    Subscription,
)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """E-mail alerts: curators can see and remove them (e.g. on request), not invent them."""

    list_display = ["email", "query", "frequency", "confirmed_at", "last_sent_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "query"]
    readonly_fields = ["email", "query", "created_at", "confirmed_at", "sent_until", "last_sent_at"]

    def has_add_permission(self, request):
        # Only the address's owner may subscribe it (double opt-in).
        return False
