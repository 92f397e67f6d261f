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

import pandas as pd

from .yamlio import load_yaml
from .codebook import Codebook
from .descriptives import wilson_interval

CONSTRUCT_COLUMNS = ["construct", "theory", "pole_positive", "n_items", "n_answers", "positive_share", "ci_low", "ci_high"]


@lru_cache(maxsize=None)
def load_theory_map() -> dict:
    text = resources.files("analysis_utils").joinpath("resources/theory_map.yaml").read_text("utf-8")
    return load_yaml(text)


STRENGTHENING, ALIENATING = "agree = strengthening", "agree = alienating"


def construct_links(construct: dict, codebook: Codebook) -> list[dict]:
    """The construct's links to items that this questionnaire version has."""
    return [link for link in construct["items"] if link["item"] in codebook.item_ids]


def construct_items(construct: dict, codebook: Codebook) -> list[str]:
    return [link["item"] for link in construct_links(construct, codebook)]


def strengthening_codes(link: dict, codebook: Codebook) -> list[int]:
    """The two raw codes that mean the construct's strengthening pole, by the link's direction."""
    codes = codebook.item(link["item"]).scale.codes
    return codes[-2:] if link["direction"] == STRENGTHENING else codes[:2]


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


def construct_table(df: pd.DataFrame, codebook: Codebook, lang: str = "en") -> pd.DataFrame:
    """Per construct: the share of its items' answers on the strengthening side, pooled over
    items, with a Wilson interval. Constructs no item measures have n_items = 0 and no share.

    The pooled share depends only on each item's distribution. The interval treats answers as
    independent although one person gives several; it is therefore somewhat too narrow.
    """
    rows = []
    for c in load_theory_map()["constructs"]:
        links = construct_links(c, codebook)
        items = [link["item"] for link in links]
        pos = total = 0
        for link in links:
            k, n = positive_answers(df, link, codebook)
            pos, total = pos + k, total + n
        lo, hi = wilson_interval(pos, total) if total else (float("nan"), float("nan"))
        rows.append({
            "construct": c["name_nl"] if lang == "nl" else c["name_en"],
            "theory": c["theory"],
            "pole_positive": c["pole_positive"],
            "n_items": len(items),
            "n_answers": total,
            "positive_share": pos / total if total else float("nan"),
            "ci_low": lo,
            "ci_high": hi,
            "construct_id": c["id"],
            "items": ", ".join(codebook.item(i).label(lang) for i in items),
            "axis": bool(c.get("axis")),
            "pole_negative": c["pole_negative"],
        })
    return pd.DataFrame(rows)


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
    constructs = {c["id"]: set(construct_items(c, codebook)) for c in load_theory_map()["constructs"]}
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
            "expectation": exp.label(lang), "experience": perf.label(lang) + (" (reversed)" if perf.reversed else ""),
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


def grouping_variables(df: pd.DataFrame) -> pd.DataFrame:
    """The groups the sub-group section compares: interview mode, gender, type of help, and the
    team or site where the questionnaire records it (v2)."""
    gender = df["q01_gender"].map({1: "man", 2: "woman"}).astype("string")
    groups = pd.DataFrame({"interview_mode": df["interview_mode"], "gender": gender, "help_type": df["help_type"]})
    if "a03_team" in df.columns:
        groups["team"] = df["a03_team"].astype("string")
    return groups
