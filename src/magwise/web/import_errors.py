"""What is wrong with an imported file, in plain words of the page's language.

The export's checks (``magwise.store._export``) name a path in the document
(``foods[3].day``) and say in English what is wrong, as the command line and the
API show it. The Your data page says instead on which line of the file the
problem is and what it is: "Line 42: the date “2026-13-01” is not a date",
"Zeile 42: Das Datum „2026-13-01“ ist kein Datum".
"""

from __future__ import annotations

import json
import re

from magwise import l10n
from magwise.errors import InputError
from magwise.web.errors import split_path
from magwise.web.form_errors import short_label
from magwise.web.i18n import Messages

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, at: int) -> int:
    found = _SPACE.match(text, at)
    return found.end() if found else at


def _offset(text: str, path: list[str | int]) -> int:
    """Where the value at ``path`` starts in the JSON ``text`` (ValueError when it is not there)."""
    at = _skip(text, 0)
    for step in path:
        opening = text[at : at + 1]
        if opening == "{" and isinstance(step, str):
            at = _skip(text, at + 1)
            while text[at : at + 1] == '"':
                key, at = _DECODER.raw_decode(text, at)
                at = _skip(text, at)
                if text[at : at + 1] != ":":
                    raise ValueError(at)
                at = _skip(text, at + 1)
                if key == step:
                    break
                _, at = _DECODER.raw_decode(text, at)
                at = _skip(text, at)
                if text[at : at + 1] == ",":
                    at = _skip(text, at + 1)
            else:
                raise ValueError(step)
        elif opening == "[" and isinstance(step, int):
            at = _skip(text, at + 1)
            for _ in range(step):
                _, at = _DECODER.raw_decode(text, at)
                at = _skip(text, at)
                if text[at : at + 1] != ",":
                    raise ValueError(step)
                at = _skip(text, at + 1)
        else:
            raise ValueError(step)
    return at


def line_of(text: str, path: list[str | int]) -> int | None:
    """The line of ``text`` (a JSON document) on which the value at ``path`` starts."""
    try:
        at = _offset(text, path)
    except (ValueError, json.JSONDecodeError):
        return None
    return text.count("\n", 0, at) + 1


#: (pattern of the English message, key of the plain words in ``import_error``)
_PROBLEMS = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"^(?P<v>.*) is not a date \(YYYY-MM-DD\)$", "not_date"),
        (r"^expected a date from (?P<low>\S+) to (?P<high>\S+)$", "date_range"),
        (r"^is required$", "missing"),
        (r"^is not a field of an export", "not_a_field"),
        (r"^(?P<v>.*); accepted: (?P<accepted>.*)$", "not_accepted"),
        (r"^(?P<v>.*); expected (?P<accepted>.*)$", "not_accepted"),
        (r"^expected ", "wrong_kind"),
    )
)


def _problem(message: str, name: str, t: Messages) -> str:
    for pattern, key in _PROBLEMS:
        if found := pattern.search(message):
            values = {k: v.strip("'") for k, v in found.groupdict().items()}
            for bound in ("low", "high"):
                if bound in values:
                    values[bound] = l10n.date(values[bound], t.lang)
            return t(f"import_error.{key}", name=name, **values)
    return t("import_error.other", name=name, message=message)


def plain(error: InputError, text: str | None, t: Messages) -> InputError:
    """``error`` of an import as the Your data page shows it: the file's label, then
    the line of the file and what is wrong there, in the page's language."""
    label = short_label(t("log_data.file"))
    if error.field in ("file", "import"):  # already in the page's words
        return InputError(label, error.message)
    if error.field in ("format", "version", ""):
        return InputError(label, t("import_error.not_export"))
    path = split_path(error.field)
    names = [step for step in path if isinstance(step, str)]
    name = names[-1] if names else error.field
    problem = _problem(error.message, name, t)
    line = line_of(text, path) if text is not None else None
    where = t("import_error.line", line=line) if line is not None else ""
    if len(path) > 1 and isinstance(path[0], str) and isinstance(path[1], int):
        entry = t("import_error.entry", n=path[1] + 1, kind=path[0])
        where = f"{where} ({entry})" if where else entry
    return InputError(label, f"{where}: {problem}" if where else problem)
