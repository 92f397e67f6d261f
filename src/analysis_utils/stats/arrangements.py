"""Arrangements of one intake's answers: which cells may move, the swaps a local search makes,
and the respondent-level interval widths at their extremes (see :mod:`analysis_utils.stats.bounds`
for the methods and their references, :mod:`analysis_utils.stats.effect_ranges` for the
sub-group effect sizes).

Examples
--------
>>> arr = Arrangement(np.array([[1.], [2.], [4.], [5.]]), np.ones((4, 1), dtype=bool))
>>> arr.sort_items(np.array([3, 2, 1, 0])).scores().tolist()
[1.0, 2.0, 4.0, 5.0]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Codebook, mask
from ..theory_map import strengthening_codes


def locked_cells(df: pd.DataFrame, items: list[str], facts: list[dict],
                 follow_ups: dict[str, str] | None = None) -> tuple[dict[str, np.ndarray], dict[str, list]]:
    """Per item, what the published facts that tie it to another variable (a fact whose
    ``where`` names the item and something else) leave free: (locked, guards).

    A fact tied to variables that do not move (gender, mode of interview; or a follow-up of the
    item itself, whose answer travels with it) fixes only a count: of the rows that meet its
    other conditions, so many give the item one of its codes. That is a *guard*, ``(codes,
    rows)``: the item's answers may move as long as the count stays,

    .. math:: \sum_{i \in R_f} \mathbf{1}[x_{ij} \in C_{fj}] = c_f,

    for the rows :math:`R_f` that meet fact :math:`f`'s other conditions and its codes
    :math:`C_{fj}` of item :math:`j` (the 'eerder niet' answer is a woman's, any woman's). A fact
    tied to another item that may move, or one about missing answers, *locks* the cells of the
    rows that meet it: they stay as they are.

    References
    ----------
    Manski, C. F. (2003). *Partial Identification of Probability Distributions*. New York:
    Springer (only the arrangements the published facts allow). Such a fact: the 2015 bachelor
    thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk, social work), lines
    1773–1775 (the one "eerder niet" on autonomy is a woman's).

    Examples
    --------
    >>> df = pd.DataFrame({"q16_autonomy": [2, 4, 5], "q01_gender": [2, 1, 2]})
    >>> fact = {"where": {"q16_autonomy": [2], "q01_gender": [2]}}
    >>> locked, guards = locked_cells(df, ["q16_autonomy"], [fact])
    >>> locked["q16_autonomy"].tolist(), [(c.tolist(), r.tolist()) for c, r in guards["q16_autonomy"]]
    ([False, False, False], [([2.0], [True, False, True])])
    """
    follow_ups = follow_ups or {}
    locked = {i: np.zeros(len(df), dtype=bool) for i in items}
    guards: dict[str, list] = {i: [] for i in items}
    for f in facts:
        where = f.get("where") or {}
        if len(where) < 2:
            continue
        for item in set(where) & set(items):
            others = {k: v for k, v in where.items() if k != item and follow_ups.get(k) != item}
            if not others:
                continue  # only the item and its own follow-up: the pair moves together
            codes = where[item]
            if isinstance(codes, str) or set(others) & set(items) or any(isinstance(v, str) for v in others.values()):
                locked[item] |= mask(df, where).to_numpy(dtype=bool)
            else:
                guards[item].append((np.asarray(codes, dtype=float), mask(df, others).to_numpy(dtype=bool)))
    return locked, guards


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

    def __init__(self, values: np.ndarray, movable: np.ndarray, guards: dict[int, list] | None = None):
        self.values = values.astype(float).copy()
        self.movable = movable & ~np.isnan(values)
        self.guards = guards or {}  # column -> [(codes, rows)]: counts a swap must keep (see locked_cells)
        self.answered = (~np.isnan(self.values)).sum(axis=1)
        self.sums = np.nansum(self.values, axis=1)

    def scores(self) -> np.ndarray:
        """Mean of each respondent's answered items (NaN for none)."""
        return np.where(self.answered > 0, self.sums / np.maximum(self.answered, 1), np.nan)

    def counts(self, j: int) -> list[int]:
        """The counts the guards of column ``j`` keep."""
        return [int((rows & np.isin(self.values[:, j], codes)).sum()) for codes, rows in self.guards.get(j, [])]

    def sort_items(self, order: np.ndarray, descending: bool = True, items=None) -> "Arrangement":
        """Within every item (or those of ``items``), give the movable answers to the movable
        rows in ``order``: the first rows get the highest (or lowest) answers. Under a guard, the
        cells that meet its fact stay; if the sort would still change a guarded count, every row
        the fact names keeps its answer."""
        for j in (range(self.values.shape[1]) if items is None else items):
            before, kept = self.values[:, j].copy(), self.counts(j)
            meeting = np.zeros(len(before), dtype=bool)
            named = meeting.copy()
            for codes, rows in self.guards.get(j, []):
                meeting |= rows & np.isin(before, codes)
                named |= rows
            for hold in (meeting, named):
                self.values[:, j] = before
                rows = [i for i in order if self.movable[i, j] and not hold[i]]
                vals = np.sort(self.values[rows, j])
                self.values[rows, j] = vals[::-1] if descending else vals
                if self.counts(j) == kept:
                    break
        self.sums = np.nansum(self.values, axis=1)
        return self

    def separate(self, blocks: list[np.ndarray]) -> "Arrangement":
        """Every item gives its highest answers to the first block of rows, the next to the
        second, and so on; inside a block, the higher answers go to the rows whose answers so far
        are lowest, so each block's scores come out as even as the answers allow (items with the
        largest variance first)."""
        done = np.where(self.movable, 0, np.nan_to_num(self.values)).sum(axis=1)
        seen = (~self.movable & ~np.isnan(self.values)).sum(axis=1)
        for j in np.argsort(-np.nanvar(self.values, axis=0), kind="stable"):
            order = np.concatenate([b[np.argsort(done[b] / np.maximum(seen[b], 1), kind="stable")] for b in blocks])
            self.sort_items(order, True, [j])
            m = self.movable[:, j]
            done[m] += self.values[m, j]
            seen[m] += 1
        return self

    def swappable(self, j: int) -> np.ndarray:
        """n x n: the row pairs whose answers to column ``j`` may swap (both movable, different,
        and every guarded count kept: the two answers on the same side of the fact's codes, or
        the two rows on the same side of its other conditions)."""
        col, mov = self.values[:, j], self.movable[:, j]
        ok = mov[:, None] & mov[None, :] & (col[:, None] != col[None, :])
        for codes, rows in self.guards.get(j, []):
            inside = np.isin(col, codes)
            ok &= (inside[:, None] == inside[None, :]) | (rows[:, None] == rows[None, :])
        return ok

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
                ok = allowed & self.swappable(j)
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
