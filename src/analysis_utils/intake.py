"""Read and validate an intake folder: ``intake.yaml`` plus ``responses.csv`` or ``.xlsx``.

Every problem is collected and reported at once, one line each, naming the file, the
spreadsheet row (the header is row 1), the column, the value and what was expected.

Examples
--------
>>> from analysis_utils.intake import read_intake
>>> intake = read_intake("data/raw/genk-2015")          # doctest: +SKIP
>>> intake.meta["source"], len(intake.responses)         # doctest: +SKIP
('reconstructed-from-publication', 28)
"""
from __future__ import annotations

import hashlib
import re
from itertools import islice
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .codebook import Codebook, load_codebook
from .facts import mask
from .privacy import header_kind, identifier_kind

ID_COLUMN = "respondent_id"
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
RESPONSE_FILES = ("responses.csv", "responses.xlsx")
EXCEL_SHEET = "antwoorden"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an intake, located as precisely as the input allows."""

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            key = self.file.endswith((".yaml", ".yml", f"(sheet {META_SHEET})"))
            where.append(f"{'key' if key else 'column'} {self.column}")
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{', '.join(where)}{value}: expected {self.expected}"


class IntakeError(Exception):
    """Invalid input: carries every :class:`Problem` found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Intake:
    """A validated intake: its metadata, the answers as integer codes, and its input files."""

    path: Path
    meta: dict
    responses: pd.DataFrame
    codebook: Codebook
    files: list[Path] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def reconstructed(self) -> bool:
        return self.meta["source"] == "reconstructed-from-publication"

    def text(self, key: str, lang: str | None = None) -> str:
        """A descriptive text of intake.yaml in the report's language: ``title_nl`` for Dutch
        where the intake gives it, else ``title``."""
        from .i18n import in_language, language

        if lang is None:
            return in_language(self.meta, key)
        with language(lang):
            return in_language(self.meta, key)

    def checksums(self) -> dict[str, str]:
        """SHA-256 of every input file, by file name."""
        return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in self.files}


# --- metadata --------------------------------------------------------------------------------

META_SHEET = "bevraging"  # the entry workbook's sheet describing the intake (instead of intake.yaml)
TEXT_KEYS = ("title", "organisation", "fieldwork_period", "source_note",
             "title_nl", "organisation_nl", "fieldwork_period_nl", "source_note_nl")  # *_nl: the Dutch report's text
MAX_META_TEXT = 500
TEAM_KEY = "teams"
# An intake's id is its folder's name, and becomes the report's folder name.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
ID_RULE = "at most 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
# A respondent id is a code, never a name: letters and digits, at most 12, at least one digit,
# and not a run of 7 or more digits (a phone or register number is never an id).
RESPONDENT_ID = re.compile(r"(?=[A-Za-z0-9]{1,12}\Z)(?=.*\d)(?!.*\d{7})")
RESPONDENT_ID_RULE = ("a respondent code: 1 to 12 letters and digits with at least one digit, "
                      "such as R001 (never a name)")
SPREADSHEET_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _meta_from_workbook(path: Path) -> tuple[dict, dict[str, int]] | None:
    """Key -> value of the sheet ``bevraging`` of an entry workbook, and key -> spreadsheet row."""
    from openpyxl import load_workbook

    try:
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
            key, value = str(row[0]).strip(), row[1] if len(row) > 1 else None
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            elif isinstance(value, str):
                value = value.strip()
                value = int(value) if re.fullmatch(r"[0-9]{1,9}", value) else value
            meta[key], rows[key] = value, r
    finally:
        wb.close()
    if isinstance(meta.get(TEAM_KEY), str):  # one cell: "Team Noord; Team Zuid"
        meta[TEAM_KEY] = [t.strip() for t in re.split(r"[;\n]", meta[TEAM_KEY]) if t.strip()]
    for key in TEXT_KEYS:  # a number typed in a cell of the sheet is meant as text
        if isinstance(meta.get(key), (int, float)) and not isinstance(meta[key], bool):
            meta[key] = str(meta[key])
    return meta, rows


def _shape(value) -> str:
    """What a value is, without showing it."""
    if isinstance(value, str):
        return f"a text of {len(value)} characters"
    return {dict: "a mapping", list: "a list", bool: "a yes/no value"}.get(type(value), f"a {type(value).__name__}")


def read_meta(intake_dir: Path, problems: list[Problem]) -> dict | None:
    """The intake's description: ``intake.yaml``, else the sheet ``bevraging`` of
    ``responses.xlsx`` (the entry template carries it, so a filled template is enough)."""
    from .safe_read import Refused, load_yaml_bounded

    path = intake_dir / "intake.yaml"
    rows: dict[str, int] = {}
    if path.is_file():
        name = str(path)
        try:
            meta = load_yaml_bounded(_decode(path.read_bytes(), strict=True))
        except UnicodeDecodeError:
            problems.append(Problem(name, None, None, None, "a UTF-8 text file"))
            return None
        except Refused as exc:
            problems.append(Problem(name, None, None, None, str(exc)))
            return None
    else:
        workbook = intake_dir / "responses.xlsx"
        found = _meta_from_workbook(workbook) if workbook.is_file() else None
        if found is None:
            problems.append(Problem(str(path), None, None, None,
                                    "an intake.yaml file describing the intake (or a filled sheet 'bevraging' "
                                    "in responses.xlsx)"))
            return None
        meta, rows = found
        meta["id"] = meta.get("id") or intake_dir.name
        name = f"{workbook} (sheet {META_SHEET})"
    if not isinstance(meta, dict):
        problems.append(Problem(name, None, None, None, f"a mapping of keys such as id, title, source (found {_shape(meta)})"))
        return None
    meta = {str(k): v for k, v in meta.items()}
    for key, typ in META_REQUIRED.items():
        row, value = rows.get(key), meta.get(key)
        if value in (None, ""):
            problems.append(Problem(name, row, key, None, f"key '{key}' to be present"))
        elif typ is int and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10_000_000):
            problems.append(Problem(name, row, key, value if isinstance(value, (str, int, float)) and len(str(value)) <= 20
                                    else None, "a whole number of at least 1"))
        elif typ is str and not isinstance(value, str):
            shown = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            problems.append(Problem(name, row, key, shown, f"a text (found {_shape(value)}; put it in quotes, "
                                                           f"e.g. {key}: \"{value if shown is not None else '…'}\")"))
    for key in TEXT_KEYS:
        value = meta.get(key)
        if key.startswith("source_note") and value is not None and not isinstance(value, str):
            problems.append(Problem(name, rows.get(key), key, None, f"a text (found {_shape(value)})"))
        if not isinstance(value, str):
            continue
        if len(value) > MAX_META_TEXT:
            problems.append(Problem(name, rows.get(key), key, None,
                                    f"a text of at most {MAX_META_TEXT} characters (this one has {len(value)})"))
        elif kind := identifier_kind(value, names=False):
            problems.append(Problem(name, rows.get(key), key, None,
                                    f"no direct identifiers: this text holds what looks like a {kind}; remove it "
                                    "(the description is printed on every page of the report)"))
    source = meta.get("source")
    if source not in (None, "") and source not in SOURCES:
        problems.append(Problem(name, rows.get("source"), "source", source if isinstance(source, str) and len(source) <= 40
                                else None, f"one of {', '.join(SOURCES)}"))
    if not ID_PATTERN.fullmatch(intake_dir.name):
        problems.append(Problem(str(intake_dir), None, None, None,
                                f"an intake folder named with {ID_RULE} (its name becomes the report's folder)"))
    elif isinstance(meta.get("id"), str) and meta["id"] != intake_dir.name:
        problems.append(Problem(name, rows.get("id"), "id", meta["id"] if len(meta["id"]) <= 80 else None,
                                f"the folder's name '{intake_dir.name}'"))
    _check_teams(meta, name, rows, problems)
    return meta


def _check_teams(meta: dict, name: str, rows: dict[str, int], problems: list[Problem]) -> None:
    """``teams``: the teams or sites that may appear in the answers (questionnaire v2). Declared
    here, they are the only values the free-text team column accepts — a worker's name typed in
    that column is refused by construction."""
    teams = meta.get(TEAM_KEY)
    if teams is None:
        return
    row = rows.get(TEAM_KEY)
    if not isinstance(teams, list) or not teams or not all(isinstance(t, str) and t.strip() for t in teams):
        problems.append(Problem(name, row, TEAM_KEY, None, "a list of team or site names, e.g. teams: [Team Noord, Team Zuid]"))
        meta[TEAM_KEY] = []
        return
    for i, team in enumerate(teams, start=1):
        why = None
        if len(team) > 60:
            why = f"at most 60 characters (it has {len(team)})"
        elif team.startswith(SPREADSHEET_FORMULA_START):
            why = "a name that does not start with =, +, - or @ (a spreadsheet would read it as a formula)"
        elif kind := identifier_kind(team, names=False):
            why = f"no direct identifiers (it looks like a {kind})"
        if why:
            problems.append(Problem(name, row, f"{TEAM_KEY} (entry {i})", None, f"a team or site name: {why}"))
    if len({t.casefold() for t in teams}) < len(teams):
        problems.append(Problem(name, row, TEAM_KEY, None, "each team only once"))


# --- the answers file ---------------------------------------------------------------------------

def _decode(raw: bytes, strict: bool = False) -> str:
    """UTF-8 (with or without BOM), else cp1252 as Excel on Windows saves a CSV."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if strict:
            raise
        return raw.decode("cp1252")


MAX_CELL = 200  # characters: an answer, a code or a team name is far shorter


def read_table(path: Path, problems: list[Problem] | None = None) -> pd.DataFrame:
    """The answers file as text cells, header stripped, fully empty rows dropped.

    The index is the spreadsheet row number (the header is row 1). Cells that cannot be read
    as typed values (a formula, a spreadsheet error, a text longer than :data:`MAX_CELL`
    characters), rows longer than the header and columns with answers but no header are
    added to ``problems``; such cells are read as empty so no later message shows them.
    """
    from openpyxl.utils import get_column_letter

    from .safe_read import read_csv_cells, read_xlsx_cells

    problems = [] if problems is None else problems
    file = str(path)
    sheet = read_xlsx_cells(path, EXCEL_SHEET) if path.suffix.lower() == ".xlsx" else read_csv_cells(path)
    for r, c, why in sheet.bad_cells:
        problems.append(Problem(file, r, get_column_letter(c), None, why))
    if not sheet.rows or not any(sheet.rows[0]):
        return pd.DataFrame()
    header = [h.strip() for h in sheet.rows[0]]
    width = len(header)
    body = []
    for r, cells in enumerate(sheet.rows[1:], start=2):
        cells = [c.strip() for c in cells]
        if len(cells) > width:
            if any(cells[width:]):
                problems.append(Problem(file, r, get_column_letter(width + 1), None,
                                        f"at most {width} cells in a row, as many as the header has columns"))
            cells = cells[:width]
        if cells and max(map(len, cells)) > MAX_CELL:
            for j, c in enumerate(cells):
                if len(c) > MAX_CELL:
                    problems.append(Problem(file, r, header[j] or get_column_letter(j + 1), None,
                                            f"a cell of at most {MAX_CELL} characters (this one has {len(c):,})"))
                    cells[j] = ""
        body.append(cells + [""] * (width - len(cells)))
    df = pd.DataFrame(body, columns=range(width), index=range(2, len(body) + 2), dtype=object)
    keep, seen = [], set()
    for j, h in enumerate(header):
        if h and h.lower() in seen:
            problems.append(Problem(file, 1, get_column_letter(j + 1), _show(h) or (h if len(h) <= 40 and
                                    re.fullmatch(r"[A-Za-z0-9_]+", h) else None), "each column only once"))
        elif h:
            keep.append(j)
            seen.add(h.lower())
        elif len(df) and (df[j] != "").any():
            first = int(df.index[(df[j] != "").to_numpy()][0])
            problems.append(Problem(file, 1, get_column_letter(j + 1), None,
                                    f"a column header (this column has answers from row {first} on but no header)"))
    df = df[keep]
    df.columns = [header[j] for j in keep]
    if not len(df.columns):
        return pd.DataFrame()
    df = df.drop(index=df.index[:_comment_rows(df)])
    empty = (df == "").all(axis=1)
    return df[~empty]


def _comment_rows(df: pd.DataFrame) -> int:
    """The entry template may hold the Dutch wording in a second header row: skip such rows."""
    if ID_COLUMN not in df.columns:
        return 0
    n = 0
    for value in df[ID_COLUMN]:
        if str(value).strip().lower() in ("vraag", "question", "# vraag"):
            n += 1
        else:
            break
    return n


_CODE_DIGITS = re.compile(r"([0-9]{1,3})(?:\.0+)?")


def _as_code(text: str, lookup: dict[str, int]) -> int | None:
    """A cell as a code: the code itself in ASCII digits ("4"; "4.0" as some programs save
    whole numbers) or a label in nl or en, in any case and spacing. '５', '٣', '1e0', '+5' and
    '4,0' are not codes."""
    key = text.casefold()
    if key in lookup:
        return lookup[key]
    key = " ".join(key.split())
    if key in lookup:
        return lookup[key]
    digits = _CODE_DIGITS.fullmatch(key)
    if digits and str(int(digits[1])) in lookup:
        return int(digits[1])
    return None


def _show(value: str) -> str | None:
    """A cell value that may be printed: a short run of digits and signs (a mistyped code
    cannot name anyone). Anything else is described, never shown."""
    return value if re.fullmatch(r"[0-9.,+\-eE/ ]{1,8}", value) else None


def _did_you_mean(value: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value.casefold(), choices, n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def _not_a_code(file: str, row: int, column: str, value: str, item) -> Problem:
    shown = _show(value)
    described = "" if shown is not None else f" (this cell holds {_shape(value)}, not shown here)"
    labels = [item.scale.label(c, lang) for c in item.scale.codes for lang in ("nl", "en")]
    hint = _did_you_mean(value, labels) if shown is None else ""
    return Problem(file, row, column, shown, item.scale.describe() + " or an empty cell" + described + hint)


def parse_responses(df: pd.DataFrame, codebook: Codebook, file: str,
                    teams: list[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn text cells into integer codes; collect every problem. ``teams`` are the values the
    free-text team column accepts (the intake description's ``teams``)."""
    from openpyxl.utils import get_column_letter

    problems: list[Problem] = []
    if df.empty or len(df.columns) == 0:
        problems.append(Problem(file, None, None, None, "a header row and at least one respondent row"))
        return pd.DataFrame(), problems
    identifiers, cells = find_identifiers(df, codebook, file)
    problems.extend(identifiers)
    df = df.drop(columns=[p.column for p in identifiers if p.row == 1 and p.value is None and p.column in df]).copy()
    for row, col in cells:  # never echo an identifier in a later message
        df.at[row, col] = ""
    expected = [ID_COLUMN, *codebook.item_ids]
    by_lower = {c.lower(): c for c in expected}
    rename: dict[str, str] = {}
    seen: set[str] = set()
    for pos, col in enumerate(df.columns, start=1):
        target = by_lower.get(col.lower())
        if target is None:
            shown = col if re.fullmatch(r"[A-Za-z]\d{1,2}[A-Za-z0-9_]{0,40}", col) else None
            where = col if shown is not None else get_column_letter(pos)
            note = "" if shown is not None else f" (its header, {_shape(col)}, is not one; not shown here)"
            problems.append(Problem(file, 1, where, shown, f"a column of questionnaire {codebook.version} "
                                    f"(respondent_id or an item id such as q08_satisfaction){note}"
                                    + _did_you_mean(col, expected)))
        elif target in seen:
            problems.append(Problem(file, 1, col, col, "each column only once"))
        else:
            rename[col] = target
            seen.add(target)
    for col in expected:
        if col not in seen:
            problems.append(Problem(file, 1, col, None, f"a column '{col}' (missing)"))
    if len(df) == 0:
        problems.append(Problem(file, None, None, None, "at least one respondent row below the header"))
    df = df.loc[:, [c in rename for c in df.columns]]
    df.columns = [rename[c] for c in df.columns]
    columns: dict = {}  # the frame is made once at the end: a column at a time costs more than the parsing
    if ID_COLUMN in df:
        ids = df[ID_COLUMN]
        empty = [row for row in ids.index[ids == ""] if (row, ID_COLUMN) not in cells]
        _capped(problems, file, ID_COLUMN, empty, lambda row: Problem(file, row, ID_COLUMN, None, "a respondent id (not empty)"))
        valid = ids.map(lambda v: bool(RESPONDENT_ID.match(v)))
        bad = ids[(ids != "") & ~valid]
        _capped(problems, file, ID_COLUMN, list(bad.index), lambda row: Problem(
            file, row, ID_COLUMN, None, f"{RESPONDENT_ID_RULE} (this cell holds {_shape(ids[row])})"))
        dup = ids[(ids != "") & valid & ids.duplicated(keep=False)]
        _capped(problems, file, ID_COLUMN, list(dup.index), lambda row: Problem(
            file, row, ID_COLUMN, ids[row], "a respondent id used only once"))
        columns[ID_COLUMN] = ids
    for item in codebook.items:
        if item.id not in df:
            continue
        col = df[item.id]
        if not item.coded:  # free text: the team or site, one of the declared teams
            columns[item.id] = pd.array(_teams(col, teams, file, item.id, problems), dtype="string")
            continue
        lookup = item.scale.lookup()
        texts = col.tolist()
        distinct = set(texts)
        if len(distinct) > MAX_DISTINCT:  # no answer column: refused whole, without reading every text
            problems.append(Problem(file, None, item.id, None, f"{item.scale.describe()} or an empty cell: this "
                                    f"column holds {len(distinct):,} different texts, an answer column a handful"))
            columns[item.id] = pd.array([pd.NA] * len(col), dtype="Int64")
            continue
        code_of = {v: _as_code(v, lookup) for v in distinct if v != ""}  # each distinct text once
        codes = [code_of.get(v) for v in texts]  # empty and unreadable cells: missing
        bad = [row for row, text, code in zip(col.index, texts, codes)
               if code is None and text != "" and (row, item.id) not in cells]
        _capped(problems, file, item.id, bad, lambda row: _not_a_code(file, row, item.id, col[row], item))
        columns[item.id] = pd.array(codes, dtype="Int64")
    out = pd.DataFrame(columns, index=df.index)
    problems.extend(_not_asked_but_answered(out, df, codebook, file))
    problems.extend(_enough_to_report(df, codebook, file))
    return out.reset_index(drop=True), problems


MAX_DISTINCT = 1000  # different texts in one answer column (codes, labels in nl and en, any case)
DETAILED = 10  # problems of one kind named row by row in one column; the rest are counted


def _capped(problems: list[Problem], file: str, column: str, rows: list[int], make) -> None:
    """One problem per row for the first :data:`DETAILED` rows, then one that counts the rest
    (a file of junk gives a short answer, fast)."""
    for row in rows[:DETAILED]:
        problems.append(make(row))
    if len(rows) > DETAILED:
        first = make(rows[DETAILED])
        problems.append(Problem(file, rows[DETAILED], column, None,
                                f"the same in {len(rows) - DETAILED:,} more rows of this column, from this one on: "
                                + first.expected.split(" (this cell holds")[0]))


MIN_RESPONDENTS = 5  # the small-cell threshold: fewer cannot be reported without recognising someone


def _enough_to_report(cells: pd.DataFrame, codebook: Codebook, file: str) -> list[Problem]:
    """What every chapter relies on: at least :data:`MIN_RESPONDENTS` respondents, and an answer
    to every question of the questionnaire version (follow-ups and free text aside) from at least
    one of them. A column nobody answered means the wrong version or a column not entered."""
    problems = []
    if 0 < len(cells) < MIN_RESPONDENTS:
        problems.append(Problem(file, None, None, None, f"at least {MIN_RESPONDENTS} respondents (this file has "
                                f"{len(cells)}): fewer cannot be reported without recognising someone"))
    for item in codebook.items:  # (a column whose cells were all refused is reported cell by cell)
        if item.coded and not item.asked_if and item.id in cells and len(cells) and (cells[item.id] == "").all():
            problems.append(Problem(file, None, item.id, None,
                                    f"at least one answer in this column (nobody answered it: is the questionnaire "
                                    f"version {codebook.version} right, and was the column entered?)"))
    return problems


def _teams(col: pd.Series, teams: list[str] | None, file: str, column: str, problems: list[Problem]) -> list:
    """The team column's values, each one of ``teams`` (matched in any case, written as declared)."""
    declared = {t.casefold(): t for t in teams or []}
    values, refused = [], {}
    for row, v in col.items():
        if v == "":
            values.append(pd.NA)
        elif v.casefold() in declared:
            values.append(declared[v.casefold()])
        else:
            values.append(pd.NA)
            refused.setdefault(v, []).append(row)
    for v, rows in refused.items():
        more = f" (and {len(rows) - 1} more rows with the same text)" if len(rows) > 1 else ""
        if teams is None:
            expected = (f"a team declared in the intake's description: add a key '{TEAM_KEY}' listing the teams or "
                        "sites, e.g. teams: [Team Noord, Team Zuid] (never a social worker's name)")
        else:
            expected = f"one of the declared teams ({', '.join(teams)})"
        problems.append(Problem(file, rows[0], column, None,
                                f"{expected}; this cell holds {_shape(v)}, not shown here{more}"
                                + (_did_you_mean(v, list(teams)) if teams else "")))
    return values


# Distinct non-answer texts of one answer column scanned for identifiers. Beyond it (a file of
# junk) the rest is refused as "not a code or label" all the same, and no value is ever printed.
SCAN_LIMIT = 200


def _identifier_in_answer(value: str, lookup: dict[str, int], any_label: set[str], names: bool) -> str | None:
    """The kind of identifier a cell holds, unless it reads as an answer: a code or label of its
    item, a label of any scale (a wrong answer, not a name), or a near-miss of a label ('Zeker Wl')."""
    if _as_code(value, lookup) is not None or " ".join(value.split()).casefold() in any_label:
        return None
    kind = identifier_kind(value, names=names)
    if kind == "name" and lookup and _did_you_mean(value, [k for k in lookup if not k.isdigit()]):
        return None
    return kind


def find_identifiers(df: pd.DataFrame, codebook: Codebook, file: str) -> tuple[list[Problem], set[tuple[int, str]]]:
    """Columns whose header announces, or whose cells hold, a direct identifier: one problem
    per column and kind, naming the first row (no part of the identifier is printed), and
    every (row, column) cell found. A cell that reads as an answer of its item (a code, or a
    label in any case: 'Zeker Wel') is an answer, not a name."""
    from openpyxl.utils import get_column_letter

    problems, cells = [], set()
    items = {i.id.lower(): i for i in codebook.items}
    any_label = {k for i in codebook.items if i.coded for k in i.scale.lookup()}  # every scale's labels
    for pos, col in enumerate(df.columns, start=1):
        item = items.get(col.lower())
        kind = header_kind(col)
        if kind and item is None and col.lower() != ID_COLUMN:
            problems.append(Problem(file, 1, col if header_kind(col) and len(col) <= 40 and not identifier_kind(col)
                                    else get_column_letter(pos), None,
                                    f"no column of direct identifiers: its header says it holds a {kind}; "
                                    "remove the column (names go on a separate list, never in the answers file)"))
            continue
        lookup = item.scale.lookup() if item is not None and item.coded else {}
        found: dict[str, list[int]] = {}
        names = item is None or item.coded  # a declared team may look like a name: 'Team Noord'
        distinct = df[col].unique()
        if item is not None and item.coded:  # an answer column: its texts that are no answers, to a limit
            if len(distinct) > MAX_DISTINCT:
                continue  # no answer column at all: refused whole in parse_responses, nothing printed
            distinct = list(islice((v for v in distinct if _as_code(v, lookup) is None), SCAN_LIMIT))
        kind_of = {v: _identifier_in_answer(v, lookup, any_label, names) for v in distinct}
        if any(kind_of.values()):  # each distinct text is scanned once; rows only where one was found
            for row, v in df[col].items():
                if kind_of.get(v):
                    found.setdefault(kind_of[v], []).append(row)
                    cells.add((row, col))
        for k, rows in found.items():
            more = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
            problems.append(Problem(file, rows[0], col, None,
                                    f"no direct identifiers: this looks like a {k}{more}; remove it from the file"))
    return problems, cells


def _not_asked_but_answered(out: pd.DataFrame, df: pd.DataFrame, codebook: Codebook, file: str) -> list[Problem]:
    """Answers to questions the respondent was never asked: pilot-absent items, follow-ups."""
    problems = []
    for item in codebook.items:
        if item.id not in out:
            continue
        rules = []
        if item.absent_in_pilot and "a02_questionnaire_form" in out:
            rules.append((out["a02_questionnaire_form"].eq(1).fillna(False),
                          "an empty cell: the pilot questionnaire did not ask this item"))
        if item.asked_if and set(item.asked_if) <= set(out.columns):
            lead = ", ".join(f"{k} in {v}" for k, v in item.asked_if.items())
            rules.append((~mask(out, item.asked_if), f"an empty cell: asked only when {lead}"))
        for not_asked, expected in rules:
            for row in out.index[not_asked & out[item.id].notna()]:
                problems.append(Problem(file, row, item.id, _show(str(df.at[row, item.id])), expected))
    return problems


def find_responses(intake_dir: Path, problems: list[Problem]) -> Path | None:
    found = [intake_dir / f for f in RESPONSE_FILES if (intake_dir / f).is_file()]
    if not found:
        problems.append(Problem(str(intake_dir), None, None, None, "a responses.csv or responses.xlsx file"))
        return None
    if len(found) > 1:
        problems.append(Problem(str(intake_dir), None, None, None,
                                "one answers file, not both responses.csv and responses.xlsx"))
        return None
    return found[0]


PUBLICATION_FILES = ("reported.yaml", "reconstruction.yaml")


def _check_publication_files(intake_dir: Path, responses: pd.DataFrame, codebook: Codebook, meta: dict,
                             problems: list[Problem]) -> None:
    """An intake that comes with a publication: its reported facts (``reported.yaml``) are checked
    against the answers in chapter 02 and, for a reconstructed intake, its recipe
    (``reconstruction.yaml``) is followed in stage 01. Both are parsed with the same bounds as the
    description and tried here once, so that what stages 01 and 02 do with them cannot fail."""
    from .safe_read import Refused, load_yaml_bounded

    for name in PUBLICATION_FILES:
        path = intake_dir / name
        if not path.is_file():
            continue
        try:
            content = load_yaml_bounded(_decode(path.read_bytes(), strict=True))
        except (Refused, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), None, None, None, str(exc) if isinstance(exc, Refused) else "a UTF-8 text file"))
            continue
        if not isinstance(content, dict):
            problems.append(Problem(str(path), None, None, None, f"a mapping (found {_shape(content)})"))
            continue
        try:
            if name == "reported.yaml":
                from .cleaning import clean
                from .descriptives import percent_checks
                from .facts import load_claims, load_facts, reproduction_table

                df = clean(responses, codebook)
                reproduction_table(df, load_facts(path), codebook, meta)
                percent_checks(load_facts(path), df)
                load_claims(path)
            elif meta.get("source") == "reconstructed-from-publication" and (intake_dir / "reported.yaml").is_file():
                from .inference import build_ensemble

                build_ensemble(1, intake_dir, codebook)
        except Exception as exc:  # whatever the stages would meet, met here first
            why = f"{exc.__class__.__name__}: {exc}"[:160]
            problems.append(Problem(str(path), None, None, None, f"a file the stages can use ({why})"))


def read_intake(intake_dir: str | Path) -> Intake:
    """Read and validate an intake folder; raise :class:`IntakeError` listing every problem."""
    intake_dir = Path(intake_dir)
    problems: list[Problem] = []
    if not intake_dir.is_dir():
        raise IntakeError([Problem(str(intake_dir), None, None, None, "an intake folder")])
    meta = read_meta(intake_dir, problems)
    version = str((meta or {}).get("questionnaire_version") or "v1")
    try:
        codebook = load_codebook(version)
    except KeyError as exc:
        problems.append(Problem(str(intake_dir / "intake.yaml"), None, "questionnaire_version",
                                version if len(version) <= 20 else None, str(exc.args[0])))
        codebook = load_codebook("v1")
    path = find_responses(intake_dir, problems)
    responses = pd.DataFrame()
    if path is not None:
        from .safe_read import Refused

        try:
            table = read_table(path, problems)
        except Refused as exc:
            problems.append(Problem(str(path), None, None, None, str(exc)))
        except Exception as exc:  # any parser failure is invalid input, reported not raised
            why = f"{exc.__class__.__name__}: {exc}"[:160]
            problems.append(Problem(str(path), None, None, None, f"a readable {path.suffix[1:]} file ({why})"))
        else:
            teams = (meta or {}).get(TEAM_KEY)
            responses, found = parse_responses(table, codebook, str(path), teams=teams)
            problems.extend(found)
    if not problems:
        _check_publication_files(intake_dir, responses, codebook, meta, problems)
    approached = (meta or {}).get("clients_approached")
    if isinstance(approached, int) and not isinstance(approached, bool) and 0 < approached < len(responses):
        problems.append(Problem(str(intake_dir / "intake.yaml") if (intake_dir / "intake.yaml").is_file()
                                else f"{path} (sheet {META_SHEET})", None, "clients_approached", approached,
                                f"at least the number of respondents in the answers file ({len(responses)})"))
    if problems:
        raise IntakeError(problems)
    files = [f for f in (intake_dir / "intake.yaml", path) if f.is_file()]
    return Intake(path=intake_dir, meta=meta, responses=responses, codebook=codebook, files=files)
