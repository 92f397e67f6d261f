"""The identification table: every result of chapters 03 and 04 that depends on how answers
combine, for a reconstructed intake, with its value in the reconstruction and the lowest and
highest value any arrangement of the published answers allows (the methods are those of
:mod:`analysis_utils.stats.bounds` and :mod:`analysis_utils.stats.arrangements`).

One row per quantity, named by ids (``quantity_id``, and where it applies ``construct_id``,
``outcome`` and ``grouping``), the method by ``method_id`` and the item counts it holds fixed by
``marginals_id``; :mod:`analysis_utils.present.labels` words them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..theory_map import (
    STRENGTHENING,
    construct_links,
    load_theory_map,
    oriented_scores,
    outcome_links,
    threshold_items,
)
from .admissible import admissible_count, admissible_distributions
from .arrangements import locked_cells
from .compositions import epsilon_squared_by_composition, rank_biserial_by_composition
from .effect_ranges import effect_bounds
from .held_answers import alpha_over_holders
from .bounds import (
    alpha_bounds,
    at_least_one_bounds,
    spearman_bounds,
    spearman_over_marginals,
)
from .constructs import grouping_variables, respondent_scores
from .effects import cronbach_alpha, epsilon_squared, rank_biserial
from .publication import check_fact, claim_checks, count
from .limits import (
    ADMISSIBLE,
    ALPHA_RELATIONSHIP,
    ANY_THRESHOLD,
    AT_RECONSTRUCTION,
    SPEARMAN_SATISFACTION_TRUST,
    reliability_items,
)

IDENTIFICATION_COLUMNS = ["quantity_id", "construct_id", "outcome", "grouping", "chapter", "value_in_reconstruction",
                          "lower", "upper", "method_id", "sharp", "marginals_id", "n_complete", "outer_lower",
                          "outer_upper"]
# What no arrangement of any answers can pass: the outer bound of a range the search reached.
OUTER = {"spearman_satisfaction_trust": (-1.0, 1.0), "alpha_relationship": (-np.inf, 1.0),
         "alpha_construct": (-np.inf, 1.0), "rank_biserial": (-1.0, 1.0), "epsilon_squared": (0.0, 1.0)}
ALPHA_CONSTRUCT, RANK_BISERIAL, EPSILON_SQUARED = "alpha_construct", "rank_biserial", "epsilon_squared"
# The methods (see the module docstring) and the item counts a range is taken over.
FRECHET, ALPHA_METHOD, SEARCH, EXACT = "frechet_hoeffding", "comonotone_and_balancing", "search", "exact_effect"
ALPHA_HELD = "comonotone_and_balancing_over_holders"  # the pilots' answers move too (stats.held_answers)
OVER_MARGINALS = "best_over_marginals"
FEWEST = "fewest_admitted_witness"  # at least one of: the fewest admitted answers, nested, checked against every fact
COUNTED = "counted_over_admitted"  # one item: every admitted distribution, every composition counted  # the reconstruction's own range, widened where a search over every admitted count reached further


def _row(quantity_id: str, chapter: str, value: float, bounds: tuple[float, float], method_id: str, sharp: bool,
         **ids) -> dict:
    """One row of the table; ``ids``: construct_id, outcome, grouping, marginals_id, n_complete."""
    return {"quantity_id": quantity_id, "chapter": chapter, "value_in_reconstruction": value, "lower": bounds[0],
            "upper": bounds[1], "method_id": method_id, "sharp": sharp, "marginals_id": AT_RECONSTRUCTION, **ids}


def _threshold_rows(df: pd.DataFrame, codebook: Codebook, publication: dict) -> list[dict]:
    """At least one threshold emotion (chapter 03): at the reconstruction's counts (exact when
    everybody answered every item), and over every count the publication's words admit (an
    outer bound: a comparison such as 'vaker' is not applied item by item)."""
    items = threshold_items()
    named = df[items].isin([4, 5])
    complete = df[items].notna().all(axis=1)
    n = int(complete.sum())
    counts = [int(named.loc[complete, i].sum()) for i in items]
    lo, hi = at_least_one_bounds(counts, n)
    value = float(named[complete].any(axis=1).mean())
    ranges = [admissible_count(codebook.item(i), n, publication["facts"], publication.get("claims", []), [4, 5])
              for i in items]
    outer = (max(r[0] for r in ranges) / n, min(n, sum(r[1] for r in ranges)) / n)
    own = _row(ANY_THRESHOLD, "03", value, (lo, hi), FRECHET, bool(complete.all()))
    # over every admitted count: at least the range at the reconstruction's own counts (admitted too), and the
    # fewest where an arrangement of the fewest admitted answers keeps every fact; at most the Fréchet bounds
    # over every item's admitted counts; proven where the two meet
    fewest = _fewest_naming(df, codebook, publication, items) if bool(complete.all()) else None
    reached = (min(lo, fewest) if fewest is not None else lo, hi)
    admitted = _row(ANY_THRESHOLD, "03", value, reached, FEWEST if reached[0] < lo else OVER_MARGINALS,
                    own["sharp"] and reached == outer,
                    marginals_id=ADMISSIBLE, outer_lower=outer[0], outer_upper=outer[1])
    return [own, admitted]


def _fewest_naming(df: pd.DataFrame, codebook: Codebook, publication: dict, items: list[str]) -> float | None:
    """The share naming at least one of ``items`` when each is named by its fewest admitted
    respondents, the same ones (nested), and the items a comparison ('vaker') sets them against by
    their fewest too (answers 4-5 moved to the neutral 3, which leaves every 'not named' count as it
    was) — or None where that arrangement breaks a published fact, or a claim that held (then it
    proves nothing)."""
    facts, claims = publication["facts"], publication.get("claims", [])
    rivals = sorted({i for f in facts if f.get("kind") == "group_compare" and set(f["items"]) & set(items)
                     for i in f["than"]} - set(items))
    trial, fewest = df.copy(), 0
    for i in [*items, *rivals]:
        answered = df.index[df[i].notna()]
        low, _high = admissible_count(codebook.item(i), len(answered), facts, claims, [4, 5])
        col = trial[i].mask(trial[i].isin([4, 5]), 3)
        col[answered[:low]] = 4
        trial[i], fewest = col.astype(df[i].dtype), max(fewest, low) if i in items else fewest
    kept = all(check_fact(trial, f, codebook)["status"] != "mismatch" and _within_admits(trial, f)
               for f in facts if f.get("kind", "count") != "intake")
    held = claim_checks(claims, df)["consistent"].to_numpy(bool)  # a contested claim fails in any arrangement
    kept = kept and bool((claim_checks(claims, trial)["consistent"].to_numpy(bool) >= held).all())
    return fewest / len(df) if kept else None


def _within_admits(df: pd.DataFrame, fact: dict) -> bool:
    """A quantifier fact's count inside the range its word admits (its ``admits``), where it gives one."""
    if "admits" not in fact or "where" not in fact:
        return True
    low, high = fact["admits"]
    return low <= count(df, fact["where"]) <= high


def _admissible_rows(rows: list[dict]) -> list[dict]:
    """For each row taken at the reconstruction's own item counts, the same quantity over every
    count the publication admits: at least the range reached at the reconstruction's counts (those
    counts are admitted too), at most the quantity's outer bound (:data:`OUTER`); proven where the
    two meet; a one-item effect counted over every admitted distribution is exact. (The threshold
    share and Spearman's rho have rows of their own.)"""
    out = []
    for r in rows:
        lo_out, hi_out = OUTER[r["quantity_id"]]
        if r.get("_admitted"):  # one item: counted over every admitted distribution, exact
            lo, hi = min(r["_admitted"][0], r["lower"]), max(r["_admitted"][1], r["upper"])
            out.append({**r, "lower": lo, "upper": hi, "method_id": COUNTED, "sharp": True, "marginals_id": ADMISSIBLE,
                        "outer_lower": lo, "outer_upper": hi})
            continue
        sharp = bool(r["sharp"]) and r["lower"] <= lo_out and r["upper"] >= hi_out
        out.append({**r, "method_id": OVER_MARGINALS, "sharp": sharp, "marginals_id": ADMISSIBLE,
                    "outer_lower": lo_out, "outer_upper": hi_out})
    return out


def _spearman_admissible(df: pd.DataFrame, codebook: Codebook, publication: dict, value: float) -> dict:
    """Spearman satisfaction x trust over every count the publication admits for either item and
    every pairing (:func:`~analysis_utils.stats.bounds.spearman_over_marginals`)."""
    pair = df[["q08_satisfaction", "q09_trust_bond"]].dropna()
    items = [codebook.item(i) for i in ("q08_satisfaction", "q09_trust_bond")]
    dists = [admissible_distributions(i, len(pair), publication["facts"], publication.get("claims", [])) for i in items]
    lo, hi, lo_proven, hi_proven = spearman_over_marginals(dists[0], dists[1], items[0].scale.codes, items[1].scale.codes)
    return _row(SPEARMAN_SATISFACTION_TRUST, "04", value, (lo, hi), FRECHET, lo_proven and hi_proven,
                marginals_id=ADMISSIBLE, outer_lower=-1.0, outer_upper=1.0)


def _spearman_row(df: pd.DataFrame, locked: dict[str, np.ndarray], guards: dict[str, list]) -> dict:
    """Spearman satisfaction x trust (chapter 04): the comonotone and countermonotone pairings."""
    from scipy.stats import spearmanr

    pair = df[["q08_satisfaction", "q09_trust_bond"]].dropna().to_numpy(dtype=float)
    lo, hi = spearman_bounds(pair[:, 0], pair[:, 1])
    free = not any(locked[i].any() or guards[i] for i in ("q08_satisfaction", "q09_trust_bond"))
    return _row(SPEARMAN_SATISFACTION_TRUST, "04", float(spearmanr(pair[:, 0], pair[:, 1])[0]), (lo, hi), FRECHET, free)


def _oriented_matrix(df: pd.DataFrame, links: list[dict], codebook: Codebook) -> np.ndarray:
    """Respondents x linked items, scores oriented toward each link's strengthening pole."""
    return np.column_stack([oriented_scores(df[link["item"]], link, codebook).to_numpy(dtype=float, na_value=np.nan)
                            for link in links])


def _alpha_row(df: pd.DataFrame, codebook: Codebook, links: list[dict], ties: tuple[dict, dict],
              ids: dict) -> dict:
    """Cronbach's alpha of ``links``' items over the respondents who answered them all; the
    answers of respondents who answered only some move with the rest
    (:func:`~analysis_utils.stats.held_answers.alpha_over_holders`), or, where that cannot be
    solved, stay as reconstructed (``n_complete``).
    ``ids``: quantity_id, chapter and (a construct's alpha) construct_id."""
    locked, guards = ties
    values = _oriented_matrix(df, links, codebook)
    complete = ~np.isnan(values).any(axis=1)
    movable = np.column_stack([~locked[link["item"]] for link in links])[complete]
    kept = {j: [(codes, rows[complete]) for codes, rows in held] for j, held in _by_column(guards, links, codebook).items()}
    lo, hi, exact = alpha_bounds(values[complete], movable, kept)
    partial = not complete.all() and (~np.isnan(values[~complete])).any()
    held = alpha_over_holders(values, np.column_stack([~locked[link["item"]] for link in links])) \
        if partial and not any(kept.values()) else None
    if held is not None:  # the partial respondents' answers move too: every way of holding them
        (lo, hi, exact), partial = held, False
    return _row(ids["quantity_id"], ids["chapter"], cronbach_alpha(values[complete]), (lo, hi),
                ALPHA_METHOD if held is None else ALPHA_HELD,
                exact and not partial, construct_id=ids.get("construct_id"),
                n_complete=int(complete.sum()) if partial else None)


def _alpha_rows(df: pd.DataFrame, codebook: Codebook, ties: tuple[dict, dict]) -> list[dict]:
    """The relationship items (chapter 04) and every construct of several items (chapter 03)."""
    rel = [{"item": i, "direction": STRENGTHENING if not codebook.item(i).reversed else "agree = alienating"}
           for i in reliability_items(codebook)]
    rows = [_alpha_row(df, codebook, rel, ties, {"quantity_id": ALPHA_RELATIONSHIP, "chapter": "04"})]
    for c in load_theory_map()["constructs"]:
        links = construct_links(c, codebook)
        if len(links) >= 2:
            ids = {"quantity_id": ALPHA_CONSTRUCT, "chapter": "03", "construct_id": c["id"]}
            rows.append(_alpha_row(df, codebook, links, ties, ids))
    return rows


def _effect_rows(df: pd.DataFrame, codebook: Codebook, ties: tuple[dict, dict], min_group_size: int,
                 publication: dict | None = None) -> list[dict]:
    """Every outcome of :func:`~analysis_utils.stats.constructs.respondent_scores` by every
    grouping with at least two groups of ``min_group_size`` (chapter 03); a one-item outcome
    also over every count the ``publication`` admits (``_admitted``)."""
    rows, (locked, guards) = [], ties
    groups = grouping_variables(df)
    outcomes = [*respondent_scores(df, codebook).columns]
    for grouping in groups.columns:
        g = groups[grouping].astype("string").fillna("").to_numpy()
        sizes = pd.Series(g[g != ""]).value_counts().sort_index()
        levels = [lvl for lvl, k in sizes.items() if k >= min_group_size]
        if len(levels) < 2:
            continue
        for outcome in outcomes:
            links = outcome_links(outcome, codebook)
            values = _oriented_matrix(df, links, codebook)
            movable = np.column_stack([~locked[link["item"]] for link in links])
            with np.errstate(invalid="ignore"):
                scores = np.nanmean(values, axis=1)
            parts = [scores[(g == lvl) & ~np.isnan(scores)] for lvl in levels]
            value = rank_biserial(*parts) if len(levels) == 2 else epsilon_squared(parts)
            by_column = _by_column(guards, links, codebook)
            lo, hi, exact = effect_bounds(values, movable, g, levels, by_column)
            row = _row(RANK_BISERIAL if len(levels) == 2 else EPSILON_SQUARED, "03", value,
                       (min(lo, value), max(hi, value)), EXACT if exact else SEARCH, exact, outcome=outcome,
                       grouping=grouping)
            if len(links) == 1 and movable[~np.isnan(values)].all() and publication is not None:
                row["_admitted"] = _counted_over_admissible(df, codebook, publication, links[0], (g, levels),
                                                            by_column.get(0, []))
            rows.append(row)
    return rows


def _by_column(guards: dict[str, list], links: list[dict], codebook: Codebook) -> dict[int, list]:
    """The guards of ``links``' items by column, their codes scored as the links score answers."""
    out = {}
    for j, link in enumerate(links):
        held = [(oriented_scores(pd.Series(codes), link, codebook).to_numpy(dtype=float), rows)
                for codes, rows in guards[link["item"]]]
        if held:
            out[j] = held
    return out


def _counted_over_admissible(df: pd.DataFrame, codebook: Codebook, publication: dict, link: dict,
                             grouping: tuple, held: list) -> tuple[float, float] | None:
    """A one-item outcome's effect size over every distribution of its answers the publication
    admits, each counted over every composition (:mod:`analysis_utils.stats.compositions`):
    exact. None where a fact ties the item more than once or there are too many to count."""
    if len(held) > 1:
        return None
    g, levels = grouping
    item = codebook.item(link["item"])
    answers = df[link["item"]]
    answered = answers.notna().to_numpy()
    member = [np.flatnonzero((g == lvl) & answered) for lvl in levels]
    scores = oriented_scores(answers, link, codebook).to_numpy(dtype=float, na_value=np.nan)
    guard = (*held[0], int((held[0][1] & np.isin(scores, held[0][0])).sum())) if held else None
    codes = oriented_scores(pd.Series(item.scale.codes), link, codebook).to_numpy(dtype=float)
    count = rank_biserial_by_composition if len(levels) == 2 else epsilon_squared_by_composition
    lows, highs = [], []
    for dist in admissible_distributions(item, int(answered.sum()), publication["facts"], publication.get("claims", [])):
        column = np.full(len(df), np.nan)
        column[answered] = np.repeat(codes, dist)
        found = count(column, member, guard)
        if found is None:
            return None
        lows.append(found[0])
        highs.append(found[1])
    lows, highs = [x for x in lows if x == x], [x for x in highs if x == x]  # NaN: no composition meets the fact
    return (min(lows), max(highs)) if lows else None


def _moving_items(df: pd.DataFrame, codebook: Codebook) -> list[str]:
    """The items whose answers an arrangement moves: those of the relationship's alpha, of every
    construct and of every outcome, and the two of Spearman's rho (grouping variables stay)."""
    items = {*reliability_items(codebook), "q08_satisfaction", "q09_trust_bond"}
    for c in load_theory_map()["constructs"]:
        items |= {link["item"] for link in construct_links(c, codebook)}
    items |= {link["item"] for o in respondent_scores(df, codebook).columns for link in outcome_links(o, codebook)}
    return [i for i in codebook.item_ids if i in items and i in df]


def identification_table(df: pd.DataFrame, codebook: Codebook, publication: dict,
                         min_group_size: int = 5) -> pd.DataFrame:
    """Every result of chapters 03 and 04 that depends on how answers combine, for a
    reconstructed intake (``publication``: its parsed reported.yaml): its value in the
    reconstruction and the lowest and highest value any arrangement allows,

    .. math:: T(\\hat\\pi) \\in \\Big[\\min_{\\pi \\in \\Pi} T(\\pi),\\; \\max_{\\pi \\in \\Pi} T(\\pi)\\Big]

    for the reconstruction :math:`\\hat\\pi` and the arrangements :math:`\\Pi` that keep every
    item's answers, who answered it, the groups and the locked cells (a row whose
    ``marginals_id`` is ``admissible``: over every count the publication's words admit instead).
    ``sharp`` says the range is proven; otherwise it is what the search reached (the true range is
    at least as wide), or an outer bound. Groupings with fewer than two groups of
    ``min_group_size`` are left out.

    References
    ----------
    Manski, C. F. (2003). *Partial Identification of Probability Distributions*. New York:
    Springer. Fréchet (1951) and Hoeffding (1940), see :mod:`analysis_utils.stats.bounds`.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({i: pd.array([2, 4, 4, 5], dtype="Int64") for i in cb.item_ids})
    >>> df["q01_gender"] = pd.array([1, 2, 1, 2], dtype="Int64")
    >>> df["interview_mode"], df["help_type"] = "face to face", "budget management"
    >>> table = identification_table(df, cb, {"facts": [], "claims": []}, min_group_size=2)
    >>> first = table.iloc[0]
    >>> first["quantity_id"], float(first["value_in_reconstruction"]), float(first["lower"]), float(first["upper"])
    ('any_threshold', 0.75, 0.75, 1.0)
    >>> row = table[table["marginals_id"] == "admissible"].set_index("quantity_id").loc["spearman_satisfaction_trust"]
    >>> float(row["lower"]), float(row["upper"]), bool(row["sharp"])
    (-1.0, 1.0, True)

    On the reconstructed intake:

    >>> from analysis_utils.intake import read_intake
    >>> from analysis_utils.intake.derive import clean
    >>> from analysis_utils.intake.publication import load_publication
    >>> intake = read_intake("data/raw/genk-2015")
    >>> table = identification_table(clean(intake.responses, intake.codebook), intake.codebook,
    ...                              load_publication(intake.path, intake.meta))   # doctest: +SKIP
    >>> table.loc[table["quantity_id"] == "spearman_satisfaction_trust", ["lower", "upper"]]  # doctest: +SKIP
    """
    ties = locked_cells(df, _moving_items(df, codebook), publication["facts"],
                        {i.id: next(iter(i.asked_if)) for i in codebook.items if i.asked_if})
    spearman = _spearman_row(df, *ties)
    alphas, effects = _alpha_rows(df, codebook, ties), _effect_rows(df, codebook, ties, min_group_size, publication)
    rows = [*_threshold_rows(df, codebook, publication), spearman, *alphas, *effects,
            _spearman_admissible(df, codebook, publication, spearman["value_in_reconstruction"]),
            *_admissible_rows(alphas + effects)]
    return pd.DataFrame(rows).reindex(columns=IDENTIFICATION_COLUMNS)
