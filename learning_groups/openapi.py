"""The learning groups' and Outlooks' part of the OpenAPI document at /api/openapi.json."""

from core.openapi import (
    NSTR,
    PAGE_PARAMS,
    STR,
    URL,
    get_operation,
    list_param,
    page_of,
    slug_param,
)

from .models import Indicator, LearningGroup

_NUM = {"type": "number", "nullable": True}
_DATE = {"type": "string", "format": "date", "nullable": True}
_REF = "#/components/schemas/"

PATHS = {
    "/api/learning-groups/": get_operation(
        "listLearningGroups",
        "Learning groups by name, paginated",
        _REF + "LearningGroupPage",
        "A page of learning groups.",
        [
            list_param("country", "ISO 3166-1 alpha-2 code, any case."),
            list_param("status", "Group status.", [v for v, _l in LearningGroup.Status.choices]),
            *PAGE_PARAMS,
        ],
    ),
    "/api/learning-groups/{slug}/": get_operation(
        "getLearningGroup",
        "One learning group: members (named only with consent), meetings, outputs, "
        "dialogues and Outlooks",
        _REF + "LearningGroupDetail",
        "The learning group.",
        [slug_param("slug")],
    ),
    "/api/outlooks/": get_operation(
        "listOutlooks",
        "National ASM Outlooks with their indicators, newest year first",
        _REF + "OutlookPage",
        "A page of Outlooks.",
        [
            list_param("country", "ISO 3166-1 alpha-2 code, any case."),
            {
                "name": "year",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1900, "maximum": 2100},
            },
            *PAGE_PARAMS,
        ],
    ),
}

RESOURCE_REF = {
    "type": "object",
    "required": ["slug", "title", "url", "html_url"],
    "properties": {
        "slug": STR,
        "title": STR,
        "type": STR,
        "year": {"type": "integer", "nullable": True},
        "url": URL,
        "html_url": URL,
    },
}
_ORGS = {"type": "array", "items": {"$ref": _REF + "Organisation"}}
_RESOURCES = {"type": "array", "items": {"$ref": _REF + "ResourceRef"}}

SCHEMAS = {
    "ResourceRef": RESOURCE_REF,
    "LearningGroupRef": {
        "type": "object",
        "required": ["slug", "name", "url", "html_url"],
        "properties": {"slug": STR, "name": STR, "url": URL, "html_url": URL},
    },
    "LearningGroup": {
        "allOf": [
            {"$ref": _REF + "LearningGroupRef"},
            {
                "type": "object",
                "required": ["country", "status"],
                "properties": {
                    "country": {"$ref": _REF + "CountryRef"},
                    "status": {
                        "type": "string",
                        "enum": [v for v, _l in LearningGroup.Status.choices],
                    },
                    "status_label": STR,
                    "description": STR,
                    "started_on": _DATE,
                    "ended_on": _DATE,
                    "convenors": _ORGS,
                    "member_count": {"type": "integer"},
                    "meeting_count": {"type": "integer"},
                    "updated_at": {"type": "string", "format": "date-time"},
                },
            },
        ]
    },
    "LearningGroupPage": page_of(_REF + "LearningGroup"),
    "LearningGroupDetail": {
        "allOf": [
            {"$ref": _REF + "LearningGroup"},
            {
                "type": "object",
                "properties": {
                    "members": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "organisation": {"$ref": _REF + "Organisation"},
                                "stakeholder_group": STR,
                                "stakeholder_group_label": STR,
                                "role": STR,
                                "role_label": STR,
                                "person_name": {
                                    **NSTR,
                                    "description": "Only when the person consented.",
                                },
                            },
                        },
                    },
                    "meetings": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "date": {"type": "string", "format": "date"},
                                "place": STR,
                                "purpose": STR,
                                "summary": STR,
                                "documents": _RESOURCES,
                            },
                        },
                    },
                    "outputs": _RESOURCES,
                    "dialogues": {"type": "array", "items": {"type": "object"}},
                    "outlooks": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"year": {"type": "integer"}, "url": URL},
                        },
                    },
                },
            },
        ]
    },
    "OutlookIndicator": {
        "type": "object",
        "required": ["indicator", "label", "value", "text_value", "is_sample"],
        "properties": {
            "indicator": {"type": "string", "enum": [v for v, _l in Indicator.choices]},
            "label": STR,
            "is_text": {"type": "boolean"},
            "value": _NUM,
            "low": _NUM,
            "high": _NUM,
            "text_value": NSTR,
            "unit": STR,
            "source": STR,
            "year": {"type": "integer", "nullable": True},
            "is_sample": {"type": "boolean", "description": "Illustrative, not sourced."},
        },
    },
    "Outlook": {
        "type": "object",
        "required": ["country", "year", "title", "indicators"],
        "properties": {
            "country": {"$ref": _REF + "CountryRef"},
            "year": {"type": "integer"},
            "title": STR,
            "summary": STR,
            "is_sample": {"type": "boolean"},
            "html_url": URL,
            "document": {"nullable": True, "allOf": [{"$ref": _REF + "ResourceRef"}]},
            "indicators": {"type": "array", "items": {"$ref": _REF + "OutlookIndicator"}},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "OutlookPage": page_of(_REF + "Outlook"),
}
