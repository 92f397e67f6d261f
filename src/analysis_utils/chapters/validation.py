"""Validation as the stages need it: an intake folder read and checked (:mod:`analysis_utils.intake`),
then its publication's files tried once the way stages 01 and 02 will use them, so that an
intake ``validate`` accepts also runs.

Examples
--------
>>> intake = validate_intake("data/raw/genk-2015")
>>> intake.reconstructed
True
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..codebook import Codebook
from ..i18n import _
from ..intake import Intake, Problem, read_intake
from ..intake.derive import clean
from ..intake.publication import RECONSTRUCTED, load_claims, load_facts
from ..makers.reconstruct import build_ensemble
from ..stats.publication import percent_checks, reproduction_table
from ..yamlio import load_yaml


def try_publication(intake_dir: Path, responses: pd.DataFrame, codebook: Codebook, meta: dict) -> list[Problem]:
    """The reported facts (``reported.yaml``) checked against the answers as chapter 02 does, and
    a reconstructed intake's recipe (``reconstruction.yaml``) followed once as stage 01 does:
    whatever the stages would meet, met here first."""
    problems = []
    for name in ("reported.yaml", "reconstruction.yaml"):
        path = intake_dir / name
        if not path.is_file():
            continue
        try:
            if name == "reported.yaml":
                df = clean(responses, codebook)
                reproduction_table(df, load_facts(path), codebook, meta)
                percent_checks(load_facts(path), df)
                load_claims(path)
            elif meta.get("source") == RECONSTRUCTED and (intake_dir / "reported.yaml").is_file():
                build_ensemble(1, intake_dir, codebook)
        except Exception as exc:  # whatever the stages would meet, met here first
            why = f"{exc.__class__.__name__}: {exc}"[:160]
            problems.append(Problem(str(path), None, None, None, _("a file the stages can use ({why})").format(why=why)))
    return problems


def validate_intake(intake_dir: str | Path) -> Intake:
    """Read and validate an intake folder with everything the stages rely on; raise
    :class:`~analysis_utils.intake.IntakeError` listing every problem."""
    return read_intake(intake_dir, trial=try_publication)


def broken_facts(intake_dir: str | Path):
    """A check for :func:`analysis_utils.makers.reconstruct.write_reconstruction`: answers ->
    the ids of the facts of the intake's ``reported.yaml`` they break."""

    intake_dir = Path(intake_dir)
    meta_path = intake_dir / "intake.yaml"
    meta = load_yaml(meta_path.read_text("utf-8")) if meta_path.is_file() else None

    def verify(df: pd.DataFrame) -> list[str]:
        table = reproduction_table(df, load_facts(intake_dir / "reported.yaml"), meta=meta)
        return list(table.loc[table["status"] == "mismatch", "fact_id"])

    return verify
