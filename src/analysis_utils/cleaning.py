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

import pandas as pd

from .codebook import Codebook, Item
from .facts import mask, percent_of

POS_SUFFIX = "_pos"
AGE_GROUPS = {1: "under 41", 2: "under 41", 3: "under 41", 4: "41 to 50", 5: "over 50", 6: "over 50"}
MODE_GROUPS = {1: "face to face", 2: "face to face", 3: "telephone"}
DERIVED = {
    "pilot": ("bool", "True for the pilot questionnaire (a02_questionnaire_form = 1)"),
    "interview_mode": ("category", "face to face (a01 codes 1, 2) or telephone (a01 code 3)"),
    "age_group": ("category", "under 41, 41 to 50 or over 50: the bands the thesis reports (from q02_age_band)"),
    "goals_author_reading": ("category", "questionnaire v1 only: the author's reading of the misread goals item "
                             "(line 1787): every answer but a neutral one means 'same goals'; not an answer of the client"),
    "help_type": ("category", "budget guidance, budget management or collective debt settlement (from q07_help_type)"),
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
                         "description": f"{item.wording_en} — reversed so that higher is more positive",
                         "codes": f"{lo} (most negative) to {hi} (most positive) = {lo + hi} minus the raw code"})
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


def composition(processed: pd.DataFrame, variables: list[str]) -> pd.DataFrame:
    """Counts and whole percentages of the sample by each grouping variable (long format)."""
    parts = []
    n = len(processed)
    for var in variables:
        counts = processed[var].value_counts(dropna=False).sort_index()
        for value, k in counts.items():
            parts.append({"variable": var, "value": str(value), "count": int(k),
                          "percent": percent_of(k, n)})
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
