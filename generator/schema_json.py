"""The front matter as a JSON Schema, for editors' YAML language servers and other tools.

Derived from the declarations in schema.py; what a JSON Schema cannot express (quotes found
in the article, ids that resolve, the seed's words) is checked only by `explainer check`.
"""

from __future__ import annotations

import json
from typing import Any

from generator.schema import (
    ID,
    Choice,
    Date,
    Evidence,
    Explainer,
    Flag,
    Kind,
    ListOf,
    Obj,
    Pattern,
    QuoteText,
    Ref,
    Reported,
    SeedName,
    Text,
    Url,
    fields_of,
)

_NOT_BLANK = r"\S"


def json_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    root = _object(Explainer, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "explainer front matter",
        "description": "The YAML front matter of an annotated article in content/.",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    fields = fields_of(cls)
    return {
        "type": "object",
        "properties": {
            f.name: {**_kind(f.kind, defs), "description": f.doc} for f in fields
        },
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def _kind(kind: Kind, defs: dict[str, Any]) -> dict[str, Any]:  # noqa: C901 (one flat match)
    match kind:
        case Text(single_line=True):
            return {"type": "string", "pattern": r"^[^\n]*\S[^\n]*\n?$"}
        case Text():
            return {"type": "string", "pattern": _NOT_BLANK}
        case QuoteText():
            return {"type": "string", "pattern": _NOT_BLANK}
        case Reported():
            return {"oneOf": [{"type": "string", "pattern": _NOT_BLANK},
                              _kind(Obj(Evidence), defs)]}
        case Pattern(regex):
            return {"type": "string", "pattern": f"^{regex}$"}
        case Ref():
            return {"type": "string", "pattern": f"^{ID.regex}$"}
        case Url():
            return {"type": "string", "format": "uri", "pattern": r"^https?://[^\s/]+\S*$"}
        case Date():
            return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        case Choice(options):
            return {"enum": list(options)}
        case SeedName():
            return {"type": "string", "pattern": r"^[^/\\.][^/\\]*$"}
        case Flag():
            return {"type": "boolean"}
        case ListOf(item, min_items, max_items):
            schema = {"type": "array", "items": _kind(item, defs), "minItems": min_items}
            return schema if max_items is None else {**schema, "maxItems": max_items}
        case Obj(cls):
            if cls.__name__ not in defs:
                defs[cls.__name__] = {}  # placeholder first, in case of recursion
                defs[cls.__name__] = _object(cls, defs)
            return {"$ref": f"#/$defs/{cls.__name__}"}
    raise TypeError(f"unknown kind {kind!r}")
