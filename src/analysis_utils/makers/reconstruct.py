"""Reconstruct the 2015 intake from the figures the thesis reports.

The thesis never published its respondent-level answers. :func:`reconstruct` rebuilds a
28-row answer file whose every reported count holds, following ``reconstruction.yaml``: fixed
marginal counts per item (from the thesis, or from its verbal quantifiers by one documented
rule), then a seeded assignment to respondents that honours the joint facts. The marginals
do not depend on the seed; how answers combine across items does, and is therefore no finding.

Examples
--------
>>> df = reconstruct(seed=2015)
>>> len(df), int((df["q01_gender"] == 2).sum())
(28, 14)
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..codebook import Codebook, Item, load_codebook
from ..fmt import round_half_up
from ..intake.derive import clean
from ..paths import project_root
from ..yamlio import load_yaml

DEFAULT_INTAKE = Path("data") / "raw" / "genk-2015"


def load_recipe(intake_dir: str | Path | None = None) -> dict:
    intake_dir = Path(intake_dir) if intake_dir else project_root() / DEFAULT_INTAKE
    return _parse_recipe(str((intake_dir / "reconstruction.yaml").resolve()))


@lru_cache(maxsize=8)
def _parse_recipe(path: str) -> dict:
    return load_yaml(Path(path).read_text("utf-8"))


def _quantity(group: dict, n: int, recipe: dict) -> int | None:
    if "count" in group:
        return int(group["count"])
    q = group.get("quantifier")
    if q is None:
        return None
    if q == "a_few":
        return int(recipe["a_few"])
    if q == "all_but_a_few":
        return n - int(recipe["a_few"])
    return round_half_up(recipe["quantifiers"][q] * n)


def split_group(item: Item, codes: list[int], total: int, top_ratio: float) -> dict[int, int]:
    """Split ``total`` answers over ``codes`` by the recipe's rule.

    Answer scales: the code farthest from the neutral one gets ``round(total * top_ratio)``
    and the next the rest (quick fives). Other questions: as evenly as possible, a remainder to
    the lower codes first.
    """
    if len(codes) == 1:
        return {codes[0]: total}
    if item.type == "scale":
        neutral = item.scale.neutral
        ordered = sorted(codes, key=lambda c: -abs(c - neutral))
        if len(ordered) != 2:
            raise ValueError(f"{item.id}: a scale group splits over two codes, got {codes}")
        top = round_half_up(total * top_ratio)
        return {ordered[0]: top, ordered[1]: total - top}
    base, extra = divmod(total, len(codes))
    return {c: base + (1 if i < extra else 0) for i, c in enumerate(sorted(codes))}


def marginal_counts(item: Item, n: int, recipe: dict) -> dict[int, int]:
    """The number of answers per code for one item, before any respondent is chosen."""
    groups = recipe["items"][item.id]
    fixed = {id(g): _quantity(g, n, recipe) for g in groups}
    rest = n - sum(v for v in fixed.values() if v is not None)
    out: dict[int, int] = {}
    for g in groups:
        total = fixed[id(g)] if fixed[id(g)] is not None else rest
        if total < 0:
            raise ValueError(f"{item.id}: groups exceed n = {n}")
        for code, k in split_group(item, list(g["codes"]), total, g.get("top_ratio", recipe["top_ratio"])).items():
            out[code] = out.get(code, 0) + k
    if sum(out.values()) != n:
        raise ValueError(f"{item.id}: counts add up to {sum(out.values())}, not its n = {n}")
    return out


def _reconstructed_codes(rng: np.random.Generator, recipe: dict, cb: Codebook, n: int,
                         counted: dict | None = None) -> dict[str, np.ndarray]:
    """Item -> codes of the n respondents (-1 where not asked), drawn with ``rng``. ``counted``
    keeps the marginal counts (item, rows asked) -> counts between calls with the same recipe."""
    cols: dict[str, np.ndarray] = {}
    counted = {} if counted is None else counted

    def where(conditions: dict) -> np.ndarray:
        keep = np.ones(n, dtype=bool)
        for item_id, codes in conditions.items():
            keep &= np.isin(cols[item_id], codes)
        return keep

    placements = {p["item"]: p for p in recipe.get("placements", [])}
    for item in cb.items:
        asked = np.ones(n, dtype=bool)
        if item.absent_in_pilot:
            asked &= cols["a02_questionnaire_form"] != 1
        if item.id in recipe.get("asked_only", {}):
            asked &= where(recipe["asked_only"][item.id])
        rows = np.flatnonzero(asked)
        key = (item.id, len(rows))
        if key not in counted:
            counted[key] = marginal_counts(item, len(rows), recipe)
        counts = dict(counted[key])
        values = np.full(n, -1)
        if item.id in placements:
            p = placements[item.id]
            eligible = rows[where(p["among"])[rows]]
            k = counts.pop(p["code"], 0)
            if k > len(eligible):
                raise ValueError(f"{item.id}: {k} answers {p['code']} but only {len(eligible)} eligible rows")
            chosen = rng.choice(eligible, size=k, replace=False) if k else np.array([], dtype=int)
            values[chosen] = p["code"]
            rows = np.setdiff1d(rows, chosen)
        values[rows] = rng.permutation(np.repeat(list(counts), list(counts.values())))
        cols[item.id] = values
    return cols


def _as_frame(respondent_ids: list[str], cols: dict[str, np.ndarray]) -> pd.DataFrame:
    data = {"respondent_id": respondent_ids}
    for item_id, values in cols.items():
        data[item_id] = pd.arrays.IntegerArray(np.where(values < 0, 0, values).astype("int64"), values < 0)
    return pd.DataFrame(data)


def _respondent_ids(n: int) -> list[str]:
    return [f"R{i + 1:02d}" for i in range(n)]


def reconstruct(seed: int | None = None, intake_dir: str | Path | None = None,
                codebook: Codebook | None = None) -> pd.DataFrame:
    """One reconstruction of the 2015 answers (codes), deterministic for a given seed."""
    recipe = load_recipe(intake_dir)
    n = int(recipe["n"])
    rng = np.random.default_rng(recipe["seed"] if seed is None else seed)
    return _as_frame(_respondent_ids(n), _reconstructed_codes(rng, recipe, codebook or load_codebook("v1"), n))


def reconstruct_many(seeds: list[int], intake_dir: str | Path | None = None,
                     codebook: Codebook | None = None) -> pd.DataFrame:
    """``reconstruct(seed)`` for every seed, stacked in one frame (built once, not per seed)."""
    recipe = load_recipe(intake_dir)
    cb = codebook or load_codebook("v1")
    n = int(recipe["n"])
    counted: dict = {}
    draws = [_reconstructed_codes(np.random.default_rng(s), recipe, cb, n, counted) for s in seeds]
    cols = {item_id: np.concatenate([d[item_id] for d in draws]) for item_id in draws[0]} if draws else {}
    return _as_frame(_respondent_ids(n) * len(draws), cols)


def to_csv_text(df: pd.DataFrame) -> str:
    """The answer file as committed: comma-separated, codes, empty for not asked, LF endings."""
    return df.to_csv(index=False, lineterminator="\n")


def write_reconstruction(verify: Callable[[pd.DataFrame], list[str]], intake_dir: str | Path | None = None,
                         seed: int | None = None) -> Path:
    """Write ``responses.csv`` of the reconstructed intake once ``verify`` (answers -> the ids of
    the reported facts they break) finds none broken."""
    intake_dir = Path(intake_dir) if intake_dir else project_root() / DEFAULT_INTAKE
    df = reconstruct(seed=seed, intake_dir=intake_dir)
    broken = verify(df)
    if broken:
        raise ValueError("reconstruction breaks reported facts: " + ", ".join(broken))
    out = intake_dir / "responses.csv"
    out.write_text(to_csv_text(df), encoding="utf-8")
    return out


def build_ensemble(n: int, intake_dir, codebook: Codebook, first_seed: int = 1) -> pd.DataFrame:
    """``n`` seeded reconstructions (seeds first_seed ...), cleaned, stacked with a
    ``reconstruction`` column. Every one satisfies reported.yaml; they differ only in how
    answers combine across items."""
    seeds = range(first_seed, first_seed + n)
    raw = reconstruct_many(list(seeds), intake_dir=intake_dir, codebook=codebook)
    ensemble = clean(raw, codebook)
    ensemble.insert(0, "reconstruction", np.repeat(list(seeds), len(raw) // n))
    return ensemble
