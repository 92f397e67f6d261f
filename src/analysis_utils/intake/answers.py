"""The answers of an intake: every cell turned into a code of its item's scale, every respondent
id checked to be a code, direct identifiers refused, and what every chapter relies on checked.

Every problem is collected (:class:`~analysis_utils.intake.problems.Problem`), naming the file, the
spreadsheet row (the header is row 1), the column, the value where it may be shown, what was
expected, what the cell holds (described, never shown) and what to do. The table itself is read
by :mod:`.columns`.
"""
from __future__ import annotations

import re
from itertools import islice

import pandas as pd

from ..codebook import Codebook, mask, question_numbers
from ..i18n import N_, _, ngettext
from .columns import ID_COLUMN, map_headers
from .meta import TEAM_KEY
from .privacy import header_kind, identifier_kind, kind_words
from .problems import Problem, capped, did_you_mean, holds, show

RESPONSE_FILES = ("responses.csv", "responses.xlsx")
# A respondent id is a code, never a name (nor a phone or register number):
# a sequence number with at most a short prefix and suffix: R001, 17, B00042, A12b. Longer runs
# of letters (a name: Janssens1) or digits (a date of birth: JP120361) are refused.
RESPONDENT_ID = re.compile(r"[A-Za-z]{0,3}\d{1,5}[A-Za-z]?\Z")
RESPONDENT_ID_RULE = N_("a respondent code, the questionnaire's number: a number of at most 5 digits, with at most 3 "
                        "letters before it and 1 after, such as R001 (never a name or a date)")


def id_todo() -> str:
    """What to do with a respondent id that is no code."""
    return _("type the questionnaire's number instead, a code such as R001; names go on a separate list, never in "
             "this file")


def answer_expected(item) -> str:
    """What an answer cell of ``item`` may hold: its answers (code and words), or nothing."""
    return _("one of this question's answers, as its code or in words ({choices}), or an empty cell").format(
        choices=item.scale.choices("nl"))


def answer_todo() -> str:
    """What to do with an answer cell that holds no answer."""
    return _("pick an answer from the list or type its code; leave the cell empty if the question was not answered "
             "(a note does not belong in an answer cell)")


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
    """A cell of an answer column that is no answer: shown if a short run of digits, else
    described, with "did you mean …?" for a near-miss of a label."""
    shown = show(value)
    labels = [item.scale.label(c, lang) for c in item.scale.codes for lang in ("nl", "en")]
    found = "" if shown is not None else holds(value) + did_you_mean(value, labels)
    return Problem(file, row, column, shown, answer_expected(item), found=found, todo=answer_todo())


def _respondent_ids(ids: pd.Series, file: str, skip: set, problems: list[Problem]) -> pd.Series:
    """The respondent id column: every id present, a code (never a name), and used once."""
    empty = [row for row in ids.index[ids == ""] if (row, ID_COLUMN) not in skip]
    capped(problems, file, ID_COLUMN, empty, lambda row: Problem(
        file, row, ID_COLUMN, None, _("a respondent id (not empty)"),
        todo=_("type the number written on the questionnaire, such as R001")))
    valid = ids.map(lambda v: bool(RESPONDENT_ID.match(v)))
    bad = ids[(ids != "") & ~valid]
    capped(problems, file, ID_COLUMN, list(bad.index), lambda row: Problem(
        file, row, ID_COLUMN, None, _(RESPONDENT_ID_RULE), found=holds(ids[row]), todo=id_todo()))
    dup = ids[(ids != "") & valid & ids.duplicated(keep=False)]
    capped(problems, file, ID_COLUMN, list(dup.index), lambda row: Problem(
        file, row, ID_COLUMN, ids[row], _("a respondent id used only once"),
        todo=_("give each questionnaire its own number")))
    return ids


def _answer_codes(col: pd.Series, item, file: str, skip: set, problems: list[Problem]):
    """One answer column as codes of its item's scale (missing where empty or unreadable)."""
    lookup = item.scale.lookup()
    texts = col.tolist()
    distinct = set(texts)
    if len(distinct) > MAX_DISTINCT:  # no answer column: refused whole, without reading every text
        problems.append(Problem(file, None, item.id, None, answer_expected(item), found=_(
            "this column holds {n} different texts, an answer column a handful").format(n=f"{len(distinct):,}")))
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
        problems.append(Problem(file, None, None, None, _("a header row and at least one respondent row")))
        return pd.DataFrame(), problems
    letters = df.attrs.get("letters", {})
    identifiers, cells, refused = find_identifiers(df, codebook, file)
    problems.extend(identifiers)
    df = df.drop(columns=refused).copy()
    df.attrs["letters"] = letters
    for row, col in cells:  # never echo an identifier in a later message
        df.at[row, col] = ""
    rename = map_headers(df, codebook, file, problems)
    if len(df) == 0:
        problems.append(Problem(file, None, None, None, _("at least one respondent row below the header")))
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
        problems.append(Problem(file, None, None, None, _(
            "at least {min} respondents (this file has {n}): fewer cannot be reported without recognising "
            "someone").format(min=MIN_RESPONDENTS, n=len(cells))))
    for item in codebook.items:  # (a column whose cells were all refused is reported cell by cell)
        if item.coded and not item.asked_if and item.id in cells and len(cells) and (cells[item.id] == "").all():
            problems.append(Problem(file, None, item.id, None, _(
                "at least one answer in this column (nobody answered it: is the questionnaire version {version} "
                "right, and was the column entered?)").format(version=codebook.version)))
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
        more = ngettext(" (and {n} more row with the same text)", " (and {n} more rows with the same text)",
                        len(rows) - 1).format(n=len(rows) - 1) if len(rows) > 1 else ""
        if teams is None:
            expected = _("a team declared in the intake's description: add a key '{key}' listing the teams or sites "
                         "(on the sheet bevraging: the row {key}), e.g. teams: [Team Noord, Team Zuid] (never a "
                         "social worker's name)").format(key=TEAM_KEY)
        else:
            expected = _("one of the declared teams ({teams})").format(teams=", ".join(teams))
        problems.append(Problem(file, rows[0], column, None, expected,
                                found=holds(v) + more + (did_you_mean(v, list(teams)) if teams else ""),
                                todo=_("type the team as the intake's description declares it (intake.yaml, or the "
                                       "sheet bevraging, row {key}), or declare it there").format(key=TEAM_KEY)))
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


def find_identifiers(df: pd.DataFrame, codebook: Codebook,
                     file: str) -> tuple[list[Problem], set[tuple[int, str]], list[str]]:
    """Columns whose header announces, or whose cells hold, a direct identifier: one problem
    per column and kind, naming the first row (no part of the identifier is printed), every
    (row, column) cell found and the columns refused by their header. A cell that reads as an
    answer of its item (a code, or a label in any case: 'Zeker Wel') is an answer, not a name."""
    problems, cells, refused = [], set(), []
    letters = df.attrs.get("letters", {})
    items = {i.id.lower(): i for i in codebook.items}
    any_label = {k for i in codebook.items if i.coded for k in i.scale.lookup()}  # every scale's labels
    for col in df.columns:
        item = items.get(col.lower())
        kind = header_kind(col)
        if kind and item is None and col.lower() != ID_COLUMN:
            shown = col if len(col) <= 40 and not identifier_kind(col) else None
            problems.append(Problem(file, 1, shown, None, _(
                "no column of direct identifiers: its header says it holds {kind}").format(kind=kind_words(kind)),
                todo=_("remove the column (names go on a separate list, never in the answers file)"),
                letter=letters.get(col)))
            refused.append(col)
            continue
        found = _identifier_cells(df[col], item, any_label)
        for k, rows in found.items():
            cells.update((row, col) for row in rows)
            more = ngettext(" (and {n} more row)", " (and {n} more rows)", len(rows) - 1).format(
                n=len(rows) - 1) if len(rows) > 1 else ""
            is_id = col.lower() == ID_COLUMN
            problems.append(Problem(file, rows[0], col, None, _(RESPONDENT_ID_RULE) if is_id else _("no direct identifiers"),
                                    found=_("this cell looks like {kind}, not shown here{more}").format(
                                        kind=kind_words(k), more=more),
                                    todo=id_todo() if is_id else _("remove it from the file")))
    return problems, cells, refused


def _identifier_cells(col: pd.Series, item, any_label: set[str]) -> dict[str, list[int]]:
    """Kind of identifier -> the rows of ``col`` that hold one (an answer column's texts that
    are no answers are scanned, to :data:`SCAN_LIMIT`; each distinct text once)."""
    lookup = item.scale.lookup() if item is not None and item.coded else {}
    names = item is None or item.coded  # a declared team may look like a name: 'Team Noord'
    distinct = col.unique()
    if item is not None and item.coded:  # an answer column: its texts that are no answers, to a limit
        if len(distinct) > MAX_DISTINCT:
            return {}  # no answer column at all: refused whole in parse_responses, nothing printed
        distinct = list(islice((v for v in distinct if _as_code(v, lookup) is None), SCAN_LIMIT))
    kind_of = {v: _identifier_in_answer(v, lookup, any_label, names) for v in distinct}
    found: dict[str, list[int]] = {}
    if any(kind_of.values()):  # rows only where one was found
        for row, v in col.items():
            if kind_of.get(v):
                found.setdefault(kind_of[v], []).append(row)
    return found


def _not_asked_but_answered(out: pd.DataFrame, df: pd.DataFrame, codebook: Codebook, file: str) -> list[Problem]:
    """Answers to questions the respondent was never asked: pilot-absent items, follow-ups."""
    problems = []
    letters = {h.lower(): letter for h, letter in df.attrs.get("letters", {}).items()}
    for item in codebook.items:
        if item.id not in out:
            continue
        rules = []
        if item.absent_in_pilot and "a02_questionnaire_form" in out:
            rules.append((out["a02_questionnaire_form"].eq(1).fillna(False),
                          _("an empty cell: the pilot questionnaire did not ask this item"),
                          _check_both("a02_questionnaire_form", letters)))
        if item.asked_if and set(item.asked_if) <= set(out.columns):
            lead = "; ".join(_condition(k, v, codebook) for k, v in item.asked_if.items())
            rules.append((~mask(out, item.asked_if), _("an empty cell: asked only when {lead}").format(lead=lead),
                          _check_both(next(iter(item.asked_if)), letters)))
        for not_asked, expected, todo in rules:
            for row in out.index[not_asked & out[item.id].notna()]:
                problems.append(Problem(file, row, item.id, show(str(df.at[row, item.id])), expected, todo=todo))
    return problems


def _check_both(lead: str, letters: dict[str, str]) -> str:
    """What to do where an answer contradicts the answer that decides whether it was asked: either
    cell may be the slip, so look on the paper questionnaire (never just empty this one)."""
    where = _("column {letter} ({code})").format(letter=letters[lead.lower()], code=lead) if lead.lower() in letters \
        else lead
    return _("check on the paper questionnaire which is right, this cell or {lead}, and correct the other").format(
        lead=where)


def _condition(item_id: str, codes, codebook: Codebook) -> str:
    """A follow-up's condition in words, as the paper form numbers its lead: "question 23
    (q23_concealment) is 'één keer' or …"."""
    if not isinstance(codes, list):
        return f"{item_id}: {codes}"
    scale = codebook.scale_of(item_id)
    answers = _(" or ").join(f"'{scale.label(c, 'nl')}'" for c in codes)
    number = question_numbers(codebook).get(item_id)
    item = _("question {number} ({item})").format(number=number, item=item_id) if number else item_id
    return _("{item} is {answers}").format(item=item, answers=answers)
