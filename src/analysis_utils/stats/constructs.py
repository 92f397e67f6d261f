"""The answers against the thesis's theory: construct shares between their poles, respondent
scores per construct, the importance–performance positions, the emotions and the sub-group variables.
Every table carries ids (``construct_id``, ``item_id``, ``expectation_id``); the theory map and
the codebook give their words at presentation.

Examples
--------
>>> from analysis_utils.codebook import load_codebook
>>> cb = load_codebook()
>>> df = pd.DataFrame({i: pd.array([5, 4, 2], dtype="Int64") for i in cb.item_ids})
>>> t = construct_table(df, cb).set_index("construct_id")
>>> float(t.loc["confidentiality", "positive_share"])
0.5
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..intake.privacy import hidden_groups
from ..theory_map import (
    SATISFACTION,
    SIDES,
    construct_items,
    construct_links,
    emotion_groups,
    headline_links,
    headline_side,
    link_sides,
    load_theory_map,
    oriented_scores,
    poles_reached,
    scored_outcomes,
    strengthening_codes,
    threshold_items,
)
from .arrangements import arrangement_range
from .descriptive import top2_by_group
from .intervals import pooled_interval, wilson_interval

CONSTRUCT_COLUMNS = ["construct_id", "theory", "reading", "pole_negative", "pole_positive", "n_items", "n_stated",
                     "n_inferred", "n_respondents", "n_answers", "negative_share", "neutral_share", "middle_share",
                     "positive_share", "headline", "ci_low", "ci_high", "design_effect", "ci_widest_low", "ci_widest_high",
                     "ci_narrowest_low", "ci_narrowest_high", "item_ids", "axis", "middle_line", "poles_reached",
                     "not_measured"]
LANGUAGE_ITEMS = ["q21_information", "q12_comm_clear"]  # understanding information, clear communication
NAMED = (4, 5)  # an emotion is named: "eerder wel" or "zeker wel" on its agreement scale
LANGUAGE_ITEM = "q24_home_language"


def _respondent_counts(df: pd.DataFrame, links: list[dict], codebook: Codebook,
                      codes=strengthening_codes) -> tuple[np.ndarray, np.ndarray]:
    """Per respondent: answers at the given pole (``codes``: strengthening by default) and
    answers given, over the linked items."""
    hit, answered = np.zeros(len(df)), np.zeros(len(df))
    for link in links:
        col = df[link["item"]]
        answered += col.notna().to_numpy()
        hit += col.isin(codes(link, codebook)).fillna(False).to_numpy(dtype=float)
    return hit, answered


def _shares(df: pd.DataFrame, construct: dict, codebook: Codebook, reconstructed: bool) -> dict:
    """One construct's pooled shares and the interval of its headline share (see
    :func:`construct_table`)."""
    links = construct_links(construct, codebook)
    counted = {side: _respondent_counts(df, links, codebook, lambda link, cb, side=side: link_sides(link, construct, cb)[side])[0]
               for side in SIDES}
    heads = headline_links(construct, codebook)
    hits, answered = _respondent_counts(df, heads, codebook)
    share, lo, hi, deff = pooled_interval(hits, answered)
    total = answered.sum()
    row = {"n_respondents": int((answered > 0).sum()), "n_answers": int(total), "ci_low": lo, "ci_high": hi,
           "design_effect": deff, **{f"{side}_share": counted[side].sum() / total for side in SIDES}}
    if construct.get("reading") != "balance":
        row["middle_share"] = np.nan  # a direction has no wanted middle, only a neutral answer
    else:  # a pole no item can reach is not asked: no share, not 0 %
        reached = poles_reached(construct, codebook)
        row.update({f"{side}_share": np.nan for pole, side in (("pole_negative", "negative"), ("pole_positive", "positive"))
                    if pole not in reached})
    if reconstructed:
        widest, narrowest = arrangement_range(df, heads, codebook)
        _s, row["ci_widest_low"], row["ci_widest_high"], _d = pooled_interval(widest, answered)
        _s, row["ci_narrowest_low"], row["ci_narrowest_high"], _d = pooled_interval(narrowest, answered)
    return row


def construct_table(df: pd.DataFrame, codebook: Codebook, reconstructed: bool = False) -> pd.DataFrame:
    """Per construct: where its items' answers fall, pooled over items, with a respondent-level
    interval for its headline share (:func:`analysis_utils.stats.intervals.pooled_interval`).

    ``reading`` (from the theory map): a ``direction`` construct is read by its strengthening
    share (``positive_share``: the two most positive answers, negatively worded items turned;
    ``negative_share`` the other pole, ``neutral_share`` the answers between); a ``balance``
    construct by the share in the middle the thesis wants (``middle_share``), beside the shares
    toward each pole it wants avoided and the neutral answers — a pole no item can reach is not
    in ``poles_reached`` and its share is not asked; ``roles`` are indicated, not scored.
    ``headline`` names the share the interval is for. Constructs no item measures have
    n_items = 0, no share, and ``not_measured`` (why, in English). ``n_stated`` and
    ``n_inferred`` count the links whose quote makes them and those the project draws;
    ``item_ids``: the linked items; ``middle_line``: where the thesis puts the good relationship
    in the middle (balances).

    For a ``reconstructed`` intake the interval depends on who gave which answer: beside the
    reconstruction's interval stand those of the arrangements with the most and the least
    concentrated hits (:func:`analysis_utils.stats.arrangements.arrangement_range`, which says
    when they are the widest and narrowest any arrangement allows).

    With :math:`h_{is}` the answers of respondent :math:`i` that fall on side :math:`s` (negative,
    neutral, middle, positive; :func:`analysis_utils.theory_map.link_sides`) among its :math:`a_i`
    answers to the construct's items,

    .. math:: \\text{share}_s = \\frac{\\sum_i h_{is}}{\\sum_i a_i}, \\qquad \\sum_s \\text{share}_s = 1.

    References
    ----------
    Rogers, C. R. (1957). The necessary and sufficient conditions of therapeutic personality
    change. *Journal of Consulting Psychology*, 21(2), 95–103 (the core conditions). Kadushin,
    A. (1972). *The Social Work Interview*. New York: Columbia University Press (the principles).
    Driessens, K., & Van Regenmortel, T. (2006). *Bind-kracht in armoede: Leefwereld en
    hulpverlening*. Leuven: LannooCampus (the relationship types and tension fields).
    Kish, L. (1965). *Survey Sampling*. New York: Wiley (the design effect of the pooled share).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({i: pd.array([5, 4, 2], dtype="Int64") for i in cb.item_ids})
    >>> row = construct_table(df, cb).set_index("construct_id").loc["confidentiality"]
    >>> [float(row[c]) for c in ("positive_share", "negative_share", "neutral_share", "n_answers")]
    [0.5, 0.5, 0.0, 6.0]
    >>> [round(float(row[c]), 3) for c in ("ci_low", "ci_high")]
    [0.188, 0.812]
    >>> own = construct_table(df, cb).set_index("construct_id").loc["self_determination"]
    >>> own["headline"], round(float(own["middle_share"]), 3), own["poles_reached"]
    ('middle_share', 0.667, ('pole_negative',))
    """
    rows = []
    for c in load_theory_map()["constructs"]:
        links = construct_links(c, codebook)
        shown = construct_links(c, codebook, scored=False)
        items = construct_items(c, codebook)
        row = {"construct_id": c["id"], "theory": c["theory"], "reading": c.get("reading", "direction"),
               "pole_negative": c["pole_negative"], "pole_positive": c["pole_positive"], "n_items": len(items),
               "n_stated": sum(link["support"] == "stated" for link in shown),
               "n_inferred": sum(link["support"] == "inferred" for link in shown),
               "item_ids": tuple(items), "axis": bool(c.get("axis")), "middle_line": (c.get("middle") or {}).get("seed_line"),
               "not_measured": (c.get("not_measured") or {}).get("en") if not links else None}
        if links:
            row.update(_shares(df, c, codebook, reconstructed), headline=f"{headline_side(c)}_share",
                       poles_reached=poles_reached(c, codebook))
        rows.append(row)
    return pd.DataFrame(rows).reindex(columns=CONSTRUCT_COLUMNS)


def respondent_scores(df: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per respondent, the mean positively oriented score over each outcome's items
    (:func:`analysis_utils.theory_map.scored_outcomes`; 1 = most negative, 5 = most positive),
    plus overall satisfaction. For outcome :math:`o` with items :math:`J_o`,

    .. math:: s_{io} = \\frac{1}{|J_{io}|} \\sum_{j \\in J_{io}} \\tilde x_{ij}

    over the items :math:`J_{io} \\subseteq J_o` respondent :math:`i` answered, with
    :math:`\\tilde x_{ij}` the answer turned toward the construct's strengthening pole
    (:math:`6 - x_{ij}` on a 1–5 scale where agreeing means the other pole).

    References
    ----------
    Likert, R. (1932). A technique for the measurement of attitudes. *Archives of Psychology*,
    22(140), 1–55 (the summated, here averaged, rating).
    Rogers, C. R. (1957). The necessary and sufficient conditions of therapeutic personality
    change. *Journal of Consulting Psychology*, 21(2), 95–103 (the core conditions). Kadushin,
    A. (1972). *The Social Work Interview*. New York: Columbia University Press (the principles).
    Driessens, K., & Van Regenmortel, T. (2006). *Bind-kracht in armoede: Leefwereld en
    hulpverlening*. Leuven: LannooCampus (the relationship types and tension fields).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({i: pd.array([5, 1], dtype="Int64") for i in cb.item_ids})
    >>> respondent_scores(df, cb)["satisfaction"].tolist()
    [5.0, 1.0]
    """
    out = pd.DataFrame(index=df.index)
    for outcome, entry in scored_outcomes(codebook).items():
        scores = pd.concat([oriented_scores(df[link["item"]], link, codebook) for link in entry["links"]], axis=1)
        out[outcome] = scores.mean(axis=1, skipna=True)
    out[SATISFACTION] = df["q08_satisfaction"].astype("Float64")
    return out


def shared_items(codebook: Codebook) -> dict[str, list[str]]:
    """Outcome of :func:`respondent_scores` -> the other outcomes it shares at least one item
    with. Tests of such outcomes are not separate findings: the same answers count twice.
    With :math:`I_o` the items of outcome :math:`o` (over its constructs),

    .. math:: o \\mapsto \\{p \\ne o : I_o \\cap I_p \\ne \\emptyset\\},

    for the outcomes that share any item.

    References
    ----------
    Holm, S. (1979), see :func:`analysis_utils.stats.tests.holm`: the correction holds under any
    dependence between the tests, so outcomes that share items stay in one family; they only
    add no independent evidence.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> shared_items(load_codebook())["bureaucratic_personalised"]
    ['interest', 'individuality']
    """
    constructs = {c["id"]: set(construct_items(c, codebook, scored=True)) for c in load_theory_map()["constructs"]}
    items = {o: set().union(*(constructs[c] for c in e["constructs"])) for o, e in scored_outcomes(codebook).items()}
    return {o: [p for p in items if p != o and items[o] & items[p]] for o in items if any(
        p != o and items[o] & items[p] for p in items)}


def ipa_table(df: pd.DataFrame, codebook: Codebook, summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Importance against performance for each pair the thesis itself sets side by side (theory
    map, ``ipa_pairs``, each with its quote): importance is the share rating the expectation
    important (its top two answers), performance the share on the positive side of the
    experience item (its top two answers, negatively worded items turned). Positions only: no
    quadrant and no advice, which the thesis does not give. With the item ``summary`` of a
    reconstructed intake, the range the publication allows for each share beside it
    (``importance_low`` … ``performance_high``).

    Top-two shares rather than the top answer alone: for a reconstructed intake the thesis gives
    the positive totals, but almost never how they split between the two positive answers.

    For pair :math:`e`, importance :math:`I_e = k_e / n_e` and performance
    :math:`P_e = k'_e / n'_e`, the top-two counts of the two items' answers.

    References
    ----------
    Martilla, J. A., & James, J. C. (1977). Importance-performance analysis. *Journal of
    Marketing*, 41(1), 77–79 (the two shares side by side; its quadrants' advice is not used).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({i: pd.array([5, 4, 2], dtype="Int64") for i in cb.item_ids})
    >>> grid = ipa_table(df, cb).set_index("expectation_id")
    >>> round(float(grid.loc["q11_expect_attention", "performance"]), 3), int(grid.loc["q11_expect_attention", "seed_line"])
    (0.333, 2268)
    >>> "quadrant" in grid
    False
    """
    allowed = summary.set_index("item_id") if summary is not None else None
    rows = []
    for pair in load_theory_map()["ipa_pairs"]:
        exp, perf = codebook.item(pair["expectation"]), codebook.item(pair["experience"])
        e, p = df[exp.id].dropna(), df[perf.id].dropna()
        row = {"expectation_id": exp.id, "experience_id": perf.id,
               "importance": float(e.isin(exp.top2_codes).mean()), "performance": float(p.isin(perf.top2_codes).mean()),
               "n_expectation": len(e), "n_experience": len(p), "support": pair["support"],
               "seed_line": pair["seed_line"], "quote": pair["quote"]}
        if allowed is not None:
            for side, item in (("importance", exp.id), ("performance", perf.id)):
                row[f"{side}_low"], row[f"{side}_high"] = allowed.loc[item, ["admissible_low", "admissible_high"]]
        rows.append(row)
    return pd.DataFrame(rows)


def emotion_table(df: pd.DataFrame) -> pd.DataFrame:
    """Share naming each emotion of the theory map's two groups (answers 4–5), with Wilson
    intervals (:func:`analysis_utils.stats.intervals.wilson_interval`): for emotion :math:`j`,
    :math:`\\hat p_j = k_j / n_j` with :math:`k_j = \\#\\{i : x_{ij} \\in \\{4, 5\\}\\}` of its
    :math:`n_j` answers (NaN share where nobody answered).

    References
    ----------
    The 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk,
    social work), lines 1652–1660 (the emotions of Figuur 10: gratitude, calm, safety and relief
    frequent; shame, nervousness, frustration and sadness more frequent than doubt, fear and
    distrust, a threshold to the OCMW). Wilson (1927), see
    :func:`analysis_utils.stats.intervals.wilson_interval`.

    Examples
    --------
    >>> from analysis_utils.theory_map import emotion_groups
    >>> emotions = [i for group in emotion_groups().values() for i in group]
    >>> table = emotion_table(pd.DataFrame({i: [5, 4, 1, None] for i in emotions}))
    >>> first = table.iloc[0]
    >>> first["item_id"], int(first["n"]), int(first["named"]), round(float(first["share"]), 3)
    ('q10_emotion_gratitude', 3, 2, 0.667)
    """
    rows = []
    for group, items in emotion_groups().items():
        for i in items:
            col = df[i].dropna()
            k = int(col.isin(NAMED).sum())
            lo, hi = wilson_interval(k, len(col))
            rows.append({"group": group, "item_id": i, "n": len(col), "named": k,
                         "share": k / len(col) if len(col) else float("nan"), "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def any_threshold_share(df: pd.DataFrame) -> float:
    """Share of respondents naming at least one threshold emotion: depends on how answers combine.

    .. math:: \\frac{1}{N} \\sum_{i=1}^{N} \\mathbf{1}\\big[\\exists j \\in T : x_{ij} \\in \\{4, 5\\}\\big]

    over all :math:`N` rows (an unanswered item names nothing), :math:`T` the threshold emotions
    of the theory map. Its range over the arrangements of the answers:
    :func:`analysis_utils.stats.bounds.at_least_one_bounds`.

    References
    ----------
    The 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk,
    social work), lines 1657–1659 (shame, nervousness, frustration and sadness: "nog altijd een
    drempel"). Fréchet (1951), see :mod:`analysis_utils.stats.bounds`.

    Examples
    --------
    >>> from analysis_utils.theory_map import threshold_items
    >>> df = pd.DataFrame({i: [1, 1, 2] for i in threshold_items()})
    >>> df.loc[0, "q10_emotion_shame"], df.loc[2, "q10_emotion_sadness"] = 4, 5
    >>> round(any_threshold_share(df), 3)
    0.667
    """
    return float(df[threshold_items()].isin([4, 5]).any(axis=1).mean())


def by_home_language(df: pd.DataFrame, codebook: Codebook, names: dict[int, str],
                     threshold: int = 5) -> pd.DataFrame | None:
    """Understanding of information and clear communication by home language (the thesis's
    wish, lines 2239–2243), small cells suppressed; groups named by ``names`` (code -> name)
    and in their sorted order. None where the questionnaire does not ask the home language (v1).
    ``attrs``: how many respondents (``left_out``) in how many groups (``groups_left_out``) were
    too few to show. The shares are those of
    :func:`analysis_utils.stats.descriptive.top2_by_group`,
    :math:`\\operatorname{round}(100\\, k_{gj} / n_{gj})` for language :math:`g` and item :math:`j`.

    References
    ----------
    The 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk,
    social work), lines 2239–2243. Hundepool et al. (2012), see
    :func:`analysis_utils.stats.descriptive.top2_by_group` (the small cells).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> df = pd.DataFrame({"q24_home_language": [1] * 6 + [2] * 2 + [3] * 5, "q12_comm_clear": [5] * 13,
    ...                    "q21_information": [5, 5, 4, 4, 3, 2] + [5] * 7})
    >>> table = by_home_language(df, load_codebook("v2"), {1: "Dutch", 2: "Turkish", 3: "Arabic"})
    >>> table[["q24_home_language", "item_id", "top-2 %"]].values.tolist()  # Arabic: else Turkish by subtraction
    [['Dutch', 'q12_comm_clear', 100], ['Dutch', 'q21_information', 'suppressed (< 5)']]
    >>> table.attrs["left_out"], table.attrs["groups_left_out"]
    (7, 2)
    >>> by_home_language(df, load_codebook("v1"), {1: "Dutch"}) is None
    True
    """
    if LANGUAGE_ITEM not in codebook.item_ids or LANGUAGE_ITEM not in df:
        return None
    named = df.assign(**{LANGUAGE_ITEM: df[LANGUAGE_ITEM].map(
        lambda c: pd.NA if pd.isna(c) else names[int(c)]).astype("string")})
    figures = sorted({codebook.item(i).figure for i in LANGUAGE_ITEMS})
    table = top2_by_group(named, codebook, LANGUAGE_ITEM, figures, threshold, items=LANGUAGE_ITEMS)
    sizes, hidden = named[LANGUAGE_ITEM].value_counts(), hidden_groups(named[LANGUAGE_ITEM], threshold)
    table.attrs.update(left_out=int(sizes[list(hidden)].sum()), groups_left_out=len(hidden), threshold=threshold)
    return table


def grouping_variables(df: pd.DataFrame) -> pd.DataFrame:
    """The groups the sub-group section compares: interview mode, gender, type of help, and the
    team or site where the questionnaire records it (v2). Gender is named from its code,
    :math:`g_i = \\text{man}` for :math:`x_{i,\\text{q01}} = 1` and :math:`\\text{woman}` for 2;
    the other columns are taken as they are (missing stays missing).

    References
    ----------
    The 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk,
    social work), lines 1341–1345 (18 face-to-face and 10 telephone questionnaires), line 1543
    (as many men as women) and lines 1612–1615 (the types of help). de Leeuw, E. D. (2005). To
    mix or not to mix data collection modes in surveys. *Journal of Official Statistics*, 21(2),
    233–255 (why the interview mode is a grouping).

    Examples
    --------
    >>> df = pd.DataFrame({"q01_gender": [1, 2], "interview_mode": ["face to face", "telephone"],
    ...                    "help_type": ["budget management", "collective debt settlement"]})
    >>> grouping_variables(df)["gender"].tolist()
    ['man', 'woman']
    """
    gender = df["q01_gender"].map({1: "man", 2: "woman"}).astype("string")
    groups = pd.DataFrame({"interview_mode": df["interview_mode"], "gender": gender, "help_type": df["help_type"]})
    if "a03_team" in df.columns:
        groups["team"] = df["a03_team"].astype("string")
    return groups
