"""The library's models, one module a concern; every model is importable from here."""

from .common import (
    BOOKKEEPING_FIELDS,
    LANGUAGE_CHOICES,
    MAX_YEAR,
    MIN_YEAR,
    unique_slug,
    validate_doi,
)
from .files import (
    PreviousFile,
    ResourceFile,
    StoredFileFacts,
    content_type_of,
    language_version_upload_to,
    pdf_page_count,
    resource_upload_to,
    safe_extension,
)
from .packs import OfflinePack
from .resource import Resource, ResourceAuthor, ResultFields
from .search import ContentVersion, PostgresOnlyField, ResourceSearch, SearchChange, SearchWord
from .subscription import Subscription
from .translations import CountryTranslation, ResourceTranslation
from .uploads import PendingUpload
from .vocabularies import Commodity, Country, Organisation, Theme, Vocabulary
from .workflow import (
    BaseStatusChange,
    NotificationSetting,
    PartnerProfile,
    ReviewQueueItem,
    StatusChange,
)

__all__ = [
    "BOOKKEEPING_FIELDS",
    "LANGUAGE_CHOICES",
    "MAX_YEAR",
    "MIN_YEAR",
    "BaseStatusChange",
    "Commodity",
    "ContentVersion",
    "Country",
    "CountryTranslation",
    "NotificationSetting",
    "OfflinePack",
    "Organisation",
    "PartnerProfile",
    "PendingUpload",
    "PostgresOnlyField",
    "PreviousFile",
    "Resource",
    "ResourceAuthor",
    "ResourceFile",
    "ResourceSearch",
    "ResourceTranslation",
    "ResultFields",
    "ReviewQueueItem",
    "SearchChange",
    "SearchWord",
    "StatusChange",
    "StoredFileFacts",
    "Subscription",
    "Theme",
    "Vocabulary",
    "content_type_of",
    "language_version_upload_to",
    "pdf_page_count",
    "resource_upload_to",
    "safe_extension",
    "unique_slug",
    "validate_doi",
]
