"""The dialogues' part of the OpenAPI document at /api/openapi.json."""

from resources.openapi import (
    _STR,
    _URL,
    PAGE_PARAMS,
    _list_param,
    _page_of,
    _slug_param,
    get_operation,
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
            _list_param("scope", "Scope.", [v for v, _l in Dialogue.Scope.choices]),
            _list_param("country", "ISO 3166-1 alpha-2 code, any case."),
            _list_param("theme", "Theme slug (a theme some dialogue is about)."),
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
        [_slug_param("slug")],
    ),
}

SCHEMAS = {
    "Dialogue": {
        "type": "object",
        "required": ["uid", "slug", "url", "html_url", "title", "scope", "status", "starts_at"],
        "properties": {
            "uid": {"type": "string", "format": "uuid"},
            "slug": _STR,
            "url": _URL,
            "html_url": _URL,
            "calendar_url": _URL,
            "title": _STR,
            "scope": {"type": "string", "enum": [v for v, _l in Dialogue.Scope.choices]},
            "scope_label": _STR,
            "status": {"type": "string", "enum": [v for v, _l in Dialogue.Status.choices]},
            "status_label": _STR,
            "country": {"nullable": True, "allOf": [{"$ref": _REF + "CountryRef"}]},
            "place": _STR,
            "time_zone": _STR,
            "starts_at": {**_DATETIME, "description": "In the place's time zone."},
            "ends_at": _DATETIME,
            "times_known": {
                "type": "boolean",
                "description": "False when only the days are known: use the dates.",
            },
            "start_date": _DATE,
            "end_date": _DATE,
            "summary": _STR,
            "themes": {
                "type": "array",
                "items": {"type": "object", "properties": {"slug": _STR, "name": _STR}},
            },
            "learning_group": {
                "nullable": True,
                "allOf": [{"$ref": _REF + "LearningGroupRef"}],
            },
            "updated_at": _DATETIME,
        },
    },
    "DialoguePage": _page_of(_REF + "Dialogue"),
    "DialogueDetail": {
        "allOf": [
            {"$ref": _REF + "Dialogue"},
            {
                "type": "object",
                "properties": {
                    "organisers": {"type": "array", "items": {"$ref": _REF + "Organisation"}},
                    "convenors": {"type": "array", "items": {"$ref": _REF + "Organisation"}},
                    "participant_count": {"type": "integer", "nullable": True},
                    "participant_note": _STR,
                    "participation": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "stakeholder_group": _STR,
                                "label": _STR,
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
                                "label": _STR,
                                "starts_on": _DATE,
                                "ends_on": {**_DATE, "nullable": True},
                                "place": _STR,
                                "description": _STR,
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
                                "role_label": _STR,
                                "resource": {"$ref": _REF + "ResourceRef"},
                            },
                        },
                    },
                },
            },
        ]
    },
}
