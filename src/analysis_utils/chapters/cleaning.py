"""Chapter 01: what stage 01 writes — the processed answers, their data dictionary and a manifest
of the inputs; for a reconstructed intake the identified ranges and the seeded reconstructions —
and how the later chapters read them back.

A run in two languages computes the costly results once: the second language's stage 01 is
given ``computed_dir``, where the first wrote them, and copies them instead of computing again.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from ..intake import Intake
from ..intake.publication import load_publication
from ..makers.reconstruct import build_ensemble
from ..stats.constructs import grouping_variables, respondent_scores
from ..stats.identification import IDENTIFICATION_COLUMNS, identification_table
from ..stats.tests import ensemble_group_tests
from .files import read_processed, write_csv

ENSEMBLE_FILE = "reconstructions.csv"
IDENTIFICATION_FILE = "identification.csv"
SUBGROUP_FILE = "subgroup_ranges.csv"  # the sub-group tests over the reconstructions: chapters 03 and 04 read them
PROCESSED_FILES = ["responses.csv", "data_dictionary.csv", "manifest.json"]


def manifest(intake: Intake) -> dict:
    """What the processed data were made from: intake, source, questionnaire, n, input checksums;
    for a tablet form's export, its platform and the metadata columns dropped on reading."""
    made_from = {
        "intake_id": intake.id,
        "source": intake.meta["source"],
        "questionnaire_version": intake.codebook.version,
        "n_respondents": int(len(intake.responses)),
        "clients_approached": int(intake.meta["clients_approached"]),
        "inputs_sha256": intake.checksums(),
    }
    if intake.export is not None:
        made_from["export"] = {"format": intake.export.format, "file": intake.export.file,
                               "dropped_columns": list(intake.export.dropped)}
    return made_from


def write_outputs(ch, dictionary: pd.DataFrame) -> list[str]:
    """Write chapter ``ch``'s processed answers, their data dictionary and the manifest; return
    the file names."""
    out = Path(ch.paths.processed_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(ch.df, out / "responses.csv")
    write_csv(dictionary, out / "data_dictionary.csv")
    (out / "manifest.json").write_text(json.dumps(ch.manifest, indent=2) + "\n", encoding="utf-8")
    return list(PROCESSED_FILES)


def ensemble_stage(ch, n: int, computed_dir: str = "") -> str:
    """Stage 01's ensemble: ``n`` reconstructions of chapter ``ch``'s intake built and written to
    its processed folder; or, given ``computed_dir`` (where the same run's stage 01 in another
    language wrote them), copied from there instead of built again. Returns the file name."""
    target = Path(ch.paths.processed_dir) / ENSEMBLE_FILE
    if computed_dir:
        shutil.copyfile(Path(computed_dir) / ENSEMBLE_FILE, target)
    else:
        build_ensemble(n, ch.paths.intake_dir, ch.codebook).to_csv(target, index=False, lineterminator="\n")
    return ENSEMBLE_FILE


def subgroup_ranges_stage(ch, min_group_size: int, computed_dir: str = "") -> str:
    """Stage 01's sub-group tests over the reconstructions
    (:func:`~analysis_utils.stats.tests.ensemble_group_tests`), computed once for chapters 03 and
    04 (or copied from ``computed_dir``, see :func:`ensemble_stage`). Returns the file name."""
    target = Path(ch.paths.processed_dir) / SUBGROUP_FILE
    if computed_dir:
        shutil.copyfile(Path(computed_dir) / SUBGROUP_FILE, target)
        return SUBGROUP_FILE
    ensemble = read_ensemble(ch.paths.processed_dir)
    table = ensemble_group_tests(ensemble, respondent_scores(ensemble, ch.codebook), grouping_variables(ensemble),
                                 min_group_size)
    table.assign(kept=[json.dumps(k) for k in table["kept"]], min_group_size=min_group_size).to_csv(
        target, index=False, lineterminator="\n")
    return SUBGROUP_FILE


def read_subgroup_ranges(processed_dir, min_group_size: int) -> pd.DataFrame | None:
    """The sub-group tests over the reconstructions stage 01 wrote, if it wrote them for groups
    of ``min_group_size`` (floats read back to the last bit; ``attrs["family"]``: every test)."""
    path = Path(processed_dir) / SUBGROUP_FILE
    if not path.is_file():
        return None
    table = pd.read_csv(path, float_precision="round_trip", dtype={"grouping": "string", "outcome": "string"})
    if len(table) and int(table["min_group_size"].iloc[0]) != min_group_size:
        return None
    table = table.drop(columns="min_group_size").astype({"grouping": object, "outcome": object})
    table["kept"] = [tuple(tuple(pair) for pair in json.loads(k)) for k in table["kept"]]
    table.attrs["family"] = len(table)
    return table


def read_ensemble(processed_dir) -> pd.DataFrame | None:
    """The reconstructions stage 01 wrote for a reconstructed intake, else None."""
    path = Path(processed_dir) / ENSEMBLE_FILE
    return read_processed(path) if path.is_file() else None


def identification_stage(ch, min_group_size: int, computed_dir: str = "") -> pd.DataFrame:
    """Stage 01's identified ranges (:func:`~analysis_utils.stats.identification.identification_table`)
    of chapter ``ch``'s reconstructed intake, written to its processed folder; or, given
    ``computed_dir`` (where the same run's stage 01 in another language wrote them), read from
    there instead of computed again."""
    target = Path(ch.paths.processed_dir) / IDENTIFICATION_FILE
    if computed_dir:
        shutil.copyfile(Path(computed_dir) / IDENTIFICATION_FILE, target)
        return read_identification(ch.paths.processed_dir)
    publication = load_publication(ch.intake.path, {"source": ch.intake.meta["source"]})
    table = identification_table(ch.df, ch.codebook, publication, min_group_size)
    table.to_csv(target, index=False, lineterminator="\n")
    return table


def read_identification(processed_dir) -> pd.DataFrame | None:
    """The identified ranges stage 01 wrote for a reconstructed intake, else None (as computed:
    floats read back to the last bit)."""
    path = Path(processed_dir) / IDENTIFICATION_FILE
    if not path.is_file():
        return None
    ids = {c: "string" for c in ("quantity_id", "construct_id", "outcome", "grouping", "chapter", "method_id",
                                 "marginals_id")}
    return pd.read_csv(path, dtype=ids, float_precision="round_trip").reindex(columns=IDENTIFICATION_COLUMNS)
