"""Chapter 04's tables in words: which results the publication fixes (the dependence table), what
the questionnaire covers of the theory, and every number of the chapter in one table
(``limitations.csv``).

Examples
--------
>>> import pandas as pd
>>> t = dependence(pd.DataFrame([{"result_id": "shares_all", "fixed": True}]))
>>> t["result"].tolist(), t["value"].tolist()
(['every single-item count and share (Figuur 1–23)'], ['as reported'])
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import GOALS_V1, Codebook
from ..fmt import interval_text, pct_text
from ..i18n import N_, _, current, decimal
from ..stats.limits import (
    ALPHA_RELATIONSHIP,
    ANY_THRESHOLD,
    SPEARMAN_SATISFACTION_TRUST,
)
from ..theory_map import construct_links, constructs
from .labels import QUANTITIES, construct_name, item_label

LIMITATION_COLUMNS = ["topic", "quantity", "quantity_id", "item_id", "construct_id", "value", "lower", "upper", "note"]
RESULTS = {
    "shares_fixed": N_("single-item top-2 shares the thesis gives or fixes ({k} items)"),
    "shares_worded": N_("single-item top-2 shares only worded ('het merendeel', 'enkele') or left open ({k} items)"),
    "shares_all": N_("every single-item count and share (Figuur 1–23)"),
    "construct_shares": N_("construct shares (pooled answers per construct)"),
    "construct_shares_fixed": N_("constructs where more is better, built only on counts the thesis fixes ({k})"),
    "construct_shares_worded": N_("constructs where more is better, built partly on shares the thesis only words ({k})"),
    "construct_intervals": N_("respondent-level intervals of the construct shares"),
    "rank_biserial": N_("sub-group rank-biserial correlations ({k} comparisons)"),
    "epsilon_squared": N_("sub-group epsilon² ({k} comparisons)"),
    "largest_effect": N_("largest sub-group effect size (any grouping, any outcome)"),
    **{q: QUANTITIES[q] for q in (ALPHA_RELATIONSHIP, SPEARMAN_SATISFACTION_TRUST, ANY_THRESHOLD)},
}
VALUES = {
    "shares_fixed": N_("as reported"), "shares_all": N_("as reported"),
    "shares_worded": N_("the reconstruction's reading of the words"),
    "construct_intervals": N_("depend on who gave which answer: chapter 3 gives the widest and narrowest any "
                              "arrangement allows"),
}
TO = N_("{low:.2f} to {high:.2f}")
SHARE_RESULTS = frozenset({ANY_THRESHOLD})  # shares of people: whole percentages, as chapter 03 gives them


def ends(rid: str, low: float, high: float) -> tuple[str, str]:
    """A range's two ends as text: a share of people in whole percentages ("50 %"), a
    coefficient with two decimals ("-0.27"), in the current language's decimal mark."""
    if rid in SHARE_RESULTS:
        return pct_text(low), pct_text(high)
    return decimal(f"{low:.2f}"), decimal(f"{high:.2f}")


def span(rid: str, low: float, high: float) -> str:
    """A range as one cell: "50–100 %" for a share of people, "-0.27 to 1.00" for a coefficient."""
    return interval_text(low, high) if rid in SHARE_RESULTS else _(TO).format(low=low, high=high)


def _value(r) -> object:
    """A dependence row's value as the table shows it: shares of answers in whole percentages as
    everywhere in the report, coefficients with two decimals as their ranges beside them."""
    rid = r["result_id"]
    if rid in VALUES:
        return _(VALUES[rid])
    if rid.startswith("construct_shares"):
        return interval_text(r["value_low"], r["value_high"])
    if rid in ("rank_biserial", "epsilon_squared"):
        return _(TO).format(low=r["value_low"], high=r["value_high"])
    if rid == "largest_effect":
        return _("{v:.2f} (median)").format(v=r["value"])
    return pct_text(r["value"]) if rid in SHARE_RESULTS else f"{r['value']:.2f}"


def dependence(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`~analysis_utils.stats.dependence.dependence_table` in words: result, fixed by the
    publication, value, lower, upper (and sharp, if unrelated where given)."""
    rows = []
    for _i, r in table.iterrows():
        row = {"result": _(RESULTS[r["result_id"]]).format(k=int(r["k"])) if "{k}" in RESULTS[r["result_id"]]
               else _(RESULTS[r["result_id"]]), "result_id": r["result_id"],
               "fixed by the publication": bool(r["fixed"]), "value": _value(r),
               "lower": r.get("lower"), "upper": r.get("upper")}
        if "sharp" in table:
            row["sharp"] = r["sharp"]
        if "outer_lower" in table:  # what no arrangement over any admitted count can pass
            row["no value can lie outside"] = (_outer(r["result_id"], r["outer_lower"], r["outer_upper"])
                                               if pd.notna(r.get("outer_lower")) and not _flag(r.get("sharp")) else np.nan)
            row["outer_finite"] = bool(pd.notna(r.get("outer_lower")) and np.isfinite(r["outer_lower"]))
        if "given_split_lower" in table:  # the same range given the reconstruction's own item counts
            row["given the reconstruction's split"] = (span(r["result_id"], r["given_split_lower"], r["given_split_upper"])
                                                       if pd.notna(r["given_split_lower"]) else np.nan)
        if "unrelated_low" in table:
            row["if unrelated"] = (span(r["result_id"], r["unrelated_low"], r["unrelated_high"])
                                   if pd.notna(r["unrelated_low"]) else np.nan)
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in ("lower", "upper"):
        out[col] = out[col].astype(float)
    return out


def dependence_view(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`dependence` for reading: the lowest and highest value the published figures allow
    in one column ("-0.27 to 1.00"), so that the table fits the page."""
    t = table.copy()
    t.insert(list(t.columns).index("lower"), "allowed", [
        span(rid, lo, hi) if pd.notna(lo) and pd.notna(hi) else ""
        for rid, lo, hi in zip(t["result_id"], t["lower"], t["upper"])])
    if not t["fixed by the publication"].all():  # the values of what is not fixed are the reconstruction's
        t = t.rename(columns={"value": N_("value (in the reconstruction where not fixed)")})
    return t.drop(columns=["lower", "upper", "result_id", "outer_finite"], errors="ignore")


def coverage(matrix: pd.DataFrame, codebook: Codebook, kinds: bool = False) -> pd.DataFrame:
    """The coverage matrix with construct names (rows) and item labels (columns); with ``kinds``,
    each link by its kind (:data:`LINK_KINDS`, for the figure) instead of 1."""
    values = link_kinds(matrix, codebook) if kinds else matrix
    return pd.DataFrame(values.to_numpy(), index=[construct_name(c) for c in matrix.index],
                        columns=[item_label(codebook, i) for i in matrix.columns])


LINK_KINDS = {"stated": 1, "inferred": 2, "indicated": 3}  # scored, the thesis's link; scored, this report's; not scored


def link_kinds(matrix: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The coverage matrix (ids) with each link's kind (:data:`LINK_KINDS`), 0 where there is none."""
    kinds = matrix.copy()
    for cid in matrix.index:
        scored = {link["item"]: link["support"] for link in construct_links(constructs()[cid], codebook)}
        for item in matrix.columns[matrix.loc[cid] > 0]:
            kinds.loc[cid, item] = LINK_KINDS[scored.get(item, "indicated")]
    return kinds


def _outer(rid: str, low: float, high: float) -> str:
    """An outer bound in words; alpha has no lower one ("−∞ to 1.00", as Table 3.2 gives it)."""
    return span(rid, low, high) if np.isfinite(low) else _("−∞ to {high:.2f}").format(high=high)


def _flag(value) -> bool | None:
    """A yes/no cell that may be empty (NaN, None) as True, False or None."""
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else bool(value)


def _rows_of(topic: str, table: pd.DataFrame, quantity, value: str, note, bounds=(None, None)) -> list[dict]:
    """One row per row of ``table`` (``quantity``: row -> (text, id); ``note``: row -> text;
    ``bounds``: its lower and upper columns, if any); ``item_id`` where the table has it."""
    lo, hi = bounds
    return [{"topic": topic, "quantity": quantity(r)[0], "quantity_id": quantity(r)[1], "item_id": r.get("item_id"),
             "value": r[value], "lower": r[lo] if lo else None, "upper": r[hi] if hi else None, "note": note(r)}
            for _i, r in table.iterrows()]


def _manski_note(r) -> str:
    """What a Manski row's value rests on: n, and where the publication fixes the share only in
    words, the range it admits (the value is then the reconstruction's point)."""
    if r.get("fixed", True):
        return f"n = {r['n']}"
    return (f"n = {r['n']}; the publication fixes the share only between {r['share_low']:.3f} and {r['share_high']:.3f}: "
            "the value is the reconstruction's, the bounds are over every admitted count")


def limitations_table(numbers: dict, coverage_words: pd.DataFrame, dependence_words: pd.DataFrame | None) -> pd.DataFrame:
    """Every number of the limitations chapter in one tidy table (``limitations.csv``):
    ``numbers`` holds the chapter's response, bounds, precision, ceiling, goals and nationality
    (:func:`analysis_utils.chapters.limitations.numbers`); texts as the CSV keeps them. Only a
    reconstructed intake has ``dependence_words`` (what rests on the reconstruction); else None."""
    response, goals, nat = numbers["response"], numbers["goals"], numbers["nationality"]
    rows = [{"topic": "response", "quantity": "response rate", "quantity_id": "response_rate", "value": response["rate"],
             "note": f"{response['n']} of {response['approached']} approached"}]
    rows += _rows_of("non-response (Manski bounds)", numbers["bounds"], lambda r: (f"top-2 share: {r['item_id']}", "top2_share"),
                     "observed", _manski_note, ("worst_case", "best_case"))
    rows += [{"topic": "precision", "quantity": f"Wilson 95 % interval width at share {p}", "quantity_id": "interval_width",
              "value": w, "note": f"n = {response['n']}"} for p, w in numbers["widths"].items()]
    rows += [{"topic": "precision", "quantity": f"minimal detectable share, from {m['share_from']:.3f}: {label}",
              "quantity_id": "minimal_detectable_share", "value": m["share_to"],
              "note": f"80 % power, alpha .05, {m['test']}"} for label, m in detectable(numbers).items()]
    rows += _rows_of("ceiling", numbers["ceiling"], lambda r: (f"share at the most positive answer: {r['item_id']}",
                                                              "ceiling_share"), "ceiling_share", lambda r: f"n = {r['n']}")
    if goals is not None:
        for key, what in (("same_goals_as_coded", "same goals as coded"),
                          ("same_goals_read_other_way", "same goals if read the other way"),
                          ("same_goals_author_reading", "same goals as the author reads them (line 1787)")):
            made = goals.get("reconstructed") and key != "same_goals_author_reading"  # a split the reconstruction chose
            rows.append({"topic": "reversed goals item", "quantity": what, "quantity_id": key, "item_id": GOALS_V1,
                         "value": goals[key], "note": f"of n = {goals['n']}" + (
                             "; the reconstruction's split, not a finding" if made else "")})
    rows.append({"topic": "representativeness", "quantity": "share with Belgian nationality", "quantity_id": "belgian_share",
                 "item_id": "q04_nationality", "value": nat["share"], "lower": nat["ci_low"], "upper": nat["ci_high"],
                 "note": f"{nat['k']} of {nat['n']}"})
    rows += [{"topic": "construct coverage", "quantity": f"items measuring: {name}", "quantity_id": "items_measuring",
              "construct_id": cid, "value": int(row.sum()), "note": ""}
             for (cid, row), name in zip(numbers["coverage"].iterrows(), coverage_words.index)]
    if dependence_words is not None:
        rows += _rows_of("dependence on the reconstruction", dependence_words, lambda r: (r["result"], r["result_id"]),
                         "value", _dependence_note, ("lower", "upper"))
    return pd.DataFrame(rows, columns=LIMITATION_COLUMNS)


def detectable(numbers: dict) -> dict[str, dict]:
    """The smallest detectable drops by grouping, each named in words with its groups' sizes:
    "face to face / telephone (18 and 10)"."""
    return {_(name) + " (" + _(" and ").join(str(v) for v in sizes) + ")": m
            for (name, sizes), m in numbers["detectable"].items()}


def _dependence_note(r) -> str:
    if r["fixed by the publication"]:
        return "fixed by the publication"
    note = {True: "the range the published figures allow", False: "a range the published figures allow at least"}.get(
        _flag(r.get("sharp")), "range over random reconstructions")
    given = r.get("given the reconstruction's split")
    return note + (f"; given the reconstruction's split: {given}" if isinstance(given, str) else "")


def ceiling_view(ceiling: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The ceiling table with each item's label in place of its id; a negatively worded item's
    label names its most positive answer ("concealed something: never"), so that its share does
    not read as the share who did what the item names."""
    t = ceiling.copy()
    labels = []
    for item_id in t["item_id"]:
        item = codebook.item(item_id)
        top = f": {item.scale.label(item.max_code, current())}" if item.reversed else ""
        labels.append(item_label(codebook, item_id) + top)
    t.insert(list(t.columns).index("item_id"), "item", labels)
    return t.drop(columns="item_id")

