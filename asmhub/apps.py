from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AsmhubConfig(AppConfig):
    name = "asmhub"
    verbose_name = _("ASM Hub")

    def ready(self):
        from django.core.signals import request_finished

        from core import memory

        request_finished.connect(memory.request_finished, dispatch_uid="core.memory")


class HubAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the hub's own site (asmhub/admin_site.py) as admin.site."""

    default = False  # named in INSTALLED_APPS; AsmhubConfig stays the app's own
    default_site = "asmhub.admin_site.HubAdminSite"
