"""JSON Schemas of the public contracts: the case file, the result and the progress result."""

from __future__ import annotations

import json
from typing import Any, Literal

from magwise.case import CASE_VERSION, Case
from magwise.result import RESULT_VERSION, Result


def schema(which: Literal["case", "result", "progress"] | str) -> dict[str, Any]:
    """The JSON Schema of ``which`` ("case" is read as input, "result" is written as output)."""
    if which == "case":
        out = Case.model_json_schema(mode="validation")
        out["$id"] = f"https://magwise.org/schema/case/v{CASE_VERSION}.json"
        out["title"] = "magwise case file"
    elif which == "result":
        out = Result.model_json_schema(mode="serialization")
        out["$id"] = f"https://magwise.org/schema/result/v{RESULT_VERSION}.json"
        out["title"] = "magwise result"
    elif which == "progress":
        from magwise.progress.result import ProgressResult

        out = ProgressResult.model_json_schema(mode="serialization")
        out["$id"] = f"https://magwise.org/schema/progress/v{RESULT_VERSION}.json"
        out["title"] = "magwise progress result"
    else:
        raise ValueError(which)
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return out


def schema_json(which: str) -> str:
    return json.dumps(schema(which), indent=2, ensure_ascii=False)
