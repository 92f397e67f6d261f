"""Synthetic intakes with real structure between items, to exercise the pipeline.

Answers follow one latent relationship quality per respondent plus item noise, so items
correlate as real answers do; an optional shift of the latent quality by group gives the
sub-group tests something true to find. A synthetic intake describes nobody.

Examples
--------
>>> df = generate(40, seed=1)
>>> len(df), df["respondent_id"].iloc[0]
(40, 'S001')
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.stats import norm

from .codebook import Codebook, load_codebook

# Cumulative shares of the positively oriented categories, least positive first: skewed to the
# positive end as satisfaction surveys are.
SCALE_SHAPE = {5: [0.03, 0.08, 0.20, 0.50], 4: [0.04, 0.10, 0.22]}
NOMINAL_WEIGHTS = {
    "binary_gender": [0.5, 0.5],
    "age_band": [0.0, 0.1, 0.15, 0.3, 0.25, 0.2],
    "civil_status": [0.4, 0.35, 0.15, 0.1],
    "nationality": [0.7, 0.08, 0.17, 0.05],
    "household_size": [0.45, 0.25, 0.15, 0.1, 0.05],
    "contact_route": [0.8, 0.05, 0.12, 0.03],
    "help_type": [0.3, 0.45, 0.25],
    "interview_mode": [0.5, 0.15, 0.35],
    "questionnaire_form": [0.0, 1.0],
    "concealment_topic": [0.7, 0.3],
}


def _ordinal(latent: np.ndarray, k: int, loading: float, rng) -> np.ndarray:
    """Positively oriented codes 1..k from a latent score with item noise."""
    noisy = loading * latent + np.sqrt(1 - loading**2) * rng.standard_normal(len(latent))
    cuts = norm.ppf(SCALE_SHAPE[k])
    return 1 + np.searchsorted(cuts, noisy)


def generate(n: int, seed: int, codebook: Codebook | None = None, loading: float = 0.7,
             group_shift: dict[str, dict[int, float]] | None = None) -> pd.DataFrame:
    """``n`` synthetic respondents (codes). ``group_shift`` maps an item to {code: shift of the
    latent quality}, e.g. ``{"a01_interview_mode": {3: -1.0}}`` makes telephone clients rate lower."""
    cb = codebook or load_codebook("v1")
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"respondent_id": [f"S{i + 1:03d}" for i in range(n)]})
    latent = rng.standard_normal(n)
    nominal = [i for i in cb.items if i.type == "single_choice"]
    for item in nominal:
        codes = item.scale.codes
        df[item.id] = rng.choice(codes, size=n, p=NOMINAL_WEIGHTS[item.scale.id])
    for item_id, shifts in (group_shift or {}).items():
        latent = latent + df[item_id].map(shifts).fillna(0).to_numpy()
    for item in cb.items:
        if item.type == "single_choice":
            continue
        k = len(item.scale.codes)
        score = _ordinal(latent, k, loading, rng)
        df[item.id] = (k + 1 - score) if item.reversed else score
    for item in cb.items:
        df[item.id] = df[item.id].astype("Int64")
        if item.asked_if:
            lead, codes = next(iter(item.asked_if.items()))
            df.loc[~df[lead].isin(codes), item.id] = pd.NA
    return df[["respondent_id", *cb.item_ids]]


def write_intake(folder: str | Path, df: pd.DataFrame, meta: dict) -> Path:
    """Write ``intake.yaml`` and ``responses.csv`` of a synthetic intake into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    full = {"id": folder.name, "source": "synthetic", **meta}
    (folder / "intake.yaml").write_text(yaml.safe_dump(full, sort_keys=False, allow_unicode=True), encoding="utf-8")
    df.to_csv(folder / "responses.csv", index=False, lineterminator="\n")
    return folder
