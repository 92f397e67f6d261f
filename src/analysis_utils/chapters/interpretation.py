"""Chapter 03 (and the sub-group tests chapter 04 reads too): the constructs, the axes, the
importance–performance grid, the emotions, the home language and the sub-group comparisons.

For a reconstructed intake the sub-group tests run over every seeded reconstruction (typical
values if the items were unrelated); for observed answers once, as findings.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats.admissible import admissible_count
from ..stats.constructs import (
    NAMED,
    by_home_language,
    construct_table,
    emotion_table,
    grouping_variables,
    ipa_table,
    respondent_scores,
)
from ..stats.limits import ADMISSIBLE, AT_RECONSTRUCTION
from ..theory_map import construct_links, headline_links, load_theory_map, strengthening_codes
from ..stats.tests import ensemble_group_tests, group_tests
from ..theory_map import all_links
from . import Chapter
from .cleaning import read_subgroup_ranges


def constructs(ch: Chapter) -> pd.DataFrame:
    """The construct table (:func:`~analysis_utils.stats.constructs.construct_table`), with the
    widest and narrowest intervals any arrangement allows for a reconstructed intake, and
    ``assumed``: whether a share rests on an item the publication only words (the figures hatch it)."""
    table = construct_table(ch.df, ch.codebook, ch.reconstructed)
    worded = set(ch.worded) if ch.reconstructed else set()
    by_id = {c["id"]: c for c in load_theory_map()["constructs"]}
    table["assumed"] = [bool(worded & {link["item"] for link in construct_links(by_id[cid], ch.codebook)})
                        for cid in table["construct_id"]]
    if ch.reconstructed:  # a reading's share: the figure draws what the publication admits, not an interval
        publication = ch.publication or {}
        admitted = [_admitted_share(ch, by_id[cid], publication) for cid in table["construct_id"]]
        table["admissible_low"], table["admissible_high"] = [a for a, _b in admitted], [b for _a, b in admitted]
    return table


def _admitted_share(ch: Chapter, construct: dict, publication: dict) -> tuple[float, float]:
    """The lowest and highest headline share of a construct over every count the publication
    admits for each of its items (each item on its own: an outer bound where a fact ties items)."""
    low = high = total = 0
    for link in headline_links(construct, ch.codebook):
        n = int(ch.df[link["item"]].notna().sum())
        a, b = admissible_count(ch.codebook.item(link["item"]), n, publication.get("facts", []),
                                publication.get("claims", []), counted=list(strengthening_codes(link, ch.codebook)))
        low, high, total = low + a, high + b, total + n
    return (low / total, high / total) if total else (np.nan, np.nan)


def ipa(ch: Chapter) -> pd.DataFrame:
    """The expectations the thesis's words tie to an experience item, with, for a reconstructed
    intake, the range the publication allows for each share."""
    return ipa_table(ch.df, ch.codebook, ch.summary if ch.reconstructed else None)


def links(ch: Chapter) -> list[dict]:
    """Every link of the theory map this questionnaire version can show, with its support."""
    return all_links(ch.codebook)


def emotions(ch: Chapter) -> pd.DataFrame:
    """Figuur 10's emotions by group, with their Wilson intervals — none where the publication only
    words a share (a sampling interval rests on an observed count, not on the reconstruction's reading).
    For a reconstructed intake also the share naming each emotion that the publication admits
    (``admissible_low``, ``admissible_high``) and ``assumed``: whether the share shown is the
    reconstruction's reading inside that range."""
    table = emotion_table(ch.df)
    if ch.reconstructed:
        table.loc[table["item_id"].isin(list(ch.worded)), ["ci_low", "ci_high"]] = np.nan
        publication = ch.publication or {}
        table = admitted_naming(table, ch.codebook, publication.get("facts", []), publication.get("claims", []))
    return table


def admitted_naming(table: pd.DataFrame, codebook, facts: list[dict], claims: list[dict] = ()) -> pd.DataFrame:
    """``table`` (:func:`~analysis_utils.stats.constructs.emotion_table`) with the share naming each
    emotion (answers :data:`~analysis_utils.stats.constructs.NAMED`) that the publication's ``facts``
    and ``claims`` admit at the emotion's ``n`` (:func:`~analysis_utils.stats.admissible.admissible_count`);
    ``assumed`` where that range is open (or unknown)."""
    ranges = [admissible_count(codebook.item(i), int(n), facts, claims, counted=list(NAMED)) if n else (np.nan, np.nan)
              for i, n in zip(table["item_id"], table["n"])]
    low = np.array([lo for lo, _hi in ranges], dtype=float) / table["n"].to_numpy(float)
    high = np.array([hi for _lo, hi in ranges], dtype=float) / table["n"].to_numpy(float)
    return table.assign(admissible_low=low, admissible_high=high, assumed=~(low == high))


def home_language(ch: Chapter, min_group_size: int) -> pd.DataFrame | None:
    """Understanding and clear communication by home language (v2), groups named in the
    chapter's language; None for a questionnaire that does not ask it."""
    item = "q24_home_language"
    if item not in ch.codebook.item_ids:
        return None
    scale = ch.codebook.item(item).scale
    return by_home_language(ch.df, ch.codebook, {c: scale.label(c, ch.lang) for c in scale.codes}, min_group_size)


def subgroup_tests(ch: Chapter, min_group_size: int) -> pd.DataFrame:
    """Every outcome by every grouping: over the reconstructions for a reconstructed intake
    (:func:`~analysis_utils.stats.tests.ensemble_group_tests`), else once
    (:func:`~analysis_utils.stats.tests.group_tests`)."""
    if ch.reconstructed:
        stored = read_subgroup_ranges(ch.paths.processed_dir, min_group_size)  # stage 01 computed them once
        if stored is not None:
            return stored
        ens = ch.ensemble
        return ensemble_group_tests(ens, respondent_scores(ens, ch.codebook), grouping_variables(ens), min_group_size)
    return group_tests(respondent_scores(ch.df, ch.codebook), grouping_variables(ch.df), min_group_size)


def effect_ranges(ch: Chapter) -> pd.DataFrame:
    """The identified ranges of the sub-group effect sizes (:func:`side_by_side`)."""
    ident = ch.identification
    return side_by_side(ident[ident["quantity_id"].isin(["rank_biserial", "epsilon_squared"])])


# Below these sizes an effect is negligible by the usual conventions (rank-biserial r: 0.1 is "small";
# epsilon²: 0.01 is "small"); a range that reaches them allows the groups not to differ.
NEGLIGIBLE = {"rank_biserial": 0.1, "epsilon_squared": 0.01}


def decided(ranges: pd.DataFrame) -> pd.Series:
    """Which ranges of :func:`effect_ranges` leave out every negligible effect (:data:`NEGLIGIBLE`):
    there the published figures fix that the groups differ, and (rank-biserial) in which
    direction. A search's lowest epsilon² can stay just above 0 where 0 itself is admissible, so a
    range is tested against the threshold, not against 0; and an unproven range is replaced by
    its proven outer bound (``outer_lower`` / ``outer_upper``)."""
    small = ranges["quantity_id"].map(NEGLIGIBLE)
    # a search's ends are values some arrangement reaches, so the true range may be wider: only a
    # proven range, or the proven outer bound, can settle that every admissible effect is large
    proven = ranges["allowed_sharp"].fillna(False).astype(bool)
    lower = ranges["allowed_lower"].where(proven, ranges["outer_lower"])
    upper = ranges["allowed_upper"].where(proven, ranges["outer_upper"])
    return (lower >= small) | (upper <= -small)


def construct_alphas(ch: Chapter) -> pd.DataFrame:
    """The identified ranges of the constructs' Cronbach's alpha (:func:`side_by_side`)."""
    ident = ch.identification
    return side_by_side(ident[ident["quantity_id"] == "alpha_construct"])


KEYS = ["quantity_id", "construct_id", "outcome", "grouping"]


def side_by_side(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per quantity: its range given the reconstruction's own item counts (``lower``,
    ``upper``, ``sharp``) and, beside it, what the published figures allow over every count they
    admit (``allowed_lower``, ``allowed_upper``, ``allowed_sharp``; ``outer_lower`` /
    ``outer_upper``: what no arrangement of any answers passes)."""
    given = rows[rows["marginals_id"] == AT_RECONSTRUCTION].drop(columns=["outer_lower", "outer_upper"])
    allowed = rows[rows["marginals_id"] == ADMISSIBLE][[*KEYS, "lower", "upper", "sharp", "outer_lower", "outer_upper"]]
    allowed = allowed.rename(columns={"lower": "allowed_lower", "upper": "allowed_upper", "sharp": "allowed_sharp"})
    key = lambda t: t[KEYS].fillna("").astype(str).agg("|".join, axis=1).to_numpy()  # noqa: E731 (NaN ids match)
    merged = given.assign(_key=key(given)).merge(allowed.drop(columns=KEYS).assign(_key=key(allowed)), on="_key",
                                                 how="left")
    return merged.drop(columns="_key")
