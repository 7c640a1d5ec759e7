"""Admin of the library, for partners and curators, one module per concern.

Partners see and edit only their own organisation's resources, and only while in draft;
curators see everything. What the admin hides, the services refuse too (see
resources/curation/services.py and roles.py): a crafted POST gets the same answer as a
click. Importing this package registers every model admin of the library.
"""

from resources.admin import (  # noqa: F401  (each module registers its admins)
    notifications,
    organisations,
    resources,
    review,
    subscriptions,
    tags,
    vocabularies,
)
from resources.admin.history import HTTPS_URLS, CuratorHistoryAdmin
from resources.admin.translations import TranslationInline

__all__ = ["HTTPS_URLS", "CuratorHistoryAdmin", "TranslationInline"]
