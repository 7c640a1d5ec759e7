from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsmhubConfig(AppConfig):
    name = "asmhub"
    verbose_name = _("ASM Hub")
