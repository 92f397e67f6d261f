"""Issue 8 §3: identified ranges — the smallest and largest value any arrangement of the published
answers allows, checked against enumerating every arrangement of small problems."""
import itertools

import numpy as np
import pytest

from analysis_utils import identification as idn
from analysis_utils.cleaning import clean
from analysis_utils.codebook import load_codebook
from analysis_utils.intake import read_intake


@pytest.fixture(scope="module")
def genk(default_intake):
    return clean(read_intake(default_intake).responses, load_codebook("v1"))


def _arrangements(values):
    """Every arrangement of a respondents x items matrix: each item's column permuted (the first
    item held fixed: permuting all rows together changes nothing)."""
    n, k = values.shape
    perms = list(itertools.permutations(range(n)))
    for choice in itertools.product(perms, repeat=k - 1):
        yield np.column_stack([values[:, 0]] + [values[list(p), j + 1] for j, p in enumerate(choice)])


def _every_alpha(values):
    """Cronbach's alpha of every arrangement (:func:`_arrangements`), at once: the items' own
    variances do not change when answers move between respondents, only the totals' variance does.
    Checked against :func:`identification.cronbach_alpha` at the two ends."""
    n, k = values.shape
    perms = np.array(list(itertools.permutations(range(n))))
    totals = values[:, 0]
    for j in range(1, k):
        totals = totals[..., None, :] + values[perms, j].reshape((1,) * (totals.ndim - 1) + perms.shape)
    totals = totals.reshape(-1, n)
    items = values.var(axis=0, ddof=1).sum()
    alphas = k / (k - 1) * (1 - items / totals.var(axis=1, ddof=1))
    arrangements = list(_arrangements(values))
    for i in (int(np.argmin(alphas)), int(np.argmax(alphas))):
        assert idn.cronbach_alpha(arrangements[i]) == pytest.approx(alphas[i])
    return alphas


@pytest.mark.parametrize("seed", range(6))
def test_at_least_one_bounds_equal_every_arrangement(seed):
    rng = np.random.default_rng(seed)
    n, k = 5, 3
    values = (rng.random((n, k)) < rng.random(k)).astype(float)
    shares = [float(a.any(axis=1).mean()) for a in _arrangements(values)]
    assert idn.at_least_one_bounds(values.sum(axis=0).astype(int).tolist(), n) == (min(shares), max(shares))


@pytest.mark.parametrize("seed", range(6))
def test_spearman_bounds_equal_every_pairing(seed):
    from scipy.stats import spearmanr

    rng = np.random.default_rng(seed)
    x, y = rng.integers(1, 6, 6).astype(float), rng.integers(1, 6, 6).astype(float)
    if len(set(x)) < 2 or len(set(y)) < 2:
        pytest.skip("a constant answer has no correlation")
    values = [spearmanr(x, y[list(p)])[0] for p in itertools.permutations(range(6))]
    assert idn.spearman_bounds(x, y) == pytest.approx((min(values), max(values)))


@pytest.mark.parametrize("seed", range(8))
def test_alpha_bounds_equal_every_arrangement(seed):
    rng = np.random.default_rng(seed)
    n, k = 5, 3
    values = rng.integers(1, 6, (n, k)).astype(float)
    if (values.var(axis=0) == 0).any():
        values[0, :] = 1; values[1, :] = 5
    alphas = _every_alpha(values)
    lower, upper, exact = idn.alpha_bounds(values, np.ones_like(values, dtype=bool))
    assert upper == pytest.approx(max(alphas))
    assert lower == pytest.approx(min(alphas))
    assert lower <= idn.cronbach_alpha(values) <= upper


@pytest.mark.parametrize("seed", range(6))
def test_most_even_totals_by_pattern_and_by_cell_reach_the_smallest_sum_of_squares(seed):
    """Both integer programmes (respondent classes x answer patterns; cell by cell) find the
    smallest sum of squared totals over every arrangement that keeps the locked cells, and an
    arrangement that keeps every item's answers."""
    rng = np.random.default_rng(seed)
    n, k = 4, 3
    values = rng.integers(1, 5, (n, k)).astype(float)
    movable = rng.random((n, k)) > 0.3
    perms = list(itertools.permutations(range(n)))  # locked cells tie answers to rows: permute every item
    best = min(((a.sum(axis=1)) ** 2).sum()
               for a in (np.column_stack([values[list(p), j] for j, p in enumerate(choice)])
                         for choice in itertools.product(perms, repeat=k))
               if np.array_equal(a[~movable], values[~movable]))
    for solve in (idn._even_by_pattern, idn._even_by_cell):
        out, optimal = solve(values, movable, 5.0)
        assert optimal and ((out.sum(axis=1)) ** 2).sum() == best, solve.__name__
        assert np.array_equal(out[~movable], values[~movable]), solve.__name__
        for j in range(k):
            assert sorted(out[:, j]) == sorted(values[:, j]), solve.__name__


@pytest.mark.parametrize("seed", range(8))
def test_effect_bounds_equal_every_arrangement(seed):
    rng = np.random.default_rng(seed)
    n, k = 5, 2
    values = rng.integers(1, 6, (n, k)).astype(float)
    groups = np.array(["a", "a", "a", "b", "b"])
    first, second = groups == "a", groups == "b"
    effects = [idn.rank_biserial(a.mean(axis=1)[first], a.mean(axis=1)[second]) for a in _arrangements(values)]
    # the grouping is fixed, so permuting the first item too matters here: enumerate it as well
    effects += [idn.rank_biserial(a.mean(axis=1)[first], a.mean(axis=1)[second])
                for p in itertools.permutations(range(n)) for a in _arrangements(values[list(p)])]
    lower, upper, exact = idn.effect_bounds(values, np.ones_like(values, dtype=bool), groups, ["a", "b"])
    assert (lower, upper) == pytest.approx((min(effects), max(effects)))


def test_locked_cells_stay_and_bound_inside():
    """A cell a published fact ties to another variable does not move; the range found is then
    reachable (inside the unlocked one)."""
    import pandas as pd

    df = pd.DataFrame({"q": pd.array([1, 2, 5, 4, 3], dtype="Int64"), "g": pd.array([1, 1, 2, 2, 2], dtype="Int64")})
    locked = idn.locked_cells(df, ["q"], [{"where": {"q": [2], "g": [1]}}])
    assert locked["q"].tolist() == [False, True, False, False, False]
    values = df[["q"]].to_numpy(dtype=float)
    groups = np.array(["x", "x", "y", "y", "y"])
    lo_l, hi_l, _ = idn.effect_bounds(values, ~locked["q"][:, None], groups, ["x", "y"])
    lo, hi, exact = idn.effect_bounds(values, np.ones_like(values, dtype=bool), groups, ["x", "y"])
    assert exact and lo <= lo_l <= hi_l <= hi


def test_identification_table_of_the_reconstruction(genk, default_intake):
    from analysis_utils import facts, theory

    cb = load_codebook("v1")
    pub = facts.load_publication(default_intake, {"source": "reconstructed-from-publication"})
    table = idn.identification_table(genk, cb, pub)
    assert list(table.columns) == idn.IDENTIFICATION_COLUMNS
    assert ((table["lower"] <= table["value_in_reconstruction"] + 1e-9)
            & (table["value_in_reconstruction"] <= table["upper"] + 1e-9)).all()
    assert set(table["chapter"]) == {"03", "04"}
    row = table[table["quantity"] == "share naming at least one threshold emotion"].iloc[0]
    counts = [int(genk[i].isin([4, 5]).sum()) for i in theory.threshold_items()]
    assert (row["lower"], row["upper"]) == (max(counts) / 28, min(28, sum(counts)) / 28) and row["sharp"]
    spearman = table[table["quantity"].str.startswith("Spearman")].iloc[0]
    assert spearman["upper"] == pytest.approx(1.0) and spearman["sharp"]  # the "allowed up to 1.00"
    alpha = table[table["quantity"] == "Cronbach's alpha of the relationship items"].iloc[0]
    assert alpha["upper"] > 0.9  # the issue: "the published counts allow up to about 0.97"


def test_chapters_word_identified_ranges(genk, default_intake):
    """Chapters 03 and 04 say what the published figures allow, 'anything from' only when proven."""
    import pandas as pd

    from analysis_utils import facts, limitations as lim, narrative

    cb = load_codebook("v1")
    pub = facts.load_publication(default_intake, {"source": "reconstructed-from-publication"})
    table = idn.identification_table(genk, cb, pub)
    text = narrative.any_threshold_text(genk, None, table)
    assert "allow anything from 50 %" in text and "outer bound" in text
    dep = lim.dependence_table(genk, cb, None, None, None, table).set_index("result")
    alpha = dep.loc["Cronbach's alpha of the relationship items"]
    row = table.set_index("quantity").loc["Cronbach's alpha of the relationship items"]
    assert (alpha["lower"], alpha["upper"], alpha["sharp"]) == (row["lower"], row["upper"], row["sharp"])
    words = narrative.dependence_text(dep.reset_index(), True)
    assert ("at least" if not row["sharp"] else "anything from") in words.split("Cronbach's alpha of the relationship items:")[1][:20]
    summary = narrative.subgroup_summary(pd.DataFrame({"x": []}), True, 5, None, table)
    assert "not findings" in summary and "rank-biserial" in summary
