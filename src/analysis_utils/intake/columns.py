"""The answers file's table: read as text cells within bounds, each column known by its header and
by its letter in the spreadsheet; the headers matched to the questionnaire's columns, a column
that is no question of it (a note beside the data) named by its letter, and answers whose
columns are those of the other questionnaire version recognised as such.

Examples
--------
>>> from analysis_utils.codebook import load_codebook
>>> other_version(["respondent_id", "q17_same_goals", "a03_team"], load_codebook("v1")).version
'v2'
>>> other_version(["respondent_id", "q17_same_goals", "q17_different_goals"], load_codebook("v1")) is None
True
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pandas as pd

from ..codebook import Codebook, load_codebook, versions
from ..i18n import _
from ..yamlio import load_resource
from .problems import Problem, column_letter, did_you_mean, shape
from .read import read_csv_cells, read_xlsx_cells

ID_COLUMN = "respondent_id"
EXCEL_SHEET = "antwoorden"
MAX_CELL = 200  # characters: an answer, a code or a team name is far shorter
# A header printed as it is: respondent_id or what looks like an item's code (q08_satisfaction,
# q99): such a header names no one. Any other header is described, never shown.
CODE_LIKE = re.compile(r"[A-Za-z]\d{1,2}[A-Za-z0-9_]{0,40}")


def shown_header(header: str) -> str | None:
    """A header that may be printed (:data:`CODE_LIKE` or ``respondent_id``), else None."""
    return header if header.lower() == ID_COLUMN or CODE_LIKE.fullmatch(header) else None


def questions(codebook: Codebook) -> dict[str, str]:
    """Column code (in lower case) -> the Dutch question its header shows in the entry workbook,
    shortened; the respondent id's as the printed questionnaire names it."""
    shown = {i.id.lower(): i.short_wording("nl") for i in codebook.items}
    shown[ID_COLUMN] = load_resource("questionnaire.yaml")["nl"]["respondent_code"]
    return shown


def not_a_question_todo() -> str:
    """What to do with a column that is no question of the questionnaire."""
    return _("move the notes to a separate document, or delete the column")


def read_table(path: Path, problems: list[Problem] | None = None,
               drop: Callable[[list[str]], list[int]] | None = None) -> pd.DataFrame:
    """The answers file as text cells, header stripped, fully empty rows dropped.

    The index is the spreadsheet row number (the header is row 1); ``attrs["letters"]`` maps
    each header kept to its column's letter. Cells that cannot be read as typed values (a
    formula, a spreadsheet error, a text longer than :data:`MAX_CELL` characters), rows longer
    than the header and columns with text but no header are added to ``problems``; such cells
    are read as empty so no later message shows them. ``drop`` names, from the header, the
    positions of columns to leave unread (a tablet form's export: the platform's metadata), none
    of whose cells is then checked or kept.
    """
    problems = [] if problems is None else problems
    file = str(path)
    sheet = read_xlsx_cells(path, EXCEL_SHEET) if path.suffix.lower() == ".xlsx" else read_csv_cells(path)
    header = [h.strip() for h in sheet.rows[0]] if sheet.rows else []
    unread = set(drop(header)) if drop and any(header) else set()
    for r, c, why in sheet.bad_cells:
        if c - 1 not in unread:
            named = shown_header(header[c - 1]) if c - 1 < len(header) else None
            problems.append(Problem(file, r, named, None, why, letter=column_letter(c)))
    if not any(header):
        return pd.DataFrame()
    df = _body(sheet.rows[1:], header, unread, file, problems)
    keep = _kept(df, header, unread, file, problems)
    df = df[keep]
    df.columns = [header[j] for j in keep]
    if not len(df.columns):
        return pd.DataFrame()
    df = df.drop(index=df.index[:_comment_rows(df)])
    df = df[~(df == "").all(axis=1)]
    df.attrs["letters"] = {header[j]: column_letter(j + 1) for j in keep}
    return df


def _body(rows: list[list[str]], header: list[str], unread: set[int], file: str,
          problems: list[Problem]) -> pd.DataFrame:
    """The rows below the header as a frame of stripped texts, as wide as the header: text beyond
    it and cells longer than :data:`MAX_CELL` are problems, and read as empty."""
    width = len(header)
    body = []
    for r, cells in enumerate(rows, start=2):
        cells = [c.strip() for c in cells]
        if len(cells) > width:
            if any(cells[width:]):
                problems.append(Problem(file, r, None, None, _(
                    "at most {n} cells in a row, as many as the header has columns").format(n=width),
                    found=_("this row has text beyond the last column (not shown here)"),
                    todo=not_a_question_todo(), letter=column_letter(width + 1)))
            cells = cells[:width]
        if cells and max(map(len, cells)) > MAX_CELL:
            for j, c in enumerate(cells):
                if len(c) > MAX_CELL and j not in unread:
                    problems.append(Problem(file, r, shown_header(header[j]), None, _(
                        "a cell of at most {n} characters (this one has {length})").format(
                        n=MAX_CELL, length=f"{len(c):,}"), letter=column_letter(j + 1)))
                    cells[j] = ""
        body.append(cells + [""] * (width - len(cells)))
    return pd.DataFrame(body, columns=range(width), index=range(2, len(body) + 2), dtype=object)


def _kept(df: pd.DataFrame, header: list[str], unread: set[int], file: str, problems: list[Problem]) -> list[int]:
    """The positions of the columns to read: each header once, none unread; a column with text
    but no header is a note beside the data, named by its letter."""
    keep, seen = [], set()
    for j, h in enumerate(header):
        if j in unread:
            continue
        if h and h.lower() in seen:
            problems.append(Problem(file, 1, shown_header(h), None, _("each column only once"),
                                    found=_("this header is the header of an earlier column too"),
                                    letter=column_letter(j + 1)))
        elif h:
            keep.append(j)
            seen.add(h.lower())
        elif len(df) and (df[j] != "").any():
            first = int(df.index[(df[j] != "").to_numpy()][0])
            problems.append(Problem(file, first, None, None, _("only the columns of the questionnaire"), found=_(
                "this column has no header, so it is no question of the questionnaire, yet it holds text from row "
                "{row} on (not shown here)").format(row=first), todo=not_a_question_todo(), letter=column_letter(j + 1)))
    return keep


def question_row_marks() -> set[str]:
    """What the respondent_id cell of a row of questions holds (lower case): the entry template's
    header of that column, "Volgnummer van de vragenlijst" (and its English), or the marker of the
    templates written before it, "vraag", which teams' filled workbooks still hold."""
    texts = load_resource("questionnaire.yaml")
    return {"vraag", "question", "# vraag", *(texts[lang]["respondent_code"].lower() for lang in ("nl", "en"))}


def _comment_rows(df: pd.DataFrame) -> int:
    """The entry template holds the questions in a second header row: skip such rows.

    >>> _comment_rows(pd.DataFrame({ID_COLUMN: ["Volgnummer van de vragenlijst", "R001"]}))
    1
    >>> _comment_rows(pd.DataFrame({ID_COLUMN: ["vraag", "R001"]}))
    1
    """
    if ID_COLUMN not in df.columns:
        return 0
    marks = question_row_marks()
    n = 0
    for value in df[ID_COLUMN]:
        if " ".join(str(value).split()).lower() in marks:
            n += 1
        else:
            break
    return n


def map_headers(df: pd.DataFrame, codebook: Codebook, file: str, problems: list[Problem]) -> dict[str, str]:
    """Header as typed -> the column of the questionnaire it is (any case); every header that is
    none (named by its letter: a note beside the data, or a mistyped code), a column given twice
    and a column missing is a problem."""
    letters = df.attrs.get("letters") or {c: column_letter(j) for j, c in enumerate(df.columns, start=1)}
    expected = [ID_COLUMN, *codebook.item_ids]
    by_lower = {c.lower(): c for c in expected}
    rename: dict[str, str] = {}
    for col in df.columns:
        target = by_lower.get(col.lower())
        if target is None:
            problems.append(_not_a_question(file, col, letters.get(col), codebook.version, expected))
        elif target in rename.values():
            problems.append(Problem(file, 1, target, None, _("each column only once"), letter=letters.get(col)))
        else:
            rename[col] = target
    given = {target: col for col, target in rename.items()}
    for at, col in enumerate(expected):
        if col not in rename.values():  # where it belongs: after the nearest column before it that is there
            before = next((c for c in reversed(expected[:at]) if c in given), None)
            todo = (_("add the column after column {letter} ({code}), as the entry template has it").format(
                letter=letters.get(given[before]), code=before) if before and letters.get(given[before])
                else _("add the column as the entry template has it"))
            problems.append(Problem(file, None, col, None, _("a column for this question (it is missing)"), todo=todo))
    return rename


def _not_a_question(file: str, header: str, letter: str | None, version: str, expected: list[str]) -> Problem:
    """A column whose header is no column of the questionnaire: a note beside the data, or a
    mistyped code (then: did you mean …?)."""
    shown = shown_header(header)
    found = (_("its header is none of the questionnaire's codes") if shown is not None else
             _("its header, {what}, is no question of the questionnaire (not shown here)").format(what=shape(header)))
    return Problem(file, 1, shown, None, _("a column of questionnaire {version}: respondent_id or a question's code, "
                                           "such as q08_satisfaction").format(version=version),
                   found=found + did_you_mean(header, expected), todo=not_a_question_todo(), letter=letter)


def other_version(columns, codebook: Codebook) -> Codebook | None:
    """The questionnaire version whose own questions the answers' ``columns`` hold where they
    hold none of ``codebook``'s own (a workbook of v2 described as v1), else None."""
    have = {str(c).lower() for c in columns}
    own = {i.lower() for i in codebook.item_ids}
    for version in versions():
        if version == codebook.version:
            continue
        other = load_codebook(version)
        theirs = {i.lower() for i in other.item_ids}
        if have & (theirs - own) and not have & (own - theirs):
            return other
    return None


def only_in(columns, codebook: Codebook, other: Codebook) -> list[str]:
    """The columns of ``columns`` that are questions of ``codebook`` and not of ``other``."""
    have = {str(c).lower() for c in columns}
    return [i for i in codebook.item_ids if i.lower() in have and i not in other.item_ids]

