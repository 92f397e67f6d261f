import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis_utils.codebook import load_codebook
from analysis_utils.i18n import language
from analysis_utils.intake import read_intake
from analysis_utils.intake.publication import load_claims, load_facts
from analysis_utils.present import figures, plots
from analysis_utils.stats import descriptive as d
from analysis_utils.stats import intervals, publication

CB = load_codebook()


@pytest.fixture(scope="module")
def freq(default_intake):
    return d.frequencies(read_intake(default_intake).responses, CB)


def pct(x):
    return round(100 * x, 1)


@pytest.mark.parametrize("k,n,lo,hi", [(27, 28, 82.3, 99.4), (0, 28, 0.0, 12.1), (28, 28, 87.9, 100.0), (14, 28, 32.6, 67.4)])
def test_wilson_known_values(k, n, lo, hi):
    got = intervals.wilson_interval(k, n)
    assert (pct(got[0]), pct(got[1])) == (lo, hi)


def test_clopper_pearson_is_wider_than_wilson_at_the_edge():
    cp = intervals.clopper_pearson_interval(27, 28)
    assert (pct(cp[0]), pct(cp[1])) == (81.7, 99.9)
    assert intervals.clopper_pearson_interval(0, 28)[1] > intervals.wilson_interval(0, 28)[1]


def test_summarise_reversed_item_counts_the_disagreeing_side():
    values = pd.Series([1, 1, 2, 3, 5, None], dtype="Int64")
    row = d.summarise_item(values, CB.item("q17_different_goals"))
    assert row["n"] == 5 and row["top2_count"] == 3 and row["top2_share"] == pytest.approx(0.6)
    assert row["ceiling_share"] == pytest.approx(0.4)  # code 1 is the most positive answer
    # on the positively oriented scale (5, 5, 4, 3, 1), as answer categories
    assert (row["median"], row["q1"], row["q3"]) == (4.0, 3.0, 5.0)


@pytest.mark.parametrize("seed", range(20))
def test_quartiles_are_answer_categories_hyndman_fan_type_1(seed):
    """Against the textbook definition: the smallest answer x with F(x) >= p, i.e. the
    ceil(n p)-th smallest value."""
    import math

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    codes = pd.Series(rng.integers(1, 6, n), dtype="Int64")
    for item_id in ("q08_satisfaction", "q10_emotion_shame"):
        item = CB.item(item_id)
        scores = sorted(item.positive_score(c) for c in codes)
        expected = tuple(float(scores[max(math.ceil(n * p), 1) - 1]) for p in (0.25, 0.5, 0.75))
        assert d.ordinal_quartiles(codes, item) == expected
        assert all(x == int(x) for x in expected)


def test_one_rounding_rule_half_up_so_share_and_categories_agree():
    from analysis_utils.fmt import pct, percent_of

    assert pct(75 / 120) == 63 == percent_of(75, 120)  # Python's round() gives 62
    assert percent_of(30, 120) + percent_of(45, 120) == pct(75 / 120)
    assert [pct(x / 8) for x in range(9)] == [0, 13, 25, 38, 50, 63, 75, 88, 100]


def test_nominal_items_get_no_top2_or_median():
    row = d.summarise_item(pd.Series([1, 2, 2], dtype="Int64"), CB.item("q01_gender"))
    assert "top2_share" not in row and "median" not in row


def test_frequency_table_has_exactly_the_contract_columns_and_zero_categories(freq):
    assert list(freq.columns) == ["item_id", "figure", "category_code", "label_nl", "label_en", "n", "count", "percent"]
    sat = freq[freq["item_id"] == "q08_satisfaction"]
    assert sat["category_code"].tolist() == [1, 2, 3, 4, 5]
    assert sat.loc[sat["category_code"] == 3, "count"].item() == 0


# Every count of SURVEY_FACTS.md, typed from the thesis (item, codes, count).
SURVEY_FACTS_COUNTS = [
    ("q01_gender", [1], 14), ("q01_gender", [2], 14),
    ("q02_age_band", [1], 0), ("q02_age_band", [1, 2, 3], 6), ("q02_age_band", [4], 9), ("q02_age_band", [5, 6], 13),
    ("q03_civil_status", [4], 3),
    ("q04_nationality", [1], 26), ("q04_nationality", [2], 1), ("q04_nationality", [3], 1),
    ("q06_contact_route", [2], 1), ("q06_contact_route", [3], 3),
    ("q07_help_type", [2], 13), ("q07_help_type", [3], 9),
    ("q08_satisfaction", [4, 5], 28),
    ("q10_emotion_gratitude", [4, 5], 28),
    ("q11_expect_freedom_of_choice", [4, 5], 27), ("q11_expect_attention", [3], 3), ("q11_expect_involvement", [3], 3),
    ("q11_expect_honesty", [4, 5], 28), ("q11_expect_confidentiality", [4, 5], 28),
    ("q12_comm_pleasant", [4, 5], 28), ("q12_comm_clear", [4, 5], 28), ("q12_comm_easy", [4, 5], 28),
    ("q12_comm_hurried", [1, 2], 25), ("q12_comm_hurried", [3], 3),
    ("q14_sincere", [4, 5], 28),
    ("q15_reachable_by_phone", [4, 5], 27), ("q15_reachable_by_phone", [3], 1),
    ("q16_autonomy", [4, 5], 26), ("q16_autonomy", [3], 1), ("q16_autonomy", [2], 1),
    ("q17_different_goals", [1, 2, 4, 5], 26),
    ("q18_personality_match", [4, 5], 23), ("q18_personality_match", [3], 4), ("q18_personality_match", [1, 2], 1),
    ("q19_appointments", [3], 3), ("q19_appointments", [2], 1),
    ("q20_answers", [4, 5], 27), ("q20_answers", [3], 1),
    ("q21_information", [5], 21), ("q21_information", [4], 6), ("q21_information", [3], 1),
    ("q22_conflicts", [1], 25), ("q22_conflicts", [2], 1), ("q22_conflicts", [3], 1), ("q22_conflicts", [4], 1),
    ("q23_concealment", [1], 22), ("q23_concealment", [2], 5), ("q23_concealment", [3], 1),
]
SURVEY_FACTS_N = {"q12_comm_unclear": 26, "q12_comm_awkward": 26, "q17_different_goals": 26, "q08_satisfaction": 28}


@pytest.fixture(scope="module")
def frequencies_csv(built):
    """frequencies.csv as the pipeline wrote it for the default intake."""
    _, index, _ = built
    return pd.read_csv(index.parent / "tables" / "frequencies.csv")


@pytest.mark.parametrize("item,codes,expected", SURVEY_FACTS_COUNTS)
def test_frequencies_csv_reproduces_survey_facts(frequencies_csv, item, codes, expected):
    freq = frequencies_csv
    rows = freq[(freq["item_id"] == item) & freq["category_code"].isin(codes)]
    assert len(rows) == len(codes)
    assert rows["count"].sum() == expected


def test_frequencies_csv_reproduces_item_n(frequencies_csv):
    freq = frequencies_csv
    for item, n in SURVEY_FACTS_N.items():
        assert set(freq.loc[freq["item_id"] == item, "n"]) == {n}
    # Figuur 19: the majority "goed" — "goed tot zeer goed" as at line 1827 — 3 "voldoende", 1 "slecht"
    f19 = freq[freq["item_id"] == "q19_appointments"].set_index("category_code")["count"]
    assert f19[4] + f19[5] == 24 and (f19[3], f19[2], f19[1]) == (3, 1, 0)


def test_publication_checks_find_the_known_problems(default_intake):
    df = read_intake(default_intake).responses
    grim = publication.percent_checks(load_facts(default_intake / "reported.yaml"), df)
    assert grim.set_index("fact_id")["possible"].to_dict() == {
        "fig07_budget_management": False, "fig07_debt_settlement": True}
    assert 19 in grim.iloc[0]["bases"] and grim.iloc[0]["nearest"] == 13
    claims = publication.claim_checks(load_claims(default_intake / "reported.yaml"), df).set_index("claim_id")
    inconsistent = sorted(claims.index[~claims["consistent"].astype(bool)])
    assert inconsistent == ["fig11_all_expectations_important", "fig16_every_respondent_autonomous",
                            "fig20_every_respondent_good_answers"]
    assert claims.loc["fig16_every_respondent_autonomous", "counts"] == {"q16_autonomy": (26, 28)}


def test_every_thesis_figure_is_drawn_with_its_caption(freq, tmp_path):
    # every figure saved, in both languages, is the shared run's business (test_pipeline); here one is
    for number in CB.figures:
        with language("nl"):
            fig = figures.draw_figure(number, freq, CB)
        assert fig.axes[0].get_title(loc="left") == ""  # the caption names the figure, not a repeated title
        assert figures.figure_name(number, CB).startswith(f"fig{number:02d}_")
        if number == CB.figures[0]:
            assert figures.save_figure(fig, tmp_path, figures.figure_name(number, CB)).stat().st_size > 5000
        plt.close(fig)
    assert figures.figure_name(12, CB) == "fig12_communication"
    cap = figures.figure_caption(12, CB, freq)
    assert "*De communicatie tussen mij en mijn maatschappelijk assistente verloopt:*" in cap and "n = 26–28" in cap


def test_diverging_bars_centre_the_neutral_category_and_order_by_positive_share():
    data = pd.DataFrame({
        "item": ["a"] * 5 + ["b"] * 5, "category_code": [1, 2, 3, 4, 5] * 2,
        "label": list("vwxyz") * 2, "count": [0, 0, 2, 4, 4, 2, 2, 2, 2, 2], "n": [10] * 10})
    ax = plots.diverging_bars(data, y="item", hue="category_code", x="count")
    assert isinstance(ax, plt.Axes)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]  # a (80 % positive) on top
    bars = [p for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - 1) < 0.01]  # item a
    neutral = next(p for p in bars if abs(p.get_width() - 20) < 1e-9)
    assert neutral.get_x() == pytest.approx(-10)  # 20 % neutral straddles zero
    plt.close(ax.figure)


def test_count_bars_keep_zero_categories():
    data = pd.DataFrame({"label": ["x", "y", "z"], "count": [3, 0, 1], "n": [4, 4, 4]})
    ax = plots.count_bars(data, y="label")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["z", "y", "x"]
    assert any(t.get_text() == "0 (0 %)" for t in ax.texts)
    plt.close(ax.figure)
