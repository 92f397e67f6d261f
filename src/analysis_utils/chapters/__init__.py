"""What each notebook calls: one :func:`open_chapter` at the top, then one module per chapter
(:mod:`.cleaning`, :mod:`.descriptives`, :mod:`.interpretation`, :mod:`.limitations`,
:mod:`.comparison`) for what that chapter computes and writes.

A chapter reads only what stage 01 wrote (the processed answers, their manifest and, for a
reconstructed intake, the identified ranges and the reconstructions); everything it needs more
than once is computed once, here, when first asked for.

Examples
--------
>>> ch = open_chapter("data/raw/genk-2015", "en")
>>> ch.n, ch.reconstructed
(28, True)
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ..codebook import Codebook, load_codebook
from ..i18n import _, use
from ..intake import Intake
from ..intake.derive import clean
from ..intake.publication import load_publication
from ..paths import StagePaths, stage_paths
from ..stats.descriptive import ceiling_open, item_summary, worded_items
from ..stats.admissible import admissible_distributions, chosen_below, linked_bounds
from ..stats.publication import count, grim_consistent, nearest_count
from .cleaning import manifest as stage01_manifest
from .cleaning import read_ensemble, read_identification
from .files import read_processed
from .validation import validate_intake


def setup_display() -> None:
    """Show whole tables in the report: every row, full text, no truncation."""
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.max_colwidth", 300)
    pd.set_option("display.width", 250)


@dataclass
class Chapter:
    """One chapter's data: its folders, the processed answers and manifest of stage 01, and the
    codebook they were made with; what several cells need is computed once, when first used."""

    paths: StagePaths
    lang: str
    df: pd.DataFrame
    manifest: dict
    codebook: Codebook
    intake: Intake | None = None  # chapter 01 only: the validated intake it cleans

    @property
    def n(self) -> int:
        return len(self.df)

    @property
    def approached(self) -> int:
        return int(self.manifest["clients_approached"])

    @cached_property
    def publication(self) -> dict | None:
        """The reported facts and claims of a reconstructed intake, else None."""
        return load_publication(self.paths.intake_dir, self.manifest)

    @cached_property
    def summary(self) -> pd.DataFrame:
        """The item summary (:func:`~analysis_utils.stats.descriptive.item_summary`)."""
        return item_summary(self.df, self.codebook, self.publication)

    @cached_property
    def worded(self) -> dict[str, tuple[float, float]]:
        """Items whose top-2 share the publication only words or leaves open, each with the range
        of that share it allows (``admissible_low``, ``admissible_high``)."""
        rows = self.summary.set_index("item_id")
        return {i: (float(rows.loc[i, "admissible_low"]), float(rows.loc[i, "admissible_high"]))
                for i in sorted(worded_items(self.summary))}

    @cached_property
    def split(self) -> set[str]:
        """Items whose top-2 count the publication fixes but not its split over the two most
        positive answers (the split is the reconstruction's rule); worded items are not repeated."""
        open_top = self.summary[ceiling_open(self.summary)]
        return set(open_top["item_id"]) - set(self.worded)

    @cached_property
    def allowed_counts(self) -> dict[str, dict[int, tuple[int, int]]]:
        """For the items drawn as counts (demographics, frequencies) of a reconstructed intake:
        each answer code whose count the publication leaves open, with the lowest and highest
        count it allows (:func:`~analysis_utils.stats.admissible.admissible_distributions`). For
        a scale item whose top-2 count it fixes, the same for the answers below the two most
        favourable (:func:`~analysis_utils.stats.admissible.chosen_below`): their total is fixed,
        which answers they are is not (the one "slecht" of Figuur 18: "eerder niet" or "zeker niet")."""
        if self.publication is None:
            return {}
        facts, claims = self.publication["facts"], self.publication.get("claims", [])
        facts = [*facts, *linked_bounds(facts, claims, self.codebook, self.n)]  # one item's count tied to another's
        out = {}
        for item in self.codebook.items:
            if item.figure is None or item.id not in self.df or (item.type != "scale" and not item.coded):
                continue
            admitted = admissible_distributions(item, int(self.df[item.id].notna().sum()), facts, claims)
            low, high = admitted.min(axis=0), admitted.max(axis=0)
            out[item.id] = chosen_below(item, admitted) if item.type == "scale" else {
                code: (int(lo), int(hi)) for code, lo, hi in zip(item.scale.codes, low, high) if lo != hi}
        return out

    @cached_property
    def nearest_counts(self) -> dict[str, dict[int, float]]:
        """For a reconstructed intake: each answer whose published percentage no whole count of the
        item's answers can give (:func:`~analysis_utils.stats.publication.grim_consistent`) and whose
        count in the data is the nearest one (:func:`~analysis_utils.stats.publication.nearest_count`),
        with that percentage."""
        out: dict[str, dict[int, float]] = {}
        for fact in (self.publication or {}).get("facts", []):
            where = fact.get("where") or {}
            if fact.get("kind") != "percent" or len(where) != 1:
                continue
            (item, codes), = where.items()
            n = int(self.df[item].notna().sum()) if item in self.df else 0
            if (isinstance(codes, list) and len(codes) == 1 and n and not grim_consistent(fact["percent"], n)
                    and count(self.df, where) == nearest_count(fact["percent"], n)):
                out.setdefault(item, {})[int(codes[0])] = fact["percent"]
        return out

    @cached_property
    def ensemble(self) -> pd.DataFrame | None:
        """The seeded reconstructions of a reconstructed intake, else None."""
        return read_ensemble(self.paths.processed_dir)

    @cached_property
    def identification(self) -> pd.DataFrame | None:
        """The identified ranges of a reconstructed intake, else None."""
        return read_identification(self.paths.processed_dir)

    def groupings(self, *names: str) -> list[str]:
        """The grouping columns ``names`` worth a row of the composition tables: those the
        questionnaire records (the team: version 2 only), and not the pilot where no pilot
        questionnaire was taken (a row saying "no" of everyone says nothing)."""
        return [name for name in names if name in self.df.columns
                and (name != "pilot" or bool(self.df["pilot"].fillna(False).astype(bool).any()))]

    @property
    def reconstructed(self) -> bool:
        """Whether the answers are reconstructed, so that how they combine is invented (the
        reconstructions exist)."""
        return self.ensemble is not None

    @property
    def from_publication(self) -> bool:
        """Whether the intake's source is a publication (its manifest says so)."""
        return self.manifest["source"] == "reconstructed-from-publication"


class IntakeMissing(FileNotFoundError):
    """A chapter was given an intake folder that does not exist (a mistyped path)."""

    def _render_traceback_(self):  # IPython shows this one line instead of a traceback
        return [f"IntakeMissing: {self}"]


def open_chapter(intake_dir: str, lang: str, processed_dir: str = "", reports_dir: str = "",
                 stage01: bool = False) -> Chapter:
    """Start a chapter: speak ``lang``, show whole tables, make the output folders and read what
    stage 01 wrote (stopping with one line if it has not run). Chapter 01 (``stage01``) instead
    validates the intake and cleans its answers (``df``; ``manifest``: what it will write). An
    intake folder that does not exist stops it with one line saying so, before any folder is made."""

    use(lang)  # everything the reader sees, in the report's language
    setup_display()
    paths = stage_paths(intake_dir, processed_dir, reports_dir)
    if not paths.intake_dir.is_dir():
        raise IntakeMissing(_("the intake folder {folder} does not exist: check intake_dir in the parameters cell (an "
                              "intake is a folder under data/raw/, such as data/raw/genk-2015)").format(
            folder=paths.intake_dir))
    if stage01:
        paths = paths.make()
        intake = validate_intake(paths.intake_dir)
        return Chapter(paths, lang, clean(intake.responses, intake.codebook), stage01_manifest(intake), intake.codebook,
                       intake)
    paths = paths.make(after_stage01=True)
    manifest = json.loads((paths.processed_dir / "manifest.json").read_text("utf-8"))
    df = read_processed(paths.processed_dir / "responses.csv")
    return Chapter(paths, lang, df, manifest, load_codebook(manifest["questionnaire_version"]))
