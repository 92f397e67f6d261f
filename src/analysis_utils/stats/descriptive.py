"""Counts, shares and quartiles of single items: what fits n = 28 ordinal answers.

Counts and whole percentages, top-2-box shares with Wilson 95 % intervals (Clopper–Pearson beside
them in ``item_summary.csv``), medians and quartiles as answer categories, the share at the
scale's maximum. No Wald intervals, no means of single Likert items.

Examples
--------
>>> from analysis_utils.codebook import load_codebook
>>> df = pd.DataFrame({"q08_satisfaction": [5, 5, 4, 3]})
>>> summarise_item(df["q08_satisfaction"], load_codebook().item("q08_satisfaction"))["top2_share"]
0.75
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Codebook, Item, mask
from ..fmt import percent_of
from .groups import top2_by_group  # noqa: F401 (the chapters call it here)
from .admissible import admissible_distributions, admissible_top2, narrowing
from .wording import publication_words
from .intervals import clopper_pearson_interval, wilson_interval

FREQUENCY_COLUMNS = ["item_id", "figure", "category_code", "label_nl", "label_en", "n", "count", "percent"]
SUMMARY_COLUMNS = ["item_id", "figure", "n", "top2_count", "top2_share", "top2_ci_low", "top2_ci_high",
                   "median", "q1", "q3", "ceiling_share", "provenance", "admissible_low", "admissible_high",
                   "top2_exact_low", "top2_exact_high", "ceiling_low", "ceiling_high", "quartiles_fixed", "publication_words"]
RATED_TYPES = ("scale", "frequency")
WORDED = ("quantifier", "contested", "inferred")  # provenances whose top-2 share the text does not give as a number
# A sampling interval rests on an observed count: none is given for a share the text only words.
SAMPLING_COLUMNS = ("top2_ci_low", "top2_ci_high", "top2_exact_low", "top2_exact_high")


def frequencies(df: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per item and answer category, zero-count categories included, with the
    category's Dutch and English label and its whole percentage of the item's n,

    .. math:: \\text{percent}_c = \\operatorname{round}(100\\, k_c / n)

    (rounded half up, :func:`analysis_utils.fmt.percent_of`) for the :math:`k_c` answers in
    category :math:`c` of the item's :math:`n`. Long (tidy) format: the data of the diverging
    stacked bars of the relationship items.

    References
    ----------
    Wickham, H. (2014). Tidy data. *Journal of Statistical Software*, 59(10), 1–23.
    Heiberger, R. M., & Robbins, N. B. (2014). Design of diverging stacked bar charts for Likert
    scales and other applications. *Journal of Statistical Software*, 57(5), 1–32.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> df = pd.DataFrame({i: pd.array([1, 2], dtype="Int64") for i in load_codebook().item_ids})
    >>> frequencies(df, load_codebook()).query("item_id == 'q01_gender'")["percent"].tolist()
    [50, 50]
    """
    rows = []
    for item in codebook.items:
        if item.section == "administration" or not item.coded:
            continue
        col = df[item.id].dropna()
        n = len(col)
        counts = col.value_counts()
        for code in item.scale.codes:
            k = int(counts.get(code, 0))
            rows.append({
                "item_id": item.id, "figure": item.figure, "category_code": code,
                "label_nl": item.scale.label(code, "nl"), "label_en": item.scale.label(code, "en"),
                "n": n, "count": k, "percent": percent_of(k, n) if n else pd.NA,
            })
    table = pd.DataFrame(rows, columns=FREQUENCY_COLUMNS)
    return table.astype({"figure": "Int64", "percent": "Int64"})


def ordinal_quartiles(codes: pd.Series, item: Item) -> tuple[float, float, float]:
    """First quartile, median and third quartile of an ordinal item as answer categories
    (Hyndman–Fan type 1, numpy's ``inverted_cdf``: never 2.5 or a household of 1.5 persons),
    on the positively oriented scale (a reversed item turned, so that its median, top-2 share
    and ceiling all read the same way: higher is better).

    The type-1 :math:`p`-quantile is the smallest answer :math:`x` with :math:`F_n(x) \\ge p`.

    References
    ----------
    Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. *The American
    Statistician*, 50(4), 361–365.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> ordinal_quartiles(pd.Series([1, 1, 1, 2, 3, 5]), load_codebook().item("q10_emotion_doubt"))
    (3.0, 4.0, 5.0)
    """
    col = codes.dropna().astype(int)
    if col.empty:
        return (np.nan,) * 3
    scores = col.map(item.positive_score) if item.reversed else col
    return tuple(float(x) for x in np.percentile(scores, [25, 50, 75], method="inverted_cdf"))


def summarise_item(values: pd.Series, item: Item) -> dict:
    """n, top-2 box with its Wilson and Clopper–Pearson intervals, median and quartiles
    (positively oriented answer categories, :func:`ordinal_quartiles`), ceiling share of one item.

    The top-2 share is :math:`k/n` for the :math:`k` answers in the two most positive categories,
    the ceiling share :math:`\\#\\{i : x_i = x_{max}\\}/n` the share at the single most positive
    answer (the lowest code of a reversed item); medians and quartiles, not means, for single
    Likert items.

    References
    ----------
    Wilson (1927), Clopper & Pearson (1934), see
    :func:`analysis_utils.stats.intervals.wilson_interval` and
    :func:`analysis_utils.stats.intervals.clopper_pearson_interval`; Hyndman & Fan (1996), see
    :func:`ordinal_quartiles`. Jamieson, S. (2004). Likert scales: how to (ab)use them.
    *Medical Education*, 38(12), 1217–1218.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> row = summarise_item(pd.Series([5, 5, 4, 3]), load_codebook().item("q08_satisfaction"))
    >>> row["top2_share"], row["median"], row["ceiling_share"]
    (0.75, 4.0, 0.5)
    >>> [round(row[c], 3) for c in ("top2_ci_low", "top2_ci_high")]
    [0.301, 0.954]
    """
    col = values.dropna().astype(int)
    n = len(col)
    row = {"item_id": item.id, "figure": item.figure, "n": n}
    if item.ordinal:
        row.update(zip(("q1", "median", "q3"), ordinal_quartiles(col, item)))
    if item.type in RATED_TYPES and n:
        k = int(col.isin(item.top2_codes).sum())
        lo, hi = wilson_interval(k, n)
        exact_lo, exact_hi = clopper_pearson_interval(k, n)
        row.update(top2_count=k, top2_share=k / n, top2_ci_low=lo, top2_ci_high=hi,
                   ceiling_share=float((col == item.max_code).mean()), top2_exact_low=exact_lo, top2_exact_high=exact_hi)
    return row


def item_summary(df: pd.DataFrame, codebook: Codebook, publication: dict | None = None) -> pd.DataFrame:
    """One row per coded item outside the administration section (:func:`summarise_item`); the
    top-2 columns, ``provenance`` and the admissible range are filled for the rated items (scale
    and frequency items) only. ``provenance`` and ``admissible_low`` /
    ``admissible_high`` say what the top-2 share rests on: ``data`` (observed answers: the range
    is the share itself), or, for an intake reconstructed from a ``publication`` (its
    reported.yaml, parsed), ``count``, ``bound``, ``quantifier`` or ``inferred`` with the range of
    shares the publication allows (:func:`analysis_utils.stats.admissible.admissible_top2`):

    .. math:: [\\text{admissible\\_low}, \\text{admissible\\_high}] = [L/n,\\; U/n]

    for the lowest and highest top-2 count :math:`L, U` the publication admits at the item's
    :math:`n` (:math:`L = U = k` for observed data). A share the publication only words or leaves
    open (``quantifier``, ``inferred``) gets no Wilson or Clopper–Pearson interval: its count is
    the reconstruction's reading, not an observation, and the admissible range stands instead.
    ``ceiling_low`` / ``ceiling_high`` give the same range for the share at the single most
    positive answer (:math:`[L_{max}/n, U_{max}/n]`, :func:`analysis_utils.stats.admissible.admissible_count`
    of that code): where the thesis gives only a positive total ("tevreden tot zeer tevreden"),
    the split between the top two answers, and so the ceiling share and the median, is the
    reconstruction's. ``publication_words``: for a share the publication only words, the words the
    range rests on, as (word, line, role) triples (:func:`analysis_utils.stats.wording.publication_words`;
    the CSV writes ``meerderheid (2266); count (1690)``).

    References
    ----------
    Manski, C. F. (2003). *Partial Identification of Probability Distributions*. New York:
    Springer (the admissible range). The intervals and quartiles: see :func:`summarise_item`.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({i: pd.array([4, 5, 5], dtype="Int64") for i in cb.item_ids})
    >>> row = item_summary(df, cb).set_index("item_id").loc["q08_satisfaction"]
    >>> float(row["top2_share"]), row["provenance"]
    (1.0, 'data')
    """
    rows = []
    for item in codebook.items:
        if item.section == "administration" or not item.coded:
            continue
        row = summarise_item(df[item.id], item)
        share = row.get("top2_share")
        rated = row.get("top2_count") is not None and not pd.isna(row["top2_count"])
        row.update(provenance="data" if rated else None, admissible_low=share, admissible_high=share,
                   ceiling_low=row.get("ceiling_share"), ceiling_high=row.get("ceiling_share"),
                   quartiles_fixed=True if rated else None)
        if publication is not None and rated:
            n = row["n"]
            facts, claims = publication["facts"], publication.get("claims", [])
            kind, low, high = admissible_top2(item, n, facts, claims)
            admitted = admissible_distributions(item, n, facts, claims)
            top = admitted[:, item.scale.codes.index(item.max_code)]
            row.update(provenance=kind, admissible_low=low / n, admissible_high=high / n,
                       ceiling_low=top.min() / n, ceiling_high=top.max() / n,
                       quartiles_fixed=quartiles_fixed(admitted, item.reversed))
            if kind in WORDED:  # the share is the reconstruction's reading: no sampling interval around it
                row.update({c: np.nan for c in SAMPLING_COLUMNS}, publication_words=tuple(publication_words(
                    item.id, facts, narrowing(item, n, facts, claims), (low, high) == (0, n))))
        rows.append(row)
    table = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return table.astype({"figure": "Int64", "top2_count": "Int64"})


def quartiles_fixed(admitted: np.ndarray, reversed_: bool = False) -> bool:
    """Whether every admitted distribution (one count vector per row, codes in order) has the same
    type-1 quartiles (:func:`ordinal_quartiles`): only then does a publication fix an item's
    median and interquartile range. The :math:`p`-quantile of a row is the first category, in
    positive order, whose cumulative count reaches :math:`p n`.

    References
    ----------
    Hyndman & Fan (1996), see :func:`ordinal_quartiles`.

    Examples
    --------
    >>> quartiles_fixed(np.array([[0, 0, 0, 5, 23], [0, 0, 0, 6, 22]]))
    True
    >>> quartiles_fixed(np.array([[0, 0, 0, 20, 8], [0, 0, 0, 8, 20]]))
    False
    """
    v = admitted[:, ::-1] if reversed_ else admitted
    cum = np.cumsum(v, axis=1)
    n = cum[:, -1:]
    q = np.stack([np.argmax(cum >= p * n - 1e-9, axis=1) for p in (0.25, 0.5, 0.75)], axis=1)
    return bool((q == q[0]).all())


def ceiling_open(summary: pd.DataFrame) -> pd.Series:
    """Per row of :func:`item_summary`: whether the publication leaves the count at the most
    positive answer open, :math:`\\operatorname{round}(n \\cdot \\text{ceiling\\_low}) \\ne
    \\operatorname{round}(n \\cdot \\text{ceiling\\_high})` (the two ends differ by at least one answer).

    References
    ----------
    Manski (2003), see :func:`item_summary`.

    Examples
    --------
    >>> ceiling_open(pd.DataFrame({"n": [28, 28], "ceiling_low": [0.0, 0.75], "ceiling_high": [1.0, 0.75]})).tolist()
    [True, False]
    """
    if "ceiling_low" not in summary:
        return pd.Series(False, index=summary.index)
    low = (summary["ceiling_low"] * summary["n"]).round()
    high = (summary["ceiling_high"] * summary["n"]).round()
    return (low != high) & summary["ceiling_low"].notna()


def worded_items(summary: pd.DataFrame | None) -> set[str]:
    """Items whose top-2 share the publication only words ('het merendeel'), says two ways, or
    leaves open: those of provenance ``quantifier``, ``contested`` or ``inferred``, which are
    exactly the items whose
    admissible range :math:`[L/n, U/n]` has :math:`L < U` (:func:`item_summary`). None or a
    summary without provenance gives none.

    References
    ----------
    Moxey, L. M., & Sanford, A. J. (1993). *Communicating Quantities: A Psychological
    Perspective*. Hove: Lawrence Erlbaum Associates.

    Examples
    --------
    >>> summary = pd.DataFrame({"item_id": ["q08_satisfaction", "q13_ask_help_easily", "q09_trust_bond"],
    ...                         "provenance": ["count", "quantifier", "inferred"]})
    >>> sorted(worded_items(summary))
    ['q09_trust_bond', 'q13_ask_help_easily']
    """
    if summary is None or "provenance" not in summary:
        return set()
    return set(summary.loc[summary["provenance"].isin(WORDED), "item_id"])


def composition(df: pd.DataFrame, variables: list[str], order: dict[str, list] | None = None) -> pd.DataFrame:
    """Counts and whole percentages of the sample by each grouping variable (long format: one
    row per variable and value, values in sorted order or as ``order`` lists them for a
    variable, missing values included), each
    :math:`\\operatorname{round}(100\\, k_v / N)` of all :math:`N` rows (rounded half up).

    References
    ----------
    Wickham, H. (2014). Tidy data. *Journal of Statistical Software*, 59(10), 1–23. The
    composition the 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt*
    (eindwerk, social work) reports: 18 face-to-face and 10 telephone questionnaires, lines
    1341–1345; two pilot questionnaires, line 1515.

    Examples
    --------
    >>> composition(pd.DataFrame({"pilot": [True, False, False]}), ["pilot"])[["value", "count", "percent"]].values.tolist()
    [[False, 2, 67], [True, 1, 33]]
    >>> ages = pd.DataFrame({"age": ["over 50", "under 41", "41 to 50"]})
    >>> composition(ages, ["age"], {"age": ["under 41", "41 to 50", "over 50"]})["value"].tolist()
    ['under 41', '41 to 50', 'over 50']
    """
    parts = []
    n = len(df)
    for var in variables:
        counts = df[var].value_counts(dropna=False).sort_index()
        listed = [v for v in (order or {}).get(var, []) if v in counts.index]
        if listed:  # the listed values first, in their order; the rest (a missing value among them) after
            counts = pd.concat([counts[listed], counts[[v not in listed if pd.notna(v) else True for v in counts.index]]])
        for value, k in counts.items():
            parts.append({"variable": var, "value": value, "count": int(k), "percent": percent_of(k, n)})
    return pd.DataFrame(parts)


def item_coverage(processed: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The n of every item, with missing answers split into by design and otherwise.

    By design: pilot questionnaires lack the items marked ``absent_in_pilot``, and a follow-up
    question is not asked when its lead question does not apply (for a follow-up, only that
    counts as by design). For item :math:`j` with :math:`M_j` its missing answers and
    :math:`D_j \\subseteq M_j` those missing by design,

    .. math:: n_j = N - |M_j|, \\quad \\text{missing\\_otherwise}_j = |M_j \\setminus D_j|.

    References
    ----------
    Rubin, D. B. (1976). Inference and missing data. *Biometrika*, 63(3), 581–592. Graham, J. W.,
    Taylor, B. J., Olchowski, A. E., & Cumsille, P. E. (2006). Planned missing data designs in
    psychological research. *Psychological Methods*, 11(4), 323–343. The pilots that lacked
    items: the 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt*
    (eindwerk, social work), lines 1715–1721 and 1793–1795.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({i: pd.array([4, 4, 4], dtype="Int64") for i in cb.item_ids})
    >>> df["pilot"] = [True, False, False]
    >>> df.loc[[0, 1], "q12_comm_unclear"] = pd.NA  # the pilot lacks it; the second skipped it
    >>> df["q23_concealment"] = pd.array([1, 1, 2], dtype="Int64")  # the follow-up follows answers 2-4 only
    >>> df["q23a_concealment_topic"] = pd.array([None, None, None], dtype="Int64")
    >>> table = item_coverage(df, cb).set_index("item_id")
    >>> table.loc[["q12_comm_unclear", "q23a_concealment_topic"], ["n", "missing_by_design", "missing_otherwise"]].values.tolist()
    [[1, 1, 1], [0, 2, 1]]
    """
    rows = []
    pilot = processed["pilot"]
    for item in codebook.items:
        col = processed[item.id]
        missing = col.isna()
        by_design = missing & pilot if item.absent_in_pilot else pd.Series(False, index=col.index)
        if item.asked_if:
            by_design = missing & ~mask(processed, item.asked_if)
        rows.append({"item_id": item.id, "figure": item.figure, "n": int(col.notna().sum()),
                     "missing_by_design": int(by_design.sum()), "missing_otherwise": int((missing & ~by_design).sum())})
    table = pd.DataFrame(rows)
    table["figure"] = table["figure"].astype("Int64")
    return table
