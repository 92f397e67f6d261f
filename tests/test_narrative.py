"""The report's sentences (analysis_utils.present.narrative): each says what its table holds, with
the table's own numbers, in either language; composite labels are composed from ids."""
import pandas as pd
import pytest

from analysis_utils.codebook import load_codebook
from analysis_utils.i18n import language
from analysis_utils.present.narrative import (
    cleaning,
    common,
    comparison,
    descriptives,
    interpretation,
    limitations,
)

CB = load_codebook()


def test_and_joins_in_the_report_s_language():
    assert common.and_(["a"]) == "a" and common.and_([]) == ""
    assert common.and_(["a", "b", "c"]) == "a, b and c"
    with language("nl"):
        assert common.and_(["a", "b"]) == "a en b"


def test_the_source_note_warns_for_reconstructed_and_synthetic_data_only():
    base = {"intake_id": "x", "n_respondents": 28}
    assert "Reconstructed data" in common.source_note({**base, "source": "reconstructed-from-publication"})
    assert "Synthetic data" in common.source_note({**base, "source": "synthetic"})
    survey = common.source_note({**base, "source": "survey"})
    assert "28 respondents" in survey and ">" not in survey


def test_coverage_summary_counts_items_and_explains_what_is_missing():
    coverage = pd.DataFrame({"item_id": ["q01_gender", "q12_comm_unclear", "q08_satisfaction"], "n": [28, 26, 27],
                             "missing_by_design": [0, 2, 0], "missing_otherwise": [0, 0, 1]})
    text = cleaning.coverage_summary(coverage, 28, CB)
    assert text.startswith("1 of 3 items were answered by all 28 respondents.")
    assert "- `q12_comm_unclear` (unclear): n = 26 — 2 not asked by design" in text
    assert text.endswith("1 answer is missing without a reason in the questionnaire's design.")
    coverage["missing_otherwise"] = 0
    assert cleaning.coverage_summary(coverage, 28, CB).endswith("No answer is missing by accident.")


def test_what_a_reconstruction_leaves_empty_is_no_clients_missing_answer():
    """Issue 25: the concealment follow-up exists only in the project's reading (line 1871), so the
    one topic the reconstruction leaves empty is not 'missing otherwise' (the thesis: no
    questionnaire was incomplete, lines 1448-1450), in the sentence and in the table."""
    from analysis_utils.present import views

    coverage = pd.DataFrame({"item_id": ["q08_satisfaction", "q23a_concealment_topic"], "figure": [8, None], "n": [28, 5],
                             "missing_by_design": [0, 22], "missing_otherwise": [0, 1]})
    text = cleaning.coverage_summary(coverage, 28, CB, reconstructed=True)
    assert "22 not asked by design, 1 left empty by the reconstruction" in text and "No answer is missing" in text
    shown = views.coverage(coverage, CB, reconstructed=True)
    assert shown.loc["q23a_concealment_topic", "left empty by the reconstruction"] == 1
    assert shown.loc["q23a_concealment_topic", "missing otherwise"] == ""
    assert "left empty by the reconstruction" not in views.coverage(coverage, CB).columns  # observed data


def test_reproduction_summary_counts_each_status_and_names_what_fails():
    table = pd.DataFrame({"fact_id": ["a", "b", "c", "d"], "status": ["exact", "exact", "nearest possible", "mismatch"]})
    text = descriptives.reproduction_summary(table, 28)
    assert text.startswith("Of 4 facts the thesis reports: 2 exact (the thesis gives the count")
    assert "1 nearest possible" in text and "no whole count of the 28 answers" in text
    assert text.endswith("Facts that do not hold in this intake: d.")
    assert "confirms nothing" in descriptives.reproduction_summary(table, 28, reconstructed=True)


def test_publication_checks_name_the_impossible_percentage_and_the_contradicted_claim():
    grim = pd.DataFrame({"fact_id": ["f"], "figure": [7], "seed_line": [1612], "percent": [47], "n": [28],
                         "possible": [False], "nearest": [13], "bases": [[15, 17, 19]]})
    claims = pd.DataFrame({"claim_id": ["c"], "figure": [16], "seed_line": [1771], "counts": [{"q16_autonomy": (26, 28)}],
                           "consistent": [False]})
    text = descriptives.publication_checks_summary(grim, claims, {"c": "every respondent is autonomous"})
    assert "Figuur 7: 47 % cannot be a share of n = 28 (nearest 13/28 = 46.4 %)" in text and "15, 17, 19" in text
    assert "Figuur 16 (line 1771): every respondent is autonomous; the counts: q16_autonomy: 26 of 28." in text
    with language("nl"):
        assert "13/28 = 46,4 %" in descriptives.publication_checks_summary(grim, claims, {"c": "x"})
    none = descriptives.publication_checks_summary(grim.iloc[0:0], claims.iloc[0:0], {})
    assert none == "Every reported percentage and universal statement agrees with the counts."


def test_the_response_text_takes_its_numbers_from_the_bounds():
    bounds = pd.DataFrame({"item": ["satisfaction", "trust"], "figure": [8, 9], "observed": [1.0, 0.9],
                           "worst_case": [0.7, 0.63], "best_case": [1.0, 0.93]})
    text = limitations.response_text(28, 40, bounds)
    assert text.startswith("28 of 40 clients approached answered (70 %); 12 did not.")
    assert "as wide as the share who did not answer, 30 points" in text and "satisfaction (Figuur 8), observed 100 %, would lie between 70 % and 100 %" in text
    assert "wider band" not in text  # every share here is fixed: the band is the non-response's 12 of 40
    wider = limitations.response_text(28, 40, bounds.assign(worst_case=[0.7, 0.0], best_case=[1.0, 1.0]))
    assert "has a wider band (up to 100 points)" in wider
    assert "The thesis suspects that clients with a negative view are among them" in text


def test_the_band_is_the_share_that_did_not_answer_and_the_thesis_s_suspicion_is_of_2015_in_a_new_round():
    """50 of 170 did not answer: the band is 29 points (29.4), though its rounded ends, 46 % and
    76 %, lie 30 apart; a new round has its own non-respondents, the thesis spoke of 2015's."""
    bounds = pd.DataFrame({"item": ["satisfaction"], "figure": [8], "observed": [79 / 120],
                           "worst_case": [79 / 170], "best_case": [129 / 170]})
    text = limitations.response_text(120, 170, bounds, from_publication=False)
    assert "as wide as the share who did not answer, 29 points" in text and "between 46 % and 76 %" in text
    assert "For its own round (2015) the thesis suspects" in text and "cannot tell whether that holds here" in text
    assert "are among them" not in text


def test_the_thesis_s_own_limits_are_quoted_with_their_line_in_either_language():
    limits = [{"en": "a small sample", "nl": "een kleine steekproef", "quote": "de steekproef is klein", "seed_line": 2150,
               "framed_as": "limit"},
              {"en": "an intern", "nl": "een stagiair", "quote": "waar ik stage loop", "seed_line": 2254, "framed_as": "stated"}]
    text = limitations.own_limits_text(limits, "en")
    assert '- a small sample — *"de steekproef is klein"* (line 2150)' in text.split("Stated by")[0]
    assert text.endswith('- an intern — *"waar ik stage loop"* (line 2254)')  # not among the limits it names
    assert '- een kleine steekproef — *"de steekproef is klein"* (regel 2150)' in limitations.own_limits_text(limits, "nl")


def test_the_subgroup_sentence_words_outcomes_and_groupings_from_their_ids():
    tests = pd.DataFrame({"grouping": ["interview_mode"], "outcome": ["self_determination = paternalistic_emancipatory"],
                          "groups": ["face to face 18 / telephone 10"], "test": ["Mann-Whitney"], "n": [28],
                          "effect_name": ["rank-biserial"], "effect": [0.41], "p_holm": [0.012], "p_val": [0.012]})
    tests.attrs["family"] = 1
    text = interpretation.subgroup_summary(tests, False, 5, CB)
    assert "1 reach p < .05 after correction" in text
    assert "by interview mode (face to face 18 / telephone 10): respect for self-determination = paternalistic – " \
           "emancipatory (rank-biserial 0.41" in text.replace("\u200b", "")
    with language("nl"):
        text = interpretation.subgroup_summary(tests, False, 5, CB)
    assert "naar afnamewijze" in text


def test_the_subgroup_sentence_sums_up_each_grouping_and_leaves_each_test_to_the_table():
    """A review of a new round: one sentence of about 150 words listed every test the table shows."""
    tests = pd.DataFrame({"grouping": ["interview_mode", "interview_mode", "team", "q01_gender"],
                          "outcome": ["satisfaction", "communication", "communication", "satisfaction"],
                          "groups": ["face to face 76 / telephone 44"] * 2 + ["Noord 64 / Zuid 56", "man 50 / woman 70"],
                          "test": ["Mann-Whitney"] * 4, "n": [120] * 4, "effect_name": ["rank-biserial"] * 4,
                          "effect": [0.34, 0.48, 0.35, 0.1], "p_holm": [0.049, 0.0002, 0.026, 0.7], "p_val": [0.01] * 4,
                          "higher": ["face to face", "face to face", "Noord", "woman"]})
    tests.attrs["family"] = 4
    text = interpretation.subgroup_summary(tests, False, 5, CB)
    assert ("3 reach p < .05 after correction (each in the table below): by interview mode (face to face 76 / "
            "telephone 44), face to face higher: satisfaction and disturbed – good communication (rank-biserial "
            "0.34–0.48, p (Holm) < 0.001 to 0.049); by team (Noord 64 / Zuid 56), Noord higher: disturbed – good "
            "communication (rank-biserial 0.35, p (Holm) = 0.026).") in text.replace("\u200b", "")


def test_home_language_text_says_why_nothing_is_shown():
    assert "version 2 does" in interpretation.home_language_text(None)
    empty = pd.DataFrame()
    empty.attrs.update(left_out=7, groups_left_out=3)
    text = interpretation.home_language_text(empty, 5)
    assert "No home language is spoken by 5 or more respondents" in text and "(7 respondents)" in text


def test_the_comparison_summary_keeps_one_error_rate_and_names_what_differs():
    table = pd.DataFrame({"item": ["trust", "clear"], "intake": ["b", "b"], "reference": ["a", "a"],
                          "top2_intake": [0.5, 0.9], "top2_reference": [0.9, 0.9], "difference": [-0.4, 0.0],
                          "diff_ci_low": [-0.6, -0.1], "diff_ci_high": [-0.2, 0.1], "top2_differs": [True, False],
                          "RBC": [-0.5, 0.0], "p_holm": [0.001, 1.0]})
    table.attrs["family"] = 2

    class Intake:
        def __init__(self, id_, reconstructed):
            self.id, self.reconstructed, self.codebook = id_, reconstructed, CB

    loaded = [(Intake("a", True), None), (Intake("b", False), None)]
    text = comparison.comparison_summary(table, loaded)
    assert "2 rated items were asked in every intake" in text and "Bonferroni, 97.5 % each" in text
    assert "The top-2 share differs for 1: trust (b vs a: top-2 50 % vs 90 %, difference -40 points" in text
    assert "Reconstructed intake involved" in text
    assert "The intakes share no rated item" in comparison.comparison_summary(table.iloc[0:0], loaded)
    table.loc[0, ["RBC", "p_holm"]] = float("nan")  # the test left out: the reconstruction's split would decide it
    text = comparison.comparison_summary(table, loaded)
    assert "simultaneous CI -60 to -20; no Mann–Whitney test)" in text and "nan" not in text
    table = table.assign(top2_fixed=[False, True], top2_reference_low=[0.7, 0.9], top2_reference_high=[0.95, 0.9],
                         top2_intake_low=[0.5, 0.9], top2_intake_high=[0.5, 0.9])
    text = comparison.comparison_summary(table, loaded)  # a share the publication does not fix: its range, no point
    assert "top-2 50 % vs 70–95 % as the publications allow" in text and "difference -40" not in text


@pytest.mark.parametrize("lang, word", [("en", "rows."), ("nl", "rijen.")])
def test_the_table_written_line_counts_rows(lang, word):
    with language(lang):
        assert limitations.table_written("genk-2015", "limitations.csv", 57).endswith(f"57 {word}")


def _chapter(**kw):
    from types import SimpleNamespace
    return SimpleNamespace(codebook=CB, **kw)


def test_the_cleaning_opening_counts_complete_items_and_says_when_answers_are_reconstructed():
    from analysis_utils.present.narrative import openings
    coverage = pd.DataFrame({"item_id": ["a", "b", "c"], "n": [28, 27, 28]})
    survey = openings.cleaning(_chapter(n=28, intake=pd.Series({"reconstructed": False})), coverage)
    assert survey.startswith("**In short.** All 28 questionnaires pass validation. 2 of the 3 items (the questions")
    assert "reconstructed" not in survey
    rebuilt = openings.cleaning(_chapter(n=28, intake=pd.Series({"reconstructed": True})), coverage)
    assert "reconstructed from the thesis's figures" in rebuilt


def test_the_descriptives_opening_ranges_over_given_shares_only_and_counts_the_worded_ones():
    from analysis_utils.present.narrative import openings
    summary = pd.DataFrame({"item_id": ["q08_satisfaction", "q09_trust", "q12_comm_pleasant", "q12_comm_clear"],
                            "figure": [8, 9, 13, 14], "top2_share": [1.0, 0.9, 0.5, 0.2],
                            "provenance": ["count", "count", "count", "quantifier"],
                            "admissible_low": [1.0, 0.9, 0.5, 0.5], "admissible_high": [1.0, 0.9, 0.5, 1.0]})
    text = openings.descriptives(_chapter(summary=summary, from_publication=True))
    assert "Satisfied or very satisfied with their social worker (Figuur 8): 100 %, as the thesis reports it." in text
    assert "On the 3 relationship items whose share the thesis fixes" in text
    observed = openings.descriptives(_chapter(summary=summary.assign(provenance="observed", top2_ci_low=0.1, top2_ci_high=1.0),
                                              from_publication=False))
    assert "On the 4 relationship items, the share" in observed and "thesis" not in observed.split("(Figuur 8)")[1]
    assert "runs from 50 % (" in text and "to 100 % (" in text  # the worded item's 20 % is left out
    assert "20 %" not in text and "For the other 1 the thesis gives only a word" in text and "50–100 %" in text


def test_the_interpretation_opening_counts_comparisons_whose_range_crosses_zero():
    from analysis_utils.present.narrative import openings
    constructs = pd.DataFrame({"reading": ["direction"] * 3, "construct": ["A", "B", "C"],
                               "positive_share": [0.6, 0.9, 0.1], "assumed": [False, False, True]})
    ident = pd.DataFrame({"quantity_id": ["rank_biserial"] * 3 + ["epsilon_squared"], "grouping": ["gender"] * 4,
                          "marginals_id": ["admissible"] * 4, "lower": [-0.4, 0.1, -1.0, 0.0],
                          "upper": [0.6, 0.8, 1.0, 0.5]})
    text = openings.interpretation(_chapter(identification=ident), constructs)
    assert "runs from 60 % (A) to 90 % (B)" in text and "10 %" not in text
    assert "among the 2 constructs whose shares the thesis fixes. 1 more rests partly on shares the thesis only words: it is" in text
    assert "differ by gender, the publication cannot tell: in 2 of the 3 comparisons between two groups" in text
    assert "puts one group higher and another puts it lower" in text and "the first group" not in text
    assert "Nor whether they differ by gender: in 1 of the 1 comparisons between its groups, the published counts fit no" in text
    assert "as well as a large one (epsilon² 0.50 or more)" in text
    assert "links this report draws" not in text  # no support counts: nothing said about them


def test_the_interpretation_opening_says_which_end_rests_on_links_this_report_draws():
    from analysis_utils.present.narrative import openings
    constructs = pd.DataFrame({"reading": ["direction"] * 3, "construct": ["A", "B", "C"],
                               "positive_share": [0.6, 0.9, 0.7], "assumed": [False] * 3,
                               "n_stated": [0, 1, 0], "n_inferred": [1, 1, 2]})
    text = openings.interpretation(_chapter(identification=None), constructs)
    assert "runs from 60 % (A) to 90 % (B)" in text
    assert "The share for A rests only on links this report draws from the thesis's words" in text
    assert "The share for B rests partly on links this report draws" in text and "for C" not in text
    stated = openings.interpretation(_chapter(identification=None), constructs.assign(n_stated=1, n_inferred=0))
    assert "links this report draws" not in stated


def test_constructs_tied_at_an_end_are_all_named():
    """52 of 56 and 26 of 28 are the same share: naming one as the largest says more than the data."""
    from analysis_utils.present.narrative import interpretation, openings
    constructs = pd.DataFrame({"reading": ["direction"] * 4, "construct": ["A", "B", "C", "D"],
                               "positive_share": [52 / 56, 26 / 28, 0.8, 0.99], "assumed": [False, False, False, True],
                               "n_stated": [1] * 4, "n_inferred": [0] * 4})
    text = openings.interpretation(_chapter(identification=None), constructs)
    assert "runs from 80 % (C) to 93 % (A and B) among the 3 constructs whose shares the thesis fixes. 1 more" in text
    full = constructs.assign(n_answers=[56, 28, 28, 28], n_respondents=28, n_items=1, design_effect=1.0,
                             ci_low=0.7, ci_high=0.98, items="x")
    ranked = interpretation.constructs_summary(full, {})
    assert "is that of **A** (93 %" in ranked and "and **B** (93 %" in ranked and "the smallest that of **C** (80 %" in ranked


def test_the_limitations_opening_takes_response_bounds_and_precision_from_its_numbers():
    from analysis_utils.present.narrative import openings
    from analysis_utils.stats.intervals import wilson_interval
    numbers = {"response": {"n": 28, "approached": 40, "rate": 0.7},
               "bounds": pd.DataFrame({"worst_case": [0.7], "best_case": [1.0]}), "widths": {0.5: 0.34, 0.9: 0.24}}
    text = openings.limitations(_chapter(), numbers)
    assert text == ("**In short.** 28 of 40 clients approached answered (70 %). Counting the clients who did not "
                    "answer, satisfaction among all approached lies between 70 % and 100 %. At this sample size a "
                    "95 % interval runs from {a} to {b} at 14 of 28 (50 %) and from {c} to {d} at 25 of 28 "
                    "(89 %): near the top it reaches further down than up.".format(  # not ±12 around 90 %: 90 % is no count of 28
                        a=round(100 * wilson_interval(14, 28)[0]), b=f"{round(100 * wilson_interval(14, 28)[1])} %",
                        c=round(100 * wilson_interval(25, 28)[0]), d=f"{round(100 * wilson_interval(25, 28)[1])} %"))
    with language("nl"):
        assert openings.limitations(_chapter(), numbers).startswith("**Kort samengevat.** 28 van de 40 benaderde cliënten antwoordden (70 %).")


def test_the_home_language_text_says_what_one_person_weighs_in_the_smallest_group():
    """Groups of 10 or 11 make one person 9-10 points, not "a few points"; the groups are answers
    to the question (one of them may be "another language"), not so many languages."""
    import pandas as pd

    from analysis_utils.present.narrative.interpretation import home_language_text

    table = pd.DataFrame({"q24_home_language": ["Dutch", "Dutch", "other language", "other language", "French",
                                                "French"],
                          "item_id": ["q12_comm_clear", "q21_information"] * 3, "n": [66, 66, 11, 10, 6, 6],
                          "top-2 %": [61, 74, 55, 70, "suppressed (< 5)", "suppressed (< 5)"]})
    text = home_language_text(table)
    # French, 6 respondents, has no percentage shown (fewer than 5 in the top two): not the smallest shown
    assert "(3 in all)" in text
    assert "smallest group with a percentage shown (10 respondents), one person is 10 percentage points" in text
    assert "home languages" not in text and "one or two people" not in text
    # the hidden counts say why, on either side (review_observed37 #15; review_session37 #1: 7 of 11 is hidden
    # because 4 did not answer favourably, so no bound is inferred from a hidden cell)
    assert "\"1–(n − 1)\" either way), so that nobody can be recognised;" in text and "at most" not in text
    hidden = table.assign(**{"top-2 %": "suppressed (< 5)"})
    assert "Every percentage is hidden, so that nobody can be recognised" in home_language_text(hidden)


def test_a_hidden_count_tells_nothing_of_which_side_it_is_on():
    """review_session37b #1: of 6, "> 1" could only be 5 (the counts 1-4 read "< 5"), so exactly one
    person would be given away; below twice the threshold both sides read "1–(n − 1)", below the
    threshold every count is hidden, and no label has a negative number."""
    from analysis_utils.codebook import load_codebook
    from analysis_utils.stats.descriptive import top2_by_group

    df = pd.DataFrame({"team": ["A"] * 6 + ["B"] * 6 + ["C"] * 7 + ["D"] * 12,
                       "q08_satisfaction": [5] * 5 + [1] + [5] * 2 + [1] * 4 + [5] * 5 + [1] * 2 + [5] * 9 + [1] * 3})
    counts = top2_by_group(df, load_codebook(), "team", [8]).set_index("team")["top2_count"]
    assert counts["A"] == counts["B"] == "1–5" and counts["C"] == "1–6" and counts["D"] == "> 7"
    # a shown group with few answers to one item: its count is hidden whatever it is, 0 included
    from analysis_utils.intake.privacy import suppress_small_cells

    few = suppress_small_cells(pd.DataFrame({"n": [4, 3], "top2_count": [0, 3]}), ["n", "top2_count"], total_column="n")
    assert few["top2_count"].tolist() == ["< 5", "< 5"]


def test_a_two_group_difference_names_the_group_that_answers_higher():
    """A rank-biserial says how far two groups differ, not which one is higher: the table and the
    sentence name it (here the second group, b, answers every question higher than a)."""
    import pandas as pd

    from analysis_utils.codebook import load_codebook
    from analysis_utils.present import views
    from analysis_utils.present.narrative.interpretation import subgroup_summary
    from analysis_utils.stats.tests import group_tests

    scores = pd.DataFrame({"interest": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10.]})
    tests = views.subgroups(group_tests(scores, pd.DataFrame({"interview_mode": list("aaaaabbbbb")})),
                            load_codebook(), 5)
    assert tests.loc[0, "higher"] == "b" and tests.loc[0, "effect"] < 0
    flipped = views.subgroups(group_tests(scores, pd.DataFrame({"interview_mode": list("bbbbbaaaaa")})),
                              load_codebook(), 5)
    assert flipped.loc[0, "higher"] == "a" and flipped.loc[0, "effect"] > 0
    assert "(b higher)" in views.subgroup_tests(tests, load_codebook()).iloc[0]["effect"]
    assert "b higher: interest in the client (rank-biserial -1.00, p (Holm)" in subgroup_summary(tests, False, 5, load_codebook())


def test_genk_is_described_only_beside_the_2015_round():
    """The thesis's remark on Genk's population belongs to its own round; beside another round it is
    said to be the 2015 thesis's, and that this round has no population figure to compare with."""
    from analysis_utils.present.narrative.limitations import representativeness_text

    nat = {"k": 90, "n": 120, "share": 0.75, "ci_low": 0.67, "ci_high": 0.82}
    assert "Genk, a former mining town" in representativeness_text(nat, 1)
    other = representativeness_text(nat, 2, thesis_round=False)
    assert "mining town" not in other and "The 2015 thesis noted of its round in Genk" in other
    assert "for this round there is no figure" in other and "two teams" in other
    # the thesis's own caveat (line 2164): a client of foreign origin may have become Belgian
    for text in (representativeness_text(nat, 1), other):
        assert "meanwhile become Belgian" in text and "Nationality is not origin" in text
    with language("nl"):
        assert "Nationaliteit is geen herkomst" in representativeness_text(nat, 1)


def test_a_balance_with_one_pole_unasked_does_not_claim_the_middle():
    """An item that reaches one pole only cannot tell the middle from the pole it does not ask:
    its agreeing answers lean away from the asked pole, not "in the middle" (reviewers' reading of
    the autonomy item, thesis lines 658-663)."""
    import pandas as pd

    from analysis_utils.present.narrative.interpretation import _balance_text

    fields = {"construct_id": "self_determination", "construct": "respect for self-determination",
              "items": "autonomy", "middle_share": 26 / 28, "neutral_share": 1 / 28, "negative_share": 1 / 28,
              "positive_share": 0.0, "pole_negative": "initiatief overgenomen (bemoederen)",
              "pole_positive": "volledig zelf verantwoordelijk (vrijblijvend)", "poles_reached": ("pole_negative",)}
    twins = pd.DataFrame({"construct": ["paternalistic – emancipatory"], "items": ["autonomy"], "positive_share": [0.93]})
    text = _balance_text(pd.Series(fields), twins.iloc[:0])
    assert "fall in that middle" not in text and "The same answers" not in text
    assert "93 % lean away from *initiatief overgenomen (bemoederen)*, 4 % are neutral and 4 % lean toward it" in text
    assert "cannot tell the middle the thesis wants from it" in text
    # the one item is all of a direction construct too: the report says it reads the answers two ways
    twice = _balance_text(pd.Series(fields), twins)
    assert twice.endswith("The same item is also the only item of paternalistic – emancipatory, where its 93 % count as "
                          "the strengthening side: the two readings cannot both be taken at face value.")
    both_asked = _balance_text(pd.Series({**fields, "poles_reached": ("pole_negative", "pole_positive")}), twins)
    assert "The same item is also the only item of paternalistic" in both_asked  # in every branch
    assert "The same answers" not in _balance_text(pd.Series(fields), twins.assign(items="autonomy, hurried"))
    both = _balance_text(pd.Series({**fields, "poles_reached": ("pole_negative", "pole_positive")}), twins.iloc[:0])
    assert "93 % fall in that middle" in both and "cannot tell" not in both
    neither = _balance_text(pd.Series({**fields, "poles_reached": ()}), twins.iloc[:0])
    assert "fall in that middle" not in neither and "93 % agree" in neither and "cannot tell the middle" in neither


def test_a_construct_whose_id_is_a_word_is_named_as_the_theory_map_names_it():
    """'confidentiality' is read as trust (the thesis's section 2.3.4): a sub-group outcome by that id
    is named as the map names the construct, not by its id, in either language."""
    from analysis_utils.present.labels import outcome_words

    assert outcome_words("confidentiality", CB) == "confidentiality (as trust)"
    with language("nl"):
        assert outcome_words("confidentiality", CB) == "vertrouwelijkheid (als vertrouwen)"


def test_relationship_items_tied_at_an_end_are_all_named():
    """Satisfaction and sincerity are both 100 %: the front page and chapter 02 name both."""
    from analysis_utils.present.narrative import openings
    from analysis_utils.present.narrative.findings import _shares

    summary = pd.DataFrame({"item_id": ["q08_satisfaction", "q14_sincere", "q18_personality_match"],
                            "figure": [8, 14, 18], "top2_share": [1.0, 1.0, 23 / 28],
                            "provenance": ["count", "bound", "count"],
                            "admissible_low": [1.0, 1.0, 23 / 28], "admissible_high": [1.0, 1.0, 23 / 28]})
    text = openings.descriptives(_chapter(summary=summary, from_publication=True))
    front = " ".join(f.text for f in _shares(summary.set_index("item_id"), CB))
    for words in (text, front):
        assert "from 82 % (personalities match) to 100 % (satisfaction and being sincere)" in words, words


def test_the_misread_goals_item_is_no_share_in_the_openings_or_the_front_page():
    """Questionnaire v1's goals item (Figuur 17) was misread by most (lines 2227-2231): its answers
    have no favourable side, so no summary gives it a share or a range (a lecturer's reading)."""
    from analysis_utils.present.narrative import openings
    from analysis_utils.present.narrative.findings import _shares

    summary = pd.DataFrame({"item_id": ["q08_satisfaction", "q13_ask_help_easily", "q17_different_goals"],
                            "figure": [8, 13, 17], "top2_share": [1.0, 0.9, 0.23],
                            "provenance": ["count", "quantifier", "quantifier"],
                            "admissible_low": [1.0, 0.75, 0.04], "admissible_high": [1.0, 0.96, 0.46]})
    text = openings.descriptives(_chapter(summary=summary, from_publication=True))
    assert "different goals" not in text and "4–46 %" not in text and "For the other 1 " in text
    assert "The goals item of questionnaire v1 (Figuur 17) is left out" in text
    front = " ".join(f.text for f in _shares(summary.set_index("item_id"), CB))
    assert "Of the 2 items on the relationship" in front and "The goals item of questionnaire v1" in front
    v2 = openings.descriptives(_chapter(summary=summary.iloc[:2], from_publication=True))
    assert "goals item" not in v2


def test_the_team_note_says_how_far_teams_can_be_told_apart_and_how_each_took_the_questionnaire():
    """A review of a new round: Team Noord 6-23 points higher on every item, with no interval, and
    a team that took more questionnaires face to face, the mode that answers higher."""
    from analysis_utils.present.narrative import descriptives

    mix = pd.DataFrame({"a03_team": ["Team Noord", "Team Zuid"], "n": [64, 56], "face": [45, 31], "half_width": [0.1738] * 2})
    text = descriptives.team_note(mix)
    assert "With teams of 64 and 56 respondents" in text and "±17 points" in text and "not tests" in text
    assert "Team Noord 45 of 64 face to face (70 %); Team Zuid 31 of 56 face to face (55 %)" in text
    assert "may partly be one of interview mode" in text
    alike = descriptives.team_note(mix.assign(face=[45, 40]))  # 70 % and 71 %
    assert "much the same proportion" in alike and "may partly be" not in alike
    few = descriptives.team_note(mix.assign(face=[45, 53]))  # 3 of Team Zuid by telephone: a small cell
    assert "±17 points" in few and "53 of 56" not in few and "of 64 face to face" not in few
    assert descriptives.team_note(None) == ""


def test_a_negatively_worded_item_in_the_ceiling_figure_names_its_most_positive_answer():
    """'concealed something 69 %' read as 69 % concealing; the most positive answer is 'never'."""
    from analysis_utils.codebook import load_codebook
    from analysis_utils.i18n import language
    from analysis_utils.present import limits

    ceiling = pd.DataFrame({"figure": [23, 8], "item_id": ["q23_concealment", "q08_satisfaction"], "n": [120, 120],
                            "ceiling_share": [0.69, 0.3]})
    assert limits.ceiling_view(ceiling, load_codebook("v2"))["item"].tolist() == ["concealed something: never",
                                                                                  "satisfaction"]
    with language("nl"):
        assert limits.ceiling_view(ceiling, load_codebook("v2"))["item"].iloc[0] == "iets verzwegen: nooit"


def test_the_front_page_says_by_which_grouping_the_differences_hold():
    """'7 of 36 differences' read as seven findings; six of them were one contrast, interview mode."""
    from analysis_utils.present.narrative import findings

    tests = pd.DataFrame({"grouping": ["interview_mode"] * 3 + ["team", "q01_gender"], "p_holm": [0.01, 0.02, 0.5, 0.03, 0.9],
                          "effect": [0.4, 0.3, 0.1, 0.35, 0.05], "effect_name": ["rank-biserial"] * 5})
    text = findings._subgroups_tested(tests).text
    assert text.startswith("In 3 of 5 comparisons between groups the difference holds after correcting for the number of tests "
                           "(2 by interview mode and 1 by team); the largest effect: 0.40 (rank-biserial; 0 is no "
                           "difference, 1 every respondent of one group above every one of the other)")
    none = findings._subgroups_tested(tests.assign(p_holm=0.5)).text
    assert "No difference between groups (interview mode, team and gender) holds" in none


def test_the_answers_the_thesis_s_conclusion_rests_on_show_both_sides_in_an_observed_round():
    """A review of a new round: '77 of 120 on the positive side of hurried' beside the thesis's
    'weinig tot niets' leaves out the 17 who find the conversations hurried."""
    from analysis_utils.codebook import load_codebook

    df = pd.DataFrame({"q12_comm_hurried": [1, 1, 2, 3, 4, 5], "q15_reachable_by_phone": [5, 5, 4, 3, 1, 2]})
    text = interpretation.time_evidence_text(df, load_codebook("v2"))
    assert "3 of 6 answered ‘certainly not’ or ‘rather not’ to *hurried* (Figuur 12) and 2 ‘rather yes’ or ‘certainly yes’" in text
    assert "3 of 6 on the positive side of *reachable by phone* (Figuur 15) and 2 on the negative side" in text
    reconstructed = pd.DataFrame({"item_id": ["q12_comm_hurried", "q15_reachable_by_phone"], "provenance": ["count"] * 2})
    assert "negative side" not in interpretation.time_evidence_text(df, load_codebook("v2"), reconstructed)


def test_a_team_left_out_is_not_given_away_by_the_round_s_totals():
    """A review of today's changes: with teams of 64, 53 and 3, the third followed by subtraction
    from the round's totals (N, each item's count, the mode split); 9 of 10 told of the one."""
    from analysis_utils.codebook import load_codebook
    from analysis_utils.present.narrative import descriptives
    from analysis_utils.stats.descriptive import top2_by_group

    cb = load_codebook("v2")
    df = pd.DataFrame({"team": ["A"] * 64 + ["B"] * 53 + ["C"] * 3, "q08_satisfaction": [5] * 60 + [1] * 60})
    assert set(top2_by_group(df, cb, "team", [8])["team"]) == {"A"}  # B too, else C = total - A - B
    ten = pd.DataFrame({"team": ["A"] * 10 + ["B"] * 10, "q08_satisfaction": [5] * 9 + [1] + [5] * 5 + [1] * 5})
    shown = top2_by_group(ten, cb, "team", [8]).set_index("team")["top-2 %"]
    assert shown["A"] == "suppressed (< 5)"  # 9 of 10: the one who was not is a cell of 1
    # ... and B's 5 of 10 would give A's 9 by subtraction from the round's 14 (review_session37c #1): hidden too
    counts = top2_by_group(ten, cb, "team", [8]).set_index("team")["top2_count"]
    assert shown["B"] == "suppressed (< 5)" and counts["B"] == "0–10" and counts["A"] == "> 5"
    mix = pd.DataFrame({"a03_team": ["A", "B", "C"], "n": [64, 56, 8], "face": [45, 31, 0], "half_width": [0.31] * 3})
    text = descriptives.team_note(mix)
    assert "With teams of 64, 56 and 8 respondents" in text and "±31 points" in text and "between the two smallest" in text


def test_a_span_of_equal_ends_is_one_value():
    """'0.35–0.35' and 'p (Holm) < 0.001 to < 0.001' said nothing a single value does not."""
    tests = pd.DataFrame({"grouping": ["interview_mode"] * 2, "outcome": ["satisfaction", "communication"],
                          "groups": ["a 5 / b 5"] * 2, "test": ["Mann-Whitney"] * 2, "n": [10, 10],
                          "effect_name": ["rank-biserial"] * 2, "effect": [0.35, 0.35], "p_holm": [0.0001, 0.0002],
                          "p_val": [0.01] * 2, "higher": ["a", "a"]})
    tests.attrs["family"] = 2
    text = interpretation.subgroup_summary(tests, False, 5, CB).replace("\u200b", "")
    assert "(rank-biserial 0.35, p (Holm) < 0.001)" in text and "0.35–0.35" not in text


def test_the_pilot_gets_a_row_only_where_a_pilot_questionnaire_was_taken():
    """A review of a new round: 'pilot questionnaire: no, 120, 100 %' said nothing."""
    from analysis_utils.chapters import Chapter

    def chapter(pilot):
        df = pd.DataFrame({"pilot": pilot, "interview_mode": "face to face", "age_group": "over 50"})
        return Chapter(paths=None, lang="en", df=df, manifest={}, codebook=None)

    assert chapter([False] * 3).groupings("interview_mode", "pilot", "age_group") == ["interview_mode", "age_group"]
    assert chapter([False, True, False]).groupings("interview_mode", "pilot") == ["interview_mode", "pilot"]
    # the team only where the questionnaire asks it (review_observed37 #3: Table 1.2 left it out)
    assert chapter([False] * 3).groupings("interview_mode", "a03_team") == ["interview_mode"]


def test_frequency_items_at_the_top_are_not_read_as_answering_style():
    """A review of a new round: conflicts and concealed something top the ceiling figure because
    'never' is their most positive answer, not because answers lean toward the top."""
    from analysis_utils.codebook import load_codebook

    ceiling = pd.DataFrame({"figure": [23, 22, 8, 9], "item": ["concealed something: never", "conflicts: never",
                                                             "satisfaction", "bond of trust"],
                            "n": [120] * 4, "ceiling_share": [0.69, 0.65, 0.37, 0.41]})
    text = limitations.ceiling_text(ceiling, False, load_codebook("v2"))
    # an observed round: they are left out of the count (review_observed37 #2: "2 of 43" were exactly those two),
    # said inside the sentence that counts (review_session37 #7), in agreement with the number
    assert text.startswith("None of the 2 scale items in the figure has half or more of its answers at the most "
                           "positive category (median 39 %; concealed something and conflicts, which count how often "
                           "something happened, are left out: their most positive answer (‘never’)")
    one = limitations.ceiling_text(ceiling.assign(ceiling_share=[0.69, 0.65, 0.6, 0.3]), False, load_codebook("v2"))
    assert one.startswith("1 of the 2 scale items in the figure has half or more of its answers")
    both = limitations.ceiling_text(ceiling.assign(ceiling_share=0.6), False, load_codebook("v2"))
    assert both.startswith("2 of the 2 scale items in the figure have half or more of their answers")
    with language("nl"):
        assert limitations.ceiling_text(ceiling, False, load_codebook("v2")).startswith("Geen van de 2 schaalitems")
    reconstructed = limitations.ceiling_text(ceiling.assign(assumed=False), True, load_codebook("v2"))
    assert "Concealed something and conflicts count how often something happened: their most positive" in reconstructed
    assert "lean toward the top" not in limitations.ceiling_text(ceiling.assign(ceiling_share=0.3, assumed=False), True,
                                                                 load_codebook("v2"))


def test_stage_01_says_how_many_ranges_are_proven_in_plain_words():
    """A lecturer's reading: seven method names with counts told a social-work reader nothing; a
    review: a range proven only at the reconstruction's own counts is not proven over the publication."""
    from analysis_utils.present.narrative.cleaning import identification_summary

    table = pd.DataFrame({"method_id": ["milp", "search", "search", "exact_effect"], "sharp": [True, False, False, True],
                          "marginals_id": ["admissible", "admissible", "admissible", "reconstruction"]})
    text = identification_summary(table)
    assert "3 of them are taken over every count the publication admits; the other 1 hold only at" in text
    assert "Over every admitted count, 1 ranges are proven" in text and "for the other 2 a search found" in text
    assert "Methods:" not in text and "names the method behind each range" in text
    proven = identification_summary(table.assign(sharp=True))
    assert "for the other" not in proven and "3 ranges are proven" in proven


def test_no_team_table_says_why_without_a_template_s_alternatives():
    """Questionnaire v1 does not ask for the team; a v2 round may have one team only: each page says
    its own reason, not "(questionnaire v1, or a single team)"."""
    from analysis_utils.present.narrative.descriptives import no_teams

    assert no_teams(None, 5, asked=False) == "This version of the questionnaire does not ask for the team or site."
    assert no_teams(None, 5) == "This intake records a single team or site."
    assert "fewer than 5 respondents" in no_teams(pd.DataFrame({"x": []}), 5)


def test_the_precision_paragraph_names_the_groups_and_the_difference_they_can_detect():
    """A lecturer could not tell which group the 'drop' was in: the sentence puts the observed share
    in one group beside the share the other would need."""
    from analysis_utils.present.narrative.limitations import precision_text

    mdd = {"face to face / telephone (18 and 10)": {"share_from": 1.0, "share_to": 0.62, "n_drops": 10, "n_stays": 18,
                                                    "test": "Fisher's exact test", "cohen_d": 1.15}}
    text = precision_text(28, {0.5: 0.35, 0.9: 0.23}, mdd)
    assert ("only a difference at least as large as 100 % satisfied in the group of 18 (the share over all "
            "respondents) against 62 % or less in the group of 10") in text
    assert "34 points wide at 14 of 28 (50 %)" in text  # 33 to 67 %, as the chapter's opening shows the ends and "Cohen's d = 1.15" in text


def test_sub_groups_of_three_or_more_alone_open_their_own_sentence():
    """A review: with no two-group comparison, 'Nor whether they differ' had nothing before it; an
    epsilon² of 0.04 was called large."""
    from analysis_utils.present.narrative.findings import groups_undecided

    ident = pd.DataFrame({"quantity_id": ["epsilon_squared"] * 2, "grouping": ["help_type", "team"],
                          "marginals_id": ["admissible"] * 2, "lower": [0.0, 0.2], "upper": [0.04, 0.9]})
    text = groups_undecided(ident)
    assert text.startswith("Whether clients differ by type of help, the publication cannot tell: in 1 of the 1 ")
    assert "Nor" not in text and "a small one (epsilon² 0.04 or more)" in text
    assert "By team, the published counts settle that the groups differ" in text  # a settled grouping is named
    settled = groups_undecided(ident.assign(lower=0.2))
    assert "cannot tell" not in settled and "By type of help and team, the published counts settle" in settled


def test_the_chapter_3_opening_keeps_its_caveat_with_no_fixed_share_and_names_a_lone_one():
    """A review: with every share worded the caveat vanished; with one fixed share the text said
    'from 80 % (A) to 80 % (A) among the 1 constructs'."""
    from analysis_utils.present.narrative import openings

    constructs = pd.DataFrame({"reading": ["direction"] * 2, "construct": ["A", "B"], "positive_share": [0.8, 0.9],
                               "assumed": [True, True], "n_stated": [1, 1], "n_inferred": [0, 0]})
    worded = openings.interpretation(_chapter(identification=None), constructs)
    assert "the thesis fixes no share of a construct where more is better: all 2 scored rest partly" in worded
    assert "80 %" not in worded and "90 %" not in worded  # the reconstruction's readings are no headline
    lone = openings.interpretation(_chapter(identification=None), constructs.assign(assumed=[False, True]))
    assert "A has 80 % of its answers on the strengthening side" in lone and "to 80 % (A)" not in lone
    tied = openings.interpretation(_chapter(identification=None), constructs.assign(positive_share=0.8, assumed=False))
    assert "A and B each have 80 % of their answers" in tied
    assert "1 more rests partly on shares the thesis only words" in lone


def test_coverage_says_when_single_item_constructs_are_one_item_read_twice():
    """review_observed37 #1, review_session37 #6: respect for self-determination and paternalistic –
    emancipatory both rest on the autonomy item alone; chapter 4 says so, also beside a construct
    that rests on another single item, agrees in number and writes no empty clause."""
    matrix = pd.DataFrame([[1, 0], [1, 0], [1, 1], [0, 0]], columns=["autonomy", "hurried"],
                          index=["self-determination", "paternalistic – emancipatory", "acceptance", "genuineness"])
    text = limitations.coverage_text(matrix)
    assert ("; 2 rest on a single item: self-determination and paternalistic – emancipatory on one and the same item, "
            "*autonomy*.") in text
    mixed = limitations.coverage_text(matrix.assign(hurried=[0, 0, 1, 1]))
    assert ("3 rest on a single item: self-determination and paternalistic – emancipatory on one and the same item, "
            "*autonomy*; genuineness on the item *hurried*.") in mixed and "Nothing measures" not in mixed
    other = limitations.coverage_text(matrix.assign(hurried=[0, 1, 1, 0], autonomy=[1, 0, 1, 0]))
    assert ("2 rest on a single item: self-determination on the item *autonomy*; paternalistic – emancipatory on the "
            "item *hurried*.") in other
    one = limitations.coverage_text(matrix.drop(index="self-determination"))
    assert "; one rests on a single item: paternalistic – emancipatory on the item *autonomy*." in one
    none = limitations.coverage_text(matrix.assign(hurried=1))
    assert "rest on a single item" not in none and "()" not in none


def test_one_respondent_weighs_what_the_sample_size_says():
    """review_observed37 #4: at 10,000 respondents one person is not "0.0 percentage points"."""
    assert "one respondent is 3.6 percentage points" in common.one_person_note(28)
    assert common.one_person_note(10_000) == "At n = 10000 one percentage point is about 100 respondents."
    assert "0.5 percentage points" in common.one_person_note(200) and "about 3 respondents" in common.one_person_note(250)
    with language("nl"):
        assert common.one_person_note(10_000) == "Bij n = 10000 staat één procentpunt voor ongeveer 100 respondenten."


def test_a_hidden_count_is_not_narrowed_by_the_round_s_total():
    """review_session37c #1: chapter 2 publishes each item's top-2 count over the round, so the
    hidden counts of a table by group sum to it minus the shown ones; where that sum would narrow a
    hidden count (1 of 6 = 21 − 15 − 5), the smallest shown group is hidden too, and only then."""
    from analysis_utils.codebook import load_codebook
    from analysis_utils.stats.descriptive import top2_by_group

    def table(favourable):  # groups of 20, 10 and 6 with these top-2 counts
        rows = [(g, 5 if k < fav else 1) for g, n, fav in zip("ABC", (20, 10, 6), favourable) for k in range(n)]
        df = pd.DataFrame(rows, columns=["team", "q08_satisfaction"])
        return top2_by_group(df, load_codebook(), "team", [8]).set_index("team")["top2_count"]

    given_away = table((15, 5, 1))
    assert given_away.tolist() == [15, "0–10", "1–5"]
    kept = table((15, 5, 0))  # nothing hidden: nothing to protect
    assert kept.tolist() == [15, 5, 0]
