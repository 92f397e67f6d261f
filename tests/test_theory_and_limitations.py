import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis_utils import fmt
from analysis_utils import theory_map as theory
from analysis_utils.codebook import load_codebook
from analysis_utils.intake import read_intake
from analysis_utils.intake.derive import clean
from analysis_utils.makers.reconstruct import build_ensemble
from analysis_utils.makers.synthetic import generate
from analysis_utils.present import labels, limits, views
from analysis_utils.present.narrative import interpretation as say03
from analysis_utils.present.narrative import limitations as say04
from analysis_utils.stats import arrangements, constructs, dependence, intervals, power
from analysis_utils.stats import limits as lim
from analysis_utils.stats import tests as inference

CB = load_codebook()


@pytest.fixture(scope="module")
def genk(default_intake):
    return clean(read_intake(default_intake).responses, CB)


@pytest.fixture(scope="module")
def synthetic():
    """Real joint structure: telephone clients rate the relationship a full SD lower."""
    return clean(generate(150, seed=7, group_shift={"a01_interview_mode": {3: -1.0}}), CB)


# --- theory map ----------------------------------------------------------------------------------

def test_theory_map_links_only_known_items_and_keeps_unmeasured_constructs():
    tm = theory.load_theory_map()
    ids = [c["id"] for c in tm["constructs"]]
    known = set(CB.item_ids) | set(load_codebook("v2").item_ids)
    for c in tm["constructs"]:
        for link in c["items"]:
            assert link["item"] in known and link["why"] and link["direction"], (c["id"], link)
    for wanted in ("genuineness", "empathy", "unconditional_acceptance", "confidentiality", "self_determination",
                   "interest", "individuality", "non_judgemental", "distant_close", "bureaucratic_personalised",
                   "paternalistic_emancipatory", "trust_control", "dependence_autonomy", "declassing_integration"):
        assert wanted in ids
    assert [c["id"] for c in tm["constructs"] if not c["items"]] == [
        "genuineness", "empathy", "non_judgemental", "distant_close", "trust_control", "declassing_integration"]
    assert {c["reading"] for c in tm["constructs"]} == set(labels.READINGS)
    # the thesis's balancing acts are read as balances, each with the line that puts the good relationship in
    # the middle; 2.9.2 and 2.9.3 name one side to strive for (issue 25 §1: line 1218 says dependence is
    # unavoidable, not that the middle is ideal)
    balances = {c["id"]: c["middle"]["seed_line"] for c in tm["constructs"] if c["reading"] == "balance"}
    assert balances == {"empathy": 607, "self_determination": 662, "distant_close": 828, "trust_control": 1197}
    assert {c["id"]: c["wanted"]["seed_line"] for c in tm["constructs"] if "wanted" in c} == {
        "dependence_autonomy": 1224, "declassing_integration": 1241}
    name = next(c["name_nl"] for c in tm["constructs"] if c["id"] == "dependence_autonomy")
    assert name == "afhankelijkheid/vervreemding – autonomie/empowerment"  # line 1217


def test_theory_map_links_follow_the_text():
    """Issue 9 §1: links the text does not make are gone, links it makes are there."""
    links = {(c["id"], link["item"]) for c in theory.load_theory_map()["constructs"] for link in c["items"]}
    for gone in [("empathy", "q12_comm_pleasant"), ("empathy", "q12_comm_easy"), ("empathy", "q10_emotion_safety"),
                 ("distant_close", "q15_reachable_by_phone"), ("distant_close", "q19_appointments"),
                 ("distant_close", "q09_trust_bond"), ("trust_control", "q23_concealment"),
                 # issue 25 §1: 2.9.1 names limits to building trust and links no item to the tension field
                 ("trust_control", "q09_trust_bond"), ("trust_control", "q10_emotion_distrust"),
                 ("trust_control", "q13_ask_help_easily"), ("trust_control", "q14_sincere"),
                 ("trust_control", "q17_same_goals")]:
        assert gone not in links
    for made in [("interest", "q15_reachable_by_phone"), ("unconditional_acceptance", "q13_ask_help_easily"),
                 ("unconditional_acceptance", "q14_sincere"), ("dependence_autonomy", "q23_concealment"),
                 ("client_roles", "q23_concealment"), ("worker_roles", "q18_personality_match"),
                 ("individuality", "q17_same_goals"), ("bureaucratic_personalised", "q12_comm_hurried"),
                 ("bureaucratic_personalised", "q19_appointments"), ("bureaucratic_personalised", "q20_answers"),
                 ("bureaucratic_personalised", "q21_information"), ("communication", "q12_comm_pleasant"),
                 ("communication", "q22_conflicts"), ("dependence_autonomy", "q10_emotion_frustration"),
                 ("dependence_autonomy", "q10_emotion_nervousness"), ("unconditional_acceptance", "q10_emotion_safety"),
                 # issue 25 §1: links the thesis makes (1659-1663 anger and resistance; 990, 1000 shame)
                 ("dependence_autonomy", "q10_emotion_anger"), ("dependence_autonomy", "q10_emotion_resistance"),
                 ("client_roles", "q10_emotion_shame")]:
        assert made in links
    # the others it makes stand as relations: shown, scored nowhere
    relations = {(r["item"], r["kind"], r["seed_line"]) for r in theory.load_theory_map()["relations"]}
    assert {("q09_trust_bond", "condition", 1642), ("q10_emotion_safety", "condition", 1655),
            ("q19_appointments", "limit", 2023), ("q22_conflicts", "context", 1987)} <= relations
    # the conclusion on Rogers names an expectation no item asks
    acceptance = theory.constructs()["unconditional_acceptance"]
    assert "onvoorwaardelijk aanvaardend" in acceptance["unasked_expectation"]["quote"] and "expectation" not in acceptance
    assert all(link.get("quote") and link.get("seed_line") for c in theory.load_theory_map()["constructs"]
               for link in c["items"])
    pairs = {(p["expectation"], p["experience"]) for p in theory.load_theory_map()["ipa_pairs"]}
    assert ("q11_expect_genuineness", "q14_sincere") not in pairs
    # issue 25 §1: pairs without a source went (empathy <-> pleasant was a link the map had removed)
    assert ("q11_expect_empathy", "q12_comm_pleasant") not in pairs and ("q11_expect_involvement", "q15_reachable_by_phone") not in pairs
    assert ("q11_expect_freedom_of_choice", "q16_autonomy") in pairs


def test_construct_scoring_pools_top2_answers_of_its_items(genk):
    table = constructs.construct_table(genk, CB).set_index("construct_id")
    # unconditional acceptance = asking for help easily + sincere + safety, pooled
    row = table.loc["unconditional_acceptance"]
    items = ["q13_ask_help_easily", "q14_sincere", "q10_emotion_safety"]
    hits = sum(int(genk[i].isin([4, 5]).sum()) for i in items)
    away = sum(int(genk[i].isin([1, 2]).sum()) for i in items)
    assert (row["n_items"], row["n_answers"], row["n_respondents"]) == (3, 84, 28)
    assert row["positive_share"] == pytest.approx(hits / 84) and row["negative_share"] == pytest.approx(away / 84)
    assert row["negative_share"] + row["neutral_share"] + row["positive_share"] == pytest.approx(1)
    assert math.isnan(row["middle_share"]) and row["headline"] == "positive_share"  # a direction has no wanted middle
    # individuality: v1's misread goals item is scored in no construct (issue 8 §4), only the match is left
    assert table.loc["individuality", "n_answers"] == 28
    assert not any(link["item"] == "q17_different_goals" for c in theory.load_theory_map()["constructs"] for link in c["items"])
    assert table.loc["genuineness", "n_items"] == 0 and math.isnan(table.loc["genuineness", "positive_share"])
    # roles are indicated, not scored
    assert table.loc["worker_roles", "n_items"] == 1 and math.isnan(table.loc["worker_roles", "positive_share"])
    assert list(table.reset_index()[constructs.CONSTRUCT_COLUMNS].columns) == constructs.CONSTRUCT_COLUMNS
    assert "reading" in constructs.CONSTRUCT_COLUMNS and set(table["reading"]) == set(labels.READINGS)


def test_construct_shares_do_not_depend_on_the_reconstruction_seed(default_intake):
    from analysis_utils.makers.reconstruct import reconstruct
    a = constructs.construct_table(reconstruct(seed=3), CB)["positive_share"]
    b = constructs.construct_table(reconstruct(seed=4), CB)["positive_share"]
    pd.testing.assert_series_equal(a, b)


def test_construct_shares_pooling_a_worded_share_are_apart_from_those_the_thesis_fixes():
    """Chapter 03 counts the constructs whose shares the thesis fixes; chapter 04's table must not
    call all construct shares unfixed because some pool a share the thesis only words."""
    df = pd.DataFrame({i: pd.array([5, 4, 2], dtype="Int64") for i in CB.item_ids})
    summary = pd.DataFrame({"item_id": ["q09_trust_bond", "q08_satisfaction"], "provenance": ["quantifier", "count"],
                            "admissible_low": [0.5, 1.0], "admissible_high": [1.0, 1.0]})
    table = dependence.dependence_table(df, CB, None, None, summary).set_index("result_id")
    fixed, worded = table.loc["construct_shares_fixed"], table.loc["construct_shares_worded"]
    measured = constructs.construct_table(df, CB)["positive_share"].notna().sum()
    assert bool(fixed["fixed"]) and not bool(worded["fixed"]) and fixed["k"] + worded["k"] == measured
    pooling = [c for c in theory.constructs() if any(link["item"] == "q09_trust_bond"
                                                    for link in theory.construct_links(theory.constructs()[c], CB))]
    assert worded["k"] == len(pooling) > 0
    assert "construct_shares" not in table.index  # one or the other, never the lump
    plain = dependence.dependence_table(df, CB, None, None).set_index("result_id")
    assert "construct_shares" in plain.index and bool(plain.loc["construct_shares", "fixed"])


def test_respondent_scores_turn_reversed_items_and_merge_identical_constructs():
    df = pd.DataFrame({i: pd.array([3] * 2, dtype="Int64") for i in CB.item_ids})
    df["q12_comm_hurried"] = pd.array([1, 5], dtype="Int64")  # worded negatively: 1 = not hurried
    df["q15_reachable_by_phone"] = pd.array([5, 1], dtype="Int64")
    scores = constructs.respondent_scores(df, CB)
    assert scores["interest"].tolist() == [5.0, 1.0]
    assert "self_determination = paternalistic_emancipatory" in scores.columns  # the very same item


def test_ipa_positions_without_advice():
    df = pd.DataFrame({i: pd.array([5] * 4, dtype="Int64") for i in CB.item_ids})
    df["q16_autonomy"] = pd.array([1, 1, 5, 5], dtype="Int64")  # freedom of choice important, autonomy met by half
    ipa = constructs.ipa_table(df, CB).set_index("expectation_id")
    assert ipa.loc["q11_expect_freedom_of_choice", "performance"] == 0.5
    assert ipa.loc["q11_expect_freedom_of_choice", "importance"] == 1.0
    assert "quadrant" not in ipa and (ipa["support"] == "stated").all()
    assert ipa.loc["q11_expect_freedom_of_choice", "seed_line"] == 1926
    text = say03.ipa_summary(views.ipa(ipa.reset_index(), CB))
    for advice in ("concentrate here", "low priority", "possible overkill", "keep up the good work"):
        assert advice not in text
    assert "line 1926" in text and "no priority or advice" in text


def test_self_determination_is_read_as_the_thesis_reads_it(genk):
    """Issue 25 §1: q16 asks whether the client may do *enough* on his own: agreeing is the middle
    the thesis wants (lines 662-663), not the pole "volledig zelf verantwoordelijk" it wants avoided
    (lines 658-660); disagreeing leans toward the worker who takes over (line 661)."""
    row = constructs.construct_table(genk, CB).set_index("construct_id").loc["self_determination"]
    q16 = genk["q16_autonomy"]
    assert row["middle_share"] == pytest.approx(q16.isin([4, 5]).mean())
    assert row["negative_share"] == pytest.approx(q16.isin([1, 2]).mean())
    assert math.isnan(row["positive_share"]) and row["poles_reached"] == ("pole_negative",)  # not asked, not 0 %
    assert row["headline"] == "middle_share" and row["ci_low"] <= row["middle_share"] <= row["ci_high"]
    # trust - control is not measured from the client's side, and says why
    trust = constructs.construct_table(genk, CB).set_index("construct_id").loc["trust_control"]
    assert trust["n_items"] == 0 and math.isnan(trust["middle_share"])
    assert "links no questionnaire item to the tension field" in trust["not_measured"]
    words = views.constructs(constructs.construct_table(genk, CB), CB)
    text = say03.constructs_summary(words)
    assert "volledig zelf verantwoordelijk" in text and "not asked" in text and "line 662" in text
    assert "toward *volledig zelf verantwoordelijk" not in text
    assert "trust – control* (the section on trust and control (lines 1200–1215)" in text
    # two of the three tension fields are read as directions, each cited with its line; no table
    # quotes their aim (review_fidelity2 #13)
    assert ("Its section 2.9 describes 3 tension fields; for 2 of them the thesis still names one side to work toward, "
            "and these are read here as directions (more is better): toward autonomy/empowerment (line 1224) and "
            "(re)integration (line 1241).") in text
    assert "table quotes" not in text


# --- effect sizes and tests ---------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(x=st.lists(st.integers(1, 5), min_size=3, max_size=30), y=st.lists(st.integers(1, 5), min_size=3, max_size=30))
def test_rank_biserial_agrees_with_pingouin_and_the_vectorised_ensemble(x, y):
    ours = inference.mann_whitney(x, y)
    ref = pg.mwu(np.array(x, float), np.array(y, float))
    assert ours["RBC"] == pytest.approx(float(ref["RBC"].iloc[0]))
    # the ensemble path computes 2U/(n1 n2) - 1 with scipy
    from scipy.stats import mannwhitneyu
    u, _ = mannwhitneyu(np.array([x], float), np.array([y], float), axis=1)
    assert 2 * u[0] / (len(x) * len(y)) - 1 == pytest.approx(ours["RBC"])


def test_kruskal_epsilon_squared():
    data = pd.DataFrame({"y": [1, 2, 3, 4, 5, 6, 7, 8, 9], "g": list("aaabbbccc")})
    r = inference.kruskal_wallis(data, "y", "g")
    h = float(pg.kruskal(data=data, dv="y", between="g")["H"].iloc[0])
    assert r["epsilon2"] == pytest.approx(h / 8)


def test_holm_matches_hand_computation():
    assert inference.holm([0.01, 0.04, 0.03]).tolist() == pytest.approx([0.03, 0.06, 0.06])
    assert np.isnan(inference.holm([0.01, np.nan])[1])


def test_group_tests_find_the_real_structure_of_a_synthetic_intake(synthetic):
    tests = inference.group_tests(constructs.respondent_scores(synthetic, CB), constructs.grouping_variables(synthetic))
    mode = tests[tests["grouping"] == "interview_mode"].set_index("outcome")
    assert mode.loc["satisfaction", "test"] == "Mann-Whitney"
    assert (mode["p_holm"] < 0.05).sum() >= 5
    assert mode.loc["satisfaction", "effect"] > 0.3  # face to face (first group) rates higher
    text = say03.subgroup_summary(views.subgroups(tests, CB, 5), reconstructed=False, min_group_size=5, codebook=CB)
    assert "reach p < .05 after correction" in text and "by interview mode" in text  # ids in words
    assert "satisfaction" in text.split("by interview mode")[1]


def test_holm_family_is_every_test_of_the_chapter(synthetic):
    """One family: statsmodels' Holm over all p-values of the table, not grouping by grouping."""
    from statsmodels.stats.multitest import multipletests

    tests = inference.group_tests(constructs.respondent_scores(synthetic, CB), constructs.grouping_variables(synthetic))
    tested = tests["p_val"].notna()
    assert tests.attrs["family"] == tested.sum() > tests["outcome"].nunique()
    expected = multipletests(tests.loc[tested, "p_val"], method="holm")[1]
    np.testing.assert_allclose(tests.loc[tested, "p_holm"], expected)
    text = say03.subgroup_summary(views.subgroups(tests, CB, 5), reconstructed=False, min_group_size=5, codebook=CB,
                                  shared=constructs.shared_items(CB))
    assert f"one family of all {tests.attrs['family']} tests" in text


def test_outcomes_sharing_items_are_named():
    shared = constructs.shared_items(CB)
    scores = constructs.respondent_scores(pd.DataFrame(columns=CB.item_ids), CB).columns
    for outcome, others in shared.items():
        mine = set().union(*(theory.construct_items(c, CB) for c in theory.load_theory_map()["constructs"]
                             if c["id"] in outcome.split(" = ")))
        for other in others:
            theirs = set().union(*(theory.construct_items(c, CB) for c in theory.load_theory_map()["constructs"]
                                   if c["id"] in other.split(" = ")))
            assert mine & theirs and other in scores
    assert shared  # the theory map reuses items across constructs (e.g. the trust bond)
    note = say03.overlap_note(shared, CB)
    assert "not separate findings" in note
    pairs = [tuple(sorted((part.split(" with ")[0], other))) for part in note.split("(", 1)[1].rsplit(")", 1)[0].split("; ")
             for other in part.split(" with ")[1].split(", ")]
    assert len(pairs) == len(set(pairs))  # each pair of outcomes named once, not "A with B; … B with A"


def test_group_tests_leave_out_small_groups():
    scores = pd.DataFrame({"s": [1, 2, 3, 4, 5, 1, 2, 3]})
    groups = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 3})
    table = inference.group_tests(scores, groups, min_group_size=5)
    t = table.iloc[0]
    assert t["test"] == "none" and t["reason"] == inference.TOO_FEW_GROUPS and t["dropped"] == (("b", 3),)
    assert "fewer than 5" in views.subgroups(table, CB, 5).iloc[0]["note"]


def test_reconstructed_intake_reports_ranges_not_findings(default_intake):
    ens = build_ensemble(12, default_intake, CB)
    assert ens["reconstruction"].nunique() == 12 and len(ens) == 12 * 28
    ranges = inference.ensemble_group_tests(ens, constructs.respondent_scores(ens, CB), constructs.grouping_variables(ens))
    assert set(ranges["grouping"]) == {"interview_mode", "gender", "help_type"}
    assert (ranges["effect_max"] > ranges["effect_min"]).all()  # the joint distribution is not fixed
    assert (ranges["reconstructions"] == 12).all()
    text = say03.subgroup_summary(views.subgroups(ranges, CB, 5), reconstructed=True, min_group_size=5, codebook=CB)
    assert "not findings" in text and "cannot tell" in text
    # the vectorised ranges equal running the pingouin path on each reconstruction
    per = [inference.group_tests(constructs.respondent_scores(d.reset_index(drop=True), CB),
                                 constructs.grouping_variables(d.reset_index(drop=True)))
           for _, d in ens.groupby("reconstruction")]
    both = pd.concat(per).groupby(["grouping", "outcome"])["effect"].agg(["min", "max"])
    merged = ranges.set_index(["grouping", "outcome"]).join(both)
    assert np.allclose(merged["effect_min"], merged["min"]) and np.allclose(merged["effect_max"], merged["max"])
    # and the Holm family is the same: all tests of a reconstruction together
    holm = pd.concat(per).groupby(["grouping", "outcome"])["p_holm"].agg(["min", "max"])
    merged = ranges.set_index(["grouping", "outcome"]).join(holm)
    assert np.allclose(merged["p_holm_min"], merged["min"]) and np.allclose(merged["p_holm_max"], merged["max"])
    assert ranges.attrs["family"] == len(ranges)


# --- limitations ------------------------------------------------------------------------------------

def test_manski_bounds():
    assert intervals.manski_bounds(28, 28, 40) == (0.7, 1.0)
    assert intervals.manski_bounds(0, 28, 40) == (0.0, 0.3)
    with pytest.raises(ValueError):
        intervals.manski_bounds(1, 28, 20)


def test_headline_bounds_cover_the_observed_share(genk):
    b = lim.headline_bounds(genk, CB, 40)
    assert ((b["worst_case"] <= b["observed"]) & (b["observed"] <= b["best_case"])).all()
    assert "q17_different_goals" not in set(b["item_id"])  # misread by most: no headline share (issue 8 §4)
    unclear = intervals.manski_bounds(20, 26, 40)
    assert unclear[1] - unclear[0] == pytest.approx(14 / 40)  # 12 not asked or not reached, 2 pilots more


@pytest.mark.parametrize("n1, n2", [(1, 1), (5, 3), (12, 9), (18, 10)])
def test_rejection_region_is_scipys_fisher_exact_cell_by_cell(n1, n2):
    from scipy.stats import fisher_exact

    expected = np.array([[fisher_exact([[a, n1 - a], [b, n2 - b]])[1] < 0.05 for b in range(n2 + 1)]
                         for a in range(n1 + 1)])
    np.testing.assert_array_equal(power.rejection_region(n1, n2), expected)


def test_exact_power_equals_a_simulation():
    """Enumeration against a seeded simulation of Fisher's exact test (scipy)."""
    from scipy.stats import fisher_exact

    rng = np.random.default_rng(7)
    k1, k2 = rng.binomial(18, 0.9, 4000), rng.binomial(10, 0.5, 4000)
    p = {(a, b): fisher_exact([[a, 18 - a], [b, 10 - b]])[1] for a, b in set(zip(k1, k2))}  # each table once
    simulated = np.mean([p[a, b] < 0.05 for a, b in zip(k1, k2)])
    assert power.exact_power(0.9, 0.5, 18, 10) == pytest.approx(simulated, abs=0.025)


def test_minimal_detectable_difference_holds_its_power_where_the_normal_approximation_does_not():
    from statsmodels.stats.power import NormalIndPower

    m = power.minimal_detectable_difference(18, 10, base=0.5)
    assert power.exact_power(0.5, m["share_to"], 18, 10) >= 0.8
    assert power.exact_power(0.5, m["share_to"] + 0.002, 18, 10) < 0.8  # the smallest such drop on the grid
    # the normal approximation's detectable h from 50 % reaches less than 80 % exact power
    h = NormalIndPower().solve_power(effect_size=None, nobs1=18, ratio=10 / 18, alpha=0.05, power=0.8)
    approx_to = math.sin(math.asin(math.sqrt(0.5)) - h / 2) ** 2
    assert power.exact_power(0.5, approx_to, 18, 10) < 0.75
    # from a high observed share, as here, the drop needed is different and is found
    high = power.minimal_detectable_difference(18, 10, base=0.93)
    assert high["share_to"] < 0.93 and power.exact_power(0.93, high["share_to"], 18, 10) >= 0.8
    assert power.minimal_detectable_difference(100, 100, base=0.5)["difference"] < m["difference"]
    assert m["cohen_d"] == pytest.approx(pg_d(18, 10), abs=1e-6)


def pg_d(n1, n2):
    import pingouin as pg
    return float(pg.power_ttest2n(nx=n1, ny=n2, power=0.8, alpha=0.05))


def test_pilot_sensitivity_bounds_equal_every_arrangement():
    """The lowest and highest share without the pilots equal those found by trying every choice
    of which respondents were the pilots."""
    import itertools

    codes = pd.Series([5, 4, 4, 3, 2, 5, 1], dtype="Int64")
    for pilot_rows in [(0, 3), (4, 6), (1,)]:
        df = pd.DataFrame({"q08_satisfaction": codes, "pilot": [i in pilot_rows for i in range(7)]})
        row = lim.pilot_sensitivity(df, CB, reconstructed=True).set_index("item_id").loc["q08_satisfaction"]
        shares = [codes.drop(list(c)).isin([4, 5]).mean() for c in itertools.combinations(range(7), len(pilot_rows))]
        assert (row["main_only_lowest"], row["main_only_highest"]) == pytest.approx((min(shares), max(shares)))
        assert row["share_main_only"] == pytest.approx(codes.drop(list(pilot_rows)).isin([4, 5]).mean())


def test_pilot_sensitivity_over_every_admitted_count_of_a_worded_share():
    """Issue 25 §4: where the publication fixes the top-2 count only within a range, neither
    share is shown, and the band without the pilots runs over every admitted count and every
    choice of the pilots (checked by trying them all)."""
    import itertools

    n, pilots = 7, (0, 3)
    df = pd.DataFrame({"q08_satisfaction": pd.Series([5, 4, 4, 3, 2, 5, 1], dtype="Int64"),
                       "pilot": [i in pilots for i in range(n)]})
    summary = pd.DataFrame({"item_id": ["q08_satisfaction"], "admissible_low": [2 / n], "admissible_high": [5 / n]})
    row = lim.pilot_sensitivity(df, CB, True, summary).set_index("item_id").loc["q08_satisfaction"]
    assert not row["fixed"] and np.isnan(row["share_all"]) and np.isnan(row["share_main_only"])
    shares = [sum(1 for i in range(k) if i not in chosen) / (n - len(pilots))  # rows 0..k-1 hold the k positives
              for k in range(2, 6) for chosen in itertools.combinations(range(n), len(pilots))]
    assert (row["main_only_lowest"], row["main_only_highest"]) == pytest.approx((min(shares), max(shares)))
    fixed = lim.pilot_sensitivity(df, CB, True, summary.assign(admissible_low=4 / n, admissible_high=4 / n))
    assert bool(fixed["fixed"].iloc[0]) and fixed["share_all"].iloc[0] == pytest.approx(4 / n)


def test_the_thesis_own_limits_are_listed_in_both_languages_as_it_frames_them():
    """Issue 25 §6: each limit as the thesis frames it; what it states without calling it a limit
    is not attributed to it; the anonymity limit it names is there; 'sommige cliënten', not many."""
    limits = theory.load_limits()
    framed = {x["id"]: x["framed_as"] for x in limits}
    assert set(framed.values()) == {"limit", "procedure", "explanation", "stated"}
    assert framed["interviewer_in_team"] == "stated" and framed["pilots_chosen"] == "procedure"
    assert framed["anonymity"] == "limit" and framed["dissatisfied_left"] == "explanation"
    assert {"small_sample", "one_team_only", "negative_not_reached", "foreign_origin", "social_desirability",
            "hasty_answers", "goals_item_reversed", "larger_pilot"} <= {i for i, f in framed.items() if f == "limit"}
    for lang in ("en", "nl"):
        text = say04.own_limits_text(limits, lang)
        assert all(f"{x['seed_line']})" in text and x[lang].split()[0] in text for x in limits)
    text = say04.own_limits_text(limits, "en")
    named, rest = text.split("Described by the thesis")
    assert "stage loop" not in named and "open en eerlijk" not in named and "anonimiteit" in named
    assert "this report's reading" in rest.split("Stated by the thesis")[1]
    hasty = next(x for x in limits if x["id"] == "hasty_answers")
    assert "sommige cliënten" in hasty["en"] and "often" not in hasty["en"]
    assert "2166" in say04.mode_text(pd.DataFrame({"interview_mode": ["telephone"]}), None, False)
    ceiling = say04.ceiling_text(pd.DataFrame({"ceiling_share": [0.6, 0.4]}), reconstructed=False)
    assert "many quick fives" not in ceiling and "sommige cliënten" in ceiling
    roomy = say04.ceiling_text(pd.DataFrame({"ceiling_share": [0.6, 0.3, 0.2]}), reconstructed=False)
    assert "leave room at the top" in roomy and "In 2015, the author" in roomy and "so little room" not in roomy
    assert "goals item" not in roomy  # no codebook given: nothing said of an item left out
    # questionnaire v1's misread goals item is left out of the ceiling figure, and the page says so; v2 has none
    assert "The goals item (Figuur 17) is left out" in say04.ceiling_text(pd.DataFrame({"ceiling_share": [0.6]}), False, CB)
    from analysis_utils.codebook import load_codebook
    assert "goals item" not in say04.ceiling_text(pd.DataFrame({"ceiling_share": [0.6]}), False, load_codebook("v2"))
    assert say04.own_limits_text(limits, "en", thesis_round=False).startswith("The 2015 thesis names these limits")


def test_what_the_thesis_says_beside_the_numbers_stands_in_chapters_03_and_04():
    """Issue 25 §6: the omissions, each quoted with its line, in the chapter where it belongs, in
    both languages; shown only for the thesis's own intake."""
    from analysis_utils.i18n import language
    from analysis_utils.present.narrative import common

    where = {(x["chapter"], x["section"], x["id"]) for c in ("03", "04") for x in theory.thesis_says(c)}
    assert {("03", "question", "question_and_answer"), ("03", "question", "hypothesis"),
            ("03", "expectations", "genuineness_empathy_two_ways"), ("03", "constructs", "understanding_not_in_results"),
            ("03", "emotions", "feelings_from_private_life"), ("04", "representativeness", "representative_claim"),
            ("04", "representativeness", "thirteen_workers"), ("04", "pilots", "no_incomplete_lists")} <= where
    manifest = {"source": "reconstructed-from-publication"}
    text = common.thesis_says_text("03", "question", manifest)
    assert "weinig tot niets merken" in text and "(line 1727)" in text and "hypothese" in text
    with language("nl"):
        dutch = common.thesis_says_text("04", "representativeness", manifest)
    assert "De steekproef is dus representatief." in dutch and "(regel 1326)" in dutch and "gemakssteekproef" in dutch
    later = common.thesis_says_text("03", "question", {"source": "survey"})  # another round: the question, as a reference
    assert "weinig tot niets merken" in later and "hypothese" not in later  # but not what it said of its own results
    assert common.thesis_says_text("04", "representativeness", {"source": "survey"}) == ""


def test_the_pilot_sentence_says_what_its_table_shows():
    """Issue 25 §6: 82 % with and 85 % without the pilots is a difference of 3 points in the
    sentence and in the table, not "at most 2" beside "+3"."""
    table = pd.DataFrame({"item": ["personalities match", "autonomy"], "figure": [18, 16], "n_all": [28, 28],
                          "n_pilot": [2, 2], "share_all": [23 / 28, 26 / 28], "share_main_only": [22 / 26, 24 / 26],
                          "difference": [22 / 26 - 23 / 28, 24 / 26 - 26 / 28], "item_id": ["q18_personality_match",
                                                                                           "q16_autonomy"]})
    text = say04.pilot_sensitivity_text(table, reconstructed=False)
    assert "by at most 3 points (personalities match: 82 % with, 85 % without)" in text
    shown = views.pilots(table.drop(columns="item"), CB)
    assert shown.loc["personalities match", "difference (points)"] == "+3"
def test_interval_width():
    assert intervals.interval_width(28, 0.5) == pytest.approx(0.6736 - 0.3264, abs=1e-3)  # Wilson 14/28
    assert intervals.interval_width(112, 0.5) < intervals.interval_width(28, 0.5)


def test_goals_item_read_both_ways(genk):
    # issue 8 §4: most misread the item (lines 2227-2231): the raw answers are mostly 4-5
    goals = lim.goals_read_both_ways(genk, CB)
    assert goals["n"] == 26 and goals["same_goals_read_other_way"] > 13
    assert goals["same_goals_as_coded"] + goals["same_goals_read_other_way"] == goals["same_goals_author_reading"] == 26
    assert (genk["goals_author_reading"].dropna() == "same goals").sum() == 26


def test_coverage_matrix_shows_unmeasured_constructs():
    m = limits.coverage(lim.coverage_matrix(CB), CB)
    assert m.loc["genuineness (congruence)"].sum() == 0
    assert m.loc["unconditional acceptance"].sum() == 3
    assert m.loc["social-worker roles"].sum() == 1  # indicated by the personality match, not scored
    assert set(m.values.ravel()) == {0, 1}
    # the figure keys each link by whose it is and whether it is scored (two reviewers' reading of Fig 4.3)
    kinds = limits.coverage(lim.coverage_matrix(CB), CB, kinds=True)
    assert kinds.shape == m.shape and ((kinds > 0) == (m > 0)).all().all()
    assert kinds.loc["confidentiality (as trust)", "bond of trust"] == limits.LINK_KINDS["inferred"]
    assert kinds.loc["social-worker roles", "personalities match"] == limits.LINK_KINDS["indicated"]
    assert kinds.loc["disturbed – good communication", "pleasant"] == limits.LINK_KINDS["stated"]
    from analysis_utils.present import plots
    ax = plots.coverage_heatmap(m, kinds=kinds)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "scored: the thesis makes the link", "scored: this report draws the link", "indicated, not scored"]
    from matplotlib.colors import to_hex
    drawn = [to_hex(c) for c in ax.collections[0].get_facecolors()]  # items as rows, constructs as columns
    grid = kinds.T.to_numpy().ravel()
    assert {drawn[i] for i in range(len(grid)) if grid[i] == 2} == {plots.LINK_COLOURS[2]}
    assert {drawn[i] for i in range(len(grid)) if grid[i] == 3} == {plots.LINK_COLOURS[3]}


def test_dependence_table_gives_ranges_only_for_joint_results(genk, default_intake):
    ens = build_ensemble(10, default_intake, CB)
    t = limits.dependence(dependence.dependence_table(genk, CB, ens, None)).set_index("result")
    assert bool(t.loc["every single-item count and share (Figuur 1–23)", "fixed by the publication"])
    alpha = t.loc["Cronbach's alpha of the relationship items"]
    assert not alpha["fixed by the publication"] and alpha["lower"] < alpha["upper"]
    observed = limits.dependence(dependence.dependence_table(genk, CB, None, None)).set_index("result")
    assert observed["fixed by the publication"].all()


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_link_directions_agree_with_the_codebook(version):
    cb = load_codebook(version)
    for c in theory.load_theory_map()["constructs"]:
        for link in theory.construct_links(c, cb):
            item = cb.item(link["item"])
            assert link["direction"] == (theory.ALIENATING if item.reversed else theory.STRENGTHENING), link
            assert theory.strengthening_codes(link, cb) == item.top2_codes


def test_sentences_are_true_ties_p_values_and_one_effect_scale():
    """Issue 9 §9: a tie is named as a tie, p below 0.001 is "< 0.001", effect sizes of different
    scales are not pooled into one median."""
    emotions = pd.DataFrame({"group": ["reassuring"] + ["threshold"] * 4, "share": [0.9, 0.5, 0.5, 0.5, 0.4],
                             "emotion": ["calm", "shame", "nervousness", "frustration", "sadness"],
                             "named": [25, 14, 14, 14, 11], "n": [28] * 5})
    text = say03.emotions_summary(emotions, "")
    assert "shame, nervousness and frustration are named equally often (14 of 28 each)" in text
    assert "the most named" not in text
    # the thesis's inference is the thesis's: the shares are of clients already in help
    assert "The thesis infers from such feelings that a threshold to the OCMW remains" in text
    assert "not whether it keeps anyone from asking for help" in text and "argument" not in text
    assert fmt.p_text(0.0) == "< 0.001" and fmt.p_text(0.0312) == "= 0.031"
    tests = pd.DataFrame({"effect_name": ["rank-biserial", "rank-biserial", "epsilon²"], "effect_min": [-0.5, -0.1, 0.0],
                          "effect_max": [0.5, 0.3, 0.1], "share_significant": [0, 0, 0], "reconstructions": [200] * 3})
    text = say03.subgroup_summary(tests, reconstructed=True, min_group_size=5, codebook=CB)
    assert "0.70 (rank-biserial)" in text and "0.10 (epsilon²)" in text


# --- issue 9 §3: intervals at the level of the respondent ------------------------------------------

def _answers(seed, n=40, k=4):
    rng = np.random.default_rng(seed)
    person = rng.normal(size=n)[:, None]  # a person effect: answers of one person go together
    hits = (person + rng.normal(scale=0.7, size=(n, k)) > -0.8).astype(float)
    answered = rng.random((n, k)) > 0.1
    return np.where(answered, hits, 0), answered


@pytest.mark.parametrize("seed", range(5))
def test_design_effect_is_statsmodels_cluster_robust_variance_over_the_binomial(seed):
    import statsmodels.api as sm

    hits, answered = _answers(seed)
    y = hits[answered]
    groups = np.nonzero(answered)[0]
    fit = sm.OLS(y, np.ones_like(y)).fit(cov_type="cluster", cov_kwds={"groups": groups, "use_correction": False})
    p = y.mean()
    share, lo, hi, deff = intervals.pooled_interval(hits.sum(axis=1), answered.sum(axis=1))
    assert share == pytest.approx(p)
    assert deff == pytest.approx(max(1.0, fit.bse[0] ** 2 / (p * (1 - p) / len(y))))


def test_respondent_level_interval_agrees_with_a_cluster_bootstrap():
    """A seeded bootstrap of respondents (another way to the same interval) and the
    answer-level Wilson interval it replaces, which is too narrow when answers cluster."""
    hits, answered = _answers(11, n=120, k=5)
    h, a = hits.sum(axis=1), answered.sum(axis=1)
    share, lo, hi, deff = intervals.pooled_interval(h, a)
    rng = np.random.default_rng(2026)
    idx = rng.integers(0, len(h), size=(4000, len(h)))
    boot = h[idx].sum(axis=1) / a[idx].sum(axis=1)
    b_lo, b_hi = np.percentile(boot, [2.5, 97.5])
    assert deff > 1.2
    assert lo == pytest.approx(b_lo, abs=0.015) and hi == pytest.approx(b_hi, abs=0.015)
    w_lo, w_hi = intervals.wilson_interval(int(h.sum()), int(a.sum()))
    assert (hi - lo) > 1.1 * (w_hi - w_lo)


@pytest.mark.parametrize("seed", range(12))
def test_arrangement_range_equals_every_arrangement(seed):
    """The largest and smallest sum of squared hits per respondent that any arrangement of the
    answers allows equal those found by trying every arrangement (each item's hits among the
    respondents who answered it)."""
    import itertools

    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 7)), int(rng.integers(1, 4))
    answered = np.ones((n, k), dtype=bool)
    answered[: int(rng.integers(0, 3)), : int(rng.integers(0, k + 1))] = False  # pilots lack items
    counts = [int(rng.integers(0, answered[:, j].sum() + 1)) for j in range(k)]
    cols = {}
    for j in range(k):
        who = np.flatnonzero(answered[:, j])
        col = np.full(n, np.nan)
        col[who] = 1
        col[who[: counts[j]]] = 5
        cols[f"q{j}"] = pd.array([None if np.isnan(v) else int(v) for v in col], dtype="Int64")
    df = pd.DataFrame(cols)
    links = [{"item": f"q{j}", "direction": theory.STRENGTHENING} for j in range(k)]

    class Scale:
        codes = [1, 2, 3, 4, 5]

    class Item:
        scale = Scale()

    class Book:
        def item(self, _):
            return Item()

    squares = []
    for choice in itertools.product(*[itertools.combinations(np.flatnonzero(answered[:, j]), counts[j]) for j in range(k)]):
        per = np.zeros(n)
        for who in choice:
            per[list(who)] += 1
        squares.append((per ** 2).sum())
    widest, narrowest = arrangements.arrangement_range(df, links, Book())
    assert ((widest ** 2).sum(), (narrowest ** 2).sum()) == (max(squares), min(squares))
    assert widest.sum() == narrowest.sum() == sum(counts)


def test_reconstructed_constructs_carry_their_interval_range(genk):
    table = constructs.construct_table(genk, CB, reconstructed=True).set_index("construct_id")
    scored = table[table["positive_share"].notna()]
    assert (scored["ci_widest_low"] <= scored["ci_low"] + 1e-12).all() and (scored["ci_high"] <= scored["ci_widest_high"] + 1e-12).all()
    assert (scored["ci_narrowest_low"] >= scored["ci_widest_low"]).all()
    assert constructs.construct_table(genk, CB)["ci_widest_low"].isna().all()  # observed data: no range


def test_understanding_by_home_language_v2_only_with_small_cells_left_out(root):
    """Issue 9 §8: the thesis's wish (lines 2239-2243), for a v2 intake, small groups not shown."""
    from analysis_utils.intake import read_intake

    intake = read_intake(root / "data/raw/example-v2")
    df = clean(intake.responses, intake.codebook)
    scale = intake.codebook.item("q24_home_language").scale
    table = constructs.by_home_language(df, intake.codebook, {c: scale.label(c, "en") for c in scale.codes}, threshold=5)
    sizes = df["q24_home_language"].map(lambda c: intake.codebook.item("q24_home_language").scale.label(int(c), "en"))
    shown = set(table["q24_home_language"])
    assert shown == set(sizes.value_counts()[lambda s: s >= 5].index)
    assert set(table["item_id"]) == {"q21_information", "q12_comm_clear"}
    dutch = table[(table["q24_home_language"] == "Dutch") & (table["item_id"] == "q21_information")].iloc[0]
    expected = df.loc[sizes == "Dutch", "q21_information"].dropna()
    assert (dutch["n"], dutch["top2_count"]) == (len(expected), int(expected.isin([4, 5]).sum()))
    assert table.attrs["left_out"] == int(sizes.value_counts()[lambda s: s < 5].sum())
    assert "2239–2243" in say03.home_language_text(table)
    assert constructs.by_home_language(df, CB, {}) is None  # v1 does not ask it
    assert "version 2 does" in say03.home_language_text(None)


def test_one_team_only_when_there_is_one():
    nat = {"k": 1, "n": 2, "share": 0.5, "ci_low": 0.1, "ci_high": 0.9}
    one = say04.representativeness_text(nat, teams=1)
    assert "one team of one OCMW" in one
    two = say04.representativeness_text(nat, teams=2)
    assert "one team" not in two and "two teams" in two
    # the results describe who answered, not the team's clients as a whole (review_fidelity2 #3)
    for text in (one, two, say04.representativeness_text(nat, teams=1, thesis_round=False)):
        assert "the 2 clients" in text and "who answered" in text and "not all " in text
    assert "convenience sample" in one
    assert "convenience sample" not in say04.representativeness_text(nat, teams=1, thesis_round=False)


def test_mode_text_writes_small_p_as_below_a_thousandth():
    df = pd.DataFrame({"interview_mode": ["face to face"] * 3 + ["telephone"] * 2})
    tests = pd.DataFrame({"grouping": ["interview_mode"], "test": ["Mann-Whitney"], "effect": [0.5], "p_holm": [0.00001]})
    text = say04.mode_text(df, tests, reconstructed=False)
    assert "p < 0.001" in text and "0.000" not in text


def test_mode_text_says_which_mode_answers_higher_and_that_modes_were_not_assigned():
    """A review of a new round: the page set socially desirable answers beside the mode gap as if
    it explained it; the clients of either mode may differ in more than the mode."""
    df = pd.DataFrame({"interview_mode": ["face to face"] * 3 + ["telephone"] * 2})
    tests = pd.DataFrame({"grouping": ["interview_mode"] * 3, "test": ["Mann-Whitney"] * 3, "effect": [0.25, 0.4, 0.1],
                          "p_holm": [0.35, 0.01, 0.9], "higher": ["face to face", "face to face", "telephone"]})
    text = say04.mode_text(df, tests, reconstructed=False)
    assert "Respondents in the group ‘face to face’ score higher on 2 of the 3 outcomes; for 1 of them the difference holds after Holm's correction." in text
    assert "not assigned at random" in text and "cannot tell socially desirable answers from a difference" in text
    every = say04.mode_text(df, tests.assign(higher="face to face"), reconstructed=False)
    assert "score higher on all 3 outcomes; for 1 of them the difference holds" in every
    none = say04.mode_text(df, tests.assign(p_holm=0.5), reconstructed=False)
    assert "score higher on 2 of the 3 outcomes; after Holm's correction the difference holds for none of them." in none
    single = say04.mode_text(df, tests.iloc[:1], reconstructed=False)
    assert "score higher on the one outcome; for 0" not in single and "score higher on the one outcome;" in single


def test_construct_table_rounds_a_share_once_as_the_figure_does():
    # 19/21 = 0.9048: rounded to 0.905 first, a second rounding would show 91 % beside the figure's 90 %
    table = pd.DataFrame({"construct": ["a"], "negative_share": [1 / 42], "neutral_share": [3 / 42],
                          "middle_share": [np.nan], "positive_share": [38 / 42], "ci_low": [0.8199],
                          "ci_high": [0.952]})
    for col in ("ci_widest_low", "ci_widest_high", "ci_narrowest_low", "ci_narrowest_high"):
        table[col] = np.nan
    shown = views.construct_shares(table)
    assert shown.iloc[0].tolist()[:3] == ["2 %", "7 %", ""] and shown.iloc[0].tolist()[3] == f"{fmt.pct(38 / 42)} %" == "90 %"


def test_a_balance_missing_a_pole_says_in_the_table_that_its_middle_is_not_told_apart():
    """Table 3.1: the autonomy item reaches one pole only, so its 'in the middle wanted' share may
    lean toward the pole no item asks; the row says so."""
    table = pd.DataFrame({"construct": ["self-determination", "interest"], "negative_share": [0.04, 0.0],
                          "neutral_share": [0.04, 0.07], "middle_share": [0.93, np.nan], "positive_share": [np.nan, 0.93],
                          "ci_low": [0.77, 0.83], "ci_high": [0.98, 0.97], "poles_reached": [("pole_negative",), np.nan]})
    for col in ("ci_widest_low", "ci_widest_high", "ci_narrowest_low", "ci_narrowest_high"):
        table[col] = np.nan
    shown = views.construct_shares(table)
    assert list(shown.index) == ["self-determination (its middle cannot be told from the pole no item asks)", "interest"]
    assert "in the middle wanted, or toward a pole no item asks" in shown.columns  # review_session37 #18
    both = views.construct_shares(table.assign(poles_reached=[("pole_negative", "pole_positive"), np.nan]))
    assert "in the middle wanted" in both.columns


def test_a_construct_share_resting_on_a_worded_share_gets_no_interval_in_the_table():
    """Issue 25 §4: sampling statistics only on fixed values. A construct pooling a share the thesis
    only words is the reconstruction's reading: Table 3.1 gives it no 95 % interval, widest or
    narrowest, and says why; a construct of fixed counts keeps its intervals."""
    table = pd.DataFrame({"construct": ["trust", "interest"], "negative_share": [0.0, 0.0],
                          "neutral_share": [0.1, 0.07], "middle_share": [np.nan, np.nan], "positive_share": [0.88, 0.93],
                          "ci_low": [0.76, 0.83], "ci_high": [0.94, 0.97], "ci_widest_low": [0.7, 0.8],
                          "ci_widest_high": [0.95, 0.98], "ci_narrowest_low": [0.78, 0.85],
                          "ci_narrowest_high": [0.93, 0.96], "assumed": [True, False]})
    shown = views.construct_shares(table)
    trust = shown.loc["trust (the reconstruction's reading: no interval)"]
    assert trust["toward pole (+)"] == "88 %" and (trust[["95 % CI", "widest CI allowed", "narrowest CI allowed"]] == "").all()
    assert shown.loc["interest", "95 % CI"] == "83–97 %" and shown.loc["interest", "widest CI allowed"] == "80–98 %"


def test_a_construct_no_item_scores_says_so_in_its_table_row():
    """Eight empty rows looked like missing data to a lecturer: a construct no answer scores is
    marked in Table 3.1, and the text below gives the reason."""
    table = pd.DataFrame({"construct": ["empathy", "interest"], "negative_share": [np.nan, 0.0],
                          "neutral_share": [np.nan, 0.07], "middle_share": [np.nan, np.nan],
                          "positive_share": [np.nan, 0.93], "ci_low": [np.nan, 0.83], "ci_high": [np.nan, 0.97]})
    for col in ("ci_widest_low", "ci_widest_high", "ci_narrowest_low", "ci_narrowest_high"):
        table[col] = np.nan
    assert list(views.construct_shares(table).index) == ["empathy (not scored: see below)", "interest"]


def test_a_reading_s_line_in_figure_3_1_and_its_table_row_give_the_range_the_publication_allows():
    """A review: Figure 3.1 drew the reconstruction's 95 % interval of a worded construct under the
    key 'range the publication allows' (confidentiality 76-94 %, where the publication allows 27-98 %)."""
    from analysis_utils.present.figures import _admitted

    table = pd.DataFrame({"construct": ["trust", "interest"], "negative_share": [0.0, 0.0], "neutral_share": [0.1, 0.07],
                          "middle_share": [np.nan, np.nan], "positive_share": [0.875, 0.93], "ci_low": [0.76, 0.83],
                          "ci_high": [0.94, 0.97], "assumed": [True, False], "admissible_low": [15 / 56, 0.93],
                          "admissible_high": [55 / 56, 0.93]})
    for col in ("ci_widest_low", "ci_widest_high", "ci_narrowest_low", "ci_narrowest_high"):
        table[col] = np.nan
    drawn = _admitted(table)
    assert drawn[["ci_low", "ci_high"]].values.tolist() == [[15 / 56, 55 / 56], [0.83, 0.97]]
    names = list(views.construct_shares(table).index)
    assert names[0] == "trust (the reconstruction's reading, no interval: the publication allows 27–98 %)"
    from analysis_utils.present.figures import _listed  # the alternative text gives the range the line draws
    assert _listed(drawn, "construct", "positive_share", drawn["assumed"]) == [
        "trust: not fixed by the thesis, anything from 27 % to 98 % (the reconstruction's reading: 88 %)", "interest 93 %"]
