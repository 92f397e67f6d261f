"""The chapters' tables as a reader sees them: the statistics' tables (ids, codes, shares) with
words for their ids and their headers, in the report's language (:func:`tables.for_people`).

Examples
--------
>>> from analysis_utils.codebook import load_codebook
>>> reversed_items(load_codebook()).index[0]
'q10_emotion_doubt'
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..fmt import bound_text, interval_text, pct, pct_text, percent_of
from ..i18n import N_, _, current, decimal
from ..intake.derive import DERIVED, POS_SUFFIX, REVERSED_NOTE, SCORE_CODES
from ..stats.tests import NO_VARIATION, TOO_FEW_GROUPS
from .labels import (
    METHODS,
    REVERSED_MARK,
    construct_name,
    group_label,
    higher_text,
    intake_label,
    item_label,
    marginals_text,
    outcome_words,
    quantity_text,
    source_words,
    value,
    yes_no,
)
from .item_views import item_summary, items_caption  # noqa: F401 (chapter 02 calls them here)
from .construct_views import CONSTRUCT_CSV, construct_csv, construct_shares  # noqa: F401 (the chapters' one module to call)
from .publication_views import claim_checks, percent_checks, reproduction  # noqa: F401 (chapter 02 calls them here)
from .tables import HEADERS, captioned, for_people  # noqa: F401 (captioned: the chapters show tables through views)



def reversed_items(codebook: Codebook) -> pd.DataFrame:
    """The negatively worded items and how their score is turned."""
    lang, rows = current(), []
    for item in (i for i in codebook.items if i.reversed and i.ordinal):
        codes = item.scale.codes
        rows.append({"item_id": item.id, "item": item.label(lang),
                     "raw code": f"{codes[0]} = {item.scale.label(codes[0], lang)} … {codes[-1]} = "
                                 f"{item.scale.label(codes[-1], lang)}",
                     "score column": item.id + POS_SUFFIX, "score": f"{codes[0]}→{codes[-1]}, {codes[-1]}→{codes[0]}"})
    return for_people(pd.DataFrame(rows), "item_id")


def composition(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """:func:`~analysis_utils.stats.descriptive.composition` for reading: yes / no for the pilot
    flag, the help type in the report's language (the processed file keeps English)."""
    scale = codebook.scale_of("q07_help_type") if "q07_help_type" in codebook.item_ids else None
    shown = {scale.label(c, "en"): scale.label(c, current()) for c in scale.codes} if scale else {}
    t = table.copy()
    t["value"] = [yes_no(v) if isinstance(v, (bool, np.bool_)) else
                  (shown.get(str(v), str(v)) if var == "help_type" else str(v)) for var, v in zip(t["variable"], t["value"])]
    return for_people(t, "variable")


def coverage(table: pd.DataFrame, codebook: Codebook, reconstructed: bool = False) -> pd.DataFrame:
    """Every item with its n and its missing answers, by design or otherwise. In a reconstructed
    intake an item the publication never shows (``evidence: inferred``) has the reconstruction's
    answers: what it leaves empty is no client's missing answer, so it gets a column of its own."""
    t = table.drop(columns="figure")
    t.insert(1, "label", [item_label(codebook, i) for i in t["item_id"]])
    made = t["item_id"].map(lambda i: reconstructed and codebook.item(i).evidence == "inferred")
    if (made & (t["missing_otherwise"] > 0)).any():
        t[N_("left empty by the reconstruction")] = t["missing_otherwise"].where(made).astype("Int64")
        t["missing_otherwise"] = t["missing_otherwise"].where(~made).astype("Int64")
    return for_people(t, "item_id")


def dictionary(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The derived columns of the data dictionary, described in the report's language (the
    dictionary file itself is English, as the processed data are)."""
    rows = []
    for _i, r in table[table["source"] == "derived"].iterrows():
        col = r["column"]
        if col in DERIVED:
            rows.append({**r, "description": _(DERIVED[col][1])})
        else:
            item = codebook.item(col[: -len(POS_SUFFIX)])
            lo, hi = item.scale.codes[0], item.scale.codes[-1]
            rows.append({**r, "description": f"{item.shown_wording(current())} — {_(REVERSED_NOTE)}",
                         "codes": _(SCORE_CODES).format(lo=lo, hi=hi, sum=lo + hi)})
    return for_people(pd.DataFrame(rows, columns=table.columns).drop(columns=["source", "type", "figure"]), "column")

def with_item_labels(table: pd.DataFrame, codebook: Codebook, column: str = "item", keep_ids: bool = False) -> pd.DataFrame:
    """``table`` with the items' labels in place of its ``item_id`` column (``keep_ids``: beside it)."""
    if "item_id" not in table:
        return table
    t = table.copy()
    at = list(t.columns).index("item_id")
    t.insert(at, column, [item_label(codebook, i) for i in t["item_id"]])
    return t if keep_ids else t.drop(columns="item_id")


def by_group(table: pd.DataFrame, by: str, codebook: Codebook) -> pd.DataFrame:
    """:func:`~analysis_utils.stats.descriptive.top2_by_group` for reading: one row per item (in
    questionnaire order), n and top-2 % of each group side by side, headers in words; a suppressed
    cell says so in the report's language."""
    table = with_item_labels(table, codebook)
    items = list(dict.fromkeys(table["item"]))
    wide = table.pivot(index="item", columns=by, values=["n", "top-2 %"]).reindex(items)
    wide.columns = [f"{group}: {_('top-2 %') if what == 'top-2 %' else 'n'}" for what, group in wide.columns]
    groups = list(dict.fromkeys(table[by]))
    order = [f"{g}: {w}" for g in groups for w in ("n", _("top-2 %"))]
    wide = wide[order].astype(object).where(wide[order].notna(), "").map(lambda x: value(x) if isinstance(x, str) else x)
    wide.index.name = None
    return wide


def constructs(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The construct table in words: its name, its poles translated, its items' labels, first."""
    t = table.copy()
    t.insert(0, "construct", [construct_name(c) for c in t["construct_id"]])
    for pole in ("pole_negative", "pole_positive"):
        t[pole] = [_(p) if p else "" for p in t[pole]]
    t["items"] = [", ".join(item_label(codebook, i) for i in ids) for ids in t["item_ids"]]
    return t


def identification(table: pd.DataFrame, codebook: Codebook | None = None, english: bool = False) -> pd.DataFrame:
    """The identification table in words: quantity, chapter, value, lower, upper, method, sharp,
    marginals; ``english``: as its CSV keeps it, in English with the quantity's ids beside it."""

    t = pd.DataFrame({"quantity": [quantity_text(r, codebook, english) for _i, r in table.iterrows()],
                      **({c: table[c] for c in ("quantity_id", "construct_id", "outcome", "grouping")} if english else {}),
                      "chapter": table["chapter"], "value_in_reconstruction": table["value_in_reconstruction"],
                      "lower": table["lower"], "upper": table["upper"],
                      "method": [METHODS[m] if english else value(METHODS[m]) for m in table["method_id"]],
                      "sharp": table["sharp"], "marginals": [marginals_text(r) for _i, r in table.iterrows()],
                      **({c: table[c] for c in ("outer_lower", "outer_upper")} if english and "outer_lower" in table
                         else {})})
    return t


RANGE_TO = N_("{low} to {high}")


def ranges(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Identified ranges for reading (:func:`analysis_utils.chapters.interpretation.side_by_side`):
    quantity, the reconstruction's value, what the published figures allow over every count they
    admit (proven or not), and the range given the reconstruction's own item counts."""
    def span(lo, hi) -> str:
        return _(RANGE_TO).format(low=bound_text(lo), high=bound_text(hi))

    t = pd.DataFrame({
        "quantity": [quantity_text(r, codebook) for _i, r in table.iterrows()],
        _("value in the reconstruction"): table["value_in_reconstruction"],
        _("allowed by the published figures"): [span(lo, hi) for lo, hi in zip(table["allowed_lower"], table["allowed_upper"])],
        _("proven"): [yes_no(bool(s)) for s in table["allowed_sharp"].fillna(False)],
        _("no value can lie outside"): [span(lo, hi) for lo, hi in zip(table["outer_lower"], table["outer_upper"])],
        _("given the reconstruction's split"): [span(lo, hi) for lo, hi in zip(table["lower"], table["upper"])]})
    return for_people(t, "quantity")


def ipa(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The importance–performance table in words: expectation, experience (marked when reversed),
    and the line of the thesis that sets them side by side."""
    t = table.copy()
    t.insert(0, "expectation", [item_label(codebook, i) for i in t["expectation_id"]])
    t.insert(1, "experience", [item_label(codebook, i) + (_(REVERSED_MARK) if codebook.item(i).reversed else "")
                               for i in t["experience_id"]])
    return t.drop(columns=["expectation_id", "experience_id"])


def emotions(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The emotion table with each emotion's label."""
    t = table.copy()
    t.insert(1, "emotion", [item_label(codebook, i) for i in t["item_id"]])
    return t


def subgroups(tests: pd.DataFrame, codebook: Codebook, min_group_size: int) -> pd.DataFrame:
    """The sub-group tests as their CSV keeps them: the groups with their sizes in words; for an
    observed intake a ``note`` on groups left out or comparisons not made."""
    t = tests.copy()
    if "effect_min" in t:  # over reconstructions: the groups as stored
        t.insert(list(t.columns).index("kept"), "groups", [" / ".join(f"{lvl} {k}" for lvl, k in kept) for kept in t["kept"]])
        return t.drop(columns="kept")
    at = list(t.columns).index("kept")
    t.insert(at, "groups", [group_label(kept) for kept in t["kept"]])
    t["note"] = [_note(r, min_group_size) for _i, r in t.iterrows()]
    return t.drop(columns=["kept", "dropped", "reason"])



def _note(r, min_group_size: int) -> str:

    note = ""
    if r["dropped"]:
        note = _("left out (fewer than {min}): {groups}").format(
            min=min_group_size, groups=", ".join(f"{value(lvl)} ({k})" for lvl, k in r["dropped"]))
    if r["reason"] == TOO_FEW_GROUPS:
        return (note + "; " if note else "") + _("fewer than two groups large enough")
    if r["reason"] == NO_VARIATION:
        return _("no variation in the answers")
    return note


def subgroup_tests(tests: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The sub-group tests of an observed intake for reading: the effect with its name and the
    group that answers higher in one column ("rank-biserial 0.36 (face to face higher)"), no
    statistic or raw p (``subgroups.csv`` keeps them)."""
    t = tests[["grouping", "outcome", "groups", "effect_name", "effect", "p_holm", "note"]].copy()
    t["outcome"] = [outcome_words(o, codebook) for o in t["outcome"]]
    higher = tests["higher"] if "higher" in tests else pd.Series("", index=tests.index)
    t["effect"] = [f"{value(name)} {decimal(f'{e:.2f}')}" + (f" ({higher_text(h)})" if h else "")  # decimal mark
                   if pd.notna(e) else "" for name, e, h in zip(t["effect_name"], t["effect"], higher.fillna(""))]
    t = t.drop(columns="effect_name")
    t = t if (t["note"].fillna("") != "").any() else t.drop(columns="note")
    return for_people(t, "grouping")


def overview(loaded: list[tuple]) -> pd.DataFrame:
    """One row per intake: who, how many, which questionnaire, which source."""

    rows = []
    for intake, df in loaded:
        n, approached = len(df), intake.meta["clients_approached"]
        rows.append({"intake": intake_label(intake.id, intake.reconstructed), "questionnaire": intake.codebook.version,
                     "source": source_words(intake.meta["source"]), "n": n, "clients approached": approached,
                     "response %": percent_of(n, approached)})
    return for_people(pd.DataFrame(rows), "intake")


def follow_up(table: pd.DataFrame) -> pd.DataFrame:
    """A follow-up question's answers by category, labelled in Dutch (and English in the English
    report)."""
    shown = table if current() == "en" else table.drop(columns="label_en")
    return for_people(shown, "label_nl")


def ipa_pairs(ipa_words: pd.DataFrame) -> pd.DataFrame:
    """The importance–performance pairs: the two shares (with the range the publication allows,
    where it gives no number) and the line that sets them side by side."""
    ranged = "importance_low" in ipa_words  # a reconstruction: what the publication allows, not one reading
    shown = ["expectation", "experience", *(["importance_low", "importance_high", "performance_low", "performance_high"]
                                            if ranged else ["importance", "performance"]), "seed_line"]
    return for_people(ipa_words[shown], "expectation")


def pilots(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The pilot sensitivity table for reading (items in words); the difference is that of the
    two whole percentages shown beside it (82 % and 85 %: +3), as the sentence above it says."""
    shown = with_item_labels(table, codebook).drop(columns=["figure", "n_all", "fixed"], errors="ignore")
    shown["difference"] = [(pct(b) - pct(a)) / 100 if a == a and b == b else np.nan  # NaN: the share is not known
                           for a, b in zip(shown["share_all"], shown["share_main_only"])]
    return for_people(shown, "item")


def comparison(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison for reading: the shares, each headed by its round's name where the table
    has one round on that side, their difference (of the shares as shown) with its simultaneous
    interval, the rank-biserial and Holm's p (``comparison.csv`` keeps every column); beside a reconstructed
    round's share (either side), whether its publication fixes it (where not, the share is the
    reconstruction's reading and the interval runs over every count the publication admits)."""
    columns = ["item", "top2_reference", "top2_intake", "difference", "diff_ci_low", "diff_ci_high", "RBC", "p_holm"]
    if table["intake"].nunique() > 1:
        columns.insert(2, "intake")
    shown = table.copy()
    # the difference of the shares as shown (as in pilot_sensitivity): the same in either order
    shown["difference"] = [(pct(b) - pct(a)) / 100 for a, b in zip(shown["top2_reference"], shown["top2_intake"])]
    if "top2_fixed" in shown and not shown["top2_fixed"].astype(bool).all():  # a reconstructed round's share
        fixed = {side: shown[f"top2_{side}_low"] == shown[f"top2_{side}_high"] for side in ("reference", "intake")}
        open_sides = [side for side, f in fixed.items() if not f.all()]  # beside the side it describes; both: after both
        side = open_sides[0] if len(open_sides) == 1 else "intake"
        columns.insert(columns.index(f"top2_{side}") + 1, "fixed by the publication")  # the interval spans the rest
        shown["fixed by the publication"] = fixed[side] if len(open_sides) == 1 else shown["top2_fixed"].astype(bool)
        for side in ("reference", "intake"):  # a share not fixed: the range admitted, not the reconstruction's point
            low, high = shown[f"top2_{side}_low"], shown[f"top2_{side}_high"]
            shown[f"top2_{side}"] = [pct_text(p) if pct(lo) == pct(hi) else interval_text(lo, hi)
                                     for p, lo, hi in zip(shown[f"top2_{side}"], low, high)]
        shown["difference"] = shown["difference"].where(shown["top2_fixed"].astype(bool))  # the interval stands
    rounds = {"top2_reference": table["reference"]} | ({"top2_intake": table["intake"]} if "intake" not in columns else {})
    named = {_(HEADERS[c]): _(TOP2_OF).format(round=r.iloc[0]) for c, r in rounds.items() if r.nunique() == 1}
    return for_people(shown[columns], "item").rename(columns=named)  # each share headed by its round's name


TOP2_OF = N_("top-2, {round}")
