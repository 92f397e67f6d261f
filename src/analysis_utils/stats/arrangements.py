"""Arrangements of one intake's answers: which cells may move, the swaps a local search makes,
and the sub-group effect sizes and respondent-level interval widths at their extremes (see
:mod:`analysis_utils.stats.bounds` for the methods and their references).

Examples
--------
>>> values = np.array([[1.], [2.], [4.], [5.]])
>>> effect_bounds(values, np.ones((4, 1), dtype=bool), np.array(["a", "a", "b", "b"]), ["a", "b"])
(-1.0, 1.0, True)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Codebook, mask
from ..theory_map import strengthening_codes


def locked_cells(df: pd.DataFrame, items: list[str], facts: list[dict]) -> dict[str, np.ndarray]:
    """Per item, the rows whose answer a published fact ties to another variable (a fact whose
    ``where`` names the item and something else): these cells stay as they are.

    .. math:: L_{ij} = \\mathbf{1}\\big[\\exists f : |W_f| \\ge 2,\\ j \\in W_f,\\ \\text{row } i
              \\text{ meets every condition of } W_f\\big]

    for the items :math:`W_f` named in the ``where`` of fact :math:`f`.

    References
    ----------
    Manski, C. F. (2003). *Partial Identification of Probability Distributions*. New York:
    Springer (only the arrangements the published facts allow). Such a fact: the 2015 bachelor
    thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk, social work), lines
    1773–1775 (the one "eerder niet" on autonomy is a woman's).

    Examples
    --------
    >>> df = pd.DataFrame({"q16_autonomy": [2, 4, 5], "q01_gender": [2, 1, 1]})
    >>> fact = {"where": {"q16_autonomy": [2], "q01_gender": [2]}}
    >>> locked_cells(df, ["q16_autonomy"], [fact])["q16_autonomy"].tolist()
    [True, False, False]
    """
    locked = {i: np.zeros(len(df), dtype=bool) for i in items}
    for f in facts:
        where = f.get("where") or {}
        if len(where) < 2:
            continue
        rows = mask(df, where).to_numpy(dtype=bool)
        for item in set(where) & set(items):
            locked[item] |= rows
    return locked


class Arrangement:
    """Oriented answers of several items (respondents x items, NaN where not answered) with the
    cells that may move; answers move only by swapping within an item, so every item keeps its
    distribution. Each respondent's sum and number of answers are kept up to date. The score of
    respondent :math:`i` with :math:`a_i` answers is

    .. math:: s_i = \\frac{1}{a_i} \\sum_{j \\text{ answered}} x_{ij},

    and swapping item :math:`j`'s answers of rows :math:`a` and :math:`b` moves :math:`s_a` by
    :math:`(x_{bj} - x_{aj})/a_a` and :math:`s_b` by :math:`(x_{aj} - x_{bj})/a_b`.

    References
    ----------
    Fréchet (1951) and Hoeffding (1940), see :mod:`analysis_utils.stats.bounds` (arrangements
    with fixed margins). Papadimitriou, C. H., & Steiglitz, K. (1982). *Combinatorial
    Optimization: Algorithms and Complexity*. Englewood Cliffs, NJ: Prentice-Hall (local search).

    Examples
    --------
    >>> arr = Arrangement(np.array([[1, 5], [5, 1.]]), np.ones((2, 2), dtype=bool))
    >>> arr.sort_items(np.array([0, 1])).scores().tolist()
    [5.0, 1.0]
    """

    def __init__(self, values: np.ndarray, movable: np.ndarray):
        self.values = values.astype(float).copy()
        self.movable = movable & ~np.isnan(values)
        self.answered = (~np.isnan(self.values)).sum(axis=1)
        self.sums = np.nansum(self.values, axis=1)

    def scores(self) -> np.ndarray:
        """Mean of each respondent's answered items (NaN for none)."""
        return np.where(self.answered > 0, self.sums / np.maximum(self.answered, 1), np.nan)

    def sort_items(self, order: np.ndarray, descending: bool = True, items=None) -> "Arrangement":
        """Within every item (or those of ``items``), give the movable answers to the movable
        rows in ``order``: the first rows get the highest (or lowest) answers."""
        for j in (range(self.values.shape[1]) if items is None else items):
            rows = [i for i in order if self.movable[i, j]]
            vals = np.sort(self.values[rows, j])
            self.values[rows, j] = vals[::-1] if descending else vals
        self.sums = np.nansum(self.values, axis=1)
        return self

    def climb(self, batch, allowed: np.ndarray | None = None, steps: int = 500) -> float:
        """Steepest ascent: among every swap of one item's answers between two rows (``allowed``:
        an n x n mask of row pairs that may swap), make the one that raises ``batch`` most, until
        none does. ``batch(scores)`` takes candidates x respondents mean scores and returns one
        value per candidate; return the value reached."""
        n, k = self.values.shape
        allowed = np.ones((n, n), dtype=bool) if allowed is None else allowed
        best = float(batch(self.scores()[None, :])[0])
        for _ in range(steps):
            choice = None
            base = self.scores()
            for j in range(k):
                col = self.values[:, j]
                ok = allowed & self.movable[:, j][:, None] & self.movable[:, j][None, :] & (col[:, None] != col[None, :])
                a, b = np.nonzero(np.triu(ok | ok.T, 1))
                if not len(a):
                    continue
                step = col[b] - col[a]  # row a receives b's answer and the other way round
                cand = np.repeat(base[None, :], len(a), axis=0)
                idx = np.arange(len(a))
                cand[idx, a] += step / self.answered[a]
                cand[idx, b] -= step / self.answered[b]
                values = batch(cand)
                i = int(np.argmax(values))
                if values[i] > best + 1e-12 and (choice is None or values[i] > choice[0]):
                    choice = (float(values[i]), j, a[i], b[i])
            if choice is None:
                break
            best, j, a, b = choice
            col = self.values[:, j]
            step = col[b] - col[a]
            col[a], col[b] = col[b], col[a]
            self.sums[a] += step
            self.sums[b] -= step
        return best


def _batch_rank_biserial(first: np.ndarray, second: np.ndarray):
    def stat(scores):
        diff = scores[:, first][:, :, None] - scores[:, second][:, None, :]
        u = (diff > 0).sum(axis=(1, 2)) + 0.5 * (diff == 0).sum(axis=(1, 2))
        return 2 * u / (len(first) * len(second)) - 1
    return stat


def _batch_epsilon_squared(members: list[np.ndarray]):
    rows = np.concatenate(members)
    n = len(rows)

    def stat(scores):
        s = scores[:, rows]
        greater = (s[:, :, None] > s[:, None, :]).sum(axis=2)
        equal = (s[:, :, None] == s[:, None, :]).sum(axis=2)
        ranks = greater + (equal + 1) / 2  # mid-ranks
        h, start = 0.0, 0
        for m in members:
            h = h + ranks[:, start:start + len(m)].sum(axis=1) ** 2 / len(m)
            start += len(m)
        h = 12 / (n * (n + 1)) * h - 3 * (n + 1)
        correction = 1 - (equal ** 2 - 1).sum(axis=1) / (n ** 3 - n)
        return np.where(correction > 0, h / np.where(correction > 0, correction, 1), 0) / (n - 1)
    return stat


def effect_bounds(values: np.ndarray, movable: np.ndarray, groups: np.ndarray, levels: list[str]) -> tuple[float, float, bool]:
    """Smallest and largest sub-group effect size (rank-biserial for two ``levels``, first against
    second; epsilon² for more) of the respondents' mean scores over the arrangements,

    .. math:: \\Big[\\min_\\pi r(\\pi),\\; \\max_\\pi r(\\pi)\\Big], \\quad
              r = \\frac{2U}{n_1 n_2} - 1 \\text{ or } \\varepsilon^2 = \\frac{H}{n - 1},

    as far as the search finds them. Start from the arrangements that give one group the highest
    answers of every item and from the reconstruction itself, then climb by swaps: for two
    groups, each end starts from the order that favours its sign and from the reconstruction; for
    three, the largest epsilon² starts from the three orders that put each group in the middle
    once (epsilon² is the same for an order and its reverse, so these are every order), for more
    from the order of ``levels``, and from the reconstruction; the smallest epsilon² starts from
    the reconstruction only. Exact (the third value) for two groups with one item and no locked
    cells (the sorted assignment is then optimal) or where both ends reach their limits (±1);
    otherwise the true range is at least as wide.

    References
    ----------
    Manski (2003), see :func:`locked_cells`. Papadimitriou & Steiglitz (1982), see
    :class:`Arrangement`. The effect sizes: :func:`analysis_utils.stats.effects.rank_biserial`
    and :func:`analysis_utils.stats.effects.epsilon_squared`.

    Examples
    --------
    >>> values = np.array([[1.], [1.], [1.], [2.]])
    >>> effect_bounds(values, np.ones((4, 1), dtype=bool), np.array(["a", "a", "b", "b"]), ["a", "b"])
    (-0.5, 0.5, True)
    """
    answered = ~np.isnan(values).all(axis=1)
    member = [np.flatnonzero((groups == lvl) & answered) for lvl in levels]
    rest = np.setdiff1d(np.arange(len(groups)), np.concatenate(member))
    two = len(levels) == 2
    stat = _batch_rank_biserial(*member) if two else _batch_epsilon_squared(member)
    if two:  # the group that should come out higher gets the highest answers; and as reconstructed
        plan = {1: [member, None], -1: [member[::-1], None]}
    else:  # the largest effect: each group in the middle once; the smallest: from the reconstruction
        perms = ([0, 1, 2], [1, 0, 2], [0, 2, 1]) if len(levels) == 3 else [list(range(len(levels)))]
        plan = {1: [[member[i] for i in p] for p in perms] + [None], -1: [None]}
    found = {}
    for sign, starts in plan.items():
        best = -np.inf
        for ordered in starts:
            arr = Arrangement(values, movable)
            if ordered is not None:
                arr.sort_items(np.concatenate([*ordered, rest]), descending=True)
            best = max(best, arr.climb(lambda sc: sign * stat(sc)))
        found[sign] = sign * best
    upper, lower = found[1], found[-1]
    single = values.shape[1] == 1 and movable[~np.isnan(values)].all()
    exact = two and (single or (upper >= 1 - 1e-12 and lower <= -1 + 1e-12))
    return float(lower), float(upper), bool(exact)



def arrangement_range(df: pd.DataFrame, links: list[dict], codebook: Codebook) -> tuple[np.ndarray, np.ndarray]:
    """The per-respondent hit counts that make the pooled interval widest and narrowest over
    every way of giving each item's answers to its respondents, keeping each item's counts and
    who answered it (the reconstruction's own marginals) — exactly so where every respondent
    answered equally many of the items (see below).

    The pooled variance (:func:`analysis_utils.stats.intervals.pooled_interval`) is

    .. math:: \\hat V = \\frac{1}{m^2} \\sum_i (h_i - \\hat p a_i)^2
              = \\frac{1}{m^2} \\Big(\\sum_i h_i^2 - 2 \\hat p \\sum_i h_i a_i + \\hat p^2 \\sum_i a_i^2\\Big),

    and :math:`m`, :math:`\\hat p` and the :math:`a_i` stay fixed. The two arrangements returned
    are those of the largest and the smallest sum of squared hits :math:`\\sum_i h_i^2`. Where
    every respondent answered equally many of the items, :math:`\\sum_i h_i a_i` is fixed too,
    and they are the widest and narrowest interval; where some answered fewer (the pilots, which
    lacked items), the middle term moves as well, and the two need not be the extremes (they can
    even trade places). Largest sum of squares: every item gives its hits to the same people
    first, those who answered most items first (comonotone; exact when who answered is nested, as
    with the pilots). Smallest: the hits spread as evenly as possible, an exact convex min-cost
    assignment solved as an integer linear programme with ``scipy.optimize.milp`` (HiGHS).

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. New York: Wiley. Marshall, A. W., Olkin, I., & Arnold,
    B. C. (2011). *Inequalities: Theory of Majorization and Its Applications* (2nd ed.). New York:
    Springer. Huangfu, Q., & Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
    *Mathematical Programming Computation*, 10(1), 119–142 (HiGHS).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> links = [{"item": i, "direction": "agree = strengthening"} for i in ("q13_ask_help_easily", "q14_sincere")]
    >>> df = pd.DataFrame({"q13_ask_help_easily": pd.array([5, 5, 1, 1], dtype="Int64"),
    ...                    "q14_sincere": pd.array([5, 1, 5, 1], dtype="Int64")})
    >>> widest, narrowest = arrangement_range(df, links, load_codebook())
    >>> widest.tolist(), narrowest.tolist()
    ([2.0, 2.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0])
    """
    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import lil_matrix

    answered = np.column_stack([df[link["item"]].notna().to_numpy() for link in links])
    hits = np.array([df[link["item"]].isin(strengthening_codes(link, codebook)).fillna(False).sum() for link in links])
    n, k = answered.shape
    # widest: respondents in a fixed order (those answering most items first), hits to the first
    order = np.argsort(-answered.sum(axis=1), kind="stable")
    widest = np.zeros(n)
    for j in range(k):
        who = order[answered[order, j]][: hits[j]]
        widest[who] += 1
    # narrowest: x_ij (hit of respondent i on item j) and z_it (respondent i has at least t hits),
    # minimise sum (2t - 1) z_it = sum of squared hits; the costs rise with t, so z fills from below
    cells = [(i, j) for i in range(n) for j in range(k) if answered[i, j]]
    nx, nz = len(cells), n * k
    cost = np.concatenate([np.zeros(nx), np.tile(2 * np.arange(1, k + 1) - 1, n)])
    rows = lil_matrix((k + n, nx + nz))
    for c, (i, j) in enumerate(cells):
        rows[j, c] = 1          # item j gives exactly its hits
        rows[k + i, c] = 1      # respondent i's hits ...
    for i in range(n):
        rows[k + i, nx + i * k: nx + (i + 1) * k] = -1  # ... equal the sum of its z
    bounds = np.concatenate([hits, np.zeros(n)])
    res = milp(cost, constraints=LinearConstraint(rows.tocsr(), bounds, bounds), integrality=np.ones(nx + nz),
               bounds=(0, 1))
    narrowest = np.zeros(n)
    for c, (i, j) in enumerate(cells):
        narrowest[i] += round(res.x[c])
    return widest, narrowest
