"""Identified ranges: the lowest and highest value a result that depends on how answers combine
can take over every arrangement of one intake's answers.

For an intake reconstructed from a publication, each item's distribution is (mostly) fixed, but
who gave which answer is not. A result that combines answers — a correlation, Cronbach's alpha,
"names at least one threshold emotion", a sub-group effect size, a respondent-level interval —
can take any value that some arrangement of the answers gives. The functions here find the
smallest and largest such value, by method:

- Fréchet–Hoeffding: the comonotone (same order) and countermonotone (opposite order)
  arrangements, which are the extremes of a correlation and of "at least one of" (exact);
- integer programming with ``scipy.optimize.milp`` (HiGHS), exact for the problem posed;
- a local search over swaps of answers between respondents, started from the structured
  arrangements: it finds values some arrangement reaches, so the true range is at least as wide.

Arrangements keep every item's answers (the reconstruction's own marginals), which respondents
answered which item (the pilots lacked some items), the grouping variables, and every cell that a
published fact ties to another variable (``locked_cells``).

References
----------
Fréchet, M. (1951). Sur les tableaux de corrélation dont les marges sont données. *Annales de
l'Université de Lyon*, A 14, 53–77. Hoeffding, W. (1940). Maßstabinvariante
Korrelationstheorie. *Schriften des Mathematischen Instituts der Universität Berlin*, 5, 181–233.
Manski, C. F. (2003). *Partial Identification of Probability Distributions*. New York: Springer.

Examples
--------
>>> at_least_one_bounds([3, 5, 2], 10)
(0.5, 1.0)
>>> lo, hi = spearman_bounds(np.array([1, 2, 3, 4.]), np.array([2, 2, 5, 5.]))
>>> round(lo, 3), round(hi, 3)
(-0.894, 0.894)
"""
from __future__ import annotations

import itertools

import numpy as np

from .arrangements import Arrangement
from .effects import cronbach_alpha


def at_least_one_bounds(counts: list[int], n: int) -> tuple[float, float]:
    """Share of n respondents with at least one of several events, each held by counts[j] of
    them: lowest when the events nest in the same people, highest when they fall on different
    people (the Fréchet bounds of a union),

    .. math:: \\frac{\\max_j c_j}{n} \\le P\\left(\\bigcup_j A_j\\right) \\le \\frac{\\min(n, \\sum_j c_j)}{n}.

    Exact when every respondent answered every item.

    References
    ----------
    Fréchet (1951), see the module's references.

    Examples
    --------
    >>> at_least_one_bounds([2, 2, 2, 2], 28)
    (0.07142857142857142, 0.2857142857142857)
    """
    return max(counts) / n, min(n, sum(counts)) / n


def spearman_bounds(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Smallest and largest Spearman correlation over all pairings of two fixed sets of answers:
    the countermonotone and the comonotone pairing. By the rearrangement inequality,
    :math:`\\sum_i R_{x,i} R_{y,\\pi(i)}` over the mid-ranks is largest when both are sorted the
    same way and smallest when sorted oppositely, and :math:`\\rho` is affine in that sum.

    References
    ----------
    Hardy, G. H., Littlewood, J. E., & Pólya, G. (1934). *Inequalities*, §10.2. Cambridge
    University Press. Hoeffding (1940), see the module's references.

    Examples
    --------
    >>> spearman_bounds(np.array([1, 2, 3.]), np.array([1, 2, 3.]))
    (-1.0, 1.0)
    """
    from scipy.stats import spearmanr

    xs, ys = np.sort(x), np.sort(y)
    return float(spearmanr(xs, ys[::-1])[0]), float(spearmanr(xs, ys)[0])


def spearman_over_marginals(xs: np.ndarray, ys: np.ndarray, codes_x, codes_y, max_pairs: int = 20_000,
                            seed: int = 20151) -> tuple[float, float, bool, bool]:
    """Smallest and largest Spearman correlation over every pair of admitted distributions of two
    items (``xs``, ``ys``: count vectors over ``codes_x`` / ``codes_y``, as
    :func:`analysis_utils.stats.admissible.admissible_distributions` gives them) and every
    pairing of their answers: (lower, upper, lower proven, upper proven).

    Since :math:`|\rho| \le 1`, an end is proven when it is reached: :math:`\rho = 1` is
    reached exactly when some admitted pair has the same ties in the same order (the nonzero
    counts, code by code, equal), so the comonotone pairing matches the mid-ranks one to one;
    :math:`\rho = -1` when some pair has them in reverse order. Otherwise the end is the best
    of the comonotone and countermonotone pairings (:func:`spearman_bounds`) over every pair, or
    over ``max_pairs`` of them drawn with a fixed seed when there are more: a value reached, not
    proven (the true end lies between it and :math:`\pm 1`).

    References
    ----------
    Hardy, Littlewood & Pólya (1934), see :func:`spearman_bounds`. Manski (2003), see
    :func:`analysis_utils.stats.admissible.admissible_count` (ranges over what the data admit).

    Examples
    --------
    >>> xs = np.array([[0, 0, 0, 2, 2], [0, 0, 0, 1, 3]])
    >>> ys = np.array([[0, 0, 2, 2, 0], [0, 0, 3, 1, 0]])
    >>> spearman_over_marginals(xs, ys, [1, 2, 3, 4, 5], [1, 2, 3, 4, 5])
    (-1.0, 1.0, True, True)
    """
    shape_x = {tuple(v[v > 0]) for v in xs if (v > 0).sum() > 1}
    shape_y = {tuple(v[v > 0]) for v in ys if (v > 0).sum() > 1}
    top_proven = bool(shape_x & shape_y)
    low_proven = bool(shape_x & {s[::-1] for s in shape_y})
    low, high = (-1.0 if low_proven else np.inf), (1.0 if top_proven else -np.inf)
    if not (top_proven and low_proven):
        pairs = [(i, j) for i in range(len(xs)) for j in range(len(ys))]
        if len(pairs) > max_pairs:
            pick = np.random.default_rng(seed).choice(len(pairs), max_pairs, replace=False)
            pairs = [pairs[p] for p in pick]
        for i, j in pairs:
            x, y = np.repeat(codes_x, xs[i]).astype(float), np.repeat(codes_y, ys[j]).astype(float)
            if x.std() == 0 or y.std() == 0:
                continue
            lo, hi = spearman_bounds(x, y)
            low, high = min(low, lo), max(high, hi)
    return float(low), float(high), low_proven, top_proven


def alpha_bounds(values: np.ndarray, movable: np.ndarray, guards: dict | None = None) -> tuple[float, float, bool]:
    """Smallest and largest Cronbach's alpha over the arrangements of complete answers
    (respondents x items, no NaN) that keep the locked cells and the guarded counts (``guards``,
    see :func:`analysis_utils.stats.arrangements.locked_cells`). Largest: every item in the same order (comonotone). Smallest:
    for two items the opposite order (countermonotone); for more, the totals as even as possible —
    the arrangement that balances them, improved by swaps, exact when it reaches the most even
    totals the sum allows, else the integer programme of :func:`most_even_totals`. Both ends are
    exact only without locked cells (with them, the arrangement found is reachable, and improved
    by swaps). Returns (lower, upper, exact): ``exact`` says both ends are proven — without locked
    or guarded cells, as above; with them, where an end reaches what no arrangement at all can pass
    (the comonotone top; totals as even as the sum allows).

    With each item's answers fixed, its variance :math:`\\sigma^2_j` is too, so

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_j \\sigma^2_j}{\\sigma^2_X}\\right)

    rises with the variance :math:`\\sigma^2_X` of the totals :math:`X_i = \\sum_j x_{ij}`:
    largest when every covariance is largest (all items in the same order), smallest when the
    totals are as even as the answers allow (-inf when every total is the same).

    References
    ----------
    Cronbach (1951), see :func:`analysis_utils.stats.effects.cronbach_alpha`. Fréchet (1951) and
    Hoeffding (1940), see the module's references (the comonotone arrangement). Marshall, A. W.,
    Olkin, I., & Arnold, B. C. (2011). *Inequalities: Theory of Majorization and Its
    Applications* (2nd ed.). New York: Springer (the most even totals).

    Examples
    --------
    >>> lower, upper, exact = alpha_bounds(np.array([[1, 2], [2, 3], [3, 3], [4, 5.]]), np.ones((4, 2), dtype=bool))
    >>> round(lower, 3), round(upper, 3), exact
    (-24.0, 0.96, True)
    """
    n, k = values.shape
    order = np.arange(n)

    def spread(sign):  # alpha rises with the variance of the totals (= k x the mean scores)
        return lambda scores: sign * scores.var(axis=1)

    free = movable.all() and not guards
    upper = -np.inf
    for start in ([order] if free else [order, _locked_last(values, movable, guards)]):
        top = Arrangement(values, movable, guards).sort_items(start)
        if not free:
            top.climb(spread(1))
        upper = max(upper, cronbach_alpha(top.values))
    arr = Arrangement(values, movable, guards)
    if k == 2:
        arr.sort_items(order, descending=True, items=[0]).sort_items(order, descending=False, items=[1])
    else:  # the largest answers of each item to the respondents with the smallest totals so far
        totals = np.where(arr.movable, 0, arr.values).sum(axis=1)
        for j in np.argsort(-arr.values.var(axis=0)):
            arr.sort_items(np.argsort(totals, kind="stable"), descending=True, items=[j])
            totals += np.where(arr.movable[:, j], arr.values[:, j], 0)
    arr.climb(spread(-1))
    total = arr.values.sum(axis=1)
    s = total.sum()
    even = np.full(n, s // n)
    even[: int(s - even.sum())] += 1
    lower = cronbach_alpha(arr.values)
    lower_exact = bool(np.isclose(total.var(), even.var())) or (k == 2 and bool(free))
    if not lower_exact and k > 2:  # the search did not reach the most even totals: integer programming
        best, optimal = most_even_totals(values, _held(values, movable, guards))  # guarded cells as locked
        if best is not None and cronbach_alpha(best) <= lower:
            # with locks or guards the programme's optimum is one among the locked arrangements only
            lower = cronbach_alpha(best)
            lower_exact = (optimal and free) or bool(np.isclose(best.sum(axis=1).var(), even.var()))
    # the largest alpha any arrangement allows is the comonotone one: reached, the upper end is proven
    comonotone = cronbach_alpha(np.sort(values, axis=0))
    return lower, upper, bool(lower_exact and (free or upper >= comonotone - 1e-12))


def _held(values: np.ndarray, movable: np.ndarray, guards: dict | None) -> np.ndarray:
    """``movable`` with every guarded cell that meets its fact held where it is (locked)."""
    movable = movable.copy()
    for j, facts in (guards or {}).items():
        for codes, rows in facts:
            movable[:, j] &= ~(rows & np.isin(values[:, j], codes))
    return movable


def _locked_last(values: np.ndarray, movable: np.ndarray, guards: dict | None) -> np.ndarray:
    """The respondents in the order a comonotone arrangement would give them, judged by their
    locked answers: a row whose locked answers are low among their items' answers goes last
    (gets the lowest of every item), one whose locked answers are high first; rows with none in
    between. Alpha does not change when rows are reordered, so where the locks allow the
    comonotone arrangement, this start reaches it. A guarded cell that meets its fact counts
    as locked here."""
    n, k = values.shape
    movable = _held(values, movable, guards)
    rank = np.full(n, 0.5)
    for i in np.flatnonzero(~movable.all(axis=1)):
        locked = np.flatnonzero(~movable[i])
        rank[i] = np.mean([(values[:, j] < values[i, j]).mean() + (values[:, j] == values[i, j]).mean() / 2 for j in locked])
    return np.argsort(-rank, kind="stable")


def most_even_totals(values: np.ndarray, movable: np.ndarray, node_limit: int = 5_000,
                     max_cells: int = 600) -> tuple[np.ndarray | None, bool]:
    """The arrangement of integer answers (respondents x items, no NaN) whose totals are as even
    as possible (smallest sum of squared totals), by integer programming (``scipy.optimize.milp``,
    HiGHS). Returns (values, proven optimal); the values are None when no solution was found
    within ``node_limit`` branch-and-bound nodes — a limit of work, not of time, so that the same
    answers give the same result on any machine — or when the programme is too large to try
    (more than ``max_cells`` answer variables cell by cell: such a programme takes minutes).

    Respondents with the same movable items and the same locked total are interchangeable, so the
    programme counts how many of each such class get each pattern of answers
    (:func:`_even_by_pattern`): no two solutions differ only by swapping respondents, and HiGHS
    proves the optimum in milliseconds. Where the patterns are too many (many items with many
    answers) it assigns answer by answer (:func:`_even_by_cell`). The programme is

    .. math:: \\min \\sum_i \\Big(\\sum_j x_{ij}\\Big)^2 \\quad \\text{over the arrangements that keep
              every item's count of every answer and every locked cell.}

    References
    ----------
    Marshall, Olkin & Arnold (2011), see :func:`alpha_bounds`. Huangfu, Q., & Hall, J. A. J.
    (2018). Parallelizing the dual revised simplex method. *Mathematical Programming
    Computation*, 10(1), 119–142 (HiGHS).

    Examples
    --------
    >>> values = np.array([[1, 1, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5.]])
    >>> best, proven = most_even_totals(values, np.ones(values.shape, dtype=bool))
    >>> best.sum(axis=1).tolist(), proven
    ([9.0, 9.0, 9.0, 9.0], True)
    """
    found = _even_by_pattern(values, movable, node_limit)
    if found is not None:
        return found
    if sum(len(np.unique(values[movable[:, j], j])) * int(movable[:, j].sum()) for j in range(values.shape[1])) > max_cells:
        return None, False
    return _even_by_cell(values, movable, node_limit)


def _even_by_pattern(values: np.ndarray, movable: np.ndarray, node_limit: int,
                     max_patterns: int = 5_000) -> tuple[np.ndarray | None, bool] | None:
    """y[c, p] = how many respondents of class c get answer pattern p (over the class's movable
    items); each class is filled, each item keeps its count of every answer, and the cost of a
    pattern is its squared total. None when there would be more than ``max_patterns`` patterns."""

    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n, k = values.shape
    fixed = np.where(movable, 0, values).sum(axis=1)
    options = [np.unique(values[movable[:, j], j]) for j in range(k)]
    classes: dict[tuple, list[int]] = {}
    for i in range(n):
        classes.setdefault((tuple(bool(x) for x in movable[i]), float(fixed[i])), []).append(i)
    columns = []  # (class, {item: answer})
    for key in classes:
        items = [j for j in range(k) if key[0][j]]
        if len(columns) + int(np.prod([len(options[j]) for j in items])) > max_patterns:
            return None
        columns += [(key, dict(zip(items, combo))) for combo in itertools.product(*(options[j] for j in items))]
    class_row = {key: r for r, key in enumerate(classes)}
    count_row = {(j, v): len(classes) + r for r, (j, v) in enumerate((j, v) for j in range(k) for v in options[j])}
    rows, cols = [], []
    for c, (key, pattern) in enumerate(columns):
        rows += [class_row[key], *(count_row[(j, v)] for j, v in pattern.items())]
        cols += [c] * (1 + len(pattern))
    bound = np.zeros(len(class_row) + len(count_row))
    for key, r in class_row.items():
        bound[r] = len(classes[key])
    for (j, v), r in count_row.items():
        bound[r] = int(np.sum(values[movable[:, j], j] == v))
    A = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(bound), len(columns))).tocsr()
    cost = np.array([(key[1] + sum(pattern.values())) ** 2 for key, pattern in columns], dtype=float)
    res = milp(cost, constraints=LinearConstraint(A, bound, bound), integrality=np.ones(len(cost)),
               bounds=(0, n), options={"node_limit": node_limit})
    if res.x is None:
        return None, False
    out = values.astype(float).copy()
    free = {key: list(members) for key, members in classes.items()}
    for c, (key, pattern) in enumerate(columns):
        for _ in range(int(round(res.x[c]))):
            i = free[key].pop(0)
            for j, v in pattern.items():
                out[i, j] = v
    return out, res.status == 0


def _even_by_cell(values: np.ndarray, movable: np.ndarray, node_limit: int) -> tuple[np.ndarray | None, bool]:
    """The same programme cell by cell: x[i, j, v] = 1 when respondent i gets answer v on item j,
    each item keeps its count of every answer, and each respondent's total climbs a staircase of
    unit steps whose costs (2t - 1) rise, so their sum is the squared total."""
    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import lil_matrix

    n, k = values.shape
    fixed = np.where(movable, 0, values).sum(axis=1)
    cells = [(i, j, v) for j in range(k) for v in np.unique(values[movable[:, j], j]) for i in range(n) if movable[i, j]]
    lo = fixed + np.array([sum(values[movable[:, j], j].min() for j in range(k) if movable[i, j]) for i in range(n)])
    hi = fixed + np.array([sum(values[movable[:, j], j].max() for j in range(k) if movable[i, j]) for i in range(n)])
    steps = [(i, t) for i in range(n) for t in range(int(lo[i]) + 1, int(hi[i]) + 1)]
    nx = len(cells)
    cost = np.concatenate([np.zeros(nx), [2 * t - 1 for _, t in steps]])
    cell_rows = {(i, j): r for r, (i, j) in enumerate(sorted({(i, j) for i, j, _ in cells}))}
    count_rows = {(j, v): r for r, (j, v) in enumerate(sorted({(j, v) for _, j, v in cells}))}
    m1, m2 = len(cell_rows), len(count_rows)
    A = lil_matrix((m1 + m2 + n, nx + len(steps)))
    lb, ub = np.zeros(m1 + m2 + n), np.zeros(m1 + m2 + n)
    lb[:m1] = ub[:m1] = 1  # one answer per movable cell
    for (j, v), r in count_rows.items():
        lb[m1 + r] = ub[m1 + r] = int(np.sum(values[movable[:, j], j] == v))  # each item keeps its answers
    for c, (i, j, v) in enumerate(cells):
        A[cell_rows[(i, j)], c] = 1
        A[m1 + count_rows[(j, v)], c] = 1
        A[m1 + m2 + i, c] = v  # the total of respondent i ...
    for c, (i, t) in enumerate(steps):
        A[m1 + m2 + i, nx + c] = -1  # ... equals its lowest total plus its steps
    lb[m1 + m2:] = ub[m1 + m2:] = lo - fixed
    res = milp(cost, constraints=LinearConstraint(A.tocsr(), lb, ub), integrality=np.ones(len(cost)),
               bounds=(0, 1), options={"node_limit": node_limit})
    if res.x is None:
        return None, False
    out = values.astype(float).copy()
    for c, (i, j, v) in enumerate(cells):
        if res.x[c] > 0.5:
            out[i, j] = v
    return out, res.status == 0


