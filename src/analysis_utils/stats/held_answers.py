"""Cronbach's alpha when some respondents answered only some of the items (the pilots): alpha is
taken over those who answered them all, but the others' answers belong to the same items and may
move too. Which of an item's answers the partial respondents hold decides what the complete
respondents share; every such choice is tried.

References
----------
Cronbach (1951), see :func:`analysis_utils.stats.effects.cronbach_alpha`. Fréchet (1951) and
Hoeffding (1940), see :mod:`analysis_utils.stats.bounds` (the comonotone arrangement).

Examples
--------
>>> values = np.array([[1, 1], [2, 2], [3, np.nan]])
>>> alpha_over_holders(values, np.ones((3, 2), dtype=bool))
(-inf, 1.0, True)
"""
from __future__ import annotations

import itertools
from collections import Counter

import numpy as np

from .bounds import alpha_bounds
from .effects import cronbach_alpha


def _held_choices(values: np.ndarray, partial: np.ndarray) -> list[list[tuple]]:
    """Per item, every multiset of its answers the partial respondents who answered it can hold
    (built from the answers' counts: as many as there are multisets, never every combination)."""
    out = []
    for j in range(values.shape[1]):
        answered = ~np.isnan(values[:, j])
        holders = int((partial & answered).sum())
        codes, counts = np.unique(values[answered, j], return_counts=True)
        takes = itertools.product(*(range(min(int(c), holders) + 1) for c in counts))
        out.append([tuple(float(v) for v, t in zip(codes, take) for _ in range(t))
                    for take in takes if sum(take) == holders])
    return out


def _left(values: np.ndarray, combo: tuple) -> np.ndarray:
    """The complete respondents' answers once the partial ones hold ``combo``: per item, the rest
    of its answers, in ascending order (every item alike: the comonotone arrangement)."""
    columns = []
    for j, held in enumerate(combo):
        pool = Counter(values[~np.isnan(values[:, j]), j].tolist())
        pool.subtract(Counter(held))
        columns.append(np.sort(np.array(list(pool.elements()), dtype=float)))
    return np.column_stack(columns)


def alpha_over_holders(values: np.ndarray, movable: np.ndarray, max_choices: int = 2_000,
                       max_searched: int = 20) -> tuple[float, float, bool] | None:
    """Smallest and largest Cronbach's alpha of the respondents who answered every item, over
    every arrangement of each item's answers among all who answered it (respondents x items,
    NaN where not asked). With :math:`H_j` the answers to item :math:`j` the partial respondents
    hold, the complete ones share the rest, and

    .. math:: \\alpha^{\\max} = \\max_{H} \\alpha\\big(\\text{comonotone}(x \\setminus H)\\big),
              \\qquad \\alpha^{\\min} = \\min_{H} \\min_\\pi \\alpha(\\pi(x \\setminus H)),

    the largest exact (every item in the same order is alpha's top for given answers, see
    :func:`~analysis_utils.stats.bounds.alpha_bounds`); the smallest is -inf, proven, where some
    :math:`H` lets every total be the same, else the least over all :math:`H` when at most
    ``max_searched`` of them (as :func:`~analysis_utils.stats.bounds.alpha_bounds` proves it).
    None where a cell is locked, there are more than ``max_choices`` ways to hold the answers, or
    more than ``max_searched`` and none of those whose sum allows even totals reaches -inf.
    Returns (lower, upper, exact).

    References
    ----------
    Cronbach (1951), see :func:`analysis_utils.stats.effects.cronbach_alpha`; Fréchet (1951) and
    Hoeffding (1940), see :mod:`analysis_utils.stats.bounds`.

    Examples
    --------
    >>> values = np.array([[5, 5], [4, 5], [4, 4], [5, np.nan]])
    >>> lower, upper, exact = alpha_over_holders(values, np.ones((4, 2), dtype=bool))
    >>> round(lower, 3), round(upper, 3), exact
    (-inf, 1.0, True)
    """
    answered = ~np.isnan(values)
    complete = answered.all(axis=1)
    partial = answered.any(axis=1) & ~complete
    if not (movable | ~answered).all() or complete.sum() < 2:
        return None
    choices = _held_choices(values, partial)
    if np.prod([len(c) for c in choices], dtype=float) > max_choices:
        return None
    left = [_left(values, combo) for combo in itertools.product(*choices)]
    upper = float(max(cronbach_alpha(m) for m in left))
    searched = left if len(left) <= max_searched else \
        [m for m in left if m.sum() % len(m) == 0][:max_searched]  # every total the same: the sum divides
    ends = [alpha_bounds(m, np.ones_like(m, dtype=bool)) for m in searched]
    if any(e[0] == -np.inf for e in ends):
        return -np.inf, upper, True
    if len(left) > max_searched:
        return None
    return float(min(e[0] for e in ends)), upper, all(e[2] for e in ends)
