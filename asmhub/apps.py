from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsmhubConfig(AppConfig):
    name = "asmhub"
    verbose_name = _("ASM Hub")

    def ready(self):
        from django.core.signals import request_finished

        from core import memory

        request_finished.connect(memory.request_finished, dispatch_uid="core.memory")
