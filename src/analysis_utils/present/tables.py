"""Tables for people: what a chapter shows goes through :func:`for_people` — shares as "79 %",
interval ends merged into "60–90 %", p-values as "0.03" or "< 0.001", yes / no for booleans,
whole counts, headers in words, values in the report's language (:func:`labels.value`). The CSV
tables keep their machine column names and full precision.

Examples
--------
>>> import pandas as pd
>>> for_people(pd.DataFrame({"item": ["trust"], "share": [0.786], "ci_low": [0.6], "ci_high": [0.9]}), "item")
item  share  95 % CI
trust  79 %  60–90 %
"""
from __future__ import annotations

import html
import re

import pandas as pd

from ..fmt import interval_text, pct, pct_text, signed, signed_end
from ..i18n import N_, _, decimal, language
from .labels import YES_NO, value

SHARE_COLUMNS = {"share", "positive_share", "negative_share", "middle_share", "middle_or_unasked_share", "neutral_share", "top2_share", "ceiling_share",
                 "observed", "worst_case", "best_case", "importance", "performance", "top2_reference",
                 "top2_intake", "share_all", "share_main_only", "main_only_lowest", "main_only_highest",
                 "admissible_low", "admissible_high", "share_significant", "importance_low", "importance_high",
                 "performance_low", "performance_high"}
POINT_COLUMNS = {"difference"}  # a difference of two shares: percentage points
P_COLUMNS = {"p_val", "p_holm", "p_holm_min", "p_holm_median", "p_holm_max"}
POINT_INTERVALS = {"diff_ci_low"}  # an interval of a difference of shares: points, signed
INTERVALS = [("ci_low", "ci_high", "95 % CI"), ("diff_ci_low", "diff_ci_high", "CI (simultaneous, points)"),
             ("top2_ci_low", "top2_ci_high", "95 % CI"), ("ci_widest_low", "ci_widest_high", "widest CI allowed"),
             ("ci_narrowest_low", "ci_narrowest_high", "narrowest CI allowed"),
             ("importance_low", "importance_high", "importance allowed"),
             ("performance_low", "performance_high", "experience allowed")]
RANGES = {"importance allowed", "experience allowed"}  # what the publication allows: one value where it fixes it
# Column headers in words (English msgids of the catalog: the Dutch report shows their translation).
HEADERS = {
    "n": "n", "n_items": N_("items"), "n_respondents": N_("respondents"), "n_answers": N_("answers"),
    "positive_share": N_("toward pole (+)"), "negative_share": N_("toward pole (−)"), "neutral_share": N_("neutral"),
    "middle_share": N_("in the middle wanted"), "middle_or_unasked_share": N_("in the middle wanted, or toward a pole no item asks"), "use": N_("used as"), "support": N_("support"), "quote": N_("quote"),
    "reason": N_("reason (inferred)"), "importance allowed": N_("importance allowed"),
    "experience allowed": N_("experience allowed"),
    "design_effect": N_("design effect"), "reading": N_("read as"), "pole_negative": N_("pole (−)"),
    "pole_positive": N_("pole (+)"), "value_in_reconstruction": N_("in the reconstruction"),
    "lower": N_("lowest allowed"), "upper": N_("highest allowed"), "allowed": N_("allowed by the publication"), "sharp": N_("proven"), "method": N_("method"),
    "p_val": "p", "p_holm": N_("p (Holm)"), "RBC": N_("rank-biserial"), "effect": N_("effect"),
    "effect_name": N_("effect size"), "top2_count": N_("top-2 count"), "top2_share": N_("top-2"),
    "ceiling_share": N_("at maximum"), "importance": N_("important to"), "performance": N_("positive experience"),
    "n_expectation": N_("n (expectation)"), "n_experience": N_("n (experience)"), "share": N_("share"),
    "named": N_("named"), "share_all": N_("with the pilots"), "share_main_only": N_("without the pilots"),
    "main_only_lowest": N_("without, lowest"), "main_only_highest": N_("without, highest"), "n_all": "n",
    "n_pilot": N_("pilots"), "difference": N_("difference (points)"), "top2_reference": N_("top-2, reference"),
    "top2_intake": N_("top-2, intake"), "n_reference": N_("n, reference"), "n_intake": N_("n, intake"),
    "top2_differs": N_("top-2 differs"), "reconstructed_involved": N_("reconstruction involved"),
    "observed": N_("observed"), "worst_case": N_("worst case"), "best_case": N_("best case"), "count": N_("count"),
    "percent": "%", "status": N_("status"), "reported": N_("reported"), "figure": "Figuur",
    "fixed by the publication": N_("fixed by the publication"),
    "if unrelated": N_("if unrelated"), "item": N_("item"), "item_id": N_("item id"), "label": N_("label"),
    "variable": N_("variable"), "value": N_("value"), "missing_by_design": N_("missing by design"),
    "missing_otherwise": N_("missing otherwise"), "raw code": N_("raw code"), "score column": N_("score column"),
    "column": N_("column"), "description": N_("description"), "codes": N_("codes"), "source": N_("source"),
    "construct": N_("construct"), "theory": N_("theory"), "expectation": N_("expectation"),
    "experience": N_("experience"), "emotion": N_("emotion"), "group": N_("group"), "quantity": N_("quantity"),
    "result": N_("result"), "grouping": N_("grouping"), "outcome": N_("outcome"), "groups": N_("groups"),
    "note": N_("note"), "seed_line": N_("line"), "possible at n": N_("possible at n"), "nearest k/n": N_("nearest k/n"),
    "the text says": N_("the text says"), "the counts say": N_("the counts say"), "consistent": N_("consistent"),
    "intake": N_("intake"), "questionnaire": N_("questionnaire"), "clients approached": N_("clients approached"),
    "response": N_("response"), "fact_id": N_("fact"), "in the thesis": N_("in the thesis"), "claim_id": N_("claim"), "q24_home_language": N_("home language"), "label_en": N_("in English"), "response %": N_("response %"),
    "a03_team": N_("team"), "top-2 %": N_("top-2 %"), "label_nl": N_("answer"), "test": N_("test"),
    "95 % CI": N_("95 % CI"), "CI (simultaneous, points)": N_("CI (simultaneous, points)"),
    "widest CI allowed": N_("widest CI allowed"), "narrowest CI allowed": N_("narrowest CI allowed"),
    "given the reconstruction's split": N_("given the reconstruction's split"),
}
NUMBERS_ONLY = re.compile(r"^[-+–<=~ \d.%]+$")  # a cell that is only numbers (not "13/28 = 46.4 %" in an id)
IDENTIFIERS = {"item_id", "column", "fact_id", "claim_id", "construct_id", "quote"}  # shown as they are, never translated


def _p(x) -> str:
    return decimal("< 0.001" if x < 0.001 else f"{x:.3f}".rstrip("0").rstrip(".") if x < 0.1 else f"{x:.2f}")


def breakable(text: str) -> str:
    """A line may break after a slash ("afhankelijkheid/vervreemding" in a narrow column): a
    zero-width space after each, which no reader sees."""
    return text.replace("/", "/\u200b")


def for_people(table, index: str | None = None, lang: str | None = None):
    """A table formatted for reading (see the section comment); ``index`` becomes the row labels,
    with no index-name row; headers and values in ``lang`` (default: the current language)."""
    if lang is not None:
        with language(lang):
            return for_people(table, index)
    t = table.copy()
    for low, high, label in INTERVALS:
        if low in t and high in t:
            pos = list(t.columns).index(low)
            show = (lambda a, b: _("{low} to {high}").format(low=signed_end(a), high=signed_end(b))) if low in POINT_INTERVALS else \
                (lambda a, b: pct_text(a) if pct(a) == pct(b) else interval_text(a, b)) if label in RANGES else interval_text
            merged = [show(a, b) if pd.notna(a) and pd.notna(b) else "" for a, b in zip(t[low], t[high])]
            t = t.drop(columns=[low, high])
            t.insert(pos, label, merged)
    for col in list(t.columns):
        s = t[col]
        if col in SHARE_COLUMNS and pd.api.types.is_numeric_dtype(s):
            t[col] = [pct_text(x) if pd.notna(x) else "" for x in s]
        elif col in POINT_COLUMNS and pd.api.types.is_numeric_dtype(s):
            t[col] = [signed(pct(x)) if pd.notna(x) else "" for x in s]
        elif col in P_COLUMNS and pd.api.types.is_numeric_dtype(s):
            t[col] = [_p(x) if pd.notna(x) else "" for x in s]
        elif pd.api.types.is_bool_dtype(s) or (s.dtype == object and s.dropna().map(type).eq(bool).all() and s.notna().any()):
            t[col] = [_(YES_NO[0] if x else YES_NO[1]) if pd.notna(x) else "" for x in s]
        elif pd.api.types.is_float_dtype(s) and s.dropna().apply(float.is_integer).all() and s.notna().any():
            t[col] = [str(int(x)) if pd.notna(x) else "" for x in s]
        elif pd.api.types.is_float_dtype(s):
            t[col] = [decimal(f"{x:.2f}") if pd.notna(x) else "" for x in s]
        elif (s.dtype == object or pd.api.types.is_string_dtype(s)) and col not in IDENTIFIERS:
            t[col] = [breakable(NUMBERS_ONLY.sub(lambda m: decimal(m[0]), value(x))) if isinstance(x, str) else x
                      for x in s]  # group names, statuses; a number written as text ("0.186")
    words = {c: _(HEADERS[c]) if c in HEADERS else _(c) for c in t.columns}
    t = t.rename(columns={c: words[c] if words[c] != c else c.replace("_", " ") for c in t.columns})
    if t.columns.duplicated().any():  # two machine names shown as one word: a reader could not tell them apart
        raise ValueError(f"columns {list(table.columns)} would show the same header twice: {list(t.columns)}")
    if index is not None:
        key = _(HEADERS[index]) if index in HEADERS else index.replace("_", " ")
        t = t.set_index(key)
        t.index.name = None
        t.columns.name = key  # the row labels' header stands in the top-left cell, not in a row of its own
    t = t.astype(object).where(t.notna(), "")
    return t


TABLE_WORD = N_("Table")


class Captioned:
    """A table as the book shows it: its caption above it (``<strong>Table.</strong> …``, which
    the book numbers "Table 3.2" per chapter) and, with ``fold``, the whole behind a
    ``<details>`` element whose summary line is ``fold`` (rows that are no finding, kept for
    whoever wants them). ``frame`` is a table :func:`for_people` made."""

    def __init__(self, frame: pd.DataFrame, caption: str, fold: str | None = None):
        self.frame, self.caption, self.fold = frame, str(caption), None if fold is None else str(fold)

    def _repr_html_(self) -> str:
        head = f'<p class="book-table-caption"><strong>{html.escape(str(_(TABLE_WORD)))}.</strong> ' \
               f"{html.escape(self.caption)}</p>"
        body = head + self.frame._repr_html_()
        if self.fold is not None:
            body = f"<details><summary>{html.escape(self.fold)}</summary>{body}</details>"
        return f'<div class="book-table">{body}</div>'

    def __repr__(self) -> str:
        return f"{_(TABLE_WORD)}. {self.caption}\n{self.frame!r}"


def captioned(frame: pd.DataFrame, caption: str, fold: str | None = None) -> Captioned:
    """``frame`` with its caption in the report's language (``caption``: the English msgid,
    extracted for the catalog by ``babel.cfg``'s ``captioned:2`` keyword) and folded behind
    ``fold`` (already in words): see :class:`Captioned`."""
    return Captioned(frame, _(caption), fold)
