"""Stage 01: from validated codes to the processed answer file and its data dictionary.

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

import numpy as np
import pandas as pd

from .codebook import Codebook, Item
from .facts import mask, percent_of
from .fmt import YES_NO
from .i18n import N_, _, current

POS_SUFFIX = "_pos"
# Values of the derived variables are English in the processed data (one file for every report
# language); the Dutch report shows them through the catalog (:func:`analysis_utils.i18n.value`).
AGE_GROUPS = {1: N_("under 41"), 2: N_("under 41"), 3: N_("under 41"), 4: N_("41 to 50"), 5: N_("over 50"),
              6: N_("over 50")}
MODE_GROUPS = {1: N_("face to face"), 2: N_("face to face"), 3: N_("telephone")}
GOALS_READINGS = (N_("neutral"), N_("same goals"))
# Variables a reader meets by name (groupings, compositions): their names in words.
VARIABLE_WORDS = {"pilot": N_("pilot questionnaire"), "interview_mode": N_("interview mode"),
                  "age_group": N_("age group"), "help_type": N_("type of help"), "q01_gender": N_("gender"),
                  "a03_team": N_("team"), "goals_author_reading": N_("goals as the author reads them"),
                  "q24_home_language": N_("home language")}
DERIVED = {
    "pilot": ("bool", N_("True for the pilot questionnaire (a02_questionnaire_form = 1)")),
    "interview_mode": ("category", N_("face to face (a01 codes 1, 2) or telephone (a01 code 3)")),
    "age_group": ("category", N_("under 41, 41 to 50 or over 50: the bands the thesis reports (from q02_age_band)")),
    "goals_author_reading": ("category", N_("questionnaire v1 only: the author's reading of the misread goals item "
                             "(line 1787): every answer but a neutral one means 'same goals'; not an answer of the client")),
    "help_type": ("category", N_("budget guidance, budget management or collective debt settlement (from q07_help_type)")),
}


def reverse_code(codes: pd.Series, item: Item) -> pd.Series:
    """Positively oriented score of a reversed item (1 <-> 5, 2 <-> 4 on a five-point scale)."""
    lo, hi = item.scale.codes[0], item.scale.codes[-1]
    return (lo + hi - codes).astype("Int64")


GOALS_V1 = "q17_different_goals"  # worded negatively and misread by most (lines 2227-2231)


def clean(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The processed answer file: raw codes, a ``_pos`` score beside every reversed item, and
    the derived grouping variables."""
    out = responses.copy()
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


REVERSED_NOTE = N_("reversed so that higher is more positive")
SCORE_CODES = N_("{lo} (most negative) to {hi} (most positive) = {sum} minus the raw code")


def dictionary_view(dictionary: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The derived columns of the data dictionary, described in the report's language (the
    dictionary file itself is English, as the processed data are)."""
    from .i18n import _

    rows = []
    for _i, r in dictionary[dictionary["source"] == "derived"].iterrows():
        col = r["column"]
        if col in DERIVED:
            rows.append({**r, "description": _(DERIVED[col][1])})
        else:
            item = codebook.item(col[: -len(POS_SUFFIX)])
            lo, hi = item.scale.codes[0], item.scale.codes[-1]
            rows.append({**r, "description": f"{item.shown_wording(current())} — {_(REVERSED_NOTE)}",
                         "codes": _(SCORE_CODES).format(lo=lo, hi=hi, sum=lo + hi)})
    return pd.DataFrame(rows, columns=dictionary.columns).drop(columns=["source", "type", "figure"])


def data_dictionary(processed: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per column of the processed file: what it holds and where it comes from."""
    rows = []
    for col in processed.columns:
        if col == "respondent_id":
            rows.append({"column": col, "source": "intake", "type": "text", "figure": None,
                         "description": "pseudonymous respondent id as entered (no names)", "codes": ""})
            continue
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


def item_coverage(processed: pd.DataFrame, codebook: Codebook, lang: str = "en") -> pd.DataFrame:
    """The n of every item, with missing answers split into by design and otherwise.

    By design: pilot questionnaires lack the items marked ``absent_in_pilot``, and a follow-up
    question is not asked when its lead question does not apply.
    """
    rows = []
    pilot = processed["pilot"]
    for item in codebook.items:
        col = processed[item.id]
        missing = col.isna()
        by_design = missing & pilot if item.absent_in_pilot else pd.Series(False, index=col.index)
        if item.asked_if:
            by_design = missing & ~mask(processed, item.asked_if)
        rows.append({
            "item_id": item.id,
            "figure": item.figure,
            "label": item.label(lang),
            "n": int(col.notna().sum()),
            "missing_by_design": int(by_design.sum()),
            "missing_otherwise": int((missing & ~by_design).sum()),
        })
    table = pd.DataFrame(rows)
    table["figure"] = table["figure"].astype("Int64")
    return table


def composition(processed: pd.DataFrame, variables: list[str], codebook: Codebook | None = None) -> pd.DataFrame:
    """Counts and whole percentages of the sample by each grouping variable (long format); with
    the ``codebook``, the help type in the report's language (the processed file keeps English)."""
    parts = []
    n = len(processed)
    shown = {}
    if codebook is not None and "q07_help_type" in codebook.item_ids:
        scale = codebook.scale_of("q07_help_type")
        shown = {scale.label(c, "en"): scale.label(c, current()) for c in scale.codes}
    for var in variables:
        counts = processed[var].value_counts(dropna=False).sort_index()
        for value, k in counts.items():
            text = (_(YES_NO[0]) if value else _(YES_NO[1])) if isinstance(value, (bool, np.bool_)) else str(value)
            parts.append({"variable": var, "value": shown.get(text, text) if var == "help_type" else text,
                          "count": int(k), "percent": percent_of(k, n)})
    return pd.DataFrame(parts)


def write_outputs(processed: pd.DataFrame, dictionary: pd.DataFrame, processed_dir, intake) -> list[str]:
    """Write the processed answers, the data dictionary and a manifest; return the file names."""
    import json
    from pathlib import Path

    from .escaping import neutralise_csv

    out = Path(processed_dir)
    out.mkdir(parents=True, exist_ok=True)
    neutralise_csv(processed).to_csv(out / "responses.csv", index=False, lineterminator="\n")
    neutralise_csv(dictionary).to_csv(out / "data_dictionary.csv", index=False, lineterminator="\n")
    manifest = {
        "intake_id": intake.id,
        "source": intake.meta["source"],
        "questionnaire_version": intake.codebook.version,
        "n_respondents": int(len(processed)),
        "clients_approached": int(intake.meta["clients_approached"]),
        "inputs_sha256": intake.checksums(),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return ["responses.csv", "data_dictionary.csv", "manifest.json"]


def reversed_items(codebook: Codebook, lang: str = "en") -> pd.DataFrame:
    """The negatively worded items and how their score is turned."""
    rows = []
    for item in codebook.items:
        if item.reversed and item.ordinal:
            codes = item.scale.codes
            rows.append({
                "item_id": item.id,
                "figure": item.figure,
                "item": item.label(lang),
                "raw code": f"{codes[0]} = {item.scale.label(codes[0], lang)} … {codes[-1]} = {item.scale.label(codes[-1], lang)}",
                "score column": item.id + POS_SUFFIX,
                "score": f"{codes[0]}→{codes[-1]}, {codes[-1]}→{codes[0]}",
            })
    table = pd.DataFrame(rows)
    table["figure"] = table["figure"].astype("Int64")
    return table
