"""Intakes side by side: the same questions asked in different rounds, teams or OCMWs.

Items are aligned across questionnaire versions (the codebook's ``aligns_with``) and compared
on their positively oriented scores, except those of :data:`NOT_COMPARABLE` (v1's "different
goals", misread by most clients, against v2's "same goals"). Rows carry the intakes' ids and the
items' ids; who is reconstructed travels with them (``reconstructed_involved``).
"""
from __future__ import annotations

import pandas as pd

from ..codebook import GOALS_V1, Codebook, aligned_items
from .intervals import newcombe_difference
from .tests import holm, mann_whitney

FAMILYWISE_ALPHA = 0.05
COMPARISON_COLUMNS = ["item_key", "figure", "reference", "intake", "n_reference", "n_intake", "top2_reference",
                      "top2_intake", "difference", "ci_level", "diff_ci_low", "diff_ci_high", "top2_differs", "U_val",
                      "p_val", "RBC", "p_holm", "reconstructed_involved", "top2_fixed", "distribution_fixed",
                      "top2_reference_low", "top2_reference_high", "top2_intake_low", "top2_intake_high"]
# Aligned items whose answers cannot be compared (the reason is worded at presentation).
NOT_COMPARABLE = (GOALS_V1,)
RATED_TYPES = ("scale", "frequency")


def common_items(codebooks: list[Codebook], comparable_only: bool = True) -> list[tuple[str, ...]]:
    """Items every intake asked: one tuple of item ids (one per intake) per aligned question;
    with ``comparable_only``, not a tuple in which an item of :data:`NOT_COMPARABLE` stands
    beside a different item (v1's "different goals" against v2's "same goals"; intakes that all
    ask the same item compare it). In the first intake's item order, the tuples are

    .. math:: \\{(i_1, \\dots, i_m) : i_t \\text{ of intake } t \\text{ asks what } i_1 \\text{ asks},
              t = 2, \\dots, m\\}

    (:func:`analysis_utils.codebook.aligned_items`: the same id, or ``aligns_with``).

    References
    ----------
    The 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk,
    social work), lines 2225–2231 (the goals item asked about different goals; most clients
    misread it, and the author wishes she had asked about the same goals).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> pairs = common_items([load_codebook("v1"), load_codebook("v2")])
    >>> ("q08_satisfaction", "q08_satisfaction") in pairs, any("q17_different_goals" in p for p in pairs)
    (True, False)
    """
    first = codebooks[0]
    maps = [dict(aligned_items(first, cb)) for cb in codebooks[1:]]
    both = [(i, *(m[i] for m in maps)) for i in first.item_ids if all(i in m for m in maps)]
    return [ids for ids in both if not (comparable_only and set(ids) & set(NOT_COMPARABLE) and len(set(ids)) > 1)]


def not_comparable(codebooks: list[Codebook]) -> list[tuple[str, ...]]:
    """The aligned items (ids, one per intake) left out of the comparison: the set difference
    :math:`A \\setminus C` of every aligned tuple :math:`A` and the comparable ones :math:`C`
    (:func:`common_items`).

    References
    ----------
    The 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk,
    social work), lines 2225–2231 (the goals item asked about different goals; most clients
    misread it, and the author wishes she had asked about the same goals).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> not_comparable([load_codebook("v1"), load_codebook("v2")])
    [('q17_different_goals', 'q17_same_goals')]
    """
    kept = set(common_items(codebooks))
    return [ids for ids in common_items(codebooks, comparable_only=False) if ids not in kept]


def _oriented(values: pd.Series, item, positive: bool) -> pd.Series:
    """Codes, turned to positive orientation when ``positive``."""
    v = values.dropna().astype(int)
    return v.map(item.positive_score) if positive else v


def tidy_answers(loaded: list[tuple], figures: list[int] | None = None, assumed: dict | None = None) -> pd.DataFrame:
    """Long table of the aligned rated items: one row per intake, item and answer category
    (``item_key``: the first intake's item id; ``item_id``: the item whose wording and scale
    name the row; ``intake``: the intake's id); ``count_assumed`` marks the answers of
    ``assumed`` (intake id -> its item id -> codes: counts a reconstruction chose).

    Where the intakes word an item in opposite directions, codes are positively oriented and
    named by the positively worded version's item and scale. ``count`` is

    .. math:: k_{tjc} = \\#\\{\\text{answers of intake } t \\text{ to item } j \\text{ in category } c\\}

    (a turned code :math:`c_{min} + c_{max} - c`), zero counts included, and ``n`` the
    intake's answers to the item: the data of the diverging stacked bars that set the intakes
    side by side.

    References
    ----------
    Wickham, H. (2014). Tidy data. *Journal of Statistical Software*, 59(10), 1–23.
    Heiberger, R. M., & Robbins, N. B. (2014). Design of diverging stacked bar charts for Likert
    scales and other applications. *Journal of Statistical Software*, 57(5), 1–32.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from analysis_utils.codebook import load_codebook
    >>> v1, v2 = load_codebook("v1"), load_codebook("v2")
    >>> first = SimpleNamespace(id="first", codebook=v1, reconstructed=True)
    >>> later = SimpleNamespace(id="later", codebook=v2, reconstructed=False)
    >>> def answers(cb, codes):
    ...     return pd.DataFrame({i: pd.array(codes, dtype="Int64") for i in cb.item_ids})
    >>> loaded = [(first, answers(v1, [4, 5, 5, 2])), (later, answers(v2, [3, 4, 2, 2]))]
    >>> tidy = tidy_answers(loaded, figures=[8])
    >>> tidy.groupby("intake")["count"].apply(list).to_dict()
    {'first': [0, 1, 0, 1, 2], 'later': [0, 2, 1, 1, 0]}
    """
    cbs = [intake.codebook for intake, _ in loaded]
    rows = []
    for ids in common_items(cbs):
        items = [cb.item(i) for cb, i in zip(cbs, ids)]
        first = items[0]
        if first.type not in RATED_TYPES or (figures and first.figure not in figures):
            continue
        positive = len({it.reversed for it in items}) > 1
        named = next((it for it in items if not it.reversed), first) if positive else first
        for (intake, df), item, item_id in zip(loaded, items, ids):
            answers = _oriented(df[item_id], item, positive)
            counts = answers.value_counts()
            chosen = {item.positive_score(c) if positive else c for c in (assumed or {}).get(intake.id, {}).get(item_id, ())}
            for code in named.scale.codes:
                rows.append({"item_key": ids[0], "item_id": named.id, "figure": first.figure, "intake": intake.id,
                             "category_code": code, "count": int(counts.get(code, 0)), "n": int(len(answers)),
                             "reconstructed": intake.reconstructed, "count_assumed": code in chosen})
    return pd.DataFrame(rows)


def _pair_row(ids, items, ref, other, published: dict) -> dict | None:
    """One aligned item, one intake against the reference (``ref``, ``other``: (intake, df, item
    id, item); ``published``: see :func:`compare_items`)."""
    (ref_intake, ref_df, ref_id, ref_item), (intake, df, item_id, item) = ref, other
    ref_scores = _oriented(ref_df[ref_id], ref_item, True)
    scores = _oriented(df[item_id], item, True)
    if not len(scores) or not len(ref_scores):
        return None
    k_ref = int(ref_df[ref_id].isin(ref_item.top2_codes).sum())
    k = int(df[item_id].isin(item.top2_codes).sum())
    ref_low, ref_high, ref_whole = published.get(ref_intake.id, {}).get(ref_id, (k_ref, k_ref, True))
    low, high, whole = published.get(intake.id, {}).get(item_id, (k, k, True))
    tested = ref_whole and whole and pd.concat([scores, ref_scores]).nunique() > 1
    mw = mann_whitney(scores, ref_scores) if tested else {"U_val": float("nan"), "p_val": float("nan"),
                                                          "RBC": float("nan") if not (ref_whole and whole) else 0.0}
    return {"item_key": ids[0], "figure": items[0].figure, "reference": ref_intake.id, "intake": intake.id,
            "n_reference": len(ref_scores), "n_intake": len(scores), "top2_reference": k_ref / len(ref_scores),
            "top2_intake": k / len(scores), "difference": k / len(scores) - k_ref / len(ref_scores),
            "_counts": ((low, len(scores), ref_high, len(ref_scores)), (high, len(scores), ref_low, len(ref_scores))),
            "U_val": mw["U_val"], "p_val": mw["p_val"], "RBC": mw["RBC"],
            "reconstructed_involved": ref_intake.reconstructed or intake.reconstructed,
            "top2_fixed": ref_low == ref_high and low == high, "distribution_fixed": bool(ref_whole and whole),
            "top2_reference_low": ref_low / len(ref_scores), "top2_reference_high": ref_high / len(ref_scores),
            "top2_intake_low": low / len(scores), "top2_intake_high": high / len(scores)}


def compare_items(loaded: list[tuple], published: dict | None = None) -> pd.DataFrame:
    """Per aligned rated item, every intake against the first, at one error rate: a 5 %
    familywise error over the items of an intake pair, for both things measured.

    - The top-2 share: the difference with a Newcombe interval at the simultaneous level
      (Bonferroni, :math:`1 - 0.05 / m` for m items; ``ci_level``); ``top2_differs`` when it
      excludes 0 (:func:`analysis_utils.stats.intervals.newcombe_difference`).
    - The whole distribution: Mann–Whitney on positively oriented scores with the rank-biserial
      (positive = the later intake higher), Holm-adjusted over the same m items (``p_holm``).

    The two answer different questions (a shift of the top-2 share can come with an unchanged
    distribution of ranks, and the other way round), so neither contradicts the other.
    ``loaded``: (intake, cleaned answers) pairs, the reference first.

    A reconstructed intake's answers are known only as far as its publication fixes them:
    ``published`` maps its id to ``{item id: (lowest, highest top-2 count admitted, whole
    distribution fixed)}``. Then the interval runs from the lowest difference's lower end to the
    highest difference's upper end over every admitted count (``top2_differs`` only when it
    excludes 0 whatever the counts: a decision that rests on no choice of the reconstruction;
    ``top2_fixed`` says whether the counts are fixed), and Mann–Whitney is left out (NaN) unless
    the publication fixes both whole distributions (``distribution_fixed``): how a top-2 total
    splits between its two answers decides it.

    For an intake with :math:`k` of :math:`n` in the top two against the reference's
    :math:`k_0` of :math:`n_0`, ``difference`` is :math:`k/n - k_0/n_0` and the rank-biserial
    :math:`2U/(n n_0) - 1`, both at the level

    .. math:: 1 - \\frac{0.05}{m}, \\qquad p^{Holm}_{(i)} = \\max_{j \\le i} \\min\\big(1, (m - j + 1)\\, p_{(j)}\\big).

    References
    ----------
    Newcombe, R. G. (1998), see :func:`analysis_utils.stats.intervals.newcombe_difference`.
    Dunn, O. J. (1961). Multiple comparisons among means. *Journal of the American Statistical
    Association*, 56(293), 52–64 (the Bonferroni level). Mann, H. B., & Whitney, D. R. (1947),
    see :func:`analysis_utils.stats.tests.mann_whitney`. Holm, S. (1979), see
    :func:`analysis_utils.stats.tests.holm`.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from analysis_utils.codebook import load_codebook
    >>> v1, v2 = load_codebook("v1"), load_codebook("v2")
    >>> first = SimpleNamespace(id="first", codebook=v1, reconstructed=True)
    >>> later = SimpleNamespace(id="later", codebook=v2, reconstructed=False)
    >>> def answers(cb, codes):
    ...     return pd.DataFrame({i: pd.array(codes, dtype="Int64") for i in cb.item_ids})
    >>> loaded = [(first, answers(v1, [4, 5, 5, 2])), (later, answers(v2, [3, 4, 2, 2]))]
    >>> table = compare_items(loaded)
    >>> row = table.set_index("item_key").loc["q08_satisfaction"]
    >>> float(row["difference"]), round(float(row["ci_level"]), 4), float(row["RBC"]), bool(row["top2_differs"])
    (-0.5, 0.9988, -0.5625, False)
    >>> table.attrs["family"]
    42
    """
    cbs = [intake.codebook for intake, _ in loaded]
    ref_intake, ref_df = loaded[0]
    rows = []
    for ids in common_items(cbs):
        items = [cb.item(i) for cb, i in zip(cbs, ids)]
        if items[0].type not in RATED_TYPES:
            continue
        ref = (ref_intake, ref_df, ids[0], items[0])
        for (intake, df), item, item_id in list(zip(loaded, items, ids))[1:]:
            row = _pair_row(ids, items, ref, (intake, df, item_id, item), published or {})
            if row is not None:
                rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    table["p_holm"] = float("nan")
    for _, idx in table.groupby("intake").groups.items():
        m = len(idx)
        table.loc[idx, "p_holm"] = holm(table.loc[idx, "p_val"])
        table.loc[idx, "ci_level"] = 1 - FAMILYWISE_ALPHA / m
        # the lowest difference's lower end and the highest's upper end (one pair of counts when they are fixed)
        lows = [newcombe_difference(*c[0], alpha=FAMILYWISE_ALPHA / m)[0] for c in table.loc[idx, "_counts"]]
        highs = [newcombe_difference(*c[1], alpha=FAMILYWISE_ALPHA / m)[1] for c in table.loc[idx, "_counts"]]
        table.loc[idx, "diff_ci_low"], table.loc[idx, "diff_ci_high"] = lows, highs
    table["top2_differs"] = (table["diff_ci_low"] > 0) | (table["diff_ci_high"] < 0)
    table.attrs["family"] = int(table.groupby("intake").size().max())
    return table.drop(columns="_counts").reindex(columns=COMPARISON_COLUMNS)
