"""Group tests (analysis_utils.stats.tests) and the comparison of intakes (analysis_utils.stats.compare)
against the libraries and hand computations they stand for."""
import numpy as np
import pandas as pd
import pytest

from analysis_utils.codebook import load_codebook
from analysis_utils.stats import compare, tests

V1, V2 = load_codebook("v1"), load_codebook("v2")


def test_mann_whitney_is_scipys_test_and_pingouins_effect_size():
    import pingouin as pg
    from scipy.stats import mannwhitneyu

    x, y = [1, 2, 2, 5, 4, float("nan")], [3, 3, 4, 5, 5, 5]
    r = tests.mann_whitney(x, y)
    u, p = mannwhitneyu([1, 2, 2, 5, 4], y, alternative="two-sided")
    ref = pg.mwu(np.array([1, 2, 2, 5, 4.]), np.array(y, float))
    assert (r["U_val"], r["p_val"]) == pytest.approx((u, p))
    assert r["RBC"] == pytest.approx(float(ref["RBC"].iloc[0]))


def test_group_tests_say_why_a_comparison_was_not_made():
    scores = pd.DataFrame({"a": [3.0] * 10, "b": list(range(10))})
    t = tests.group_tests(scores, pd.DataFrame({"g": list("xxxxxyyyyy")})).set_index("outcome")
    assert t.loc["a", "test"] == "none" and t.loc["a", "reason"] == tests.NO_VARIATION
    assert t.loc["b", "test"] == "Mann-Whitney" and t.loc["b", "kept"] == (("x", 5), ("y", 5))
    three = tests.group_tests(scores[["b"]], pd.DataFrame({"g": list("xxxxyyyzzz")}), min_group_size=3).iloc[0]
    assert three["test"] == "Kruskal-Wallis" and three["effect_name"] == "epsilon²"


def test_holm_of_one_family_equals_statsmodels():
    from statsmodels.stats.multitest import multipletests

    p = [0.001, 0.2, 0.04, 0.03, 0.5]
    np.testing.assert_allclose(tests.holm(p), multipletests(p, method="holm")[1])
    np.testing.assert_allclose(tests.holm_rows(np.array([p, p[::-1]])), [tests.holm(p), tests.holm(p[::-1])])


class _Intake:
    def __init__(self, id_, codebook, reconstructed=False):
        self.id, self.codebook, self.reconstructed = id_, codebook, reconstructed


def _answers(codebook, rng, n, shift=0):
    return pd.DataFrame({i.id: pd.array(np.clip(rng.integers(2, 6, n) - shift, 1, 5), dtype="Int64")
                         for i in codebook.items})


def test_compare_items_tests_every_aligned_item_against_the_reference_at_one_error_rate():
    from statsmodels.stats.proportion import confint_proportions_2indep

    rng = np.random.default_rng(4)
    loaded = [(_Intake("a", V1, True), _answers(V1, rng, 28)), (_Intake("b", V2), _answers(V2, rng, 60, shift=1))]
    table = compare.compare_items(loaded)
    m = len(table)
    assert m == len(compare.common_items([V1, V2])) - sum(  # every rated item both ask, nothing else
        V1.item(ids[0]).type not in compare.RATED_TYPES for ids in compare.common_items([V1, V2]))
    assert "q17_different_goals" not in set(table["item_key"])  # not comparable with v2's positive item
    assert compare.not_comparable([V1, V2]) == [("q17_different_goals", "q17_same_goals")]
    assert (table["ci_level"] == 1 - 0.05 / m).all() and table["reconstructed_involved"].all()
    r = table.set_index("item_key").loc["q08_satisfaction"]
    lo, hi = confint_proportions_2indep(round(r["top2_intake"] * 60), 60, round(r["top2_reference"] * 28), 28,
                                        method="newcomb", compare="diff", alpha=0.05 / m)
    assert (r["diff_ci_low"], r["diff_ci_high"]) == pytest.approx((lo, hi))
    assert r["RBC"] < 0  # the second intake was made to answer lower


def test_tidy_answers_turn_an_item_asked_the_other_way_round():
    """An item worded positively in one version and negatively in another is counted on the
    positive version's scale, so the same clients give the same bars."""
    v1_answers = pd.DataFrame({"q17_different_goals": pd.array([1, 1, 5], dtype="Int64")})
    v2_answers = pd.DataFrame({"q17_same_goals": pd.array([5, 5, 1], dtype="Int64")})

    loaded = [(_Intake("a", V1), v1_answers), (_Intake("b", V2), v2_answers)]
    with pytest.MonkeyPatch.context() as mp:  # as if a later version aligned the two goals items
        mp.setattr(compare, "common_items", lambda cbs, comparable_only=True: [("q17_different_goals", "q17_same_goals")])
        tidy = compare.tidy_answers(loaded)
    counts = tidy.pivot(index="intake", columns="category_code", values="count")
    assert counts.loc["a"].tolist() == counts.loc["b"].tolist() == [1, 0, 0, 0, 2]
    assert set(tidy["item_id"]) == {"q17_same_goals"}


def test_answers_a_reconstruction_chose_are_marked_on_the_turned_scale_too():
    """``count_assumed`` marks the answers a reconstruction chose inside a published total, by
    the intake's own codes: turned with the item where the other version asks it the other way."""
    v1_answers = pd.DataFrame({"q17_different_goals": pd.array([1, 2, 5], dtype="Int64")})
    v2_answers = pd.DataFrame({"q17_same_goals": pd.array([5, 5, 1], dtype="Int64")})
    loaded = [(_Intake("a", V1), v1_answers), (_Intake("b", V2), v2_answers)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compare, "common_items", lambda cbs, comparable_only=True: [("q17_different_goals", "q17_same_goals")])
        tidy = compare.tidy_answers(loaded, assumed={"a": {"q17_different_goals": [4, 5]}})
    marked = tidy[tidy["count_assumed"]]
    assert marked[["intake", "category_code"]].values.tolist() == [["a", 1], ["a", 2]]  # 4 and 5 of 'different'


def test_the_comparison_dots_the_one_low_answer_the_thesis_does_not_place():
    """Figuur 18 of the 2015 round: one 'slecht' (line 1803), 'eerder niet' or 'zeker niet'; the
    comparison's bars of that round mark both answers, and no answer of the new round."""
    from analysis_utils.chapters.comparison import open_comparison

    cmp = open_comparison(["data/raw/genk-2015", "data/raw/example-v2"], "en", reports_dir="")
    table = pd.DataFrame({"item_key": [], "figure": [], "top2_differs": [], "p_holm": []})
    tidy = cmp.answers_to_draw(table)
    marked = tidy[tidy["count_assumed"]]
    assert marked[["intake", "item_key", "category_code"]].values.tolist() == [
        ["genk-2015", "q18_personality_match", 1], ["genk-2015", "q18_personality_match", 2]]


def test_an_interval_end_that_rounds_to_zero_shows_its_side_of_zero():
    """Simultaneous CI -43.85 to +0.37 points excludes no difference, but whole points would show
    "-44 to 0" and hide that; the table and the sentence show "+0.4" (Dutch "+0,4")."""
    from analysis_utils.i18n import language
    from analysis_utils.present.tables import for_people

    row = pd.DataFrame({"item": ["being sincere"], "difference": [-0.2917], "diff_ci_low": [-0.4385],
                        "diff_ci_high": [0.0037]})
    shown = for_people(row, "item")
    assert shown.iloc[0].tolist() == ["-29", "-44 to +0.4"]
    with language("nl"):
        assert for_people(row, "item").iloc[0, -1].endswith("+0,4")
    whole = row.assign(diff_ci_high=[0.0426])
    assert for_people(whole, "item").iloc[0, -1] == "-44 to +4"
    from analysis_utils.present.narrative.comparison import _where

    sentence = _where(pd.Series({"item": "being sincere", "intake": "v2", "reference": "genk", "top2_intake": 0.83,
                                 "top2_reference": 0.71, "difference": 0.12, "diff_ci_low": -0.0004,
                                 "diff_ci_high": 0.2, "p_holm": float("nan"), "top2_fixed": True}))
    assert "difference +12 points, simultaneous CI -0.04 to +20" in sentence


def test_a_comparison_caption_gives_the_range_where_the_publication_does_not_fix_the_share():
    """Figuur 9 (bond of trust): the thesis gives no number, so the reconstructed round's bar is
    hatched and its caption and alt text give the 0-100 % the text allows, not the reconstruction's
    100 %; a share the publication fixes (satisfaction) keeps its number."""
    from analysis_utils.present.figures import comparison_alt

    tidy = pd.DataFrame({"item_key": ["trust"] * 4 + ["sat"] * 4, "figure": ["9"] * 4 + ["8"] * 4,
                         "item": ["bond of trust"] * 4 + ["satisfaction"] * 4,
                         "intake": ["genk (reconstructed)", "genk (reconstructed)", "v2", "v2"] * 2,
                         "category_code": [2, 5, 2, 5] * 2, "count": [0, 28, 40, 80] * 2})
    table = pd.DataFrame({"item_key": ["trust", "sat"], "reference": ["genk (reconstructed)"] * 2,
                          "intake": ["v2"] * 2, "top2_reference_low": [0.0, 1.0], "top2_reference_high": [1.0, 1.0],
                          "top2_intake_low": [2 / 3] * 2, "top2_intake_high": [2 / 3] * 2})
    assert "genk (reconstructed) 100 % (n = 28)" in comparison_alt(tidy, "trust")
    alt = comparison_alt(tidy, "trust", table)
    assert "genk (reconstructed) 0–100 % as its publication allows (n = 28); v2 67 % (n = 120)" in alt
    assert "genk (reconstructed) 100 % (n = 28)" in comparison_alt(tidy, "sat", table)


def test_the_comparison_table_heads_each_share_with_its_round():
    """With one round on each side, the shares are headed by the rounds' names, not by
    "reference" and "intake"; with several later rounds, their names stand in a column instead."""
    from analysis_utils.present import views

    row = {"item": "pleasant", "reference": "genk (reconstructed)", "top2_reference": 1.0, "top2_intake": 0.63,
           "difference": -0.37, "diff_ci_low": -0.52, "diff_ci_high": -0.07, "RBC": float("nan"),
           "p_holm": float("nan")}
    one = pd.DataFrame([{**row, "intake": "v2"}])
    assert list(views.comparison(one).columns[:2]) == ["top-2, genk (reconstructed)", "top-2, v2"]
    two = pd.DataFrame([{**row, "intake": "v2"}, {**row, "intake": "v3"}])
    assert list(views.comparison(two).columns[:3]) == ["top-2, genk (reconstructed)", "intake", "top-2, intake"]


def test_the_fixed_column_stands_beside_the_round_it_describes():
    """`compare example-v2 genk-2015` puts the reconstructed round second: whether its
    publication fixes the share stands beside its share, not beside the synthetic round's."""
    from analysis_utils.present import views

    row = {"item": "bond of trust", "reference": "v2", "intake": "genk (reconstructed)", "top2_reference": 0.66,
           "top2_intake": 1.0, "difference": 0.34, "diff_ci_low": -0.78, "diff_ci_high": 0.49, "RBC": float("nan"),
           "p_holm": float("nan"), "top2_fixed": False, "top2_reference_low": 0.66, "top2_reference_high": 0.66,
           "top2_intake_low": 0.0, "top2_intake_high": 1.0}
    shown = views.comparison(pd.DataFrame([row]))
    assert list(shown.columns[:3]) == ["top-2, v2", "top-2, genk (reconstructed)", "fixed by the publication"]
    assert shown.iloc[0, :3].tolist() == ["66 %", "0–100 %", "no"]
    assert shown.iloc[0]["difference (points)"] == ""  # the interval stands for it


def test_a_difference_is_that_of_the_shares_shown_in_either_order():
    """100 % against 62.5 % (shown 63 %): the difference reads 37 points whichever round comes
    first, in the table and in the sentence, not -37 one way and +38 (37.5 rounded up) the other."""
    from analysis_utils.present import views
    from analysis_utils.present.narrative.comparison import _where

    base = {"item": "pleasant", "diff_ci_low": -0.52, "diff_ci_high": -0.07, "RBC": float("nan"),
            "p_holm": float("nan"), "top2_fixed": True}
    one = {**base, "reference": "genk", "intake": "v2", "top2_reference": 1.0, "top2_intake": 0.625,
           "difference": -0.375}
    other = {**base, "reference": "v2", "intake": "genk", "top2_reference": 0.625, "top2_intake": 1.0,
             "difference": 0.375, "diff_ci_low": 0.07, "diff_ci_high": 0.52}
    assert views.comparison(pd.DataFrame([one])).iloc[0]["difference (points)"] == "-37"
    assert views.comparison(pd.DataFrame([other])).iloc[0]["difference (points)"] == "+37"
    assert "difference -37 points" in _where(pd.Series(one)) and "difference +37 points" in _where(pd.Series(other))
