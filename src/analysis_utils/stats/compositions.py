"""One item's effect sizes over every way its answers can fall into groups, counted exactly.

With one item, a rank statistic of groups depends only on each group's *composition* — how many
of each answer it holds (:math:`n_{gv}`) — not on which member holds which. Every composition the
answers allow is enumerated (the rows outside the groups take the rest), so the smallest and
largest value are exact. A fact that ties the item to a variable that stays (a guard, see
:func:`analysis_utils.stats.arrangements.locked_cells`: so many of its codes among the rows it
names) admits a composition when some arrangement inside each group meets the count: group
:math:`g` with :math:`r_g` named and :math:`s_g` other rows, holding :math:`c_g` of the codes,
can give the named rows from :math:`\\max(0, c_g - s_g)` to :math:`\\min(c_g, r_g)` of them.

References
----------
Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis.
*Journal of the American Statistical Association*, 47(260), 583–621. Mann, H. B., & Whitney,
D. R. (1947). On a test of whether one of two random variables is stochastically larger than the
other. *The Annals of Mathematical Statistics*, 18(1), 50–60. Tomczak, M., & Tomczak, E. (2014).
The need to report effect size estimates revisited. *Trends in Sport Sciences*, 1(21), 19–25.

Examples
--------
>>> rank_biserial_by_composition(np.array([1, 2, 3, 4.]), [np.array([0, 1]), np.array([2, 3])])
(-1.0, 1.0)
"""
from __future__ import annotations

import numpy as np


def epsilon_squared_by_composition(column: np.ndarray, member: list[np.ndarray], guard: tuple | None = None,
                                   max_rows: int = 3_000_000) -> tuple[float, float] | None:
    """Smallest and largest epsilon² of one item's answers (``column``, NaN where not answered)
    over every way of sharing them out among the groups (``member``: answered rows per group)
    and the rows outside them, within ``guard`` (``(codes, rows)``, see the module). With
    :math:`m_v = \\sum_g n_{gv}`, :math:`N = \\sum_v m_v`, the mid-rank :math:`\\bar r_v` of
    answer :math:`v` and :math:`R_g = \\sum_v n_{gv} \\bar r_v`,

    .. math:: \\varepsilon^2 = \\frac{1}{N - 1} \\cdot
              \\frac{\\frac{12}{N (N + 1)} \\sum_g R_g^2 / n_g - 3 (N + 1)}
                   {1 - \\sum_v (m_v^3 - m_v) / (N^3 - N)}.

    None when there are more than ``max_rows`` compositions to count; NaN when none meets the
    guard. A guard may carry its count as a third value (else it is the count in ``column``).

    References
    ----------
    Kruskal & Wallis (1952); Tomczak & Tomczak (2014): see the module's references.

    Examples
    --------
    >>> column = np.array([1, 1, 2, 2, 3, 3.])
    >>> lo, hi = epsilon_squared_by_composition(column, [np.array([0, 1]), np.array([2, 3]), np.array([4, 5])])
    >>> round(lo, 3), round(hi, 3)
    (0.0, 1.0)
    """
    found = _group_compositions(column, member, guard, max_rows)
    if found is None or not len(found[0]):
        return None if found is None else (np.nan, np.nan)
    combos, mid = found
    m = combos.sum(axis=1).astype(float)
    n = m.sum(axis=1)
    sizes = np.array([len(g) for g in member])
    rank_sums = (combos * mid[:, None, :]).sum(axis=2)
    h = 12 / (n * (n + 1)) * (rank_sums ** 2 / sizes).sum(axis=1) - 3 * (n + 1)
    correction = 1 - (m ** 3 - m).sum(axis=1) / (n ** 3 - n)
    eps = np.where(correction > 0, h / np.where(correction > 0, correction, 1), 0) / (n - 1)
    return float(max(eps.min(), 0.0)), float(min(eps.max(), 1.0))


def rank_biserial_by_composition(column: np.ndarray, member: list[np.ndarray], guard: tuple | None = None,
                                 max_rows: int = 3_000_000) -> tuple[float, float] | None:
    """Smallest and largest rank-biserial correlation of the first group over the second
    (``member``: their answered rows) of one item's answers over every composition (see
    :func:`epsilon_squared_by_composition`), with

    .. math:: U = \\sum_v n_{1v} \\Big(\\sum_{w < v} n_{2w} + \\tfrac12 n_{2v}\\Big), \\qquad
              r = \\frac{2U}{n_1 n_2} - 1.

    References
    ----------
    Mann & Whitney (1947), see the module's references.

    Examples
    --------
    >>> rank_biserial_by_composition(np.array([1, 1, 1, 2.]), [np.array([0, 1]), np.array([2, 3])])
    (-0.5, 0.5)
    """
    found = _group_compositions(column, member, guard, max_rows)
    if found is None or not len(found[0]):
        return None if found is None else (np.nan, np.nan)
    combos, _mid = found
    first, second = combos[:, 0, :], combos[:, 1, :]
    below = np.cumsum(second, axis=1) - second
    u = (first * (below + second / 2)).sum(axis=1)
    r = 2 * u / (len(member[0]) * len(member[1])) - 1
    return float(r.min()), float(r.max())


def _group_compositions(column: np.ndarray, member: list[np.ndarray], guard: tuple | None,
                        max_rows: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Every admitted composition (compositions x groups x answers) and, per composition, the
    mid-rank of each answer among the groups' rows; None past ``max_rows``."""
    answered = ~np.isnan(column)
    codes, counts = np.unique(column[answered], return_counts=True)
    sizes = [len(m) for m in member]
    spare = int(answered.sum()) - sum(sizes)  # answers that go to rows outside the groups
    combos = np.zeros((1, 0, len(codes)), dtype=np.int32)
    for g, size in enumerate(sizes):
        used = combos.sum(axis=1)
        if g == len(sizes) - 1 and spare == 0:
            combos = np.concatenate([combos, (counts - used)[:, None, :]], axis=1)
            break
        parts = _compositions(size, counts)
        if len(combos) * len(parts) > max_rows:
            return None
        i, j = np.nonzero(np.all(used[:, None, :] + parts[None, :, :] <= counts, axis=2))
        combos = np.concatenate([combos[i], parts[j][:, None, :]], axis=1)
    if guard is not None:
        combos = combos[_meets(combos, codes, counts, column, member, guard)]
    m = combos.sum(axis=1)
    return combos, np.cumsum(m, axis=1) - m + (m + 1) / 2


def _meets(combos, codes, counts, column, member, guard) -> np.ndarray:
    """The compositions inside which the guard's count can be met (see the module)."""
    fact_codes, named = guard[:2]
    answered = ~np.isnan(column)
    inside = np.isin(codes, fact_codes)
    keep = guard[2] if len(guard) > 2 else int((named & answered & np.isin(column, fact_codes)).sum())
    held = combos[:, :, inside].sum(axis=2)  # compositions x groups
    outside = np.setdiff1d(np.flatnonzero(answered), np.concatenate(member))
    rows = [*member, outside]
    held = np.column_stack([held, counts[inside].sum() - held.sum(axis=1)])
    named_n = np.array([int(named[r].sum()) for r in rows])
    other_n = np.array([len(r) for r in rows]) - named_n
    low = np.maximum(0, held - other_n).sum(axis=1)
    high = np.minimum(held, named_n).sum(axis=1)
    return (low <= keep) & (keep <= high)


def _compositions(total: int, caps: np.ndarray) -> np.ndarray:
    """Every vector of non-negative integers below ``caps`` that sums to ``total``."""
    out = []

    def fill(prefix: list[int], left: int, j: int) -> None:
        if j == len(caps) - 1:
            if left <= caps[j]:
                out.append([*prefix, left])
            return
        for x in range(min(left, caps[j]) + 1):
            fill([*prefix, x], left - x, j + 1)
    fill([], total, 0)
    return np.array(out, dtype=np.int32).reshape(-1, len(caps))
