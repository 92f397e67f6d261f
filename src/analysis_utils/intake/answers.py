"""The answers file of an intake: read as text cells within bounds, every cell turned into a code
of its item's scale, every respondent id checked to be a code, direct identifiers refused.

Every problem is collected (:class:`~analysis_utils.intake.problems.Problem`), naming the file, the
spreadsheet row (the header is row 1), the column, the value where it may be shown, and what was
expected.
"""
from __future__ import annotations

import re
from itertools import islice
from pathlib import Path
from typing import Callable

import pandas as pd

from ..codebook import Codebook, mask
from .meta import TEAM_KEY
from .privacy import header_kind, identifier_kind
from .problems import Problem, capped, did_you_mean, shape, show
from .read import read_csv_cells, read_xlsx_cells

ID_COLUMN = "respondent_id"
RESPONSE_FILES = ("responses.csv", "responses.xlsx")
EXCEL_SHEET = "antwoorden"
# A respondent id is a code, never a name: letters and digits, at most 12, at least one digit,
# and not a run of 7 or more digits (a phone or register number is never an id).
# A sequence number with at most a short prefix and suffix: R001, 17, B00042, A12b. Longer runs
# of letters (a name: Janssens1) or digits (a date of birth: JP120361) are refused.
RESPONDENT_ID = re.compile(r"[A-Za-z]{0,3}\d{1,5}[A-Za-z]?\Z")
RESPONDENT_ID_RULE = ("a respondent code: a number of at most 5 digits, with at most 3 letters before it and 1 after, "
                      "such as R001 (never a name or a date)")

MAX_CELL = 200  # characters: an answer, a code or a team name is far shorter


def read_table(path: Path, problems: list[Problem] | None = None,
               drop: Callable[[list[str]], list[int]] | None = None) -> pd.DataFrame:
    """The answers file as text cells, header stripped, fully empty rows dropped.

    The index is the spreadsheet row number (the header is row 1). Cells that cannot be read
    as typed values (a formula, a spreadsheet error, a text longer than :data:`MAX_CELL`
    characters), rows longer than the header and columns with answers but no header are
    added to ``problems``; such cells are read as empty so no later message shows them.
    ``drop`` names, from the header, the positions of columns to leave unread (a tablet form's
    export: the platform's metadata), none of whose cells is then checked or kept.
    """
    from openpyxl.utils import get_column_letter


    problems = [] if problems is None else problems
    file = str(path)
    sheet = read_xlsx_cells(path, EXCEL_SHEET) if path.suffix.lower() == ".xlsx" else read_csv_cells(path)
    header = [h.strip() for h in sheet.rows[0]] if sheet.rows else []
    unread = set(drop(header)) if drop and any(header) else set()
    for r, c, why in sheet.bad_cells:
        if c - 1 not in unread:
            problems.append(Problem(file, r, get_column_letter(c), None, why))
    if not any(header):
        return pd.DataFrame()
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
                if len(c) > MAX_CELL and j not in unread:
                    problems.append(Problem(file, r, header[j] or get_column_letter(j + 1), None,
                                            f"a cell of at most {MAX_CELL} characters (this one has {len(c):,})"))
                    cells[j] = ""
        body.append(cells + [""] * (width - len(cells)))
    df = pd.DataFrame(body, columns=range(width), index=range(2, len(body) + 2), dtype=object)
    keep, seen = [], set()
    for j, h in enumerate(header):
        if j in unread:
            continue
        if h and h.lower() in seen:
            problems.append(Problem(file, 1, get_column_letter(j + 1), show(h) or (h if len(h) <= 40 and
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


def _not_a_code(file: str, row: int, column: str, value: str, item) -> Problem:
    shown = show(value)
    described = "" if shown is not None else f" (this cell holds {shape(value)}, not shown here)"
    labels = [item.scale.label(c, lang) for c in item.scale.codes for lang in ("nl", "en")]
    hint = did_you_mean(value, labels) if shown is None else ""
    return Problem(file, row, column, shown, item.scale.describe() + " or an empty cell" + described + hint)


def _map_headers(df: pd.DataFrame, codebook: Codebook, file: str, problems: list[Problem]) -> dict[str, str]:
    """Header as typed -> the column of the questionnaire it is (any case); every header that is
    none, a column given twice and a column missing is a problem."""
    from openpyxl.utils import get_column_letter

    expected = [ID_COLUMN, *codebook.item_ids]
    by_lower = {c.lower(): c for c in expected}
    rename: dict[str, str] = {}
    seen: set[str] = set()
    for pos, col in enumerate(df.columns, start=1):
        target = by_lower.get(col.lower())
        if target is None:
            shown = col if re.fullmatch(r"[A-Za-z]\d{1,2}[A-Za-z0-9_]{0,40}", col) else None
            where = col if shown is not None else get_column_letter(pos)
            note = "" if shown is not None else f" (its header, {shape(col)}, is not one; not shown here)"
            problems.append(Problem(file, 1, where, shown, f"a column of questionnaire {codebook.version} "
                                    f"(respondent_id or an item id such as q08_satisfaction){note}"
                                    + did_you_mean(col, expected)))
        elif target in seen:
            problems.append(Problem(file, 1, col, col, "each column only once"))
        else:
            rename[col] = target
            seen.add(target)
    for col in expected:
        if col not in seen:
            problems.append(Problem(file, 1, col, None, f"a column '{col}' (missing)"))
    return rename


def _respondent_ids(ids: pd.Series, file: str, skip: set, problems: list[Problem]) -> pd.Series:
    """The respondent id column: every id present, a code (never a name), and used once."""
    empty = [row for row in ids.index[ids == ""] if (row, ID_COLUMN) not in skip]
    capped(problems, file, ID_COLUMN, empty, lambda row: Problem(file, row, ID_COLUMN, None, "a respondent id (not empty)"))
    valid = ids.map(lambda v: bool(RESPONDENT_ID.match(v)))
    bad = ids[(ids != "") & ~valid]
    capped(problems, file, ID_COLUMN, list(bad.index), lambda row: Problem(
        file, row, ID_COLUMN, None, f"{RESPONDENT_ID_RULE} (this cell holds {shape(ids[row])})"))
    dup = ids[(ids != "") & valid & ids.duplicated(keep=False)]
    capped(problems, file, ID_COLUMN, list(dup.index), lambda row: Problem(
        file, row, ID_COLUMN, ids[row], "a respondent id used only once"))
    return ids


def _answer_codes(col: pd.Series, item, file: str, skip: set, problems: list[Problem]):
    """One answer column as codes of its item's scale (missing where empty or unreadable)."""
    lookup = item.scale.lookup()
    texts = col.tolist()
    distinct = set(texts)
    if len(distinct) > MAX_DISTINCT:  # no answer column: refused whole, without reading every text
        problems.append(Problem(file, None, item.id, None, f"{item.scale.describe()} or an empty cell: this "
                                f"column holds {len(distinct):,} different texts, an answer column a handful"))
        return pd.array([pd.NA] * len(col), dtype="Int64")
    code_of = {v: _as_code(v, lookup) for v in distinct if v != ""}  # each distinct text once
    codes = [code_of.get(v) for v in texts]  # empty and unreadable cells: missing
    bad = [row for row, text, code in zip(col.index, texts, codes)
           if code is None and text != "" and (row, item.id) not in skip]
    capped(problems, file, item.id, bad, lambda row: _not_a_code(file, row, item.id, col[row], item))
    return pd.array(codes, dtype="Int64")


def parse_responses(df: pd.DataFrame, codebook: Codebook, file: str,
                    teams: list[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn text cells into integer codes; collect every problem. ``teams`` are the values the
    free-text team column accepts (the intake description's ``teams``)."""
    problems: list[Problem] = []
    if df.empty or len(df.columns) == 0:
        problems.append(Problem(file, None, None, None, "a header row and at least one respondent row"))
        return pd.DataFrame(), problems
    identifiers, cells = find_identifiers(df, codebook, file)
    problems.extend(identifiers)
    df = df.drop(columns=[p.column for p in identifiers if p.row == 1 and p.value is None and p.column in df]).copy()
    for row, col in cells:  # never echo an identifier in a later message
        df.at[row, col] = ""
    rename = _map_headers(df, codebook, file, problems)
    if len(df) == 0:
        problems.append(Problem(file, None, None, None, "at least one respondent row below the header"))
    df = df.loc[:, [c in rename for c in df.columns]]
    df.columns = [rename[c] for c in df.columns]
    columns: dict = {}  # the frame is made once at the end: a column at a time costs more than the parsing
    if ID_COLUMN in df:
        columns[ID_COLUMN] = _respondent_ids(df[ID_COLUMN], file, cells, problems)
    for item in (i for i in codebook.items if i.id in df):
        if not item.coded:  # free text: the team or site, one of the declared teams
            columns[item.id] = pd.array(_teams(df[item.id], teams, file, item.id, problems), dtype="string")
        else:
            columns[item.id] = _answer_codes(df[item.id], item, file, cells, problems)
    out = pd.DataFrame(columns, index=df.index)
    problems.extend(_not_asked_but_answered(out, df, codebook, file))
    problems.extend(_enough_to_report(df, codebook, file))
    return out.reset_index(drop=True), problems


MAX_DISTINCT = 1000  # different texts in one answer column (codes, labels in nl and en, any case)


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
                                f"{expected}; this cell holds {shape(v)}, not shown here{more}"
                                + (did_you_mean(v, list(teams)) if teams else "")))
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
    if kind == "name" and lookup and did_you_mean(value, [k for k in lookup if not k.isdigit()]):
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
                problems.append(Problem(file, row, item.id, show(str(df.at[row, item.id])), expected))
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


