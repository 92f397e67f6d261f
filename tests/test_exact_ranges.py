"""Issue 25 §3: identified ranges over the arrangements the published facts allow, with facts
as strong as the thesis makes them (a count of women, not a row), checked against enumerating
every arrangement of small problems: the integer programmes and the counting of compositions
are exact, the search reaches only values that exist."""
import itertools

import numpy as np
import pytest

from analysis_utils.stats import effects, programmes
from analysis_utils.stats.compositions import epsilon_squared_by_composition, rank_biserial_by_composition
from analysis_utils.stats.arrangements import Arrangement
from analysis_utils.stats.effect_ranges import effect_bounds


def _every(values, guards=None):
    """Every arrangement (each column permuted; the grouping is fixed, so every column moves)
    that keeps each guarded count, as arrangements x respondents x items."""
    n, k = values.shape
    columns = [np.unique(np.array(list(itertools.permutations(values[:, j]))), axis=0) for j in range(k)]
    for j, facts in (guards or {}).items():
        for codes, rows in facts:
            keep = (np.isin(columns[j], codes) & rows).sum(axis=1) == (np.isin(values[:, j], codes) & rows).sum()
            columns[j] = columns[j][keep]
    choice = np.stack(np.meshgrid(*(np.arange(len(c)) for c in columns), indexing="ij"), axis=-1).reshape(-1, k)
    return np.stack([c[choice[:, j]] for j, c in enumerate(columns)], axis=-1)


def _problem(seed, n=6, k=2):
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 5, (n, k)).astype(float)
    women = rng.random(n) < 0.5
    code = values[int(np.flatnonzero(women)[0]) if women.any() else 0, 0]
    return values, {0: [(np.array([code]), women)]}


@pytest.mark.parametrize("seed", range(6))
def test_the_search_reaches_only_arrangements_that_keep_the_guard(seed):
    values, guards = _problem(seed)
    first, second = np.array([0, 1, 2]), np.array([3, 4, 5])
    every = _every(values, guards).mean(axis=2)
    found = [effects.rank_biserial(m[first], m[second]) for m in every]
    movable = np.ones_like(values, dtype=bool)
    lower, upper, exact = effect_bounds(values, movable, np.array(["a"] * 3 + ["b"] * 3), ["a", "b"], guards)
    assert min(found) - 1e-9 <= lower <= upper <= max(found) + 1e-9
    if exact:
        assert (lower, upper) == pytest.approx((min(found), max(found)))


@pytest.mark.parametrize("seed", range(6))
def test_one_guarded_item_is_solved_exactly(seed):
    values, guards = _problem(seed, n=7, k=1)
    groups = np.array(["a", "a", "a", "b", "b", "b", "b"])
    every = _every(values, guards)[:, :, 0]
    found = [effects.rank_biserial(m[:3], m[3:]) for m in every]
    lower, upper, exact = effect_bounds(values, np.ones_like(values, dtype=bool), groups, ["a", "b"], guards)
    assert exact and (lower, upper) == pytest.approx((min(found), max(found)))


@pytest.mark.parametrize("seed", range(8))
def test_counting_compositions_equals_every_arrangement_with_and_without_a_guard(seed):
    rng = np.random.default_rng(seed)
    column = rng.integers(1, 4, 8).astype(float)
    column[rng.integers(0, 8)] = np.nan  # one row did not answer
    named = rng.random(8) < 0.5
    answered = np.flatnonzero(~np.isnan(column))
    member = [answered[:3], answered[3:5], answered[5:]]  # the last answered row is in no group
    guard = (np.array([column[answered[0]]]), named)
    every = np.unique(np.array(list(itertools.permutations(column[answered]))), axis=0)
    for g in (None, guard):
        arranged = []
        for perm in every:
            col = column.copy()
            col[answered] = perm
            if g is None or (named & np.isin(col, g[0])).sum() == (named & np.isin(column, g[0])).sum():
                arranged.append(col)
        eps = [effects.epsilon_squared([col[m] for m in member[:3]]) for col in arranged]
        assert epsilon_squared_by_composition(column, member, g) == pytest.approx((min(eps), max(eps)))
        two = [member[0], member[1]]
        rb = [effects.rank_biserial(col[two[0]], col[two[1]]) for col in arranged]
        assert rank_biserial_by_composition(column, two, g) == pytest.approx((min(rb), max(rb)))


@pytest.mark.parametrize("seed", range(8))
def test_constant_groups_is_found_exactly_when_some_arrangement_has_it(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 4, (6, 2)).astype(float)
    member = [np.array([0, 1]), np.array([2, 3]), np.array([4, 5])]
    sums = _every(values).sum(axis=2)
    exists = any(all(len({*s[m]}) == 1 for m in member) and s[0] > s[2] > s[4] for s in sums)
    out = programmes.constant_groups(values, np.ones_like(values, dtype=bool), member, (0, 1, 2), node_limit=10_000)
    assert (out is not None) == exists
    if out is not None:
        assert all(sorted(out[:, j]) == sorted(values[:, j]) for j in range(2))
        assert effects.epsilon_squared([out[m].mean(axis=1) for m in member]) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(6))
def test_climbs_keep_every_guarded_count(seed):
    values, guards = _problem(seed, n=8, k=3)
    codes, rows = guards[0][0]
    arr = Arrangement(values, np.ones_like(values, dtype=bool), guards).sort_items(np.arange(8)[::-1])
    arr.climb(lambda scores: scores[:, :4].mean(axis=1) - scores[:, 4:].mean(axis=1))
    assert (np.isin(arr.values[:, 0], codes) & rows).sum() == (np.isin(values[:, 0], codes) & rows).sum()
    assert all(sorted(arr.values[:, j]) == sorted(values[:, j]) for j in range(3))


@pytest.mark.parametrize("seed", range(8))
def test_alpha_with_a_guard_is_proven_only_where_it_reaches_what_no_arrangement_passes(seed):
    from analysis_utils.stats.bounds import alpha_bounds

    values, guards = _problem(seed, n=5, k=3)
    values[0], values[1] = 1, 4  # no constant item
    every = _every(values, guards)
    alphas = [effects.cronbach_alpha(a) for a in every]
    lower, upper, exact = alpha_bounds(values, np.ones_like(values, dtype=bool), guards)
    assert min(alphas) - 1e-9 <= lower <= upper <= max(alphas) + 1e-9  # reached, so inside
    if exact:
        assert (lower, upper) == pytest.approx((min(alphas), max(alphas)))


def test_kicks_leave_a_local_optimum_of_single_swaps_and_never_fall_below_it():
    """Three groups, three items: from an arrangement no single swap improves (epsilon² 0.96),
    the iterated local search (``_kicked``) reaches 1, the best value, which every arrangement
    counted confirms; it never returns less than it was given and stops at the limit."""
    from analysis_utils.stats import effect_ranges as er

    values = np.array([[1, 3, 2], [2, 3, 2], [2, 3, 2], [2, 3, 2], [2, 2, 3], [2, 1, 2], [1, 2, 2], [1, 2, 2.]])
    member = [np.array([0, 1, 2]), np.array([3, 4, 5]), np.array([6, 7])]
    stat = er._batch_epsilon_squared(member)
    placed = [np.array(sorted(set(itertools.permutations(values[:, j])))) for j in range(3)]
    best = max(float(stat((a + b + placed[2]) / 3).max()) for a in placed[0] for b in placed[1])
    arr = Arrangement(values, np.ones_like(values, dtype=bool))
    start = arr.climb(stat)
    assert start < best - 0.01  # a local optimum
    assert er._kicked((start, arr), stat) == pytest.approx(best) == pytest.approx(1.0)
    assert er._kicked((0.5, arr), stat, limit=0.5) == 0.5  # at the limit: nothing to do
    assert er._kicked((start, Arrangement(arr.values, arr.movable)), stat) == er._kicked((start, arr), stat)  # seeded


def test_kicks_keep_every_guarded_count():
    """A guard (so many of these rows give this answer) holds through every kick: the search
    never reports a value that only an arrangement breaking a published fact reaches."""
    from analysis_utils.stats import effect_ranges as er

    values = np.array([[1, 3, 2], [2, 3, 2], [2, 3, 2], [2, 3, 2], [2, 2, 3], [2, 1, 2], [1, 2, 2], [1, 2, 2.]])
    guards = {0: [(np.array([1.0]), np.array([True, True, True, False, False, False, False, False]))]}
    member = [np.array([0, 1, 2]), np.array([3, 4, 5]), np.array([6, 7])]
    stat, climbs = er._batch_epsilon_squared(member), []
    arr = Arrangement(values, np.ones_like(values, dtype=bool), guards)
    original = er.Arrangement.climb

    def climb(self, batch, *args, **kwargs):
        out = original(self, batch, *args, **kwargs)
        assert self.counts(0) == [1]  # one 1 among the first three rows, as the guard keeps it
        climbs.append(out)
        return out

    er.Arrangement.climb = climb
    try:
        er._kicked((arr.climb(stat), arr), stat, limit=2.0)  # never reached: every kick runs
    finally:
        er.Arrangement.climb = original
    assert len(climbs) == 1 + er.KICKS  # the first climb and every kick


@pytest.mark.parametrize("values", [
    [[5, 5, 4], [4, 5, 5], [4, 4, 4], [5, 3, 5], [3, np.nan, 4]],
    [[1, 2, 3], [2, 2, 3], [3, 1, 1], [2, 3, np.nan], [1, np.nan, np.nan]],
    [[1, 1], [2, 2], [4, 5], [3, np.nan]],  # no way of holding makes the totals even: a finite lower end
])
def test_alpha_over_holders_equals_every_arrangement_counted(values):
    """Alpha of the complete respondents when a partial respondent's answers move too: the ends
    match every arrangement of every item's answers among those who answered it, counted."""
    from analysis_utils.stats.effects import cronbach_alpha
    from analysis_utils.stats.held_answers import alpha_over_holders

    values = np.array(values, dtype=float)
    answered = ~np.isnan(values)
    complete = answered.all(axis=1)
    placements = []
    for j in range(values.shape[1]):
        rows = np.flatnonzero(answered[:, j])
        placements.append([(rows, p) for p in set(itertools.permutations(values[rows, j]))])
    seen = []
    for combo in itertools.product(*placements):
        m = values.copy()
        for j, (rows, p) in enumerate(combo):
            m[rows, j] = p
        with np.errstate(divide="ignore", invalid="ignore"):
            seen.append(cronbach_alpha(m[complete]))
    seen = [-np.inf if not np.isfinite(a) else a for a in seen]
    lower, upper, exact = alpha_over_holders(values, np.ones_like(values, dtype=bool))
    assert exact and upper == pytest.approx(max(seen)) and lower == pytest.approx(min(seen))
    if lower > -np.inf:  # more ways of holding than it may search, and no even totals: no claim
        assert alpha_over_holders(values, np.ones_like(values, dtype=bool), max_searched=1) is None
    locked = np.ones_like(values, dtype=bool)
    locked[0, 0] = False
    assert alpha_over_holders(values, locked) is None  # a locked cell: not this method's problem


@pytest.mark.parametrize("seed", range(6))
def test_separable_agrees_with_every_arrangement_counted(seed):
    """Whether one group can lie wholly below the other, with a guarded count: the integer
    programme's answer matches every arrangement counted (both answers occur among the seeds)."""
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 4, size=(6, 2)).astype(float)
    named = np.array([True, True, True, False, False, False])
    guards = {0: [(np.array([values[0, 0]]), named)]}
    keep = int((named & (values[:, 0] == values[0, 0])).sum())
    low, high = np.array([0, 1, 2]), np.array([3, 4])
    possible = False
    for a in set(itertools.permutations(values[:, 0])):
        if int((named & (np.array(a) == values[0, 0])).sum()) != keep:
            continue
        for b in set(itertools.permutations(values[:, 1])):
            scores = (np.array(a) + np.array(b)) / 2
            possible |= bool(scores[low].max() < scores[high].min())
    assert programmes.separable(values, np.ones_like(values, dtype=bool), low, high, guards) is possible
