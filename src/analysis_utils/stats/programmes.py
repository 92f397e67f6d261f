"""Arrangements found by integer programming (``scipy.optimize.milp``, HiGHS) over every
arrangement of the answers that keeps each item's answers, who answered it, the locked cells and
the guarded counts (:func:`analysis_utils.stats.arrangements.locked_cells`): one in which every
group's respondents share one score, which makes epsilon² 1.

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
