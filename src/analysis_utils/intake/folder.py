"""An intake folder as a whole: its description, its answers file and, where it comes with a
publication, the publication's files; read, validated, and returned as an :class:`Intake`.

Examples
--------
>>> intake = read_intake("data/raw/genk-2015")
>>> intake.meta["source"], len(intake.responses)
('reconstructed-from-publication', 28)
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from ..codebook import Codebook, load_codebook, versions
from ..i18n import _, in_language, language
from .answers import RESPONSE_FILES, parse_responses
from .columns import EXCEL_SHEET, only_in, other_version, questions, read_table
from .export import (
    ANSWER_FILES,
    EXPORT_KEY,
    FORMATS,
    Export,
    from_export,
    metadata_columns,
)
from .meta import TEAM_KEY, confirmed_phrases, folder_name_problem, read_meta_located
from .problems import META_SHEET, IntakeError, Problem, column_words, located, sheet_of
from .publication import RECONSTRUCTED, check_publication_files
from .read import ANSWERS_MAX_BYTES, YAML_MAX_BYTES, Refused, sheet_names

# Tries an intake's publication files as the stages will: (folder, answers, codebook, description) -> problems.
Trial = Callable[[Path, pd.DataFrame, Codebook, dict], list[Problem]]


@dataclass
class Intake:
    """A validated intake: its metadata, the answers as integer codes, and its input files."""

    path: Path
    meta: dict
    responses: pd.DataFrame
    codebook: Codebook
    files: list[Path] = field(default_factory=list)
    export: Export | None = None  # where the answers are a tablet form's export: its platform, the columns dropped

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def reconstructed(self) -> bool:
        return self.meta["source"] == RECONSTRUCTED

    def text(self, key: str, lang: str | None = None) -> str:
        """A descriptive text of intake.yaml in the report's language: ``title_nl`` for Dutch
        where the intake gives it, else ``title``."""
        if lang is None:
            return in_language(self.meta, key)
        with language(lang):
            return in_language(self.meta, key)

    def checksums(self) -> dict[str, str]:
        """SHA-256 of every input file, by file name (files within bounds: read whole)."""
        return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in self.files}


# The files an intake folder consists of, each with the most bytes its reader accepts: nothing
# else in the folder is read, hashed or copied.
INTAKE_FILES = {"intake.yaml": YAML_MAX_BYTES, "reported.yaml": YAML_MAX_BYTES, "reconstruction.yaml": YAML_MAX_BYTES,
                "responses.csv": ANSWERS_MAX_BYTES, "responses.xlsx": ANSWERS_MAX_BYTES}


def intake_files(intake_dir: Path) -> list[Path]:
    """The files of :data:`INTAKE_FILES` the folder holds and, for a platform's export (saved
    under whatever name it was downloaded), every other answers file (.csv, .xlsx), in name order."""
    named = [intake_dir / name for name in INTAKE_FILES if (intake_dir / name).is_file()]
    exports = [f for f in intake_dir.iterdir() if f.suffix.lower() in ANSWER_FILES and f.is_file()
               and not f.name.startswith((".", "~$")) and f.name not in INTAKE_FILES]
    return sorted(named + exports)


def precheck(intake_dir: str | Path) -> Path:
    """What must hold before a run touches anything (takes a lock, hashes a file, makes a
    folder): the folder exists, its name is a valid id holding no identifier, and each of its
    intake files is within its reader's bounds. Raises :class:`IntakeError`; returns the folder."""
    intake_dir = Path(intake_dir)
    if not intake_dir.is_dir():
        raise IntakeError([Problem(str(intake_dir), None, None, None, _("an intake folder (this folder does not exist)"),
                                   todo=_("check the path: an intake is a folder under data/raw/, e.g. data/raw/genk-2015"))])
    if named := folder_name_problem(intake_dir):
        raise IntakeError([named])
    too_big = [Problem(str(f), None, None, None, _("a file of at most {most} KB (this one has {size} KB)").format(
                   most=f"{INTAKE_FILES.get(f.name, ANSWERS_MAX_BYTES) // 1024:,}", size=f"{f.stat().st_size // 1024:,}"))
               for f in intake_files(intake_dir) if f.stat().st_size > INTAKE_FILES.get(f.name, ANSWERS_MAX_BYTES)]
    if too_big:
        raise IntakeError(too_big)
    return intake_dir


def find_responses(intake_dir: Path, problems: list[Problem], export: str | None = None) -> Path | None:
    """The folder's one answers file (``responses.csv`` or ``responses.xlsx``; for an ``export``,
    the platform's file under whatever name it was downloaded)."""
    if export:
        found = sorted(f for f in intake_dir.iterdir() if f.suffix.lower() in ANSWER_FILES and f.is_file()
                       and not f.name.startswith((".", "~$")))
        if len(found) != 1:
            problems.append(Problem(str(intake_dir), None, None, None, _(
                "one answers file (.csv or .xlsx), the export of {platform} (found {n})").format(
                platform=export, n=len(found))))
            return None
        return found[0]
    found = [intake_dir / f for f in RESPONSE_FILES if (intake_dir / f).is_file()]
    if not found:
        problems.append(Problem(str(intake_dir), None, None, None, _("a responses.csv or responses.xlsx file")))
        return None
    if len(found) > 1:
        problems.append(Problem(str(intake_dir), None, None, None,
                                _("one answers file, not both responses.csv and responses.xlsx")))
        return None
    return found[0]


def _codebook(meta: dict | None, where: str, rows: dict[str, int], problems: list[Problem]) -> Codebook:
    """The codebook of the description's questionnaire version; a problem located where the
    version was written (``intake.yaml``, or the workbook's sheet and row) when there is none."""
    version = str((meta or {}).get("questionnaire_version") or "v1")
    if version in versions():
        return load_codebook(version)
    problems.append(Problem(where, rows.get("questionnaire_version"), "questionnaire_version",
                            version if len(version) <= 20 else None,
                            _("a questionnaire version the codebook knows: {known}").format(known=", ".join(versions()))))
    return load_codebook("v1")


def _export_format(intake_dir: Path, meta: dict | None, problems: list[Problem]) -> str | None:
    """The platform ``intake.yaml`` says the answers were exported from (key ``export``), if any."""
    declared = (meta or {}).get(EXPORT_KEY)
    if declared is None or declared in FORMATS:
        return declared
    shown = declared if isinstance(declared, str) and len(declared) <= 30 else None
    problems.append(Problem(str(intake_dir / "intake.yaml"), None, EXPORT_KEY, shown,
                            _("one of {formats}: the platform the answers were exported from").format(
                                formats=", ".join(FORMATS))))
    return None


def _answers(path: Path, codebook: Codebook, meta: dict | None, export: str | None, problems: list[Problem],
             where: tuple[str, dict[str, int]]) -> tuple[pd.DataFrame, Export | None]:
    """The answers file's cells as codes; a platform's export (declared, or recognised by its
    metadata columns) first loses those columns and gets its respondent codes. Answers whose
    columns are those of the other questionnaire version are one problem, located ``where`` the
    version is written (the description and its rows), and are read as that version. Every
    problem of the file names its column's letter and question."""
    found: dict = {}
    start = len(problems)

    def unread(header: list[str]) -> list[int]:  # the platform's metadata: never read, only named
        found["format"], columns = metadata_columns(header, export)
        found["dropped"] = tuple(header[j] for j in columns)
        return columns

    try:
        table = read_table(path, problems, unread)
    except Refused as exc:
        problems.append(Problem(str(path), None, None, None, str(exc)))
    except Exception as exc:  # any parser failure is invalid input, reported not raised
        why = f"{exc.__class__.__name__}: {exc}"[:160]
        problems.append(Problem(str(path), None, None, None, _("a readable {kind} file ({why})").format(
            kind=path.suffix[1:], why=why)))
    else:
        exported = None
        if found.get("format") and not table.empty:
            table, exported = from_export(table, found["format"], codebook, path.name, found["dropped"])
        if (other := other_version(table.columns, codebook)) is not None:
            problems.append(_version_mismatch(table, codebook, other, path, where))
            codebook = other
        responses, parsed = parse_responses(table, codebook, str(path), teams=(meta or {}).get(TEAM_KEY))
        letters = {h.lower(): letter for h, letter in table.attrs.get("letters", {}).items()}
        problems[start:] = located(problems[start:] + parsed, str(path), letters, questions(codebook))
        return responses, exported
    return pd.DataFrame(), None


def _version_mismatch(table: pd.DataFrame, declared: Codebook, other: Codebook, path: Path,
                      where: tuple[str, dict[str, int]]) -> Problem:
    """Answers with the columns of ``other`` in an intake described as ``declared``: one problem,
    where the description names the version (not a column-by-column list of unknown columns),
    naming the columns only ``other`` has by their letter and question."""
    name, rows = where
    letters = {h.lower(): letter for h, letter in table.attrs.get("letters", {}).items()}
    asked = questions(other)
    named = [column_words(letters.get(c.lower()), c, asked[c.lower()]) for c in only_in(list(table.columns), other, declared)]
    values = {"found": other.version, "declared": declared.version, "file": Path(name).name, "answers": path.name,
              "columns": _(" and ").join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named),
              "sheet": META_SHEET}
    if name.endswith(f" {META_SHEET})"):
        found = _("this workbook has the columns of {found}, but the sheet {sheet} says {declared}: only questionnaire "
                  "{found} has {columns}")
        todo = _("write {found} in that row: the workbook's columns are those of questionnaire {found}")
    else:
        found = _("the answers file {answers} has the columns of {found}, but {file} says {declared}: only "
                  "questionnaire {found} has {columns}")
        todo = _("write questionnaire_version: {found} in {file}: the answers' columns are those of questionnaire "
                 "{found}")
    return Problem(name, rows.get("questionnaire_version"), "questionnaire_version", None,
                   _("the questionnaire version whose columns the answers have"),
                   found=found.format(**values), todo=todo.format(**values))


def messages_language(intake_dir: str | Path) -> str:
    """The language validation speaks unless told: Dutch for an intake entered in a workbook whose
    sheets are the entry template's (their names and instructions are Dutch), else English."""
    workbook = Path(intake_dir) / "responses.xlsx"
    names = sheet_names(workbook) if workbook.is_file() else []
    return "nl" if {META_SHEET, EXCEL_SHEET} & set(names) else "en"


def read_intake(intake_dir: str | Path, trial: Trial | None = None) -> Intake:
    """Read and validate an intake folder; raise :class:`IntakeError` listing every problem.

    ``trial`` (see :data:`Trial`) tries the publication's files once the rest is valid:
    :func:`analysis_utils.chapters.validation.validate_intake` passes the stages' own use of them.
    """
    intake_dir = Path(intake_dir)
    problems: list[Problem] = []
    precheck(intake_dir)  # before anything else: every message names the folder
    meta, where, rows = read_meta_located(intake_dir, problems)
    codebook = _codebook(meta, where, rows, problems)
    export = _export_format(intake_dir, meta, problems)
    path = find_responses(intake_dir, problems, export)
    responses, exported = ((pd.DataFrame(), None) if path is None
                           else _answers(path, codebook, meta, export, problems, (where, rows)))
    if (meta or {}).get("source") == RECONSTRUCTED and not (intake_dir / "reported.yaml").is_file():
        problems.append(Problem(str(intake_dir / "reported.yaml"), None, None, None, _(
            "a reported.yaml beside the answers: an intake with source {source} is rebuilt from, and checked "
            "against, the figures its publication reports").format(source=RECONSTRUCTED)))
    if not problems:
        problems += check_publication_files(intake_dir, confirmed_phrases(meta or {}))
        if not problems and trial is not None:
            problems += trial(intake_dir, responses, codebook, meta)
    approached = (meta or {}).get("clients_approached")
    if isinstance(approached, int) and not isinstance(approached, bool) and 0 < approached < len(responses):
        problems.append(Problem(str(intake_dir / "intake.yaml") if (intake_dir / "intake.yaml").is_file()
                                else sheet_of(path), rows.get("clients_approached"), "clients_approached", approached,
                                _("at least the number of respondents in the answers file ({n})").format(
                                    n=len(responses))))
    if problems:
        raise IntakeError(problems)
    files = [f for f in (intake_dir / "intake.yaml", path) if f.is_file()]
    return Intake(path=intake_dir, meta=meta, responses=responses, codebook=codebook, files=files, export=exported)
