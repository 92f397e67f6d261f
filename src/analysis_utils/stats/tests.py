"""Tests of group differences with their effect sizes and Holm's correction (the power of such
tests: :mod:`analysis_utils.stats.power`).

No p-value without its effect size and n: every row carries the groups' sizes, the statistic,
the effect size (rank-biserial for two groups, epsilon² for more) and the Holm-adjusted p.

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

GROUP_TEST_COLUMNS = ["grouping", "outcome", "test", "kept", "dropped", "n", "statistic", "p_val", "effect_name",
                      "effect", "higher", "p_holm", "reason"]
# Why a comparison was not tested (the ``reason`` column; words at presentation).
TOO_FEW_GROUPS, NO_VARIATION = "too few groups", "no variation"


def mann_whitney(x, y) -> dict:
    """Two-sided Mann–Whitney U test (scipy) with the rank-biserial correlation (RBC > 0: x tends
    to be higher than y),

    .. math:: \\mathrm{RBC} = 1 - \\frac{2 U_y}{n_x n_y}

    as pingouin's ``mwu`` gives it. Computed here from U because ``pg.mwu`` also builds the
    common-language effect size from an n_x-by-n_y matrix of differences: 200 MB and a quarter
    of a second per test at 10,000 respondents, for a number not used (the unit tests check both
    against pingouin). Missing values are dropped.

    References
    ----------
    Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random variables is
    stochastically larger than the other. *Annals of Mathematical Statistics*, 18(1), 50–60.
    Kerby, D. S. (2014), see :func:`analysis_utils.stats.effects.rank_biserial`.

    Examples
    --------
    >>> r = mann_whitney([1, 2], [3, 4])
    >>> r["U_val"], r["RBC"]
    (0.0, -1.0)
    """
    from scipy.stats import mannwhitneyu

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    u_x, p = mannwhitneyu(x, y, alternative="two-sided")
    size = x.shape[0] * y.shape[0]
    u_y = size - u_x
    return {"U_val": float(u_x), "p_val": float(p), "RBC": float(1 - (2 * u_y) / size)}


def kruskal_wallis(data: pd.DataFrame, dv: str, between: str) -> dict:
    """Kruskal–Wallis H test (pingouin's ``kruskal``) with :math:`\\varepsilon^2 = H / (n - 1)`,
    which pingouin does not give.

    References
    ----------
    Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis.
    *Journal of the American Statistical Association*, 47(260), 583–621.

    Examples
    --------
    >>> d = pd.DataFrame({"y": [1, 2, 3, 4, 5, 6], "g": list("aabbcc")})
    >>> round(kruskal_wallis(d, "y", "g")["epsilon2"], 3)
    0.914
    """
    import pingouin as pg  # imported when used: it loads in seconds

    res = pg.kruskal(data=data, dv=dv, between=between)
    h = float(res["H"].iloc[0])
    return {"H": h, "p_val": float(res["p_unc"].iloc[0]), "epsilon2": h / (len(data) - 1)}


def holm(pvals: Iterable[float]) -> np.ndarray:
    """Holm's step-down adjustment of a family of p-values (pingouin's ``multicomp``): the
    :math:`i`-th smallest of :math:`m` becomes :math:`\\max_{j \\le i} \\min(1, (m - j + 1) p_{(j)})`.
    NaN (not tested) stays NaN and is not counted in the family.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics*, 6(2), 65–70.

    Examples
    --------
    >>> holm([0.01, 0.04, float("nan"), 0.03]).round(2).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    p = np.asarray(list(pvals), dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        import pingouin as pg  # imported when used: it loads in seconds

        out[ok] = pg.multicomp(p[ok], method="holm")[1]
    return out


def holm_rows(p_matrix: np.ndarray) -> np.ndarray:
    """:func:`holm` applied to every row of a matrix at once (rows holding NaN one by one): in
    each row of :math:`m` p-values, the :math:`i`-th smallest becomes

    .. math:: \\tilde p_{(i)} = \\max_{j \\le i} \\min\\big(1, (m - j + 1)\\, p_{(j)}\\big).

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics*, 6(2), 65–70.

    Examples
    --------
    >>> holm_rows(np.array([[0.01, 0.04], [0.5, 0.02]])).round(2).tolist()
    [[0.02, 0.04], [0.5, 0.04]]
    """
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


def _one_comparison(data: pd.DataFrame, kept: list) -> dict:
    """The test of one outcome across the ``kept`` groups (``data``: columns y and g)."""
    if len(kept) < 2:
        return {"test": "none", "reason": TOO_FEW_GROUPS}
    if data["y"].nunique() < 2:
        return {"test": "none", "reason": NO_VARIATION}
    if len(kept) == 2:
        x, y = (data.loc[data["g"] == lvl, "y"] for lvl in kept)
        r = mann_whitney(x, y)  # RBC > 0: the first group's answers lie higher
        higher = kept[0] if r["RBC"] > 0 else kept[1] if r["RBC"] < 0 else None
        return {"test": "Mann-Whitney", "statistic": r["U_val"], "p_val": r["p_val"], "effect_name": "rank-biserial",
                "effect": r["RBC"], "higher": higher}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = kruskal_wallis(data, "y", "g")
    return {"test": "Kruskal-Wallis", "statistic": r["H"], "p_val": r["p_val"], "effect_name": "epsilon²",
            "effect": r["epsilon2"]}


def group_tests(scores: pd.DataFrame, groups: pd.DataFrame, min_group_size: int = 5) -> pd.DataFrame:
    """Compare every outcome column of ``scores`` across every grouping column of ``groups``.

    Groups smaller than ``min_group_size`` are left out (``kept`` and ``dropped`` list (group,
    size)); two groups give Mann–Whitney with the rank-biserial correlation (first group against
    second, in sorted order; ``higher``: the group whose answers lie higher, none for a tie), more
    give Kruskal–Wallis with epsilon². p-values are Holm-corrected
    over the whole family: every test of the table, all groupings together
    (``table.attrs["family"]`` is its size). ``reason`` says why a comparison was not tested.

    The effect sizes are :math:`r = 2U/(n_1 n_2) - 1` (:func:`mann_whitney`) and
    :math:`\\varepsilon^2 = H/(n - 1)` (:func:`kruskal_wallis`), the p-values :func:`holm`'s.

    References
    ----------
    Mann, H. B., & Whitney, D. R. (1947), see :func:`mann_whitney`. Kruskal, W. H., & Wallis,
    W. A. (1952), see :func:`kruskal_wallis`. Holm, S. (1979), see :func:`holm`.

    Examples
    --------
    >>> scores = pd.DataFrame({"trust": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10.]})
    >>> t = group_tests(scores, pd.DataFrame({"mode": list("aaaaabbbbb")}))
    >>> t.loc[0, "test"], float(t.loc[0, "effect"]), t.loc[0, "higher"], t.attrs["family"]
    ('Mann-Whitney', -1.0, 'b', 1)
    """
    rows = []
    for grouping in groups.columns:
        g = groups[grouping].astype("string")
        sizes = g.value_counts().sort_index()
        kept = [lvl for lvl, k in sizes.items() if k >= min_group_size]
        dropped = tuple((lvl, int(k)) for lvl, k in sizes.items() if k < min_group_size)
        for outcome in scores.columns:
            data = pd.DataFrame({"y": scores[outcome].astype(float), "g": g}).dropna()
            data = data[data["g"].isin(kept)]
            rows.append({"grouping": grouping, "outcome": outcome, "kept": tuple((lvl, int(sizes[lvl])) for lvl in kept),
                         "dropped": dropped, "n": len(data), **_one_comparison(data, kept)})
    table = pd.DataFrame(rows).reindex(columns=GROUP_TEST_COLUMNS)
    table["p_holm"] = holm(table["p_val"])  # one family: the chapter's tests (NaN = not tested)
    table.attrs["family"] = int(table["p_val"].notna().sum())
    return table


def _stacked(values: pd.Series, rec: pd.Series, member: pd.Series) -> np.ndarray | None:
    """Values of one group as a (reconstructions x group size) array, or None if sizes vary."""
    sub = pd.DataFrame({"v": values[member].astype(float), "r": rec[member]})
    sizes = sub.groupby("r").size()
    if sizes.nunique() != 1:
        return None
    return sub.sort_values("r", kind="stable")["v"].to_numpy().reshape(len(sizes), -1)


def _stacked_test(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, str, str]:
    """Effect sizes and p-values of one comparison in every reconstruction at once."""
    from scipy import stats

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if len(arrays) == 2:
            u, p = stats.mannwhitneyu(arrays[0], arrays[1], axis=1, alternative="two-sided")
            return 2 * u / (arrays[0].shape[1] * arrays[1].shape[1]) - 1, p, "Mann-Whitney", "rank-biserial"
        h, p = stats.kruskal(*arrays, axis=1)
        n = sum(a.shape[1] for a in arrays)
        return h / (n - 1), p, "Kruskal-Wallis", "epsilon²"


def ensemble_group_tests(ensemble: pd.DataFrame, scores: pd.DataFrame, groups: pd.DataFrame,
                         min_group_size: int = 5) -> pd.DataFrame:
    """The sub-group tests of :func:`group_tests` on every reconstruction of ``ensemble``,
    summarised as ranges: min, median and max of the effect size and of the Holm p, and the
    share of reconstructions in which the Holm p falls below .05.

    ``scores`` and ``groups`` hold the respondent rows of all reconstructions, aligned with
    ``ensemble`` (column ``reconstruction``). Group sizes are the same in every reconstruction
    (they are reported marginals), so each test runs once over all reconstructions (scipy,
    vectorised); the rank-biserial is pingouin's, 2U / (n1 n2) - 1. Over the :math:`R`
    reconstructions, with effect :math:`e_r` and Holm p :math:`\\tilde p_r` in reconstruction
    :math:`r` (Holm over all the tests of that reconstruction),

    .. math:: \\text{effect\\_min} = \\min_r e_r, \\quad
              \\text{share\\_significant} = \\frac{1}{R} \\sum_r \\mathbf{1}[\\tilde p_r < 0.05].

    References
    ----------
    The tests and Holm: see :func:`group_tests`. Rubin, D. B. (1987). *Multiple Imputation for
    Nonresponse in Surveys*. New York: Wiley (the reconstructions play the part of imputations;
    here they are summarised by their range, not pooled by Rubin's rules).

    Examples
    --------
    >>> ens = pd.DataFrame({"reconstruction": [1] * 10 + [2] * 10})
    >>> scores = pd.DataFrame({"trust": list(range(10)) + list(range(10))[::-1]})
    >>> t = ensemble_group_tests(ens, scores, pd.DataFrame({"mode": list("aaaaabbbbb") * 2}))
    >>> [float(t.loc[0, c]) for c in ("effect_min", "effect_max", "reconstructions")]
    [-1.0, 1.0, 2.0]
    """
    rec = ensemble["reconstruction"]
    effects, pvals, meta = [], [], []
    for grouping in groups.columns:
        g = groups[grouping].astype("string")
        sizes = g[rec == rec.iloc[0]].value_counts().sort_index()
        kept = [lvl for lvl, k in sizes.items() if k >= min_group_size]
        for outcome in scores.columns:
            arrays = [_stacked(scores[outcome], rec, (g == lvl).fillna(False)) for lvl in kept]
            if len(kept) < 2 or any(a is None for a in arrays):
                continue
            eff, p, test, name = _stacked_test(arrays)
            effects.append(np.asarray(eff, dtype=float))
            pvals.append(np.asarray(p, dtype=float))
            meta.append({"grouping": grouping, "outcome": outcome, "test": test, "effect_name": name,
                         "kept": tuple((lvl, int(sizes[lvl])) for lvl in kept), "n": int(sum(a.shape[1] for a in arrays))})
    rows = []
    if meta:  # one family: every test of every grouping, corrected together in each reconstruction
        p_holm = holm_rows(np.column_stack(pvals))  # reconstructions x tests
        for j, m in enumerate(meta):
            eff, ph = effects[j], p_holm[:, j]
            rows.append({**m,
                         "effect_min": np.nanmin(eff), "effect_median": np.nanmedian(eff), "effect_max": np.nanmax(eff),
                         "p_holm_min": np.nanmin(ph), "p_holm_median": np.nanmedian(ph), "p_holm_max": np.nanmax(ph),
                         "share_significant": float(np.mean(ph < 0.05)), "reconstructions": rec.nunique()})
    table = pd.DataFrame(rows)
    table.attrs["family"] = len(meta)
    return table


def ensemble_range(ensemble: pd.DataFrame, statistic, columns: list[str] | None = None,
                   on_array=None) -> tuple[float, float, float]:
    """(min, median, max) of ``statistic(df)`` over the reconstructions of ``ensemble``.

    ``columns``: the only columns ``statistic`` reads, which it then gets as plain floats (NaN
    where unanswered): narrower frames, quicker to cut and to compute on. ``on_array``: the same
    statistic on a respondents x ``columns`` float array, used instead when no answer in those
    columns is missing (no frame per reconstruction: tens of times quicker).

    .. math:: \\Big(\\min_r T(D_r),\\; \\operatorname{median}_r T(D_r),\\; \\max_r T(D_r)\\Big)

    for statistic :math:`T` on the answers :math:`D_r` of reconstruction :math:`r` (NaN values
    left out).

    References
    ----------
    Rubin, D. B. (1987), see :func:`ensemble_group_tests`.

    Examples
    --------
    >>> ens = pd.DataFrame({"reconstruction": [1, 1, 2, 2, 3, 3], "x": [1, 2, 3, 4, 5, 9]})
    >>> ensemble_range(ens, lambda d: d["x"].mean(), ["x"])
    (1.5, 3.5, 7.0)
    """
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
