"""Issue 8 §3: identified ranges — the smallest and largest value any arrangement of the published
answers allows, checked against enumerating every arrangement of small problems."""
import itertools

import numpy as np
import pytest

from analysis_utils.codebook import load_codebook
from analysis_utils.intake import read_intake
from analysis_utils.intake.derive import clean
from analysis_utils.stats import arrangements, bounds, effect_ranges, effects
from analysis_utils.stats import identification as idn


@pytest.fixture(scope="module")
def genk(default_intake):
    return clean(read_intake(default_intake).responses, load_codebook("v1"))


def _arrangements(values, first_fixed=True):
    """Every arrangement of a respondents x items matrix, as one array (arrangements x respondents
    x items): each item's column permuted, in the order of itertools.product over the items'
    permutations. With ``first_fixed`` the first item is held fixed: permuting all rows together
    changes nothing (unless the rows belong to groups)."""
    n, k = values.shape
    perms = np.array(list(itertools.permutations(range(n))))
    columns = [values[:, 0][None, :] if first_fixed else values[perms, 0]] + [values[perms, j] for j in range(1, k)]
    choice = np.stack(np.meshgrid(*(np.arange(len(c)) for c in columns), indexing="ij"), axis=-1).reshape(-1, k)
    return np.stack([c[choice[:, j]] for j, c in enumerate(columns)], axis=-1)


def _every_alpha(values):
    """Cronbach's alpha of every arrangement (:func:`_arrangements`), at once: the items' own
    variances do not change when answers move between respondents, only the totals' variance does.
    Checked against :func:`identification.cronbach_alpha` at the two ends."""
    n, k = values.shape
    arrangements = _arrangements(values)
    items = values.var(axis=0, ddof=1).sum()
    alphas = k / (k - 1) * (1 - items / arrangements.sum(axis=2).var(axis=1, ddof=1))
    for i in (int(np.argmin(alphas)), int(np.argmax(alphas))):
        assert effects.cronbach_alpha(arrangements[i]) == pytest.approx(alphas[i])
    return alphas


def test_arrangements_are_every_column_permutation():
    values = np.arange(12, dtype=float).reshape(4, 3)
    every = _arrangements(values)
    assert every.shape == (24 * 24, 4, 3) and len(np.unique(every, axis=0)) == 24 * 24
    assert all(np.array_equal(np.sort(a, axis=0), values) and np.array_equal(a[:, 0], values[:, 0]) for a in every)
    assert len(np.unique(_arrangements(values, first_fixed=False), axis=0)) == 24 ** 3


@pytest.mark.parametrize("seed", range(6))
def test_at_least_one_bounds_equal_every_arrangement(seed):
    rng = np.random.default_rng(seed)
    n, k = 5, 3
    values = (rng.random((n, k)) < rng.random(k)).astype(float)
    shares = _arrangements(values).any(axis=2).mean(axis=1)
    assert bounds.at_least_one_bounds(values.sum(axis=0).astype(int).tolist(), n) == pytest.approx((shares.min(), shares.max()))


@pytest.mark.parametrize("seed", range(6))
def test_spearman_bounds_equal_every_pairing(seed):
    from scipy.stats import rankdata, spearmanr

    rng = np.random.default_rng(seed)
    x, y = rng.integers(1, 6, 6).astype(float), rng.integers(1, 6, 6).astype(float)
    if len(set(x)) < 2 or len(set(y)) < 2:
        pytest.skip("a constant answer has no correlation")
    # Spearman's rho is Pearson's r of the mid-ranks: of every pairing at once, then scipy's at the ends
    perms = np.array(list(itertools.permutations(range(6))))
    rx, ry = rankdata(x) - 3.5, rankdata(y)[perms] - 3.5
    values = ry @ rx / (np.linalg.norm(rx) * np.linalg.norm(ry, axis=1))
    low, high = (float(spearmanr(x, y[perms[i]])[0]) for i in (np.argmin(values), np.argmax(values)))
    assert (low, high) == pytest.approx((values.min(), values.max()))
    assert bounds.spearman_bounds(x, y) == pytest.approx((low, high))


@pytest.mark.parametrize("seed", range(8))
def test_alpha_bounds_equal_every_arrangement(seed):
    rng = np.random.default_rng(seed)
    n, k = 5, 3
    values = rng.integers(1, 6, (n, k)).astype(float)
    if (values.var(axis=0) == 0).any():
        values[0, :] = 1; values[1, :] = 5
    alphas = _every_alpha(values)
    lower, upper, exact = bounds.alpha_bounds(values, np.ones_like(values, dtype=bool))
    assert upper == pytest.approx(max(alphas))
    assert lower == pytest.approx(min(alphas))
    assert lower <= effects.cronbach_alpha(values) <= upper


@pytest.mark.parametrize("seed", range(6))
def test_most_even_totals_by_pattern_and_by_cell_reach_the_smallest_sum_of_squares(seed):
    """Both integer programmes (respondent classes x answer patterns; cell by cell) find the
    smallest sum of squared totals over every arrangement that keeps the locked cells, and an
    arrangement that keeps every item's answers."""
    rng = np.random.default_rng(seed)
    n, k = 4, 3
    values = rng.integers(1, 5, (n, k)).astype(float)
    movable = rng.random((n, k)) > 0.3
    every = _arrangements(values, first_fixed=False)  # locked cells tie answers to rows: permute every item
    keeps = (every[:, ~movable] == values[~movable]).all(axis=1)
    best = (every[keeps].sum(axis=2) ** 2).sum(axis=1).min()
    for solve in (bounds._even_by_pattern, bounds._even_by_cell):
        out, optimal = solve(values, movable, 5_000)
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
    # the grouping is fixed, so permuting the first item too matters here: enumerate it as well
    means = _arrangements(values, first_fixed=False).mean(axis=2)
    # the effect depends only on which means each group holds: each such split once
    splits = np.unique(np.hstack([np.sort(means[:, first], axis=1), np.sort(means[:, second], axis=1)]), axis=0)
    found = [effects.rank_biserial(split[:3], split[3:]) for split in splits]
    lower, upper, exact = effect_ranges.effect_bounds(values, np.ones_like(values, dtype=bool), groups, ["a", "b"])
    assert (lower, upper) == pytest.approx((min(found), max(found)))


def test_a_fact_on_a_variable_that_stays_guards_a_count_and_one_on_a_moving_item_locks():
    """Issue 25 §3: a fact that ties an item to a variable that does not move ('the "eerder niet"
    is a woman's') fixes a count, not a row: any woman may hold the answer. A fact tied to
    another item that moves locks the cells; a fact on the item's own follow-up ties nothing."""
    import pandas as pd

    df = pd.DataFrame({"q": pd.array([1, 2, 5, 4, 3], dtype="Int64"), "g": pd.array([1, 1, 2, 1, 2], dtype="Int64"),
                       "r": pd.array([5, 2, 1, 1, 1], dtype="Int64"), "f": pd.array([None, 1, None, None, None], dtype="Int64")})
    locked, guards = arrangements.locked_cells(df, ["q", "r"], [{"where": {"q": [2], "g": [1]}}])
    assert not locked["q"].any() and [(c.tolist(), r.tolist()) for c, r in guards["q"]] == [([2.0], [True, True, False, True, False])]
    locked, guards = arrangements.locked_cells(df, ["q", "r"], [{"where": {"q": [2], "r": [2]}}])
    assert locked["q"].tolist() == locked["r"].tolist() == [False, True, False, False, False] and not guards["q"]
    locked, guards = arrangements.locked_cells(df, ["q", "r"], [{"where": {"q": [2], "f": [1]}}], {"f": "q"})
    assert not locked["q"].any() and not guards["q"]
    # the guarded range holds the locked one and lies inside the free one
    values = df[["q"]].to_numpy(dtype=float)
    groups = np.array(["x", "x", "y", "y", "y"])
    rows = df["g"].to_numpy() == 1
    lo_l, hi_l, _ = effect_ranges.effect_bounds(values, np.array([[True], [False], [True], [True], [True]]), groups, ["x", "y"])
    lo_g, hi_g, exact_g = effect_ranges.effect_bounds(values, np.ones_like(values, dtype=bool), groups, ["x", "y"],
                                                      {0: [(np.array([2.0]), rows)]})
    lo, hi, exact = effect_ranges.effect_bounds(values, np.ones_like(values, dtype=bool), groups, ["x", "y"])
    assert exact and exact_g and lo <= lo_g <= lo_l <= hi_l <= hi_g <= hi


@pytest.fixture(scope="module")
def genk_table(genk_identification):
    """The identification table of the reconstruction, computed once for the tests below."""
    return genk_identification[1]


def test_identification_table_of_the_reconstruction(genk, genk_table):
    from analysis_utils import theory_map as theory

    table = genk_table
    assert list(table.columns) == idn.IDENTIFICATION_COLUMNS
    assert ((table["lower"] <= table["value_in_reconstruction"] + 1e-9)
            & (table["value_in_reconstruction"] <= table["upper"] + 1e-9)).all()
    assert set(table["chapter"]) == {"03", "04"}
    row = table[table["quantity_id"] == "any_threshold"].iloc[0]
    counts = [int(genk[i].isin([4, 5]).sum()) for i in theory.threshold_items()]
    assert (row["lower"], row["upper"]) == (max(counts) / 28, min(28, sum(counts)) / 28) and row["sharp"]
    spearman = table[table["quantity_id"] == "spearman_satisfaction_trust"].iloc[0]
    assert spearman["upper"] == pytest.approx(1.0) and spearman["sharp"]  # the issue's "allowed up to 1.00"
    alpha = table[table["quantity_id"] == "alpha_relationship"].iloc[0]
    assert alpha["upper"] > 0.9  # the issue: "the published counts allow up to about 0.97"


def test_chapters_word_identified_ranges(genk, genk_table):
    """Chapters 03 and 04 say what the published figures allow, 'anything from' only when proven."""
    import pandas as pd

    from analysis_utils.present import limits
    from analysis_utils.present.narrative import interpretation, limitations
    from analysis_utils.stats.dependence import dependence_table

    cb = load_codebook("v1")
    table = genk_table
    text = interpretation.any_threshold_text(genk, None, table)
    assert "given the reconstruction's split of the answers, anything from 50 %" in text
    admitted = table[(table["quantity_id"] == "any_threshold") & (table["marginals_id"] == "admissible")].iloc[0]
    assert admitted["sharp"] and admitted["lower"] == admitted["outer_lower"] == 1 / 28  # a review: 4 % is reached
    assert "words admit, anything from 4 % to 100 %: 1 client naming all four" in text and "outer bound" not in text
    dep = limits.dependence(dependence_table(genk, cb, None, None, None, table)).set_index("result")
    alpha = dep.loc["Cronbach's alpha of the relationship items"]
    row = table[table["marginals_id"] == "admissible"].set_index("quantity_id").loc["alpha_relationship"]  # "allowed"
    assert (alpha["lower"], alpha["upper"], alpha["sharp"]) == (row["lower"], row["upper"], row["sharp"])
    words = limitations.dependence_text(dep.reset_index(), True)
    assert ("a search reached" if not row["sharp"] else "anything from") in words.split("Cronbach's alpha of the relationship items:")[1][:20]
    # a share of people in percentages, as chapter 03 gives it
    assert "%" in words.split("threshold emotion:")[1].split(";")[0] and "0.50" not in words
    threshold = words.split("threshold emotion:")[1].split(";")[0]  # 4 % as counts, beside the thesis's "veel"
    assert "anything from 4 % to 100 %" in threshold and "Veel cliënten voelen zich nog steeds beschaamd" in threshold
    clause = words.split("alpha of the relationship items:")[1].split(";")[0]  # alpha's open end adds nothing in words
    assert "−∞" not in clause and "no value outside" not in clause and "a search reached" in clause
    summary = interpretation.subgroup_summary(pd.DataFrame({"x": []}), True, 5, cb, None, table)
    assert "not findings" in summary and "rank-biserial" in summary


def test_the_fewest_naming_a_threshold_emotion_is_proven_only_by_an_arrangement_that_keeps_every_fact(genk):
    import pandas as pd

    """The witness moves the threshold emotions to their fewest admitted answers, given by the same
    respondents; a fact it breaks (here: doubt named by at least 2, so 'vaker' needs 3 or more for
    each threshold emotion, which no single item's range says) leaves the lower end unproven."""
    from analysis_utils.stats.identification import _fewest_naming
    from analysis_utils.theory_map import threshold_items

    cb = load_codebook("v1")
    items = threshold_items()
    vaker = {"id": "v", "kind": "group_compare", "codes": [4, 5], "items": items, "op": ">", "provenance": "quantifier",
             "than": ["q10_emotion_doubt", "q10_emotion_fear", "q10_emotion_distrust"], "reported": "vaker"}
    df = genk.copy()
    for i in items:
        df[i] = pd.array([4] * 20 + [1] * (len(df) - 20), dtype="Int64")
    for i in vaker["than"]:
        df[i] = pd.array([4] * 3 + [1] * (len(df) - 3), dtype="Int64")
    assert _fewest_naming(df, cb, {"facts": [vaker], "claims": []}, items) == 1 / len(df)
    doubt = {"id": "d", "where": {"q10_emotion_doubt": [4, 5]}, "op": ">=", "value": 2, "provenance": "count", "reported": "2"}
    assert _fewest_naming(df, cb, {"facts": [vaker, doubt], "claims": []}, items) is None
