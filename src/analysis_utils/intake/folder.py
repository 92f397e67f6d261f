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

from ..codebook import Codebook, load_codebook
from ..i18n import in_language, language
from .answers import RESPONSE_FILES, parse_responses, read_table
from .export import ANSWER_FILES, EXPORT_KEY, FORMATS, Export, from_export, metadata_columns
from .meta import TEAM_KEY, read_meta
from .problems import META_SHEET, IntakeError, Problem
from .publication import RECONSTRUCTED, check_publication_files
from .read import Refused

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
        """SHA-256 of every input file, by file name."""
        return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in self.files}


def find_responses(intake_dir: Path, problems: list[Problem], export: str | None = None) -> Path | None:
    """The folder's one answers file (``responses.csv`` or ``responses.xlsx``; for an ``export``,
    the platform's file under whatever name it was downloaded)."""
    if export:
        found = sorted(f for f in intake_dir.iterdir() if f.suffix.lower() in ANSWER_FILES and f.is_file()
                       and not f.name.startswith((".", "~$")))
        if len(found) != 1:
            problems.append(Problem(str(intake_dir), None, None, None, f"one answers file (.csv or .xlsx), the "
                                    f"export of {export} (found {len(found)})"))
            return None
        return found[0]
    found = [intake_dir / f for f in RESPONSE_FILES if (intake_dir / f).is_file()]
    if not found:
        problems.append(Problem(str(intake_dir), None, None, None, "a responses.csv or responses.xlsx file"))
        return None
    if len(found) > 1:
        problems.append(Problem(str(intake_dir), None, None, None,
                                "one answers file, not both responses.csv and responses.xlsx"))
        return None
    return found[0]


def _codebook(intake_dir: Path, meta: dict | None, problems: list[Problem]) -> Codebook:
    version = str((meta or {}).get("questionnaire_version") or "v1")
    try:
        return load_codebook(version)
    except KeyError as exc:
        problems.append(Problem(str(intake_dir / "intake.yaml"), None, "questionnaire_version",
                                version if len(version) <= 20 else None, str(exc.args[0])))
        return load_codebook("v1")


def _export_format(intake_dir: Path, meta: dict | None, problems: list[Problem]) -> str | None:
    """The platform ``intake.yaml`` says the answers were exported from (key ``export``), if any."""
    declared = (meta or {}).get(EXPORT_KEY)
    if declared is None or declared in FORMATS:
        return declared
    shown = declared if isinstance(declared, str) and len(declared) <= 30 else None
    problems.append(Problem(str(intake_dir / "intake.yaml"), None, EXPORT_KEY, shown,
                            f"one of {', '.join(FORMATS)}: the platform the answers were exported from"))
    return None


def _answers(path: Path, codebook: Codebook, meta: dict | None, export: str | None,
             problems: list[Problem]) -> tuple[pd.DataFrame, Export | None]:
    """The answers file's cells as codes; a platform's export (declared, or recognised by its
    metadata columns) first loses those columns and gets its respondent codes."""
    found: dict = {}

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
        problems.append(Problem(str(path), None, None, None, f"a readable {path.suffix[1:]} file ({why})"))
    else:
        exported = None
        if found.get("format") and not table.empty:
            table, exported = from_export(table, found["format"], codebook, path.name, found["dropped"])
        responses, found = parse_responses(table, codebook, str(path), teams=(meta or {}).get(TEAM_KEY))
        problems.extend(found)
        return responses, exported
    return pd.DataFrame(), None


def read_intake(intake_dir: str | Path, trial: Trial | None = None) -> Intake:
    """Read and validate an intake folder; raise :class:`IntakeError` listing every problem.

    ``trial`` (see :data:`Trial`) tries the publication's files once the rest is valid:
    :func:`analysis_utils.chapters.validation.validate_intake` passes the stages' own use of them.
    """
    intake_dir = Path(intake_dir)
    problems: list[Problem] = []
    if not intake_dir.is_dir():
        raise IntakeError([Problem(str(intake_dir), None, None, None, "an intake folder")])
    meta = read_meta(intake_dir, problems)
    codebook = _codebook(intake_dir, meta, problems)
    export = _export_format(intake_dir, meta, problems)
    path = find_responses(intake_dir, problems, export)
    responses, exported = (pd.DataFrame(), None) if path is None else _answers(path, codebook, meta, export, problems)
    if not problems:
        problems += check_publication_files(intake_dir)
        if not problems and trial is not None:
            problems += trial(intake_dir, responses, codebook, meta)
    approached = (meta or {}).get("clients_approached")
    if isinstance(approached, int) and not isinstance(approached, bool) and 0 < approached < len(responses):
        problems.append(Problem(str(intake_dir / "intake.yaml") if (intake_dir / "intake.yaml").is_file()
                                else f"{path} (sheet {META_SHEET})", None, "clients_approached", approached,
                                f"at least the number of respondents in the answers file ({len(responses)})"))
    if problems:
        raise IntakeError(problems)
    files = [f for f in (intake_dir / "intake.yaml", path) if f.is_file()]
    return Intake(path=intake_dir, meta=meta, responses=responses, codebook=codebook, files=files, export=exported)
