"""An intake's description: ``intake.yaml``, or the sheet ``bevraging`` of the entry workbook.

Examples
--------
>>> problems = []
>>> meta = read_meta(Path("data/raw/genk-2015"), problems)
>>> meta["clients_approached"], problems
(40, [])
"""
from __future__ import annotations

import re
from pathlib import Path

from ..i18n import N_, _
from .privacy import (
    CONFIRMED_KEY,
    identifier_kind,
    is_first_name,
    kind_words,
    name_in,
    text_problem,
)
from .problems import META_SHEET, Problem, shape, sheet_of
from .read import Refused, check_workbook, load_yaml_bounded, read_text_bounded

SOURCES = ("survey", "reconstructed-from-publication", "synthetic")
META_REQUIRED = {
    "id": str,
    "title": str,
    "organisation": str,
    "fieldwork_period": str,
    "clients_approached": int,
    "questionnaire_version": str,
    "source": str,
}
TEXT_KEYS = ("title", "organisation", "fieldwork_period", "source_note",
             "title_nl", "organisation_nl", "fieldwork_period_nl", "source_note_nl")  # *_nl: the Dutch report's text
MAX_META_TEXT = 500
TEAM_KEY = "teams"
# An intake's id is its folder's name, and becomes the report's folder name.
ID_PATTERN = re.compile(r"(?!.*\.(?:build|old)-)(?!.*\.publish\.)[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # not a run's marks
ID_RULE = N_("at most 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
SPREADSHEET_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _workbook_value(value):
    """A cell of the sheet ``bevraging`` as the description means it: whole numbers as ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else value
    return value


def meta_from_workbook(path: Path) -> tuple[dict, dict[str, int]] | None:
    """Key -> value of the sheet ``bevraging`` of an entry workbook, and key -> spreadsheet row.
    None where the workbook cannot be opened within bounds (the answers' reader says why)."""
    from openpyxl import load_workbook

    try:
        check_workbook(path)
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # an unreadable workbook is reported when the answers are read
        return None
    try:
        if META_SHEET not in wb.sheetnames:
            return None
        meta, rows = {}, {}
        for r, row in enumerate(wb[META_SHEET].iter_rows(min_row=2, max_row=100, max_col=2, values_only=True), start=2):
            if not row or row[0] in (None, ""):
                continue
            key = str(row[0]).strip()
            if key in rows:  # a second row for a key: never one silently winning over the other
                meta.setdefault(DUPLICATE_ROWS, []).append((key, rows[key], r))
                continue
            meta[key], rows[key] = _workbook_value(row[1] if len(row) > 1 else None), r
    finally:
        wb.close()
    if isinstance(meta.get(TEAM_KEY), str):  # one cell: "Team Noord; Team Zuid"
        meta[TEAM_KEY] = [t.strip() for t in re.split(r"[;\n]", meta[TEAM_KEY]) if t.strip()]
    for key in TEXT_KEYS:  # a number typed in a cell of the sheet is meant as text
        if isinstance(meta.get(key), (int, float)) and not isinstance(meta[key], bool):
            meta[key] = str(meta[key])
    return meta, rows


def _load(intake_dir: Path, problems: list[Problem]) -> tuple[object, str, dict[str, int]] | None:
    """The description as parsed, the name to report it under, and its keys' spreadsheet rows."""
    path = intake_dir / "intake.yaml"
    if path.is_file():
        try:
            return load_yaml_bounded(read_text_bounded(path)), str(path), {}
        except UnicodeDecodeError:
            problems.append(Problem(str(path), None, None, None, _("a UTF-8 text file")))
        except Refused as exc:
            problems.append(Problem(str(path), None, None, None, str(exc)))
        return None
    workbook = intake_dir / "responses.xlsx"
    found = meta_from_workbook(workbook) if workbook.is_file() else None
    if found is None:
        problems.append(Problem(str(path), None, None, None, _(
            "an intake.yaml file describing the intake (or a filled sheet '{sheet}' in responses.xlsx)").format(
            sheet=META_SHEET)))
        return None
    meta, rows = found
    name = sheet_of(workbook)
    for key, first, again in meta.pop(DUPLICATE_ROWS, []):
        problems.append(Problem(name, again, key, None, _("each key on one row only (it is on row {row} too)").format(
            row=first), todo=_("delete one of the two rows")))
    meta["id"] = meta.get("id") or intake_dir.name
    return meta, name, rows


DUPLICATE_ROWS = "\0duplicate rows"  # set aside while the sheet is read (no key of the sheet can be it)


def _as_text_advice(name: str, key: str) -> str:
    """How to make a value text where it was written: a YAML file or the workbook's sheet."""
    if name.endswith(f" {META_SHEET})"):
        return _("format the cell as Text, or begin it with an apostrophe ('), and type it again")
    return _("put it in quotes, e.g. {key}: \"…\"").format(key=key)


def _check_required(meta: dict, name: str, rows: dict[str, int], problems: list[Problem]) -> None:
    for key, typ in META_REQUIRED.items():
        row, value = rows.get(key), meta.get(key)
        if value in (None, ""):
            problems.append(Problem(name, row, key, None, _("key '{key}' to be present").format(key=key),
                                    todo=_("fill it in") if row else ""))
        elif typ is int and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10_000_000):
            problems.append(Problem(name, row, key, value if isinstance(value, (str, int, float)) and len(str(value)) <= 20
                                    else None, _("a whole number of at least 1")))
        elif typ is str and not isinstance(value, str):
            problems.append(Problem(name, row, key, None, _not_a_text(value, name, key)))


def confirmed_phrases(meta: dict) -> tuple[str, ...]:
    """The phrases of ``not_a_name`` (checked by :func:`_check_confirmed`), as a tuple."""
    found = meta.get(CONFIRMED_KEY)
    return tuple(p for p in found if isinstance(p, str)) if isinstance(found, list) else ()


def _check_texts(meta: dict, name: str, rows: dict[str, int], problems: list[Problem]) -> None:
    """The description's texts are printed on every page: texts, short, and with no direct
    identifier or person's name, in either language."""
    confirmed = confirmed_phrases(meta)
    for key in TEXT_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, str) and key not in META_REQUIRED:
            problems.append(Problem(name, rows.get(key), key, None, _not_a_text(value, name, key)))
        if not isinstance(value, str):
            continue
        if len(value) > MAX_META_TEXT:
            problems.append(Problem(name, rows.get(key), key, None, _(
                "a text of at most {most} characters (this one has {n})").format(most=MAX_META_TEXT, n=len(value))))
        elif why := text_problem(value, confirmed):
            problems.append(Problem(name, rows.get(key), key, None, _(
                "no direct identifiers: {why} (the description is printed on every page of the report)").format(why=why)))


def _check_confirmed(meta: dict, name: str, rows: dict[str, int], problems: list[Problem]) -> None:
    """``not_a_name``: a short list of short phrases, themselves free of identifiers."""
    found = meta.get(CONFIRMED_KEY)
    if found is None:
        return
    if not isinstance(found, list) or not all(isinstance(p, str) and 0 < len(p.strip()) <= 60 for p in found) \
            or len(found) > 20:
        problems.append(Problem(name, rows.get(CONFIRMED_KEY), CONFIRMED_KEY, None, _(
            "a list of at most 20 phrases of at most 60 characters, e.g. not_a_name: [Maria Middelares]")))
        meta[CONFIRMED_KEY] = []
        return
    for i, phrase in enumerate(found, start=1):
        if kind := identifier_kind(phrase, names=False):
            problems.append(Problem(name, rows.get(CONFIRMED_KEY), _entry(CONFIRMED_KEY, i), None, _(
                "a phrase with no direct identifier (it holds what looks like {kind})").format(kind=kind_words(kind))))


def _check_source_and_id(meta: dict, intake_dir: Path, name: str, rows: dict[str, int], problems: list[Problem]) -> None:
    source = meta.get("source")
    if source not in (None, "") and source not in SOURCES:
        problems.append(Problem(name, rows.get("source"), "source", source if isinstance(source, str) and len(source) <= 40
                                else None, _("one of {choices}").format(choices=", ".join(SOURCES))))
    given = meta.get("id")
    if isinstance(given, str) and given != intake_dir.name:
        shown = given if ID_PATTERN.fullmatch(given) and not text_problem(given.replace("-", " ")) else None
        problems.append(Problem(name, rows.get("id"), "id", shown, _("the folder's name '{name}'").format(
            name=intake_dir.name)))


def folder_name_problem(intake_dir: Path) -> Problem | None:
    """What is wrong with the intake folder's name, if anything: it becomes the report's folder
    and is printed on every page, so it is an id (:data:`ID_RULE`) holding no identifier or
    person's name. The name itself is never repeated (it may hold one)."""
    where = str(intake_dir.parent / _("<the intake folder>"))
    folder = intake_dir.name
    if not ID_PATTERN.fullmatch(folder):
        return Problem(where, None, None, None, _("an intake folder named with {rule} (its name becomes the "
                                                  "report's folder); rename the folder").format(rule=_(ID_RULE)))
    words = re.sub(r"[._-]+", " ", folder)
    if identifier_kind(folder, names=False) or identifier_kind(words, names=False) or name_in(words.title()):
        return Problem(where, None, None, None, _("an intake folder whose name holds no identifier or person's name "
                                                  "(its name becomes the report's folder and is printed on every "
                                                  "page); rename it, e.g. genk-2027"))
    return None


def read_meta(intake_dir: Path, problems: list[Problem]) -> dict | None:
    """The intake's description: ``intake.yaml``, else the sheet ``bevraging`` of
    ``responses.xlsx`` (the entry template carries it, so a filled template is enough). Every
    problem found is added to ``problems``; None when there is no description to check."""
    return read_meta_located(intake_dir, problems)[0]


def read_meta_located(intake_dir: Path, problems: list[Problem]) -> tuple[dict | None, str, dict[str, int]]:
    """:func:`read_meta`, with where the description was read (the file, or the workbook and
    its sheet) and the spreadsheet row of each key, for messages about it."""
    loaded = _load(intake_dir, problems)
    if loaded is None:
        return None, str(intake_dir / "intake.yaml"), {}
    meta, name, rows = loaded
    if not isinstance(meta, dict):
        problems.append(Problem(name, None, None, None, _("a mapping of keys such as id, title, source (found {what})").format(
            what=shape(meta))))
        return None, name, rows
    meta = {str(k): v for k, v in meta.items()}
    _check_required(meta, name, rows, problems)
    _check_confirmed(meta, name, rows, problems)
    _check_texts(meta, name, rows, problems)
    _check_source_and_id(meta, intake_dir, name, rows, problems)
    _check_teams(meta, name, rows, problems)
    return meta, name, rows


def _check_teams(meta: dict, name: str, rows: dict[str, int], problems: list[Problem]) -> None:
    """``teams``: the teams or sites that may appear in the answers (questionnaire v2). Declared
    here, they are the only values the free-text team column accepts — a worker's name typed in
    that column is refused by construction."""
    teams = meta.get(TEAM_KEY)
    if teams is None:
        return
    row = rows.get(TEAM_KEY)
    if not isinstance(teams, list) or not teams or not all(isinstance(t, str) and t.strip() for t in teams):
        problems.append(Problem(name, row, TEAM_KEY, None, _(
            "a list of team or site names, e.g. teams: [Team Noord, Team Zuid]")))
        meta[TEAM_KEY] = []
        return
    for i, team in enumerate(teams, start=1):
        if why := _team_problem(team, meta):
            problems.append(Problem(name, row, _entry(TEAM_KEY, i), None, _("a team or site name: {why}").format(why=why)))
    if len({t.casefold() for t in teams}) < len(teams):
        problems.append(Problem(name, row, TEAM_KEY, None, _("each team only once")))


def _team_problem(team: str, meta: dict) -> str | None:
    """What makes a declared team unfit (too long, a formula, an identifier, a person's name)."""
    if len(team) > 60:
        return _("at most 60 characters (it has {n})").format(n=len(team))
    if team.startswith(SPREADSHEET_FORMULA_START):
        return _("a name that does not start with =, +, - or @ (a spreadsheet would read it as a formula)")
    if kind := identifier_kind(team, names=False):
        return _("no direct identifiers (it looks like {kind})").format(kind=kind_words(kind))
    if is_first_name(team) or name_in(team, confirmed_phrases(meta)):
        return _("no person's name (it looks like one; a team is named by its place or task, e.g. Team Noord; if it "
                 "is no person's name, list it under {key})").format(key=CONFIRMED_KEY)
    return None


def _entry(key: str, i: int) -> str:
    """The ``i``-th entry of a list in the description: "teams (entry 1)"."""
    return _("{key} (entry {i})").format(key=key, i=i)


def _not_a_text(value, name: str, key: str) -> str:
    """What a key that should hold a text expected, and how to make its value one."""
    return _("a text (found {what}; {advice})").format(what=shape(value), advice=_as_text_advice(name, key))
