"""Bounded readers for an intake's files: whatever a file holds, reading it takes bounded time
and memory, or the file is refused with a reason.

- YAML: at most 64 KB, no aliases or anchors (a kilobyte of nested aliases expands to
  gigabytes), at most 10 levels of nesting; parsed as events first, so nothing is expanded.
- Answers (CSV or xlsx): at most 10 MB on disk (an xlsx at most 80 MB unpacked), 100,000 rows,
  300 columns; a worksheet is read only as far as its data goes, cell by cell, with formula
  and error cells reported rather than silently read as empty.

Each reader returns plain Python values; :mod:`analysis_utils.intake.answers` turns them into
problems located by file, row and column.

Examples
--------
>>> load_yaml_bounded("a: 1\\nb: [x, y]\\n")
{'a': 1, 'b': ['x', 'y']}
>>> load_yaml_bounded("a: &x [1]\\nb: *x\\n")
Traceback (most recent call last):
...
analysis_utils.intake.read.Refused: no YAML anchors or aliases (&name / *name): write every value out
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..i18n import _

YAML_MAX_BYTES = 64 * 1024
YAML_MAX_DEPTH = 10
ANSWERS_MAX_BYTES = 10 * 1024 * 1024
XLSX_MAX_UNPACKED = 80 * 1024 * 1024
XLSX_MAX_STRINGS = 8 * 1024 * 1024  # the shared-strings part, unpacked
MAX_ROWS = 100_000
MAX_COLUMNS = 300

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Refused(ValueError):
    """A file refused as a whole; the message says what was expected."""


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def load_yaml_bounded(text: str):
    """Parse a small YAML document without aliases or deep nesting (safe tags only)."""
    if len(text.encode("utf-8")) > YAML_MAX_BYTES:
        raise Refused(_("a description of at most {most} (this one has {size})").format(
            most=_size(YAML_MAX_BYTES), size=_size(len(text.encode()))))
    depth = 0
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise Refused(_("no YAML anchors or aliases (&name / *name): write every value out"))
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > YAML_MAX_DEPTH:
                    raise Refused(_("at most {n} levels of nesting").format(n=YAML_MAX_DEPTH))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        if where is not None:
            raise Refused(_("valid YAML ({problem} at line {line})").format(problem=problem, line=where.line + 1)) from None
        raise Refused(_("valid YAML ({problem})").format(problem=problem)) from None


@dataclass
class Sheet:
    """The cells of an answers file as text, row by row (the header is row 1), plus the cells
    that could not be read as typed values: (row, column number, reason)."""

    rows: list[list[str]]
    bad_cells: list[tuple[int, int, str]]


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > ANSWERS_MAX_BYTES:
        raise Refused(_("an answers file of at most {most} (this one has {size}; 10,000 respondents take about "
                        "1.5 MB)").format(most=_size(ANSWERS_MAX_BYTES), size=_size(size)))


def read_text_bounded(path: Path) -> str:
    """A small UTF-8 text file (a description, a publication's facts), its size checked before
    a byte is read: at most :data:`YAML_MAX_BYTES`. Raises :class:`Refused` or UnicodeDecodeError."""
    size = path.stat().st_size
    if size > YAML_MAX_BYTES:
        raise Refused(_("a file of at most {most} (this one has {size})").format(most=_size(YAML_MAX_BYTES),
                                                                                  size=_size(size)))
    return decode(path.read_bytes(), strict=True)


def check_workbook(path: Path) -> None:
    """A workbook's bounds, checked before it is opened: its size on disk, its size unpacked, and
    its shared-strings part (every text of the workbook, which a reader holds in memory whole)."""
    _check_size(path)
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError):
        raise Refused(_("a readable xlsx file (this one is not a zip-packed workbook)")) from None
    unpacked = sum(i.file_size for i in parts)
    if unpacked > XLSX_MAX_UNPACKED:
        raise Refused(_("a workbook of at most {most} unpacked (this one unpacks to {size})").format(
            most=_size(XLSX_MAX_UNPACKED), size=_size(unpacked)))
    strings = sum(i.file_size for i in parts if i.filename.lower().endswith("sharedstrings.xml"))
    if strings > XLSX_MAX_STRINGS:
        raise Refused(_("a workbook whose texts take at most {most} (this one's take {size}: answers are codes and "
                        "short labels)").format(most=_size(XLSX_MAX_STRINGS), size=_size(strings)))


WORKBOOK_PART = "xl/workbook.xml"  # where a workbook lists its sheets


def sheet_names(path: Path) -> list[str]:
    """The names of a workbook's sheets, read from its list of sheets alone (a part of at most
    1 MB), without opening the workbook; none for a file that is no workbook."""
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo(WORKBOOK_PART)
            if info.file_size > 1024 * 1024:
                return []
            text = z.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return []
    return re.findall(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"', text)


def decode(raw: bytes, strict: bool = False) -> str:
    """UTF-8 (with or without BOM), else (unless ``strict``) cp1252 as Excel on Windows saves a CSV."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if strict:
            raise
        return raw.decode("cp1252")


def read_csv_cells(path: Path) -> Sheet:
    """A CSV file (comma or semicolon, as Excel saves it) as rows of text cells."""
    _check_size(path)
    text = decode(path.read_bytes())
    if not text.strip():
        return Sheet([], [])
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    rows = []
    try:
        for i, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=sep), start=1):
            if i > MAX_ROWS + 1:
                raise Refused(_("at most {n} respondent rows").format(n=f"{MAX_ROWS:,}"))
            if len(row) > MAX_COLUMNS:
                raise Refused(_("at most {n} columns (row {row} has {width})").format(
                    n=MAX_COLUMNS, row=i, width=f"{len(row):,}"))
            rows.append(row)
    except csv.Error as exc:
        raise Refused(_("a readable CSV file ({why}; a cell may hold at most a few hundred characters)").format(
            why=exc)) from None
    return Sheet(rows, [])


EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#BUSY!"})


def _cell_text(value) -> str:
    """A typed spreadsheet value as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx_cells(path: Path, sheet_name: str) -> Sheet:
    """The sheet ``sheet_name`` (else the first) of a workbook as rows of text cells.

    Read cell by cell in openpyxl's streaming mode, only up to :data:`MAX_ROWS` and
    :data:`MAX_COLUMNS`, so a stray cell at row 1,048,576 costs nothing and is refused.
    A formula is refused (its value may be missing or stale), and so is an error value
    such as #N/A, instead of either becoming an empty answer. (Read with ``data_only=False``,
    a formula arrives as its text "=…" and an error as "#N/A": both are reported by cell.)
    """
    from openpyxl import load_workbook

    check_workbook(path)
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb[sheet_name] if sheet_name in wb.sheetnames else wb.worksheets[0]
        rows: list[list[str]] = []
        bad: list[tuple[int, int, str]] = []
        last = 0
        used = ws.max_row or 0  # the used range the workbook declares (<dimension>)
        if used > MAX_ROWS + 1:
            raise Refused(_("at most {n} respondent rows (the sheet's used range reaches row {used}: delete stray "
                            "cells or formatting below the answers)").format(n=f"{MAX_ROWS:,}", used=f"{used:,}"))
        for r, values in enumerate(ws.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1,
                                                values_only=True), start=1):
            if values.count(None) == len(values):  # openpyxl pads gaps with empty rows
                continue
            if len(values) > MAX_COLUMNS and values[MAX_COLUMNS] is not None:
                raise Refused(_("at most {n} columns (row {row} has a value beyond)").format(n=MAX_COLUMNS, row=r))
            texts = [""] * len(values)
            for c, value in enumerate(values[:MAX_COLUMNS], start=1):
                if value is None:
                    continue
                if isinstance(value, str) and value.startswith("="):
                    bad.append((r, c, _("a typed value, not a formula (copy the column and paste it as values)")))
                elif isinstance(value, str) and value in EXCEL_ERRORS:
                    bad.append((r, c, _("a code or label, not the spreadsheet error {error}").format(error=value)))
                else:
                    texts[c - 1] = _cell_text(value)
            rows.extend([[]] * (r - 1 - len(rows)))  # the empty rows skipped before this one
            rows.append(texts)
            last = r
        return Sheet(rows[:last], bad)
    finally:
        wb.close()
