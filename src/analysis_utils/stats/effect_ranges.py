"""Sub-group effect sizes at their extremes: the smallest and largest rank-biserial correlation
(two groups) or epsilon² (more) of the respondents' mean scores over every arrangement of one
intake's answers that the published facts allow (:class:`~analysis_utils.stats.arrangements.Arrangement`),
found by search, by integer programming (:mod:`analysis_utils.stats.programmes`) or, for one item,
by counting every way the answers can fall into the groups (:mod:`analysis_utils.stats.compositions`).

Examples
--------
>>> values = np.array([[1.], [2.], [4.], [5.]])
>>> effect_bounds(values, np.ones((4, 1), dtype=bool), np.array(["a", "a", "b", "b"]), ["a", "b"])
(-1.0, 1.0, True)
"""
from __future__ import annotations

import itertools

import numpy as np

from .arrangements import Arrangement
from .compositions import epsilon_squared_by_composition, rank_biserial_by_composition
from .programmes import constant_groups, separable


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


def effect_bounds(values: np.ndarray, movable: np.ndarray, groups: np.ndarray, levels: list[str],
                  guards: dict[int, list] | None = None) -> tuple[float, float, bool]:
    """Smallest and largest sub-group effect size (rank-biserial for two ``levels``, first against
    second; epsilon² for more) of the respondents' mean scores over the arrangements that keep
    every item's answers, the locked cells and the guarded counts (``guards``, by column: see
    :func:`~analysis_utils.stats.arrangements.locked_cells`),

    .. math:: \\Big[\\min_\\pi r(\\pi),\\; \\max_\\pi r(\\pi)\\Big], \\quad
              r = \\frac{2U}{n_1 n_2} - 1 \\text{ or } \\varepsilon^2 = \\frac{H}{n - 1}.

    With one item, under at most one fact tying it, every way its answers can fall into the
    groups is counted (:mod:`analysis_utils.stats.compositions`): exact. Otherwise a search:
    climbs by swaps from the reconstruction and from arrangements that give one group every
    item's highest answers, the next group the next (each group's scores once as they come and
    once as even as the answers allow,
    :meth:`~analysis_utils.stats.arrangements.Arrangement.separate`); for two groups each end
    starts from the order that favours its sign, for more see :func:`_epsilon_squared_bounds`;
    an end short of its limit is kicked on from the best arrangement (iterated local search,
    :func:`_kicked`). The third value says both ends are proven: counted, or reached their limits
    (±1; 0 and 1), or (two groups) one tied pair short of ±1 where an integer programme proves ±1
    out of reach (:func:`~analysis_utils.stats.programmes.separable`; the rank-biserial moves in
    steps of :math:`1 / (n_1 n_2)`). Otherwise the true range is at least as wide as the one returned.

    References
    ----------
    Manski (2003), see :func:`~analysis_utils.stats.arrangements.locked_cells`. Papadimitriou &
    Steiglitz (1982), see :class:`~analysis_utils.stats.arrangements.Arrangement`. Lourenço, H. R.,
    Martin, O. C., & Stützle, T. (2003). Iterated local search. In F. Glover & G. A. Kochenberger
    (Eds.), *Handbook of Metaheuristics* (pp. 320–353). Boston: Kluwer. The effect
    sizes: :func:`analysis_utils.stats.effects.rank_biserial` and
    :func:`analysis_utils.stats.effects.epsilon_squared`.

    Examples
    --------
    >>> values = np.array([[1.], [1.], [1.], [2.]])
    >>> effect_bounds(values, np.ones((4, 1), dtype=bool), np.array(["a", "a", "b", "b"]), ["a", "b"])
    (-0.5, 0.5, True)
    """
    answered = ~np.isnan(values).all(axis=1)
    member = [np.flatnonzero((groups == lvl) & answered) for lvl in levels]
    rest = np.setdiff1d(np.arange(len(groups)), np.concatenate(member))
    facts = [g for held in (guards or {}).values() for g in held]
    if values.shape[1] == 1 and movable[~np.isnan(values)].all() and len(facts) <= 1:  # one item: counted
        count = rank_biserial_by_composition if len(levels) == 2 else epsilon_squared_by_composition
        exact = count(values[:, 0], member, facts[0] if facts else None)
        if exact is not None:
            return exact[0], exact[1], True
    if len(levels) > 2:
        lower, upper = _epsilon_squared_bounds(values, movable, guards, member, rest)
        lower, upper = (0.0 if lower <= 1e-12 else lower), (1.0 if upper >= 1 - 1e-12 else upper)  # limits reached
        return lower, upper, bool(lower == 0.0 and upper == 1.0)
    stat = _batch_rank_biserial(*member)
    found, proven = {}, {}
    next_to_limit = 1 - 1 / (len(member[0]) * len(member[1]))  # one tied pair short of complete separation
    for sign, (hi, lo) in ((1, member), (-1, member[::-1])):  # the group that should come out higher first
        starts = [("reconstruction", None), ("sorted", [hi, lo, rest]), ("separate", [hi, lo, rest])]
        reached = _kicked(_climbed((values, movable, guards), starts, lambda sc, s=sign: s * stat(sc)),
                          lambda sc, s=sign: s * stat(sc))
        found[sign] = sign * (1.0 if reached >= 1 - 1e-12 else reached)  # a limit reached is the limit
        proven[sign] = reached >= 1 - 1e-12 or (abs(reached - next_to_limit) < 1e-12 and _integer(values)
                                               and separable(values, movable, lo, hi, guards) is False)
    return float(found[-1]), float(found[1]), bool(proven[1] and proven[-1])


def _integer(values: np.ndarray) -> bool:
    return bool(np.all(np.isnan(values) | (values == np.round(values))))


def _epsilon_squared_bounds(values, movable, guards, member, rest) -> tuple[float, float]:
    """The search's ends for epsilon²: the largest from every order of the groups (one group's
    answers highest, the next's next), each sorted, made even within the groups
    (:meth:`~analysis_utils.stats.arrangements.Arrangement.separate`), and made even then first climbed on the share of the raw
    scores' variance between the groups (a smoother target than ranks); the smallest from the
    reconstruction and from the groups interleaved in proportion, highest and lowest first; each
    kicked on where it falls short of its limit (:func:`_kicked`)."""
    stat = _batch_epsilon_squared(member)
    orders = list(itertools.permutations(range(len(member)))) if len(member) <= 4 else [range(len(member))]
    starts, sorted_orders = [("reconstruction", None)], set()
    for order in map(tuple, orders):  # sorted: an order and its reverse give the same epsilon², so one of the two
        blocks = [*(member[i] for i in order), rest]
        if order[::-1] not in sorted_orders:
            sorted_orders.add(order)
            starts.append(("sorted", blocks))
        starts += [("between", blocks)] if values.shape[1] > 1 else []  # one item: as sorted
    climbed = _climbed((values, movable, guards), starts, stat, _between_share(member))
    upper = climbed[0]
    if upper < 1 - 1e-12 and _integer(values):  # every group of one score: epsilon² 1, if an order allows it
        for order in orders:
            found = constant_groups(values, movable, member, tuple(order), guards)
            if found is not None:
                upper = max(upper, float(stat(Arrangement(found, movable).scores()[None, :])[0]))
                break
    upper = max(upper, _kicked(climbed, stat)) if upper < 1 - 1e-12 else upper
    mixed = [("reconstruction", None), ("sorted", [_interleaved(member), rest]), ("ascending", [_interleaved(member), rest])]
    lower = -_kicked(_climbed((values, movable, guards), mixed, lambda sc: -stat(sc)), lambda sc: -stat(sc), 0.0)
    return float(lower), float(upper)


def _interleaved(member: list[np.ndarray]) -> np.ndarray:
    """The groups' rows interleaved in proportion to their sizes (each group spread evenly)."""
    at = sorted((k / len(m), g, i) for g, m in enumerate(member) for k, i in enumerate(m))
    return np.array([i for _pos, _g, i in at], dtype=int)


def _between_share(member: list[np.ndarray]):
    """Candidates x respondents scores -> the share of the scores' sum of squares between groups."""
    rows = np.concatenate(member)

    def share(scores):
        s = scores[:, rows]
        grand = s.mean(axis=1)
        total = ((s - grand[:, None]) ** 2).sum(axis=1)
        between = sum(len(m) * (scores[:, m].mean(axis=1) - grand) ** 2 for m in member)
        return between / np.where(total > 0, total, 1)
    return share


def _climbed(answers: tuple, starts, stat, smooth=None) -> tuple[float, Arrangement]:
    """The best value of ``stat`` the climbs reach from ``starts``: (kind, blocks of rows in
    order) with kind ``reconstruction`` (as it is), ``sorted`` (the first block gets every
    item's highest answers), ``ascending`` (its lowest), ``separate``
    (:meth:`~analysis_utils.stats.arrangements.Arrangement.separate`) or ``between`` (separate, then a climb on ``smooth``);
    ``answers``: (values, movable, guards). Returns the best value and its arrangement."""
    best, found = -np.inf, None
    for kind, blocks in starts:
        arr = Arrangement(*answers)
        if kind in ("sorted", "ascending"):
            arr.sort_items(np.concatenate(blocks), descending=kind == "sorted")
        elif kind in ("separate", "between"):
            arr.separate(blocks)
        if kind == "between":
            arr.climb(smooth)
        reached = arr.climb(stat)
        if reached > best:
            best, found = reached, arr
    return best, found


KICKS, KICK_SWAPS = 12, 8


def _kicked(climbed: tuple[float, Arrangement], stat, limit: float = 1.0) -> float:
    """Iterated local search: short of ``limit`` (what ``stat`` cannot pass), from the best
    arrangement :func:`_climbed` found, ``KICKS`` times make ``KICK_SWAPS``
    random allowed swaps and climb again, keeping the result when it is at least as good (a
    fixed seed: the same input gives the same ends). Local optima of single swaps trap the climb
    where a better arrangement moves several answers at once (Lourenço, Martin & Stützle, 2003,
    see :func:`effect_bounds`)."""
    reached, arr = climbed
    rng = np.random.default_rng(0)
    for _ in range(KICKS if reached < limit - 1e-12 else 0):
        trial = Arrangement(arr.values, arr.movable, arr.guards)
        for _swap in range(KICK_SWAPS):
            j = int(rng.integers(arr.values.shape[1]))
            pairs = np.argwhere(np.triu(trial.swappable(j), 1))
            if len(pairs):
                a, b = pairs[rng.integers(len(pairs))]
                trial.values[[a, b], j] = trial.values[[b, a], j]
        trial.sums = np.nansum(trial.values, axis=1)
        value = trial.climb(stat)
        if value >= reached - 1e-12:
            arr, reached = trial, max(reached, value)
        if reached >= limit - 1e-12:
            break
    return reached
