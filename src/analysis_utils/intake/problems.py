"""What is wrong with an intake, located as precisely as the input allows: the file, the
spreadsheet row (the header is row 1), the column (its letter as the spreadsheet shows it, its
code and the Dutch question of its header), the value where it may be shown, what was expected,
what the cell holds (described, never shown) and what to do. Every problem is collected and
reported at once, one line each, in the language it was found in (:mod:`analysis_utils.i18n`:
validation runs inside ``language("nl")`` to speak Dutch).

Examples
--------
>>> str(Problem("responses.csv", 3, "q08_satisfaction", "7", "a code of 1 to 5"))
"responses.csv, row 3, column q08_satisfaction: value '7': expected a code of 1 to 5"
>>> str(Problem("responses.xlsx", 5, "q08_satisfaction", None, "an answer", found="this cell holds a note",
...             todo="pick an answer", letter="L", question="Ik ben tevreden …"))
'responses.xlsx, row 5, column L (q08_satisfaction: “Ik ben tevreden …”): expected an answer; this cell holds a note — pick an answer'
>>> shape("Jan Peeters"), show("4,0"), show("Jan"), column_letter(28)
('a text of 11 characters', '4,0', None, 'AB')
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field, replace

from ..i18n import N_, _, current, ngettext, translate

META_SHEET = "bevraging"  # the entry workbook's sheet describing the intake (instead of intake.yaml)
DETAILED = 10  # problems of one kind named row by row in one column; the rest are counted

# The words that say where a problem is, in the problem's own language.
ROW = N_("row {row}")
KEY = N_("key {key}")
COLUMN = N_("column {column}")
COLUMN_AT = N_("column {letter} ({column})")
VALUE = N_("value {value}")
EXPECTED = N_("expected {what}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an intake, located as precisely as the input allows.

    ``column`` is the column's code (an item id, ``respondent_id``) or a key of the description;
    ``letter`` its letter in the spreadsheet, ``question`` the Dutch question its header shows.
    ``found`` describes what the cell holds (never the refused value itself), ``todo`` says what
    to do. ``lang`` is the language the texts were written in (the current one when made)."""

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str
    found: str = ""
    todo: str = ""
    letter: str | None = None
    question: str | None = None
    lang: str = field(default_factory=current, compare=False, repr=False)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(self._say(ROW, row=self.row))
        if self.column is not None or self.letter is not None:
            where.append(self._where_in_row())
        text = ", ".join(where)
        if self.value is not None:
            text += ": " + self._say(VALUE, value=repr(self.value))
        text += ": " + self._say(EXPECTED, what=self.expected)
        text += f"; {self.found}" if self.found else ""
        return text + (f" — {self.todo}" if self.todo else "")

    def _say(self, message: str, **values) -> str:
        return translate(message, self.lang).format(**values)

    def _where_in_row(self) -> str:
        """The key of a description, else the column: its letter, code and question."""
        if self.column is not None and describes(self.file):
            return self._say(KEY, key=self.column)
        quoted = f"“{self.question}”" if self.question else ""
        if self.letter is None:
            text = self._say(COLUMN, column=self.column)
            return f"{text} ({quoted})" if quoted else text
        named = ": ".join(part for part in (self.column, quoted) if part)
        return self._say(COLUMN_AT, letter=self.letter, column=named) if named else self._say(COLUMN, column=self.letter)


def column_words(letter: str | None, column: str, question: str | None) -> str:
    """A column named in a sentence, in the current language: "column C (a03_team: “Team …”)"."""
    named = f"{column}: “{question}”" if question else column
    return _(COLUMN_AT).format(letter=letter, column=named) if letter else _(COLUMN).format(column=named)


def describes(file: str) -> bool:
    """Whether ``file`` is where the intake is described (its keys are named, not its columns)."""
    return file.endswith((".yaml", ".yml", f" {META_SHEET})"))


def sheet_of(workbook, sheet: str = META_SHEET) -> str:
    """How a sheet of a workbook is named in a problem: "responses.xlsx (sheet bevraging)"."""
    return _("{file} (sheet {sheet})").format(file=workbook, sheet=sheet)


class IntakeError(Exception):
    """Invalid input: carries every :class:`Problem` found, and the language they are in."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.lang = problems[0].lang if problems else current()
        super().__init__("\n".join(str(p) for p in problems))


def column_letter(n: int) -> str:
    """The spreadsheet's letter of column ``n`` (1 is A, 27 is AA)."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def located(problems: list[Problem], file: str, letters: dict[str, str], questions: dict[str, str]) -> list[Problem]:
    """``problems`` with the letter and question of each column of ``file`` they name, where
    they do not have them yet (``letters``, ``questions``: by column code, in lower case)."""
    out = []
    for p in problems:
        key = (p.column or "").lower()
        if p.file == file and p.column is not None and (p.letter is None or p.question is None):
            p = replace(p, letter=p.letter or letters.get(key), question=p.question or questions.get(key))
        out.append(p)
    return out


def shape(value) -> str:
    """What a value is, without showing it."""
    if isinstance(value, str):
        return ngettext("a text of {n} character", "a text of {n} characters", len(value)).format(n=len(value))
    if isinstance(value, (dt.date, dt.time)):  # a spreadsheet cell formatted as a date or a time
        return _("a date or time (the spreadsheet turned what was typed into one)")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _("a number (not shown: it could be a phone or register number)")
    kinds = {dict: N_("a mapping"), list: N_("a list"), bool: N_("a yes/no value")}
    return _(kinds[type(value)]) if type(value) in kinds else _("a {kind}").format(kind=type(value).__name__)


def holds(value) -> str:
    """"this cell holds a text of 11 characters, not shown here": a refused cell, described."""
    return _("this cell holds {what}, not shown here").format(what=shape(value))


def show(value: str) -> str | None:
    """A cell value that may be printed: a short run of digits and signs (a mistyped code
    cannot name anyone). Anything else is described, never shown."""
    return value if re.fullmatch(r"[0-9.,+\-eE/ ]{1,8}", value) else None


def did_you_mean(value: str, choices: list[str]) -> str:
    """"; did you mean 'x'?" for a near-miss of one of ``choices``, else nothing."""

    folded = {c.casefold(): c for c in choices}  # 'Team Nord' is near 'Team Noord' in any case
    close = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.75)
    return "; " + _("did you mean '{choice}'?").format(choice=folded[close[0]]) if close else ""


def capped(problems: list[Problem], file: str, column: str, rows: list[int], make) -> None:
    """One problem per row for the first :data:`DETAILED` rows, then one that counts the rest
    (a file of junk gives a short answer, fast)."""
    for row in rows[:DETAILED]:
        problems.append(make(row))
    if len(rows) > DETAILED:
        first = make(rows[DETAILED])
        problems.append(Problem(file, rows[DETAILED], column, None, _(
            "the same in {n} more rows of this column, from this one on: {what}").format(
            n=f"{len(rows) - DETAILED:,}", what=first.expected), todo=first.todo, letter=first.letter))
