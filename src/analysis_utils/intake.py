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

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .codebook import Codebook, load_codebook
from .facts import mask
from .privacy import header_kind, identifier_kind
from .privacy import mask as mask_identifier

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

    def checksums(self) -> dict[str, str]:
        """SHA-256 of every input file, by file name."""
        return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in self.files}


# --- metadata --------------------------------------------------------------------------------

META_SHEET = "bevraging"  # the entry workbook's sheet describing the intake (instead of intake.yaml)


def _meta_from_workbook(path: Path) -> tuple[dict, dict[str, int]] | None:
    """Key -> value of the sheet ``bevraging`` of an entry workbook, and key -> spreadsheet row."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # an unreadable workbook is reported when the answers are read
        return None
    if META_SHEET not in wb.sheetnames:
        return None
    meta, rows = {}, {}
    for r, row in enumerate(wb[META_SHEET].iter_rows(min_row=2, values_only=True), start=2):
        if not row or row[0] in (None, ""):
            continue
        key, value = str(row[0]).strip(), row[1] if len(row) > 1 else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, str):
            value = value.strip()
            value = int(value) if value.isdigit() else value
        meta[key], rows[key] = value, r
    wb.close()
    return meta, rows


def read_meta(intake_dir: Path, problems: list[Problem]) -> dict | None:
    """The intake's description: ``intake.yaml``, else the sheet ``bevraging`` of
    ``responses.xlsx`` (the entry template carries it, so a filled template is enough)."""
    path = intake_dir / "intake.yaml"
    rows: dict[str, int] = {}
    if path.is_file():
        name = str(path)
        try:
            meta = yaml.safe_load(path.read_text("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, None, None, None, f"valid UTF-8 YAML ({exc.__class__.__name__}: {exc})"))
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
        problems.append(Problem(name, None, None, meta, "a mapping of keys such as id, title, source"))
        return None
    for key, typ in META_REQUIRED.items():
        row = rows.get(key)
        if key not in meta or meta[key] in (None, ""):
            problems.append(Problem(name, row, key, None, f"key '{key}' to be present"))
        elif typ is int and (not isinstance(meta[key], int) or isinstance(meta[key], bool) or meta[key] < 1):
            problems.append(Problem(name, row, key, meta[key], "a whole number of at least 1"))
        elif typ is str and not isinstance(meta[key], (str, int, float)):
            problems.append(Problem(name, row, key, meta[key], "a text value"))
    if meta.get("source") not in (None, "") and meta["source"] not in SOURCES:
        problems.append(Problem(name, rows.get("source"), "source", meta["source"], f"one of {', '.join(SOURCES)}"))
    if meta.get("id") not in (None, "") and str(meta["id"]) != intake_dir.name:
        problems.append(Problem(name, rows.get("id"), "id", meta["id"], f"the folder's name '{intake_dir.name}'"))
    return meta


# --- the answers file ---------------------------------------------------------------------------

def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1252 as Excel on Windows saves a CSV."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def read_table(path: Path) -> pd.DataFrame:
    """The answers file as text cells, header stripped, fully empty rows dropped.

    The index is the spreadsheet row number (the header is row 1).
    """
    if path.suffix.lower() == ".xlsx":
        with pd.ExcelFile(path, engine="openpyxl") as xls:
            sheet = EXCEL_SHEET if EXCEL_SHEET in xls.sheet_names else xls.sheet_names[0]
            df = pd.read_excel(xls, sheet_name=sheet, dtype=str, header=0)
        skip = _comment_rows(df)
        df = df.drop(index=df.index[:skip])
    else:
        text = _decode(path.read_bytes())
        if not text.strip():
            return pd.DataFrame()
        first = text.splitlines()[0]
        sep = ";" if first.count(";") > first.count(",") else ","
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                         skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL)
    df.index = df.index + 2
    df.columns = [str(c).strip() for c in df.columns]
    df = df.apply(lambda col: col.fillna("").astype(str).str.strip()) if len(df.columns) else df
    empty = (df == "").all(axis=1)
    return df[~empty]


def _comment_rows(df: pd.DataFrame) -> int:
    """The entry template may hold the Dutch wording in a second header row: skip such rows."""
    n = 0
    for _, row in df.iterrows():
        if str(row.get(ID_COLUMN, "")).strip().lower() in ("vraag", "question", "# vraag"):
            n += 1
        else:
            break
    return n


def _as_code(text: str, lookup: dict[str, int]) -> int | None:
    """A cell as a code: the code itself ("4", "4.0" from Excel) or a label in nl or en."""
    key = text.strip().casefold()
    if key in lookup:
        return lookup[key]
    try:
        number = float(key.replace(",", "."))
    except ValueError:
        return None
    if number.is_integer() and str(int(number)) in lookup:
        return int(number)
    return None


def parse_responses(df: pd.DataFrame, codebook: Codebook, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn text cells into integer codes; collect every problem."""
    problems: list[Problem] = []
    if df.empty or len(df.columns) == 0:
        problems.append(Problem(file, None, None, None, "a header row and at least one respondent row"))
        return pd.DataFrame(), problems
    identifiers, cells = find_identifiers(df, codebook, file)
    problems.extend(identifiers)
    df = df.drop(columns=[p.column for p in identifiers if p.row == 1 and p.value is None]).copy()
    for row, col in cells:  # never echo an identifier in a later message
        df.at[row, col] = ""
    expected = [ID_COLUMN, *codebook.item_ids]
    by_lower = {c.lower(): c for c in expected}
    rename: dict[str, str] = {}
    seen: set[str] = set()
    for col in df.columns:
        target = by_lower.get(col.lower())
        if target is None:
            problems.append(Problem(file, 1, col, col, f"a column of questionnaire {codebook.version} "
                                                       f"(respondent_id or an item id such as q08_satisfaction)"))
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
    df = df[list(rename)].rename(columns=rename)
    out = pd.DataFrame(index=df.index)
    if ID_COLUMN in df:
        ids = df[ID_COLUMN]
        for row, v in ids[ids == ""].items():
            problems.append(Problem(file, row, ID_COLUMN, v, "a respondent id (not empty)"))
        dup = ids[(ids != "") & ids.duplicated(keep=False)]
        for row, v in dup.items():
            problems.append(Problem(file, row, ID_COLUMN, v, "a respondent id used only once"))
        out[ID_COLUMN] = ids
    for item in codebook.items:
        if item.id not in df:
            continue
        if not item.coded:  # free text, e.g. the team or site
            out[item.id] = pd.array([v if v != "" else pd.NA for v in df[item.id]], dtype="string")
            continue
        lookup = item.scale.lookup()
        col = df[item.id]
        code_of = {v: _as_code(v, lookup) for v in col.unique() if v != ""}  # each distinct text once
        for row, v in col[col.map(lambda v: v != "" and code_of[v] is None)].items():
            problems.append(Problem(file, row, item.id, v, item.scale.describe() + " or an empty cell"))
        out[item.id] = pd.array([pd.NA if v == "" or code_of[v] is None else code_of[v] for v in col], dtype="Int64")
    problems.extend(_not_asked_but_answered(out, df, codebook, file))
    return out.reset_index(drop=True), problems


def find_identifiers(df: pd.DataFrame, codebook: Codebook, file: str) -> tuple[list[Problem], list[tuple[int, str]]]:
    """Columns whose header announces, or whose cells hold, a direct identifier: one problem
    per column and kind, naming the first row (the identifier itself is never printed whole),
    and every (row, column) cell found."""
    problems, cells = [], []
    free_text = {i.id for i in codebook.items if not i.coded}
    for col in df.columns:
        kind = header_kind(col)
        if kind and col.lower() not in {c.lower() for c in codebook.item_ids}:
            problems.append(Problem(file, 1, col, None,
                                    f"no column of direct identifiers: its header says it holds a {kind}; "
                                    "remove the column (names go on a separate list, never in the answers file)"))
            continue
        found: dict[str, list[int]] = {}
        kind_of = {v: identifier_kind(v, names=col.lower() not in free_text) for v in df[col].unique()}
        if any(kind_of.values()):  # each distinct text is scanned once; rows only where one was found
            for row, v in df[col].items():
                if kind_of[v]:
                    found.setdefault(kind_of[v], []).append(row)
                    cells.append((row, col))
        for k, rows in found.items():
            more = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
            problems.append(Problem(file, rows[0], col, mask_identifier(df.at[rows[0], col]),
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
                problems.append(Problem(file, row, item.id, str(df.at[row, item.id]), expected))
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
        problems.append(Problem(str(intake_dir / "intake.yaml"), None, "questionnaire_version", version, str(exc.args[0])))
        codebook = load_codebook("v1")
    path = find_responses(intake_dir, problems)
    responses = pd.DataFrame()
    if path is not None:
        try:
            table = read_table(path)
        except Exception as exc:  # any parser failure is invalid input, reported not raised
            problems.append(Problem(str(path), None, None, None,
                                    f"a readable {path.suffix[1:]} file ({exc.__class__.__name__}: {exc})".strip()))
        else:
            responses, found = parse_responses(table, codebook, str(path))
            problems.extend(found)
    if problems:
        raise IntakeError(problems)
    files = [f for f in (intake_dir / "intake.yaml", path) if f.is_file()]
    return Intake(path=intake_dir, meta=meta, responses=responses, codebook=codebook, files=files)
