"""The outbox in the admin: curators see the mail waiting and the mail that failed."""

from django.contrib import admin
from mailer.admin import MessageAdmin
from mailer.models import Message

admin.site.unregister(Message)


@admin.register(Message)
class OutboxMessageAdmin(MessageAdmin):
    """django-mailer's queue, without its action that sends from the admin: no request
    talks to SMTP, `manage.py send_mail` does."""

    actions = []
    list_filter = ["priority"]
