from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsageReportsConfig(AppConfig):
    name = "usage_reports"
    verbose_name = _("Usage statistics")
