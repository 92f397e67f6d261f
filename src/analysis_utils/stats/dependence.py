"""Which results of a reconstructed intake the published figures fix, and which depend on how
answers combine: :func:`dependence_table`, the table chapter 04 closes with. A joint result's range
is the one the published figures allow over every count they admit (the identification table's
``admissible`` rows), with the range given the reconstruction's own split beside it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..theory_map import construct_links, constructs
from .constructs import construct_table
from .descriptive import worded_items
from .limits import ADMISSIBLE, AT_RECONSTRUCTION, joint_statistics
from .tests import ensemble_range


def _single_item_rows(summary: pd.DataFrame | None) -> list[dict]:
    """The single-item shares: fixed by the publication, or (reconstructed) split into those it
    gives or fixes and those it only words or leaves open (``k``: how many items)."""
    if summary is not None and "provenance" in summary and (summary["provenance"] != "data").any():
        rated = summary[summary["admissible_low"].notna()]
        fixed = rated[rated["admissible_low"] == rated["admissible_high"]]
        loose = len(rated) - len(fixed)
        return [{"result_id": "shares_fixed", "k": len(fixed), "fixed": True},
                {"result_id": "shares_worded", "k": loose, "fixed": loose == 0}]
    return [{"result_id": "shares_all", "fixed": True}]


def _construct_rows(df: pd.DataFrame, codebook: Codebook, worded: set[str]) -> list[dict]:
    """The construct shares: one row, or (some items' shares only worded) the constructs that pool
    only fixed counts apart from those that pool a worded share (``k``: how many constructs)."""
    measured = construct_table(df, codebook).dropna(subset=["positive_share"])
    pools = np.array([bool(worded & {link["item"] for link in construct_links(constructs()[cid], codebook)})
                      for cid in measured["construct_id"]], dtype=bool)
    parts = (("construct_shares", measured, True),) if not pools.any() else (
        ("construct_shares_fixed", measured[~pools], True), ("construct_shares_worded", measured[pools], False))
    return [{"result_id": rid, "k": len(part), "fixed": fixed, "value_low": part["positive_share"].min(),
             "value_high": part["positive_share"].max()} for rid, part, fixed in parts if len(part)]


def _ranges(identification: pd.DataFrame, marginals: str) -> pd.DataFrame:
    """The identification rows taken over ``marginals``, one per quantity (the first)."""
    return identification[identification["marginals_id"] == marginals].drop_duplicates("quantity_id").set_index("quantity_id")


def _joint_rows(df, codebook, ensemble, ident) -> list[dict]:
    rows = []
    for name, (fn, columns, on_array) in joint_statistics(codebook).items():
        if ensemble is None and ident is None:
            v = fn(df)
            rows.append({"result_id": name, "fixed": True, "value": v, "lower": v, "upper": v})
            continue
        row = {"result_id": name, "fixed": False, "value": fn(df), "lower": None, "upper": None}
        if ident is not None and name in ident[ADMISSIBLE].index:  # what the published figures allow
            r = ident[ADMISSIBLE].loc[name]
            row.update(lower=float(r["lower"]), upper=float(r["upper"]), sharp=bool(r["sharp"]),
                       outer_lower=float(r.get("outer_lower", np.nan)), outer_upper=float(r.get("outer_upper", np.nan)))
        if ident is not None and name in ident[AT_RECONSTRUCTION].index:  # given the reconstruction's split
            r = ident[AT_RECONSTRUCTION].loc[name]
            row.update(given_split_lower=float(r["lower"]), given_split_upper=float(r["upper"]))
        if ensemble is not None:
            lo, _m, hi = ensemble_range(ensemble, fn, columns, on_array)
            row.update(unrelated_low=lo, unrelated_high=hi)
            if row["lower"] is None:  # no identified range: the spread over reconstructions
                row.update(lower=lo, upper=hi)
        rows.append(row)
    return rows


def _effect_rows(identification, subgroups, ensemble) -> list[dict]:
    if identification is not None:  # one effect-size scale per row
        rows = []
        for name in ("rank_biserial", "epsilon_squared"):
            part = identification[identification["quantity_id"] == name]
            allowed, given = part[part["marginals_id"] == ADMISSIBLE], part[part["marginals_id"] == AT_RECONSTRUCTION]
            if len(given):
                allowed = allowed if len(allowed) else given
                rows.append({"result_id": name, "k": len(given), "fixed": False,
                             "value_low": given["value_in_reconstruction"].min(),
                             "value_high": given["value_in_reconstruction"].max(),
                             "lower": float(allowed["lower"].min()), "upper": float(allowed["upper"].max()),
                             # an end of the union is proven where it is some comparison's proven end or the limit itself
                             "sharp": bool(allowed["sharp"].all()) or bool(
                                 "outer_lower" in allowed and allowed["lower"].min() <= allowed["outer_lower"].min() + 1e-12
                                 and allowed["upper"].max() >= allowed["outer_upper"].max() - 1e-12),
                             "outer_lower": float(allowed["outer_lower"].min()) if "outer_lower" in allowed else np.nan,
                             "outer_upper": float(allowed["outer_upper"].max()) if "outer_upper" in allowed else np.nan,
                             "given_split_lower": float(given["lower"].min()),
                             "given_split_upper": float(given["upper"].max())})
        return rows
    if subgroups is not None and ensemble is not None and len(subgroups):
        return [{"result_id": "largest_effect", "fixed": False, "value": subgroups["effect_median"].abs().max(),
                 "lower": float(subgroups["effect_min"].min()), "upper": float(subgroups["effect_max"].max())}]
    return []


def dependence_table(df: pd.DataFrame, codebook: Codebook, ensemble: pd.DataFrame | None, subgroups: pd.DataFrame | None,
                     summary: pd.DataFrame | None = None, identification: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which results the published figures fix, and which depend on the reconstruction: one row
    per ``result_id`` with ``fixed`` (by the publication), its ``value`` in this intake and
    ``lower``/``upper``.

    For an intake that is not reconstructed every value is observed (lower = upper = value).
    With the item ``summary`` (its ``provenance`` column), the single-item shares are split into
    those the thesis gives or fixes and those it only words (a quantifier) or leaves open.
    With the ``identification`` table (stage 01), ``lower`` and ``upper`` of a joint result are
    its identified range — what any arrangement of the published answers allows — and ``sharp``
    says whether that range is proven; the seeded reconstructions only add ``unrelated_low`` /
    ``unrelated_high``, the typical spread if the items were unrelated. For a joint result
    :math:`T` over the arrangements :math:`\\pi` the publication allows,
    :math:`[\\text{lower}, \\text{upper}] = [\\min_\\pi T(\\pi), \\max_\\pi T(\\pi)]`.

    References
    ----------
    Manski, C. F. (2003). *Partial Identification of Probability Distributions*. New York:
    Springer.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({i: pd.array([5, 4, 2], dtype="Int64") for i in cb.item_ids})
    >>> table = dependence_table(df, cb, None, None).set_index("result_id")
    >>> bool(table["fixed"].all()), float(table.loc["any_threshold", "lower"])
    (True, 0.6666666666666666)
    """
    rows = _single_item_rows(summary)
    rows += _construct_rows(df, codebook, worded_items(summary))  # a construct pooling a worded share is not fixed
    if ensemble is not None:
        rows.append({"result_id": "construct_intervals", "fixed": False})
    ident = None
    if identification is not None:
        joint = identification[identification["quantity_id"].isin(list(joint_statistics(codebook)))]
        ident = {m: _ranges(joint, m) for m in (ADMISSIBLE, AT_RECONSTRUCTION)}
    rows += _joint_rows(df, codebook, ensemble, ident)
    rows += _effect_rows(identification, subgroups, ensemble)
    return pd.DataFrame(rows)
