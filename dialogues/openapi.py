"""The dialogues' part of the OpenAPI document at /api/openapi.json."""

from core.openapi import (
    PAGE_PARAMS,
    STR,
    URL,
    get_operation,
    list_param,
    page_of,
    slug_param,
)

from .models import Dialogue, DialogueDocument, Stage

_REF = "#/components/schemas/"
_DATETIME = {"type": "string", "format": "date-time"}
_DATE = {"type": "string", "format": "date"}

PATHS = {
    "/api/dialogues/": get_operation(
        "listDialogues",
        "Dialogues, latest start first: the dialogue list's filters",
        _REF + "DialoguePage",
        "A page of dialogues.",
        [
            list_param("scope", "Scope.", [v for v, _l in Dialogue.Scope.choices]),
            list_param("country", "ISO 3166-1 alpha-2 code, any case."),
            list_param("theme", "Theme slug (a theme some dialogue is about)."),
            {
                "name": "year",
                "in": "query",
                "description": "Year of the start.",
                "schema": {"type": "integer", "minimum": 1900, "maximum": 2100},
            },
            *PAGE_PARAMS,
        ],
    ),
    "/api/dialogues/{slug}/": get_operation(
        "getDialogue",
        "One dialogue: organisers, who sat at the table, stages, documents",
        _REF + "DialogueDetail",
        "The dialogue.",
        [slug_param("slug")],
    ),
}

SCHEMAS = {
    "Dialogue": {
        "type": "object",
        "required": ["uid", "slug", "url", "html_url", "title", "scope", "status", "starts_at"],
        "properties": {
            "uid": {"type": "string", "format": "uuid"},
            "slug": STR,
            "url": URL,
            "html_url": URL,
            "calendar_url": URL,
            "title": STR,
            "scope": {"type": "string", "enum": [v for v, _l in Dialogue.Scope.choices]},
            "scope_label": STR,
            "status": {"type": "string", "enum": [v for v, _l in Dialogue.Status.choices]},
            "status_label": STR,
            "country": {"nullable": True, "allOf": [{"$ref": _REF + "CountryRef"}]},
            "place": STR,
            "time_zone": STR,
            "starts_at": {**_DATETIME, "description": "In the place's time zone."},
            "ends_at": _DATETIME,
            "times_known": {
                "type": "boolean",
                "description": "False when only the days are known: use the dates.",
            },
            "start_date": _DATE,
            "end_date": _DATE,
            "summary": STR,
            "themes": {
                "type": "array",
                "items": {"type": "object", "properties": {"slug": STR, "name": STR}},
            },
            "learning_group": {
                "nullable": True,
                "allOf": [{"$ref": _REF + "LearningGroupRef"}],
            },
            "updated_at": _DATETIME,
        },
    },
    "DialoguePage": page_of(_REF + "Dialogue"),
    "DialogueDetail": {
        "allOf": [
            {"$ref": _REF + "Dialogue"},
            {
                "type": "object",
                "properties": {
                    "organisers": {"type": "array", "items": {"$ref": _REF + "Organisation"}},
                    "convenors": {"type": "array", "items": {"$ref": _REF + "Organisation"}},
                    "participant_count": {"type": "integer", "nullable": True},
                    "participant_note": STR,
                    "participation": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "stakeholder_group": STR,
                                "label": STR,
                                "count": {"type": "integer", "nullable": True},
                            },
                        },
                    },
                    "stages": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "kind": {
                                    "type": "string",
                                    "enum": [v for v, _l in Stage.Kind.choices],
                                },
                                "label": STR,
                                "starts_on": _DATE,
                                "ends_on": {**_DATE, "nullable": True},
                                "place": STR,
                                "description": STR,
                            },
                        },
                    },
                    "documents": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "role": {
                                    "type": "string",
                                    "enum": [v for v, _l in DialogueDocument.Role.choices],
                                },
                                "role_label": STR,
                                "resource": {"$ref": _REF + "ResourceRef"},
                            },
                        },
                    },
                },
            },
        ]
    },
}
