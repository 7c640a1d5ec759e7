from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningGroupsConfig(AppConfig):
    name = "learning_groups"
    verbose_name = _("Learning groups")
