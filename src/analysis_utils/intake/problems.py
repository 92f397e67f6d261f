"""What is wrong with an intake, located as precisely as the input allows: the file, the
spreadsheet row (the header is row 1), the column, the value where it may be shown, and what was
expected. Every problem is collected and reported at once, one line each.

Examples
--------
>>> str(Problem("responses.csv", 3, "q08_satisfaction", "7", "a code of 1 to 5"))
"responses.csv, row 3, column q08_satisfaction: value '7': expected a code of 1 to 5"
>>> shape("Jan Peeters"), show("4,0"), show("Jan")
('a text of 11 characters', '4,0', None)
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

META_SHEET = "bevraging"  # the entry workbook's sheet describing the intake (instead of intake.yaml)
DETAILED = 10  # problems of one kind named row by row in one column; the rest are counted


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


def shape(value) -> str:
    """What a value is, without showing it."""
    if isinstance(value, str):
        return f"a text of {len(value)} characters"
    if isinstance(value, (dt.date, dt.time)):  # a spreadsheet cell formatted as a date or a time
        return "a date or time (the spreadsheet turned what was typed into one)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "a number (not shown: it could be a phone or register number)"
    return {dict: "a mapping", list: "a list", bool: "a yes/no value"}.get(type(value), f"a {type(value).__name__}")


def show(value: str) -> str | None:
    """A cell value that may be printed: a short run of digits and signs (a mistyped code
    cannot name anyone). Anything else is described, never shown."""
    return value if re.fullmatch(r"[0-9.,+\-eE/ ]{1,8}", value) else None


def did_you_mean(value: str, choices: list[str]) -> str:
    """"; did you mean 'x'?" for a near-miss of one of ``choices``, else nothing."""

    close = difflib.get_close_matches(value.casefold(), choices, n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def capped(problems: list[Problem], file: str, column: str, rows: list[int], make) -> None:
    """One problem per row for the first :data:`DETAILED` rows, then one that counts the rest
    (a file of junk gives a short answer, fast)."""
    for row in rows[:DETAILED]:
        problems.append(make(row))
    if len(rows) > DETAILED:
        first = make(rows[DETAILED])
        problems.append(Problem(file, rows[DETAILED], column, None,
                                f"the same in {len(rows) - DETAILED:,} more rows of this column, from this one on: "
                                + first.expected.split(" (this cell holds")[0]))
