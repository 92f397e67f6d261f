"""From validated codes to the processed answers: a positively oriented score beside every
reversed item, and the derived grouping variables (in English: one processed file for every
report language), with the data dictionary that describes every column.

Examples
--------
>>> from analysis_utils.codebook import load_codebook
>>> import pandas as pd
>>> cb = load_codebook()
>>> raw = pd.DataFrame({"q17_different_goals": pd.array([1, 5, None], dtype="Int64")})
>>> reverse_code(raw["q17_different_goals"], cb.item("q17_different_goals")).tolist()
[5, 1, <NA>]
"""
from __future__ import annotations

import pandas as pd

from ..codebook import GOALS_V1, Codebook, Item
from ..i18n import N_

POS_SUFFIX = "_pos"
# Values of the derived variables are English in the processed data (one file for every report
# language); the Dutch report shows them through the catalog (:mod:`analysis_utils.present.labels`).
AGE_GROUPS = {1: N_("under 41"), 2: N_("under 41"), 3: N_("under 41"), 4: N_("41 to 50"), 5: N_("over 50"),
              6: N_("over 50")}
MODE_GROUPS = {1: N_("face to face"), 2: N_("face to face"), 3: N_("telephone")}
GROUP_ORDER = {"age_group": list(dict.fromkeys(AGE_GROUPS.values()))}  # youngest first, not alphabetically
GOALS_READINGS = (N_("neutral"), N_("same goals"))
DERIVED = {
    "respondent_id": ("text", N_("a fresh sequence number of the answers file's rows (R001 is its first respondent); the "
                      "respondent ids as entered stay in data/raw and are not carried over")),
    "pilot": ("bool", N_("True for the pilot questionnaire (a02_questionnaire_form = 1)")),
    "interview_mode": ("category", N_("face to face (a01 codes 1, 2) or telephone (a01 code 3)")),
    "age_group": ("category", N_("under 41, 41 to 50 or over 50: the cut points at which the 2015 thesis gives counts "
                  "(lines 1548–1549, 1564; 41 to 50 is the one band it names) (from q02_age_band)")),
    "goals_author_reading": ("category", N_("questionnaire v1 only: the author's reading of the misread goals item "
                             "(line 1787): every answer but a neutral one means 'same goals'; not an answer of the client")),
    "help_type": ("category", N_("budget guidance, budget management or collective debt settlement (from q07_help_type)")),
}


def respondent_codes(n: int) -> list[str]:
    """Fresh codes for ``n`` respondents in row order: R001, R002, … (wider beyond 999).

    >>> respondent_codes(3), respondent_codes(1000)[-1]
    (['R001', 'R002', 'R003'], 'R1000')
    """
    width = max(3, len(str(n)))
    return [f"R{i:0{width}d}" for i in range(1, n + 1)]


def reverse_code(codes: pd.Series, item: Item) -> pd.Series:
    """Positively oriented score of a reversed item (1 <-> 5, 2 <-> 4 on a five-point scale)."""
    lo, hi = item.scale.codes[0], item.scale.codes[-1]
    return (lo + hi - codes).astype("Int64")


def clean(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The processed answer file: raw codes, a ``_pos`` score beside every reversed item, and
    the derived grouping variables."""
    out = responses.copy()
    out["respondent_id"] = respondent_codes(len(out))  # the ids as entered never leave data/raw
    for item in codebook.items:
        if item.reversed and item.ordinal:
            at = out.columns.get_loc(item.id) + 1
            out.insert(at, item.id + POS_SUFFIX, reverse_code(out[item.id], item))
    out["pilot"] = out["a02_questionnaire_form"].eq(1).fillna(False).astype(bool)
    out["interview_mode"] = out["a01_interview_mode"].map(MODE_GROUPS).astype("string")
    out["age_group"] = out["q02_age_band"].map(AGE_GROUPS).astype("string")
    help_scale = codebook.scale_of("q07_help_type")
    out["help_type"] = out["q07_help_type"].map(lambda c: help_scale.label(c, "en") if pd.notna(c) else pd.NA).astype("string")
    if GOALS_V1 in out:  # the author's reading of the misread goals item (line 1787), kept apart from the answer
        out["goals_author_reading"] = out[GOALS_V1].map(
            lambda c: pd.NA if pd.isna(c) else ("neutral" if c == 3 else "same goals")).astype("string")
    return out


REVERSED_NOTE = N_("reversed so that higher is more positive")  # the dictionary's words (and the report's)
SCORE_CODES = N_("{lo} (most negative) to {hi} (most positive) = {sum} minus the raw code")


def data_dictionary(processed: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per column of the processed file: what it holds and where it comes from."""
    rows = []
    for col in processed.columns:
        if col in DERIVED:
            typ, desc = DERIVED[col]
            rows.append({"column": col, "source": "derived", "type": typ, "figure": None,
                         "description": desc, "codes": ""})
            continue
        base = col[: -len(POS_SUFFIX)] if col.endswith(POS_SUFFIX) else col
        item = codebook.item(base)
        codes = "; ".join(f"{c} = {item.scale.label(c, 'en')}" for c in item.scale.codes) if item.coded else ""
        if col.endswith(POS_SUFFIX):
            lo, hi = item.scale.codes[0], item.scale.codes[-1]
            rows.append({"column": col, "source": "derived", "type": "ordinal", "figure": item.figure,
                         "description": f"{item.wording_en} — {REVERSED_NOTE}",
                         "codes": SCORE_CODES.format(lo=lo, hi=hi, sum=lo + hi)})
        else:
            rows.append({"column": col, "source": "questionnaire", "type": item.scale.kind if item.coded else "text",
                         "figure": item.figure, "description": item.wording_en, "codes": codes})
    table = pd.DataFrame(rows)
    table["figure"] = table["figure"].astype("Int64")
    return table


