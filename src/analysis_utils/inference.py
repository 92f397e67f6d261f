"""Sub-group comparisons with effect sizes and Holm correction, and their range over many
reconstructions when the intake's joint distribution is invented.

No p-value without its effect size and n: every row carries the groups' sizes, the statistic,
the effect size (rank-biserial for two groups, epsilon-squared for more) and the Holm-adjusted p.

Examples
--------
>>> r = mann_whitney([1, 2, 3, 4], [3, 4, 5, 6])
>>> round(r["RBC"], 3)
-0.75
"""
from __future__ import annotations

import warnings
from typing import Iterable

import numpy as np
import pandas as pd

from .cleaning import clean
from .codebook import Codebook
from .i18n import _, value

GROUP_TEST_COLUMNS = ["grouping", "outcome", "test", "groups", "n", "statistic", "p_val", "effect_name",
                      "effect", "p_holm", "note"]


def mann_whitney(x, y) -> dict:
    """Two-sided Mann-Whitney U (scipy); RBC > 0 means x tends to be higher than y.

    The rank-biserial correlation is pingouin's (``pg.mwu``: 1 - 2 U_y / (n_x n_y)), computed
    here from U because ``pg.mwu`` also builds the common-language effect size from an
    n_x-by-n_y matrix of differences: 200 MB and a quarter of a second per test at 10,000
    respondents, for a number not used. The unit tests check both against pingouin.
    """
    from scipy.stats import mannwhitneyu

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    u_x, p = mannwhitneyu(x, y, alternative="two-sided")
    size = x.shape[0] * y.shape[0]
    u_y = size - u_x
    return {"U_val": float(u_x), "p_val": float(p), "RBC": float(1 - (2 * u_y) / size)}


def kruskal_wallis(data: pd.DataFrame, dv: str, between: str) -> dict:
    """Kruskal-Wallis H with pingouin, and epsilon-squared = H / (n - 1) (pingouin gives none)."""
    import pingouin as pg  # imported when used: it loads in seconds

    res = pg.kruskal(data=data, dv=dv, between=between)
    h = float(res["H"].iloc[0])
    return {"H": h, "p_val": float(res["p_unc"].iloc[0]), "epsilon2": h / (len(data) - 1)}


def holm(pvals: Iterable[float]) -> np.ndarray:
    """Holm-adjusted p-values (pingouin's ``multicomp``); NaN stays NaN."""
    p = np.asarray(list(pvals), dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        import pingouin as pg  # imported when used: it loads in seconds

        out[ok] = pg.multicomp(p[ok], method="holm")[1]
    return out


def subgroup_view(tests: pd.DataFrame) -> pd.DataFrame:
    """The sub-group tests of an observed intake for reading: the effect with its name in one
    column ("rank-biserial 0.36"), no statistic or raw p (``subgroups.csv`` keeps them)."""
    t = tests[["grouping", "outcome", "groups", "effect_name", "effect", "p_holm", "note"]].copy()
    t["effect"] = [f"{value(name)} {e:.2f}" if pd.notna(e) else "" for name, e in zip(t["effect_name"], t["effect"])]
    t = t.drop(columns="effect_name")
    return t if (t["note"].fillna("") != "").any() else t.drop(columns="note")


def group_tests(scores: pd.DataFrame, groups: pd.DataFrame, min_group_size: int = 5) -> pd.DataFrame:
    """Compare every outcome column of ``scores`` across every grouping column of ``groups``.

    Groups smaller than ``min_group_size`` are left out; two groups give Mann-Whitney with the
    rank-biserial correlation (first group against second, in sorted order), more give
    Kruskal-Wallis with epsilon-squared. p-values are Holm-corrected over the whole family: every
    test of the table, all groupings together (``table.attrs["family"]`` is its size).
    """
    rows = []
    for grouping in groups.columns:
        g = groups[grouping].astype("string")
        sizes = g.value_counts().sort_index()
        kept = [lvl for lvl, k in sizes.items() if k >= min_group_size]
        dropped = [f"{lvl} ({k})" for lvl, k in sizes.items() if k < min_group_size]
        label = " / ".join(f"{value(lvl)} {sizes[lvl]}" for lvl in kept)  # in the report's language
        for outcome in scores.columns:
            row = {"grouping": grouping, "outcome": outcome, "groups": label, "note": ""}
            if dropped:
                row["note"] = _("left out (fewer than {min}): {groups}").format(
                    min=min_group_size, groups=", ".join(value(g) for g in dropped))
            data = pd.DataFrame({"y": scores[outcome].astype(float), "g": g}).dropna()
            data = data[data["g"].isin(kept)]
            row["n"] = len(data)
            if len(kept) < 2:
                row.update(test="none", note=(row["note"] + "; " if row["note"] else "") + _("fewer than two groups large enough"))
            elif data["y"].nunique() < 2:
                row.update(test="none", note=_("no variation in the answers"))
            elif len(kept) == 2:
                x, y = (data.loc[data["g"] == lvl, "y"] for lvl in kept)
                r = mann_whitney(x, y)
                row.update(test="Mann-Whitney", statistic=r["U_val"], p_val=r["p_val"],
                           effect_name="rank-biserial", effect=r["RBC"])
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    r = kruskal_wallis(data, "y", "g")
                row.update(test="Kruskal-Wallis", statistic=r["H"], p_val=r["p_val"],
                           effect_name="epsilon²", effect=r["epsilon2"])
            rows.append(row)
    table = pd.DataFrame(rows).reindex(columns=GROUP_TEST_COLUMNS)
    table["p_holm"] = holm(table["p_val"])  # one family: the chapter's tests (NaN = not tested)
    table.attrs["family"] = int(table["p_val"].notna().sum())
    return table


def holm_rows(p_matrix: np.ndarray) -> np.ndarray:
    """:func:`holm` applied to every row of a matrix at once (rows holding NaN one by one)."""
    p = np.asarray(p_matrix, dtype=float)
    out = np.full_like(p, np.nan)
    clean = ~np.isnan(p).any(axis=1)
    if clean.any():
        q = p[clean]
        order = np.argsort(q, axis=1, kind="stable")
        ranked = np.take_along_axis(q, order, axis=1) * np.arange(q.shape[1], 0, -1)
        adjusted = np.minimum(np.maximum.accumulate(ranked, axis=1), 1)
        rows = np.empty_like(q)
        np.put_along_axis(rows, order, adjusted, axis=1)
        out[clean] = rows
    for i in np.flatnonzero(~clean):
        out[i] = holm(p[i])
    return out


def _stacked(values: pd.Series, rec: pd.Series, member: pd.Series) -> np.ndarray | None:
    """Values of one group as a (reconstructions x group size) array, or None if sizes vary."""
    sub = pd.DataFrame({"v": values[member].astype(float), "r": rec[member]})
    sizes = sub.groupby("r").size()
    if sizes.nunique() != 1:
        return None
    return sub.sort_values("r", kind="stable")["v"].to_numpy().reshape(len(sizes), -1)


def ensemble_group_tests(ensemble: pd.DataFrame, scores: pd.DataFrame, groups: pd.DataFrame,
                         min_group_size: int = 5) -> pd.DataFrame:
    """The sub-group tests of :func:`group_tests` on every reconstruction of ``ensemble``,
    summarised as ranges: min, median and max of the effect size and of the Holm p, and the
    share of reconstructions in which the Holm p falls below .05.

    ``scores`` and ``groups`` hold the respondent rows of all reconstructions, aligned with
    ``ensemble``. Group sizes are the same in every reconstruction (they are reported
    marginals), so each test runs once over all reconstructions (scipy, vectorised); the
    rank-biserial is pingouin's, 2U / (n1 n2) - 1.
    """
    from scipy import stats

    rec = ensemble["reconstruction"]
    n_rec = rec.nunique()
    effects, pvals, meta = [], [], []
    for grouping in groups.columns:
        g = groups[grouping].astype("string")
        sizes = g[rec == rec.iloc[0]].value_counts().sort_index()
        kept = [lvl for lvl, k in sizes.items() if k >= min_group_size]
        for outcome in scores.columns:
            arrays = [_stacked(scores[outcome], rec, (g == lvl).fillna(False)) for lvl in kept]
            if len(kept) < 2 or any(a is None for a in arrays):
                continue
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                if len(kept) == 2:
                    u, p = stats.mannwhitneyu(arrays[0], arrays[1], axis=1, alternative="two-sided")
                    eff = 2 * u / (arrays[0].shape[1] * arrays[1].shape[1]) - 1
                    test, name = "Mann-Whitney", "rank-biserial"
                else:
                    h, p = stats.kruskal(*arrays, axis=1)
                    n = sum(a.shape[1] for a in arrays)
                    eff, test, name = h / (n - 1), "Kruskal-Wallis", "epsilon²"
            effects.append(np.asarray(eff, dtype=float))
            pvals.append(np.asarray(p, dtype=float))
            meta.append({"grouping": grouping, "outcome": outcome, "test": test, "effect_name": name,
                         "groups": " / ".join(f"{lvl} {sizes[lvl]}" for lvl in kept),
                         "n": int(sum(a.shape[1] for a in arrays))})
    rows = []
    if meta:  # one family: every test of every grouping, corrected together in each reconstruction
        p_holm = holm_rows(np.column_stack(pvals))  # reconstructions x tests
        for j, m in enumerate(meta):
            eff, ph = effects[j], p_holm[:, j]
            rows.append({**m,
                         "effect_min": np.nanmin(eff), "effect_median": np.nanmedian(eff), "effect_max": np.nanmax(eff),
                         "p_holm_min": np.nanmin(ph), "p_holm_median": np.nanmedian(ph), "p_holm_max": np.nanmax(ph),
                         "share_significant": float(np.mean(ph < 0.05)), "reconstructions": n_rec})
    table = pd.DataFrame(rows)
    table.attrs["family"] = len(meta)
    return table


def ensemble_range(ensemble: pd.DataFrame, statistic, columns: list[str] | None = None,
                   on_array=None) -> tuple[float, float, float]:
    """(min, median, max) of ``statistic(df)`` over the reconstructions of ``ensemble``;
    ``columns``: the only columns ``statistic`` reads, which it then gets as plain floats (NaN
    where unanswered): narrower frames, quicker to cut and to compute on. ``on_array``: the same
    statistic on a respondents x ``columns`` float array, used instead when no answer in those
    columns is missing (no frame per reconstruction: tens of times quicker)."""
    if columns is not None:
        ensemble = ensemble[["reconstruction", *columns]].astype({c: float for c in columns})
    rec = ensemble["reconstruction"].to_numpy()
    starts = np.flatnonzero(np.r_[True, rec[1:] != rec[:-1]])
    if len(starts) == len(np.unique(rec)) and (np.diff(rec[starts]) > 0).all():
        # stored in order, one block per reconstruction: slice instead of grouping (same frames)
        ends = [*starts[1:], len(rec)]
        answers = ensemble[columns].to_numpy(dtype=float) if on_array is not None and columns is not None else None
        if answers is not None and not np.isnan(answers).any():
            values = np.array([on_array(answers[a:b]) for a, b in zip(starts, ends)], dtype=float)
            return float(np.nanmin(values)), float(np.nanmedian(values)), float(np.nanmax(values))
        frames = (ensemble.iloc[a:b].reset_index(drop=True) for a, b in zip(starts, ends))
    else:
        frames = (df.reset_index(drop=True) for _, df in ensemble.groupby("reconstruction"))
    values = np.array([statistic(df) for df in frames], dtype=float)
    return float(np.nanmin(values)), float(np.nanmedian(values)), float(np.nanmax(values))


def build_ensemble(n: int, intake_dir, codebook: Codebook, first_seed: int = 1) -> pd.DataFrame:
    """``n`` seeded reconstructions (seeds first_seed ...), cleaned, stacked with a
    ``reconstruction`` column. Every one satisfies reported.yaml; they differ only in how
    answers combine across items."""
    from .reconstruct import reconstruct_many

    seeds = range(first_seed, first_seed + n)
    raw = reconstruct_many(list(seeds), intake_dir=intake_dir, codebook=codebook)
    ensemble = clean(raw, codebook)
    ensemble.insert(0, "reconstruction", np.repeat(list(seeds), len(raw) // n))
    return ensemble


ENSEMBLE_FILE = "reconstructions.csv"


def write_ensemble(ensemble: pd.DataFrame, processed_dir) -> str:
    from pathlib import Path

    ensemble.to_csv(Path(processed_dir) / ENSEMBLE_FILE, index=False, lineterminator="\n")
    return ENSEMBLE_FILE


def ensemble_stage(n: int, intake_dir, codebook: Codebook, processed_dir, computed_dir: str = "") -> str:
    """Stage 01's ensemble: ``n`` reconstructions built and written to ``processed_dir``; or, given
    ``computed_dir`` (where the same run's stage 01 in another language wrote them), copied from
    there instead of built again. Returns the file name."""
    import shutil
    from pathlib import Path

    if computed_dir:
        shutil.copyfile(Path(computed_dir) / ENSEMBLE_FILE, Path(processed_dir) / ENSEMBLE_FILE)
        return ENSEMBLE_FILE
    return write_ensemble(build_ensemble(n, intake_dir, codebook), processed_dir)


def read_ensemble(processed_dir) -> pd.DataFrame | None:
    """The reconstructions stage 01 wrote for a reconstructed intake, else None."""
    from pathlib import Path

    from .descriptives import read_processed

    path = Path(processed_dir) / ENSEMBLE_FILE
    return read_processed(path) if path.is_file() else None
