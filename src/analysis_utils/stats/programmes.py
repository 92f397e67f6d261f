"""Arrangements found by integer programming (``scipy.optimize.milp``, HiGHS) over every
arrangement of the answers that keeps each item's answers, who answered it, the locked cells and
the guarded counts (:func:`analysis_utils.stats.arrangements.locked_cells`): one in which every
group's respondents share one score, which makes epsilon² 1; one in which one group lies wholly
below the other, which makes the rank-biserial -1 (or a proof that there is none).

References
----------
Huangfu, Q., & Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
*Mathematical Programming Computation*, 10(1), 119–142 (HiGHS).

Examples
--------
>>> values = np.array([[1.], [2.], [2.], [3.]])
>>> constant_groups(values, np.ones((4, 1), dtype=bool), [np.array([0, 3]), np.array([1, 2])], (0, 1)) is None
True
"""
from __future__ import annotations

import numpy as np


class _Rows:
    """Sparse constraint rows, collected as (coefficients, lower, upper)."""

    def __init__(self):
        self.r, self.c, self.v, self.lb, self.ub = [], [], [], [], []

    def add(self, coefs: dict[int, float], lo: float, hi: float) -> None:
        at = len(self.lb)
        for col, val in coefs.items():
            self.r.append(at)
            self.c.append(col)
            self.v.append(val)
        self.lb.append(lo)
        self.ub.append(hi)

    def matrix(self, n_vars: int):
        from scipy.sparse import coo_matrix

        return coo_matrix((self.v, (self.r, self.c)), shape=(len(self.lb), n_vars)).tocsr()


def _cells(values: np.ndarray, movable: np.ndarray, rows: _Rows) -> tuple[list, dict]:
    """x[i, j, v] = 1 when row i gets answer v of item j: one answer per movable cell, each item
    keeps its count of every answer. Returns the cells and, per row, its (variable, answer)."""
    k = values.shape[1]
    cells = [(i, j, v) for j in range(k) for v in np.unique(values[movable[:, j], j]) for i in np.flatnonzero(movable[:, j])]
    per_cell, per_value, per_row = {}, {}, {}
    for c, (i, j, v) in enumerate(cells):
        per_cell.setdefault((i, j), []).append(c)
        per_value.setdefault((j, v), []).append(c)
        per_row.setdefault(i, []).append((c, v))
    for cs in per_cell.values():
        rows.add(dict.fromkeys(cs, 1.0), 1, 1)
    for (j, v), cs in per_value.items():
        count = float(np.sum(values[movable[:, j], j] == v))
        rows.add(dict.fromkeys(cs, 1.0), count, count)
    return cells, per_row


def _guarded(values: np.ndarray, movable: np.ndarray, guards: dict, cells: list, rows: _Rows) -> None:
    """Each guarded count stays: the movable cells of the fact's rows keep as many of its codes."""
    for j, facts in guards.items():
        for codes, named in facts:
            keep = float(np.sum(named & movable[:, j] & np.isin(values[:, j], codes)))
            coefs = {c: 1.0 for c, (i, jj, v) in enumerate(cells) if jj == j and named[i] and v in codes}
            rows.add(coefs, keep, keep)


def constant_groups(values: np.ndarray, movable: np.ndarray, member: list[np.ndarray], order: tuple,
                    guards: dict | None = None, node_limit: int = 50) -> np.ndarray | None:  # long: one programme
    """An arrangement in which every respondent of a group has the same mean score, the groups'
    scores falling in ``order`` (so that epsilon² is 1), or None when there is none or
    ``node_limit`` nodes found none. Integer answers only. With the group means :math:`m_g` free,

    .. math:: S_i = a_i m_g \\;\\forall i \\in g, \\qquad m_{o_1} \\ge m_{o_2} + \\delta \\ge \\dots,
              \\qquad \\delta = 1 / \\max_i a_i^2.

    References
    ----------
    Kruskal & Wallis (1952), see :func:`analysis_utils.stats.compositions.epsilon_squared_by_composition`;
    Huangfu & Hall (2018), see the module's references.

    Examples
    --------
    >>> values = np.array([[1, 3], [3, 1], [2, 2], [1, 1.]])
    >>> out = constant_groups(values, np.ones((4, 2), dtype=bool), [np.array([0, 1]), np.array([2, 3])], (0, 1))
    >>> out.sum(axis=1).tolist()
    [4.0, 4.0, 3.0, 3.0]
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    movable = movable & ~np.isnan(values)
    answered = (~np.isnan(values)).sum(axis=1)
    fixed = np.where(movable, 0, np.nan_to_num(values)).sum(axis=1)
    rows = _Rows()
    cells, per_row = _cells(values, movable, rows)
    _guarded(values, movable, guards or {}, cells, rows)
    means = len(cells) + np.arange(len(member))
    for g, members in enumerate(member):
        for i in members:  # S_i - a_i m_g = 0
            rows.add({**dict(per_row.get(i, [])), means[g]: -float(answered[i])}, -fixed[i], -fixed[i])
    for g1, g2 in zip(order, order[1:]):
        rows.add({means[g1]: 1.0, means[g2]: -1.0}, 1.0 / answered.max() ** 2, np.inf)
    n_vars, free = len(cells) + len(member), np.zeros(len(member))
    res = milp(np.zeros(n_vars), constraints=LinearConstraint(rows.matrix(n_vars), rows.lb, rows.ub),
               integrality=np.r_[np.ones(len(cells)), free],
               bounds=Bounds(np.r_[np.zeros(len(cells)), free - np.inf], np.r_[np.ones(len(cells)), free + np.inf]),
               options={"node_limit": node_limit})
    if res.x is None:
        return None
    out = values.astype(float).copy()
    for c, (i, j, v) in enumerate(cells):
        if res.x[c] > 0.5:
            out[i, j] = v
    return out


def separable(values: np.ndarray, movable: np.ndarray, low: np.ndarray, high: np.ndarray,
              guards: dict | None = None, node_limit: int = 2_000) -> bool | None:
    """Whether some arrangement puts every respondent of ``low`` strictly below every one of
    ``high`` (a rank-biserial of -1 for ``low`` against ``high``): True when one is found, False
    when the integer programme proves there is none, None when ``node_limit`` nodes decide
    nothing. Integer answers only. With :math:`L` the least common multiple of the respondents'
    numbers of answers :math:`a_i` and a threshold :math:`T`, fixed in turn at every scaled score a
    respondent of ``high`` can have (the lowest of theirs is one; a programme each is much quicker
    than one with :math:`T` free),

    .. math:: \\frac{L}{a_i} S_i \\le T - 1 \\;\\forall i \\in \\text{low}, \\qquad
              \\frac{L}{a_i} S_i \\ge T \\;\\forall i \\in \\text{high}.

    References
    ----------
    Huangfu & Hall (2018), see the module's references.

    Examples
    --------
    >>> values = np.array([[1, 3], [3, 1], [2, 2], [1, 1.]])
    >>> separable(values, np.ones((4, 2), dtype=bool), np.array([0, 1]), np.array([2, 3]))
    True
    >>> separable(np.array([[1.], [1.], [1.], [2.]]), np.ones((4, 1), dtype=bool), np.array([0, 1]), np.array([2, 3]))
    False
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    movable = movable & ~np.isnan(values)
    answered = (~np.isnan(values)).sum(axis=1).astype(int)
    fixed = np.where(movable, 0, np.nan_to_num(values)).sum(axis=1)
    rows = _Rows()
    cells, per_row = _cells(values, movable, rows)
    _guarded(values, movable, guards or {}, cells, rows)
    threshold, scale = len(cells), int(np.lcm.reduce(answered[np.r_[low, high]]))
    for members, lo, hi in ((low, -np.inf, -1.0), (high, 0.0, np.inf)):
        for i in members:  # (L / a_i) S_i - T  <= -1 (low)  or  >= 0 (high)
            k = scale / answered[i]
            rows.add({**{c: v * k for c, v in per_row.get(i, [])}, threshold: -1.0}, lo - fixed[i] * k,
                     hi - fixed[i] * k)
    n_vars = len(cells) + 1
    constraints = LinearConstraint(rows.matrix(n_vars), rows.lb, rows.ub)
    undecided = False
    for t in _thresholds(values, high, answered, scale):  # T is the lowest of high's scores: one programme each
        res = milp(np.zeros(n_vars), constraints=constraints, integrality=np.ones(n_vars),
                   bounds=Bounds(np.r_[np.zeros(len(cells)), t], np.r_[np.ones(len(cells)), t]),
                   options={"node_limit": node_limit})
        if res.x is not None:
            return True
        undecided |= res.status != 2
    return None if undecided else False


def _thresholds(values: np.ndarray, high: np.ndarray, answered: np.ndarray, scale: int) -> list[float]:
    """Every scaled score a respondent of ``high`` can have: the candidates for the lowest of them."""
    low_code, high_code = np.nanmin(values), np.nanmax(values)
    out = set()
    for i in high:
        k = scale // answered[i]
        out |= {k * s for s in range(int(answered[i] * low_code), int(answered[i] * high_code) + 1)}
    return sorted(float(t) for t in out)
