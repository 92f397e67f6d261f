"""How far the data can be trusted, in numbers: non-response bounds, pilot sensitivity, the
ceiling, the misread goals item, what the questionnaire covers of the theory, the reliability of
the relationship items, and which results the publication fixes (``dependence_table``).

Examples
--------
>>> from analysis_utils.codebook import load_codebook
>>> reliability_items(load_codebook())[:3]
['q08_satisfaction', 'q09_trust_bond', 'q13_ask_help_easily']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import GOALS_V1, RELATIONSHIP_FIGURES, Codebook
from ..theory_map import construct_items, load_theory_map, threshold_items
from .constructs import any_threshold_share
from .effects import cronbach_alpha, spearman
from .intervals import manski_bounds

# The joint results of chapter 04 (ids; their words at presentation).
ALPHA_RELATIONSHIP, SPEARMAN_SATISFACTION_TRUST, ANY_THRESHOLD = (
    "alpha_relationship", "spearman_satisfaction_trust", "any_threshold")


# The item counts a range is taken over: the reconstruction's own, or every count the publication admits.
AT_RECONSTRUCTION, ADMISSIBLE = "reconstruction", "admissible"


def headline_bounds(df: pd.DataFrame, codebook: Codebook, approached: int,
                    summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Top-2 share of every relationship item beside its Manski bounds over the clients
    approached (:func:`analysis_utils.stats.intervals.manski_bounds`).

    Items that part of the respondents were not asked (the pilot lacked some) count those as
    non-respondents too. Questionnaire v1's goals item is left out: most clients misread it
    (lines 2227-2231), so its share is neither agreement nor disagreement. With :math:`k` of
    :math:`n` in the top two and :math:`N` approached: :math:`[k/N,\ (k + N - n)/N]`.

    For a reconstructed intake (an item ``summary`` whose ``provenance`` is not ``data``) the
    count :math:`k` is known only as far as the publication fixes it: the bounds are taken over
    every count it admits, :math:`[L/N,\ (U + N - n)/N]` for its lowest and highest top-2 count
    :math:`L, U` (``fixed`` is False where :math:`L < U`; ``observed`` is then the
    reconstruction's point, not an observation).

    References
    ----------
    Manski (1989), see :func:`analysis_utils.stats.intervals.manski_bounds`. The 2015 bachelor
    thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk, social work), lines
    2213–2219 (40 approached, 28 respondents) and 2227–2231 (the goals item).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({i: pd.array([5, 4, 2], dtype="Int64") for i in cb.item_ids})
    >>> headline_bounds(df, cb, approached=5).loc[0, ["observed", "worst_case", "best_case"]].round(3).tolist()
    [0.667, 0.4, 0.8]
    >>> worded = pd.DataFrame({"item_id": ["q08_satisfaction"], "provenance": ["quantifier"],
    ...                        "admissible_low": [1 / 3], "admissible_high": [1.0]})
    >>> row = headline_bounds(df, cb, 5, worded).loc[0]
    >>> float(row["worst_case"]), float(row["best_case"]), bool(row["fixed"])
    (0.2, 1.0, False)
    """
    ranges = {} if summary is None else summary.set_index("item_id")[["admissible_low", "admissible_high"]].to_dict("index")
    rows = []
    for fig in RELATIONSHIP_FIGURES:
        for item in codebook.by_figure(fig):
            if item.id == GOALS_V1:
                continue
            col = df[item.id].dropna()
            k, n = int(col.isin(item.top2_codes).sum()), len(col)
            low_k, high_k = _admitted_counts(ranges.get(item.id), k, n)
            lo, hi = manski_bounds(low_k, n, approached)[0], manski_bounds(high_k, n, approached)[1]
            rows.append({"figure": fig, "item_id": item.id, "n": n, "observed": k / n, "worst_case": lo, "best_case": hi,
                         "fixed": low_k == high_k, "share_low": low_k / n, "share_high": high_k / n})
    return pd.DataFrame(rows)


def _admitted_counts(admitted: dict | None, k: int, n: int) -> tuple[int, int]:
    """The lowest and highest top-2 count the publication admits (the count itself when it
    fixes it, or for observed answers)."""
    if not admitted or pd.isna(admitted["admissible_low"]):
        return k, k
    return round(admitted["admissible_low"] * n), round(admitted["admissible_high"] * n)


def pilot_sensitivity(df: pd.DataFrame, codebook: Codebook, reconstructed: bool = False,
                      summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """The relationship items the pilot questionnaires answered, with and without the pilots:
    the top-2 share of all respondents beside that of the main questionnaire alone.

    For a reconstructed intake which answers the pilots gave is invented, so beside the
    reconstruction's value stand the lowest and highest share without the pilots that any
    arrangement of the item's answers allows: dropping p of n respondents removes between
    :math:`\\max(0, p - (n - k))` and :math:`\\min(p, k)` of the k positive answers, so the share
    without them lies in :math:`[(k - \\min(p, k))/(n - p),\\ (k - \\max(0, p - n + k))/(n - p)]`.
    Where the publication fixes k only within a range (``summary``'s ``admissible_low`` /
    ``admissible_high``, see :func:`analysis_utils.stats.descriptive.item_summary`), neither
    share is known (``fixed`` False, the shares left empty) and the band runs from the lowest
    end at the smallest admitted k to the highest end at the largest (both ends rise with k).

    References
    ----------
    Manski, C. F. (2003). *Partial Identification of Probability Distributions*. New York:
    Springer. The two pilots kept in the results: the 2015 bachelor thesis *De
    hulpverleningsrelatie door de ogen van de cliënt* (eindwerk, social work), line 1515 and
    lines 1715–1721.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({i: pd.array([5, 5, 4, 2, 1], dtype="Int64") for i in cb.item_ids})
    >>> df["pilot"] = [True, True, False, False, False]
    >>> row = pilot_sensitivity(df, cb, reconstructed=True).iloc[0]
    >>> [round(float(row[c]), 3) for c in ("share_all", "share_main_only", "main_only_lowest", "main_only_highest")]
    [0.6, 0.333, 0.333, 1.0]
    """
    pilot = df["pilot"].astype(bool) if "pilot" in df else pd.Series(False, index=df.index)
    rows = []
    for fig in RELATIONSHIP_FIGURES:
        for item in codebook.by_figure(fig):
            if item.absent_in_pilot or item.id not in df:
                continue
            col = df[item.id]
            answered = col.notna()
            p = int((answered & pilot).sum())
            if not p:
                continue
            k, n = int(col.isin(item.top2_codes).sum()), int(answered.sum())
            main = col[answered & ~pilot]
            row = {"figure": fig, "item_id": item.id, "n_all": n, "n_pilot": p,
                   "share_all": k / n, "share_main_only": float(main.isin(item.top2_codes).mean())}
            row["difference"] = row["share_main_only"] - row["share_all"]
            if reconstructed:
                low, high = _admitted_top2(summary, item.id, k, n)
                row["fixed"] = low == high
                if not row["fixed"]:
                    row.update(share_all=np.nan, share_main_only=np.nan, difference=np.nan)
                row["main_only_lowest"] = (low - min(p, low)) / (n - p)
                row["main_only_highest"] = (high - max(0, p - (n - high))) / (n - p)
            rows.append(row)
    return pd.DataFrame(rows)


def _admitted_top2(summary: pd.DataFrame | None, item_id: str, k: int, n: int) -> tuple[int, int]:
    """The top-2 counts the publication admits for the item (``k`` itself without a summary)."""
    if summary is None or item_id not in set(summary["item_id"]):
        return k, k
    row = summary.set_index("item_id").loc[item_id]
    return int(round(row["admissible_low"] * n)), int(round(row["admissible_high"] * n))


def ceiling_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Share at each rated item's most positive answer, highest first (not v1's misread goals
    item, whose most positive answer nobody can name), from the item summary: per item
    :math:`\\#\\{i : x_i = x_{max}\\}/n` (its ``ceiling_share``), sorted stably.

    References
    ----------
    Terwee, C. B., Bot, S. D. M., de Boer, M. R., van der Windt, D. A. W. M., Knol, D. L., Dekker,
    J., Bouter, L. M., & de Vet, H. C. W. (2007). Quality criteria were proposed for measurement
    properties of health status questionnaires. *Journal of Clinical Epidemiology*, 60(1),
    34–42 (ceiling effects).

    Examples
    --------
    >>> summary = pd.DataFrame({"figure": [8, 9, 17], "item_id": ["q08_satisfaction", "q09_trust_bond",
    ...                         "q17_different_goals"], "n": [28, 28, 26], "ceiling_share": [0.5, 0.75, 0.9]})
    >>> ceiling_table(summary)["item_id"].tolist()
    ['q09_trust_bond', 'q08_satisfaction']
    """
    rated = summary.dropna(subset=["ceiling_share"])
    rated = rated[rated["item_id"] != GOALS_V1]
    return rated[["figure", "item_id", "n", "ceiling_share"]].sort_values(
        "ceiling_share", ascending=False, kind="stable").reset_index(drop=True)


def goals_read_both_ways(df: pd.DataFrame, codebook: Codebook) -> dict | None:
    """The negatively worded goals item read as coded, read the other way round, and as the
    author reads it (line 1787: every answer but a neutral one); None for a questionnaire
    version that asks about the same goals (v2). Counts of the :math:`n` answers: as coded
    :math:`\\#\\{x \\in \\{1, 2\\}\\}` (the item is reversed), the other way round
    :math:`\\#\\{x \\in \\{4, 5\\}\\}`, the author's reading :math:`\\#\\{x \\ne 3\\}`.

    References
    ----------
    The 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk,
    social work), line 1787 and lines 2227–2231.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> goals_read_both_ways(pd.DataFrame({"q17_different_goals": [1, 2, 3, 4, 5, 5]}), load_codebook())
    {'n': 6, 'same_goals_as_coded': 2, 'same_goals_read_other_way': 3, 'same_goals_author_reading': 5}
    """
    if GOALS_V1 not in codebook.item_ids:
        return None
    item = codebook.item(GOALS_V1)
    col = df[item.id].dropna()
    as_coded = int(col.isin(item.top2_codes).sum())
    other_way = int(col.isin([c for c in item.scale.codes if c not in item.top2_codes and c != item.scale.neutral]).sum())
    author = int((col != item.scale.neutral).sum())
    return {"n": len(col), "same_goals_as_coded": as_coded, "same_goals_read_other_way": other_way,
            "same_goals_author_reading": author}


def coverage_matrix(codebook: Codebook) -> pd.DataFrame:
    """Constructs (ids, rows) x items (ids, columns), 1 where the theory map links the item to
    the construct: :math:`M_{cj} = \\mathbf{1}[j \\text{ indicates } c]`, items in the codebook's
    order, every link counted (a role's indicator too).

    References
    ----------
    Rogers (1957), Kadushin (1972) and Driessens & Van Regenmortel (2006), see
    :func:`analysis_utils.stats.constructs.construct_table`.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> m = coverage_matrix(load_codebook())
    >>> m.shape, int(m.loc["confidentiality", "q09_trust_bond"]), int(m.loc["empathy"].sum())
    ((17, 24), 1, 0)
    """
    constructs = load_theory_map()["constructs"]
    items = sorted({i for c in constructs for i in construct_items(c, codebook)}, key=codebook.item_ids.index)
    rows = {c["id"]: [int(i in set(construct_items(c, codebook))) for i in items] for c in constructs}
    return pd.DataFrame.from_dict(rows, orient="index", columns=items)


def reliability_items(codebook: Codebook) -> list[str]:
    """The relationship items of the headline figures that every questionnaire asked:
    :math:`\\{j \\in \\text{Figuur } 8, 9, 13\\text{–}21 : j \\text{ asked in the pilots too}\\}`.

    References
    ----------
    Cronbach (1951), see :func:`analysis_utils.stats.effects.cronbach_alpha` (the items of the
    relationship's alpha).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> items = reliability_items(load_codebook())
    >>> len(items), "q17_different_goals" in items
    (10, False)
    """
    return [i.id for f in RELATIONSHIP_FIGURES for i in codebook.by_figure(f) if not i.absent_in_pilot]


def _reliability_scores(values: np.ndarray, codebook: Codebook) -> np.ndarray:
    """The answers to :func:`reliability_items` (columns in that order), positively oriented."""
    items = reliability_items(codebook)
    scales = [codebook.item(i).scale.codes for i in items]
    turned = np.array([codebook.item(i).reversed for i in items])
    flipped = np.array([c[0] + c[-1] for c in scales], dtype=float) - values
    return np.where(turned, flipped, values)


def reliability(df: pd.DataFrame, codebook: Codebook) -> float:
    """Cronbach's alpha (pingouin, pairwise: each covariance over the respondents who answered
    both items, pingouin's default) over the positively oriented relationship items; the same as
    listwise where nobody skipped one of these items, which every questionnaire asked.

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\operatorname{tr} C}{\\sum_{jl} C_{jl}}\\right)

    for the :math:`k \\times k` covariance matrix :math:`C` of the items.

    References
    ----------
    Cronbach (1951), see :func:`analysis_utils.stats.effects.cronbach_alpha`. Vallat, R. (2018).
    Pingouin: statistics in Python. *Journal of Open Source Software*, 3(31), 1026.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({i: pd.array([5, 4, 2], dtype="Int64") for i in cb.item_ids})
    >>> reliability(df, cb)
    1.0
    """
    import pingouin as pg

    items = reliability_items(codebook)
    values = df[items].to_numpy(dtype=float, na_value=np.nan)
    scores = pd.DataFrame(_reliability_scores(values, codebook), columns=items)
    return float(pg.cronbach_alpha(data=scores)[0])


def _satisfaction_trust_correlation(df: pd.DataFrame) -> float:
    """Spearman correlation of satisfaction (Figuur 8) with the bond of trust (Figuur 9)."""
    return float(df["q08_satisfaction"].astype(float).corr(df["q09_trust_bond"].astype(float), method="spearman"))


def joint_statistics(codebook: Codebook) -> dict:
    """The joint results the reconstructions are summarised on: id -> (statistic on a frame,
    the columns it reads, the same statistic on an array of those columns without missing
    answers: :func:`analysis_utils.stats.tests.ensemble_range` uses it to skip the frames):
    Cronbach's :math:`\\alpha` of the relationship items, Spearman's :math:`\\rho` of
    satisfaction and trust, and :math:`\\frac{1}{N}\\sum_i \\mathbf{1}[\\exists j \\in T: x_{ij} \\in \\{4, 5\\}]`.

    References
    ----------
    Cronbach (1951) and Spearman (1904), see :mod:`analysis_utils.stats.effects`; the threshold
    emotions: see :func:`analysis_utils.stats.constructs.any_threshold_share`.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> statistic, columns, on_array = joint_statistics(cb)[SPEARMAN_SATISFACTION_TRUST]
    >>> df = pd.DataFrame({"q08_satisfaction": [5, 4, 2], "q09_trust_bond": [4, 5, 1]})
    >>> columns, round(statistic(df), 3), round(on_array(df[columns].to_numpy(dtype=float)), 3)
    (['q08_satisfaction', 'q09_trust_bond'], 0.5, 0.5)
    """
    return {
        ALPHA_RELATIONSHIP: (lambda d: reliability(d, codebook), reliability_items(codebook),
                             lambda a: cronbach_alpha(_reliability_scores(a, codebook))),
        SPEARMAN_SATISFACTION_TRUST: (_satisfaction_trust_correlation, ["q08_satisfaction", "q09_trust_bond"],
                                      lambda a: spearman(a[:, 0], a[:, 1])),
        ANY_THRESHOLD: (any_threshold_share, threshold_items(), lambda a: np.isin(a, [4, 5]).any(axis=1).mean()),
    }
