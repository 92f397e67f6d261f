"""Stage 03: the answers against the thesis's theory (Rogers, Kadushin, Driessens & Van
Regenmortel), construct by construct, from the theory map ``theory_map.yaml``.

Examples
--------
>>> tm = load_theory_map()
>>> [c["id"] for c in tm["constructs"] if c.get("axis")]
['distant_close', 'bureaucratic_personalised', 'paternalistic_emancipatory']
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from .yamlio import load_yaml
from .codebook import Codebook
from .descriptives import wilson_interval
from .i18n import N_, _

CONSTRUCT_COLUMNS = ["construct", "theory", "reading", "pole_negative", "pole_positive", "n_items", "n_respondents",
                     "n_answers", "negative_share", "middle_share", "positive_share", "ci_low", "ci_high", "design_effect",
                     "ci_widest_low", "ci_widest_high", "ci_narrowest_low", "ci_narrowest_high"]
READINGS = (N_("direction"), N_("balance"), N_("roles"))
QUADRANTS = (N_("concentrate here"), N_("keep up the good work"), N_("low priority"), N_("possible overkill"))
EMOTION_GROUPS = (N_("reassuring"), N_("threshold"))
REVERSED_MARK = N_(" (reversed)")


@lru_cache(maxsize=None)
def load_theory_map() -> dict:
    text = resources.files("analysis_utils").joinpath("resources/theory_map.yaml").read_text("utf-8")
    return load_yaml(text)


@lru_cache(maxsize=None)
def glossary(lang: str) -> dict[str, str]:
    """Construct ids (and, for Dutch, English names) -> their name in ``lang`` (the theory map
    names every construct in both languages), for table values such as sub-group outcomes."""
    key = f"name_{lang}"
    out = {}
    for c in load_theory_map()["constructs"]:
        if lang == "en":  # only the ids that are not words (an item may be called "empathy" too)
            if "_" in c["id"]:
                out[c["id"]] = c["name_en"]
            continue
        out[c["id"]] = out[c["name_en"]] = c.get(key) or c["name_en"]
    return out


STRENGTHENING, ALIENATING, INDICATES = "agree = strengthening", "agree = alienating", "indicates"


def construct_links(construct: dict, codebook: Codebook, scored: bool = True) -> list[dict]:
    """The construct's links to items that this questionnaire version has; with ``scored``
    only those that place an answer between the construct's poles (not a role's indicator)."""
    return [link for link in construct["items"] if link["item"] in codebook.item_ids
            and not (scored and (link["direction"] == INDICATES or construct.get("reading") == "roles"))]


def construct_items(construct: dict, codebook: Codebook, scored: bool = False) -> list[str]:
    """Items linked to the construct (all of them: what the questionnaire covers)."""
    return [link["item"] for link in construct_links(construct, codebook, scored)]


def strengthening_codes(link: dict, codebook: Codebook) -> list[int]:
    """The two raw codes that mean the construct's strengthening pole, by the link's direction."""
    codes = codebook.item(link["item"]).scale.codes
    return codes[-2:] if link["direction"] == STRENGTHENING else codes[:2]


def alienating_codes(link: dict, codebook: Codebook) -> list[int]:
    """The two raw codes at the other pole; what lies between is the middle."""
    codes = codebook.item(link["item"]).scale.codes
    return codes[:2] if link["direction"] == STRENGTHENING else codes[-2:]


def oriented_scores(codes: pd.Series, link: dict, codebook: Codebook) -> pd.Series:
    """Raw codes of one linked item as scores where higher means the construct's strengthening
    pole (Float64, missing stays missing)."""
    values = codes.astype("Float64")
    scale = codebook.item(link["item"]).scale.codes
    return values if link["direction"] == STRENGTHENING else (scale[0] + scale[-1]) - values


def positive_answers(df: pd.DataFrame, link: dict, codebook: Codebook) -> tuple[int, int]:
    """(answers on the strengthening side, answers) of one linked item."""
    col = df[link["item"]].dropna()
    return int(col.isin(strengthening_codes(link, codebook)).sum()), int(len(col))


def respondent_counts(df: pd.DataFrame, links: list[dict], codebook: Codebook, codes=strengthening_codes) -> tuple[np.ndarray, np.ndarray]:
    """Per respondent: answers at the given pole (``codes``: strengthening by default) and
    answers given, over the linked items."""
    hit = np.zeros(len(df)); answered = np.zeros(len(df))
    for link in links:
        col = df[link["item"]]
        answered += col.notna().to_numpy()
        hit += col.isin(codes(link, codebook)).fillna(False).to_numpy(dtype=float)
    return hit, answered


def pooled_interval(hits: np.ndarray, answered: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float, float]:
    """(share, low, high, design effect) of a share pooled over several answers of each person,
    with the respondent as the unit.

    The share is total hits over total answers (a ratio estimator); its variance is the
    cluster-robust (linearised) one over respondents. The design effect is that variance over
    the binomial one that treats every answer as independent, floored at 1 (never narrower than
    the answer-level interval); the Wilson interval is then taken at the effective number of
    answers, answers / design effect (statsmodels' ``proportion_confint``).
    """
    from statsmodels.stats.proportion import proportion_confint

    keep = answered > 0
    h, a = hits[keep], answered[keep]
    m = a.sum()
    if m == 0:
        return (float("nan"),) * 4
    p = h.sum() / m
    binomial = p * (1 - p) / m
    cluster = np.sum((h - p * a) ** 2) / m ** 2  # the sandwich over respondents (one item: binomial)
    deff = max(1.0, cluster / binomial) if binomial > 0 else 1.0
    n_eff = m / deff
    lo, hi = proportion_confint(p * n_eff, n_eff, alpha=1 - confidence, method="wilson")
    return float(p), float(max(0.0, lo)), float(min(1.0, hi)), float(deff)


def arrangement_range(df: pd.DataFrame, links: list[dict], codebook: Codebook) -> tuple[np.ndarray, np.ndarray]:
    """The per-respondent hit counts that make the pooled interval widest and narrowest over
    every way of giving each item's answers to its respondents, keeping each item's counts and
    who answered it (the reconstruction's own marginals).

    The interval widens with the sum of squared hits per person. Widest: every item gives its
    hits to the same people first (comonotone; exact when who answered is nested, as with the
    pilots). Narrowest: the hits spread as evenly as possible, an exact convex min-cost
    assignment solved as a linear programme with ``scipy.optimize.milp`` (HiGHS).
    """
    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import lil_matrix

    answered = np.column_stack([df[link["item"]].notna().to_numpy() for link in links])
    hits = np.array([df[link["item"]].isin(strengthening_codes(link, codebook)).fillna(False).sum() for link in links])
    n, k = answered.shape
    # widest: respondents in a fixed order (those answering most items first), hits to the first
    order = np.argsort(-answered.sum(axis=1), kind="stable")
    widest = np.zeros(n)
    for j in range(k):
        who = order[answered[order, j]][: hits[j]]
        widest[who] += 1
    # narrowest: x_ij (hit of respondent i on item j) and z_it (respondent i has at least t hits),
    # minimise sum (2t - 1) z_it = sum of squared hits; the costs rise with t, so z fills from below
    cells = [(i, j) for i in range(n) for j in range(k) if answered[i, j]]
    nx, nz = len(cells), n * k
    cost = np.concatenate([np.zeros(nx), np.tile(2 * np.arange(1, k + 1) - 1, n)])
    rows = lil_matrix((k + n, nx + nz))
    for c, (i, j) in enumerate(cells):
        rows[j, c] = 1          # item j gives exactly its hits
        rows[k + i, c] = 1      # respondent i's hits ...
    for i in range(n):
        rows[k + i, nx + i * k: nx + (i + 1) * k] = -1  # ... equal the sum of its z
    bounds = np.concatenate([hits, np.zeros(n)])
    res = milp(cost, constraints=LinearConstraint(rows.tocsr(), bounds, bounds), integrality=np.ones(nx + nz),
               bounds=(0, 1))
    narrowest = np.zeros(n)
    for c, (i, j) in enumerate(cells):
        narrowest[i] += round(res.x[c])
    return widest, narrowest


def construct_table(df: pd.DataFrame, codebook: Codebook, lang: str = "en", reconstructed: bool = False) -> pd.DataFrame:
    """Per construct: where its items' answers fall between the two poles, pooled over items —
    the share at the strengthening pole (the two most positive answers, negatively worded items
    turned), at the other pole, and in the middle — with a respondent-level interval for the
    strengthening share (:func:`pooled_interval`).

    ``reading`` (from the theory map): ``direction`` constructs are read by their strengthening
    share; ``balance`` constructs have their ideal in the middle (the thesis's balancing acts),
    so no share of theirs is better for being higher; ``roles`` are indicated, not scored.
    Constructs no item measures have n_items = 0 and no share.

    For a ``reconstructed`` intake the interval depends on who gave which answer: beside the
    reconstruction's interval stand the widest and narrowest any arrangement of the answers
    allows (:func:`arrangement_range`).
    """
    rows = []
    for c in load_theory_map()["constructs"]:
        links = construct_links(c, codebook)
        reading = c.get("reading", "direction")
        row = {"construct": c["name_nl"] if lang == "nl" else c["name_en"], "theory": c["theory"], "reading": reading,
               "pole_negative": _(c["pole_negative"]) if c["pole_negative"] else "",
               "pole_positive": _(c["pole_positive"]) if c["pole_positive"] else "",
               "n_items": len(construct_items(c, codebook)), "construct_id": c["id"],
               "items": ", ".join(codebook.item(i).label(lang) for i in construct_items(c, codebook)),
               "axis": bool(c.get("axis")), "ideal_line": (c.get("ideal") or {}).get("seed_line")}
        if links:
            hits, answered = respondent_counts(df, links, codebook)
            away, _n = respondent_counts(df, links, codebook, alienating_codes)
            share, lo, hi, deff = pooled_interval(hits, answered)
            total = answered.sum()
            row.update(n_respondents=int((answered > 0).sum()), n_answers=int(total), positive_share=share,
                       negative_share=away.sum() / total, middle_share=(total - hits.sum() - away.sum()) / total,
                       ci_low=lo, ci_high=hi, design_effect=deff)
            if reconstructed:
                widest, narrowest = arrangement_range(df, links, codebook)
                _s, row["ci_widest_low"], row["ci_widest_high"], _d = pooled_interval(widest, answered)
                _s, row["ci_narrowest_low"], row["ci_narrowest_high"], _d = pooled_interval(narrowest, answered)
        rows.append(row)
    table = pd.DataFrame(rows)
    return table.reindex(columns=[*CONSTRUCT_COLUMNS, "construct_id", "items", "axis", "ideal_line"])


def respondent_scores(df: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per respondent, the mean positively oriented score over each measured construct's items
    (1 = most negative, 5 = most positive), plus overall satisfaction. Constructs measured by
    the very same items are one outcome, named after all of them (``a = b``)."""
    out = pd.DataFrame(index=df.index)
    by_items: dict[tuple, list[str]] = {}
    links_of: dict[tuple, list[dict]] = {}
    for c in load_theory_map()["constructs"]:
        links = construct_links(c, codebook)
        if links:
            key = tuple(sorted(link["item"] for link in links))
            by_items.setdefault(key, []).append(c["id"])
            links_of[key] = links
    for key, names in by_items.items():
        scores = pd.concat([oriented_scores(df[link["item"]], link, codebook) for link in links_of[key]], axis=1)
        out[" = ".join(names)] = scores.mean(axis=1, skipna=True)
    out["satisfaction"] = df["q08_satisfaction"].astype("Float64")
    return out


def shared_items(codebook: Codebook) -> dict[str, list[str]]:
    """Outcome of :func:`respondent_scores` -> the other outcomes it shares at least one item
    with. Tests of such outcomes are not separate findings: the same answers count twice."""
    scores = respondent_scores(pd.DataFrame(columns=codebook.item_ids), codebook).columns
    constructs = {c["id"]: set(construct_items(c, codebook, scored=True)) for c in load_theory_map()["constructs"]}
    items = {o: set().union(*(constructs[c] for c in o.split(" = "))) for o in scores if o != "satisfaction"}
    return {o: [p for p in items if p != o and items[o] & items[p]] for o in items if any(
        p != o and items[o] & items[p] for p in items)}


def ipa_table(df: pd.DataFrame, codebook: Codebook, lang: str = "en") -> pd.DataFrame:
    """Importance-performance grid (Martilla & James): importance is the share rating the
    expectation important (its top two answers), performance the share on the positive side
    of the experience item (its top two answers, negatively worded items turned). The
    cross-hairs are the medians of both; high importance with performance below the median is
    "concentrate here".

    Top-two shares rather than the top answer alone: for a reconstructed intake the thesis gives
    the positive totals, but almost never how they split between the two positive answers."""
    rows = []
    for pair in load_theory_map()["ipa_pairs"]:
        exp, perf = codebook.item(pair["expectation"]), codebook.item(pair["experience"])
        e, p = df[exp.id].dropna(), df[perf.id].dropna()
        rows.append({
            "expectation": exp.label(lang), "experience": perf.label(lang) + (_(REVERSED_MARK) if perf.reversed else ""),
            "importance": float(e.isin(exp.top2_codes).mean()), "performance": float(p.isin(perf.top2_codes).mean()),
            "n_expectation": len(e), "n_experience": len(p),
        })
    table = pd.DataFrame(rows)
    imp_mid, perf_mid = table["importance"].median(), table["performance"].median()
    table["quadrant"] = [
        ("concentrate here" if p < perf_mid else "keep up the good work") if i >= imp_mid
        else ("low priority" if p < perf_mid else "possible overkill")
        for i, p in zip(table["importance"], table["performance"])
    ]
    table.attrs.update(importance_median=imp_mid, performance_median=perf_mid)
    return table


def emotion_table(df: pd.DataFrame, codebook: Codebook, lang: str = "en") -> pd.DataFrame:
    """Share naming each emotion of the two groups (answers 4-5), with Wilson intervals."""
    rows = []
    for group, items in load_theory_map()["emotion_groups"].items():
        for i in items:
            col = df[i].dropna()
            k = int(col.isin([4, 5]).sum())
            lo, hi = wilson_interval(k, len(col))
            rows.append({"group": group, "emotion": codebook.item(i).label(lang), "item_id": i, "n": len(col),
                         "named": k, "share": k / len(col) if len(col) else float("nan"), "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def threshold_items() -> list[str]:
    """The items of the threshold emotions (theory map)."""
    return list(load_theory_map()["emotion_groups"]["threshold"])


def any_threshold_share(df: pd.DataFrame) -> float:
    """Share of respondents naming at least one threshold emotion: depends on how answers combine."""
    return float(df[threshold_items()].isin([4, 5]).any(axis=1).mean())


LANGUAGE_ITEMS = ["q21_information", "q12_comm_clear"]  # understanding information, clear communication
LANGUAGE_ITEM = "q24_home_language"


def by_home_language(df: pd.DataFrame, codebook: Codebook, lang: str = "en", threshold: int = 5) -> pd.DataFrame | None:
    """Understanding of information and clear communication by home language (the thesis's
    wish, lines 2239-2243), small cells suppressed; None where the questionnaire does not ask
    the home language (v1)."""
    from .descriptives import top2_by_group

    if LANGUAGE_ITEM not in codebook.item_ids or LANGUAGE_ITEM not in df:
        return None
    scale = codebook.item(LANGUAGE_ITEM).scale
    labelled = df.assign(**{LANGUAGE_ITEM: df[LANGUAGE_ITEM].map(
        lambda c: pd.NA if pd.isna(c) else scale.label(int(c), lang)).astype("string")})
    figures = sorted({codebook.item(i).figure for i in LANGUAGE_ITEMS})
    table = top2_by_group(labelled, codebook, LANGUAGE_ITEM, figures, lang, threshold, items=LANGUAGE_ITEMS)
    sizes = labelled[LANGUAGE_ITEM].value_counts()
    table.attrs.update(left_out=int(sizes[sizes < threshold].sum()), groups_left_out=int((sizes < threshold).sum()),
                       threshold=threshold)
    return table


def grouping_variables(df: pd.DataFrame) -> pd.DataFrame:
    """The groups the sub-group section compares: interview mode, gender, type of help, and the
    team or site where the questionnaire records it (v2)."""
    gender = df["q01_gender"].map({1: "man", 2: "woman"}).astype("string")
    groups = pd.DataFrame({"interview_mode": df["interview_mode"], "gender": gender, "help_type": df["help_type"]})
    if "a03_team" in df.columns:
        groups["team"] = df["a03_team"].astype("string")
    return groups
