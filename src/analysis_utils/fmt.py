"""How numbers are shown to a reader: one rounding rule (half up) for every percentage, one
way to write an interval and a p-value. The CSV tables keep full precision; everything a
reader sees goes through here, so a share and its category percentages agree.

Examples
--------
>>> pct(0.625), pct(0.125), pct(0.5 / 28 * 28)
(63, 13, 50)
>>> pct_text(0.79), interval_text(0.6, 0.9)
('79 %', '60–90 %')
>>> p_text(0.00004), p_text(0.0312)
('< 0.001', '= 0.031')
"""
from __future__ import annotations

import math


def round_half_up(x: float) -> int:
    """Round to a whole number, halves up (2.5 -> 3, not Python's 2). Float noise below 1e-9
    is ignored first, so 100 * 0.625 (62.49999...) counts as the half it is."""
    return int(math.floor(round(x, 9) + 0.5))


def pct(share: float) -> int:
    """A share (0-1) as a whole percentage, rounded half up."""
    return round_half_up(100 * share)


def pct_text(share: float) -> str:
    return f"{pct(share)} %"


def interval_text(low: float, high: float) -> str:
    """An interval of shares as "60–90 %"."""
    return f"{pct(low)}–{pct(high)} %"


def ci_text(low: float, high: float) -> str:
    return f"95 % CI {interval_text(low, high)}"


def p_text(p: float) -> str:
    """A p-value as a sentence shows it: "< 0.001" below a thousandth, never "= 0.000"."""
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


# --- tables for people -------------------------------------------------------------------------------
# The CSV tables keep their machine column names; what a chapter shows goes through
# :func:`for_people`: shares as "79 %", interval ends merged into "60–90 %", p-values as "0.03" or
# "< 0.001", yes / no for booleans, whole counts, and headers in words.

SHARE_COLUMNS = {"share", "positive_share", "negative_share", "middle_share", "top2_share", "ceiling_share",
                 "observed", "worst_case", "best_case", "importance", "performance", "top2_reference",
                 "top2_intake", "share_all", "share_main_only", "main_only_lowest", "main_only_highest",
                 "admissible_low", "admissible_high", "share_significant"}
POINT_COLUMNS = {"difference"}  # a difference of two shares: percentage points
P_COLUMNS = {"p_val", "p_holm", "p_holm_min", "p_holm_median", "p_holm_max"}
POINT_INTERVALS = {"diff_ci_low"}  # an interval of a difference of shares: points, signed
INTERVALS = [("ci_low", "ci_high", "95 % CI"), ("diff_ci_low", "diff_ci_high", "CI (simultaneous, points)"),
             ("top2_ci_low", "top2_ci_high", "95 % CI"), ("ci_widest_low", "ci_widest_high", "widest CI allowed"),
             ("ci_narrowest_low", "ci_narrowest_high", "narrowest CI allowed")]
HEADERS = {
    "en": {"n": "n", "n_items": "items", "n_respondents": "respondents", "n_answers": "answers",
           "positive_share": "strengthening side", "negative_share": "other pole", "middle_share": "middle",
           "design_effect": "design effect", "reading": "read as", "pole_negative": "pole (−)",
           "pole_positive": "pole (+)", "value_in_reconstruction": "in the reconstruction", "lower": "lowest allowed",
           "upper": "highest allowed", "sharp": "proven", "method": "method", "p_val": "p", "p_holm": "p (Holm)",
           "RBC": "rank-biserial", "effect": "effect", "effect_name": "effect size", "top2_count": "top-2 count",
           "top2_share": "top-2", "ceiling_share": "at maximum", "importance": "important to",
           "performance": "positive experience", "n_expectation": "n (expectation)", "n_experience": "n (experience)",
           "share": "share", "named": "named", "share_all": "with the pilots", "share_main_only": "without the pilots",
           "main_only_lowest": "without, lowest", "main_only_highest": "without, highest", "n_all": "n",
           "n_pilot": "pilots", "difference": "difference (points)", "top2_reference": "top-2, reference",
           "top2_intake": "top-2, intake", "n_reference": "n, reference", "n_intake": "n, intake",
           "top2_differs": "top-2 differs", "reconstructed_involved": "reconstruction involved",
           "observed": "observed", "worst_case": "worst case", "best_case": "best case", "count": "count",
           "percent": "%", "status": "status", "reported": "reported", "figure": "Figuur", "quadrant": "quadrant",
           "fixed by the publication": "fixed by the publication", "if unrelated": "if unrelated"},
}


def _p(x) -> str:
    return "< 0.001" if x < 0.001 else f"{x:.3f}".rstrip("0").rstrip(".") if x < 0.1 else f"{x:.2f}"


def for_people(table, index: str | None = None, lang: str = "en"):
    """A table formatted for reading (see the section comment); ``index`` becomes the row labels,
    with no index-name row."""
    import pandas as pd

    t = table.copy()
    for low, high, label in INTERVALS:
        if low in t and high in t:
            pos = list(t.columns).index(low)
            show = (lambda a, b: f"{pct(a):+d} to {pct(b):+d}") if low in POINT_INTERVALS else interval_text
            merged = [show(a, b) if pd.notna(a) and pd.notna(b) else "" for a, b in zip(t[low], t[high])]
            t = t.drop(columns=[low, high])
            t.insert(pos, label, merged)
    for col in list(t.columns):
        s = t[col]
        if col in SHARE_COLUMNS and pd.api.types.is_numeric_dtype(s):
            t[col] = [pct_text(x) if pd.notna(x) else "" for x in s]
        elif col in POINT_COLUMNS and pd.api.types.is_numeric_dtype(s):
            t[col] = [f"{pct(x):+d}" if pd.notna(x) else "" for x in s]
        elif col in P_COLUMNS and pd.api.types.is_numeric_dtype(s):
            t[col] = [_p(x) if pd.notna(x) else "" for x in s]
        elif pd.api.types.is_bool_dtype(s) or (s.dtype == object and s.dropna().map(type).eq(bool).all() and s.notna().any()):
            t[col] = [("yes" if x else "no") if pd.notna(x) else "" for x in s]
        elif pd.api.types.is_float_dtype(s) and s.dropna().apply(float.is_integer).all() and s.notna().any():
            t[col] = [str(int(x)) if pd.notna(x) else "" for x in s]
        elif pd.api.types.is_float_dtype(s):
            t[col] = [f"{x:.2f}" if pd.notna(x) else "" for x in s]
    words = HEADERS.get(lang, HEADERS["en"])
    t = t.rename(columns={c: words.get(c, c.replace("_", " ")) for c in t.columns})
    if index is not None:
        key = words.get(index, index.replace("_", " "))
        t = t.set_index(key)
        t.index.name = None
    t = t.astype(object).where(t.notna(), "")
    return t
