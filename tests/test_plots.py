"""The figures' drawing functions (analysis_utils.present.plots): tidy frames in, an Axes out, what
they draw checked on the Axes; and saving and showing (analysis_utils.present.figures)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from analysis_utils.i18n import language
from analysis_utils.present import figures, plots


@pytest.fixture(autouse=True)
def close():
    yield
    plt.close("all")


def test_diverging_bars_follow_the_order_given_and_hatch_worded_bars():
    data = pd.DataFrame({"intake": ["a"] * 5 + ["b"] * 5, "category_code": [1, 2, 3, 4, 5] * 2,
                         "label": list("vwxyz") * 2, "count": [1, 1, 1, 1, 6, 6, 1, 1, 1, 1], "n": [10] * 10})
    ax = plots.diverging_bars(data, y="intake", hue="category_code",
                              marks=plots.Marks(order=("a", "b"), worded=frozenset({"b"})))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]  # the first of the order on top
    hatched = {round(p.get_y() + p.get_height() / 2) for p in ax.patches if p.get_hatch()}
    assert hatched == {0}  # b, drawn at the bottom
    assert "share not given as a number in the text" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(t.get_text() for t in ax.texts if t.get_text().startswith("n = ")) == ["n = 10", "n = 10"]


def test_answers_below_the_two_highest_whose_total_alone_is_known_are_dotted_with_their_total():
    """Figuur 18: the thesis gives one 'slecht' answer, not whether it was 'eerder niet' or
    'helemaal niet'. Those segments are dotted like an assumed split of the two highest; their
    total is printed where it fits, and the key says what dotted means."""
    data = pd.DataFrame({"item": ["a"] * 5 + ["b"] * 5, "category_code": [1, 2, 3, 4, 5] * 2,
                         "label": list("vwxyz") * 2, "count": [0, 1, 3, 4, 12, 4, 4, 0, 4, 8], "n": [20] * 10})
    ax = plots.diverging_bars(data, y="item", hue="category_code",
                              marks=plots.Marks(order=("a", "b"), split=frozenset({"a"}),
                                                below=frozenset({("a", 1), ("a", 2), ("b", 1), ("b", 2)})))
    dotted = sorted((round(p.get_y() + p.get_height() / 2), round(p.get_width())) for p in ax.patches
                    if p.get_hatch() == "...")
    assert dotted == [(0, 20), (0, 20), (1, 5), (1, 20), (1, 60)]  # b (bottom): 1 and 2; a: 2, 4 and 5
    numbers = [t.get_text() for t in ax.texts if not t.get_text().startswith("n = ")]
    assert sorted(numbers) == ["15", "20", "40", "40", "80"]  # a: 3, 4 + 5; b: 1 + 2, 4, 5
    # a's one low answer (5 %) is too narrow to carry its number
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "dotted: the total is given, its split assumed" in legend
    # an assumed split of the two most favourable answers alone has the same key: one meaning, one wording
    only_split = plots.diverging_bars(data, y="item", hue="category_code",
                                      marks=plots.Marks(order=("a", "b"), split=frozenset({"a"})))
    assert "dotted: the total is given, its split assumed" in [t.get_text() for t in only_split.get_legend().get_texts()]


def test_a_segment_s_number_rounds_halves_up_as_the_tables_do():
    """51 of 120 is 42.5 %: the tables say 43, and so must the bar (Python's round() gave 42)."""
    data = pd.DataFrame({"item": ["a"] * 5, "category_code": [1, 2, 3, 4, 5], "label": list("vwxyz"),
                         "count": [51, 3, 15, 21, 30], "n": [120] * 5})
    ax = plots.diverging_bars(data, y="item", hue="category_code", marks=plots.Marks(split=frozenset({"a"})))
    numbers = sorted(t.get_text() for t in ax.texts if not t.get_text().startswith("n = "))
    assert numbers == ["13", "43", "43"]  # 15/120 = 12.5; 51/120 = 42.5; 21 + 30 = 51 of 120, the two highest


def test_a_hatched_bar_in_greys_keeps_the_legend_s_greys():
    """Figuur 17 (no favourable side, greys): lightened, a hatched segment passed for its lighter
    neighbour in the key; the hatch alone marks it. Coloured bars stay lightened."""
    data = pd.DataFrame({"intake": ["a"] * 5, "category_code": [1, 2, 3, 4, 5], "label": list("vwxyz"),
                         "count": [5, 1, 0, 4, 16], "n": [26] * 5})
    greys = plots.diverging_bars(data, y="intake", hue="category_code", marks=plots.Marks(
        neutral=3, worded=frozenset({"a"}), plain=True))
    assert {p.get_alpha() for p in greys.patches if p.get_hatch()} == {1.0}
    key = {to_hex(p.get_facecolor(), keep_alpha=True) for p in greys.get_legend().get_patches()}
    assert {to_hex(p.get_facecolor(), keep_alpha=True) for p in greys.patches if p.get_hatch()} <= key
    colours = plots.diverging_bars(data, y="intake", hue="category_code", marks=plots.Marks(
        neutral=3, worded=frozenset({"a"})))
    assert {p.get_alpha() for p in colours.patches if p.get_hatch()} == {0.6}


def test_count_bars_label_each_bar_with_count_and_percent():
    ax = plots.count_bars(pd.DataFrame({"label": ["x", "y"], "count": [3, 1], "n": [4, 4]}), y="label")
    assert sorted(t.get_text() for t in ax.texts) == ["1 (25 %)", "3 (75 %)"]
    assert ax.get_xlabel() == "respondents (n = 4)"
    with language("nl"):
        ax = plots.count_bars(pd.DataFrame({"label": ["x"], "count": [3], "n": [4]}), y="label")
    assert ax.get_xlabel() == "respondenten (n = 4)"


def test_interval_plot_colours_rows_by_group_and_writes_percent_ticks():
    data = pd.DataFrame({"e": ["calm", "shame"], "s": [0.9, 0.5], "lo": [0.7, 0.3], "hi": [0.97, 0.7],
                         "group": ["reassuring", "threshold"]})
    ax = plots.interval_plot(data, y="e", x="s", lo="lo", hi="hi", hue="group")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["reassuring", "threshold"]
    colours = {to_hex(line.get_color()) for line in ax.get_lines()}
    assert len(colours) == 2


def test_pole_axes_say_when_an_axis_has_no_answers():
    data = pd.DataFrame({"c": ["distant – close"], "x": [float("nan")], "lo": [None], "hi": [None],
                         "left": ["afstandelijk"], "right": ["nabij"]})
    ax = plots.pole_axes(data, y="c", x="x", lo="lo", hi="hi", left="left", right="right")
    assert {"afstandelijk", "nabij", "not measured (no item)"} <= {t.get_text() for t in ax.texts}


def test_balance_bars_stack_to_one_and_colour_no_pole_as_better():
    data = pd.DataFrame({"c": ["self-determination"], "neg": [0.1], "neu": [0.05], "mid": [0.85], "pos": [float("nan")],
                         "l": ["overgenomen"], "r": ["volledig zelf verantwoordelijk"], "reached": [("pole_negative",)]})
    ax = plots.balance_bars(data, y="c", shares={"negative": "neg", "neutral": "neu", "middle": "mid", "positive": "pos"},
                            left="l", right="r", reached="reached")
    widths = [p.get_width() for p in ax.patches]
    texts = {t.get_text() for t in ax.texts}
    assert sum(widths) == pytest.approx(1.0) and {"10 %", "5 %", "85 %"} <= texts
    assert {to_hex(p.get_facecolor()) for p in ax.patches}.isdisjoint({plots.DIVERGING[1], plots.DIVERGING[5]})
    # the pole no item can reach is said to be not asked; the reached one is not
    assert "volledig zelf\nverantwoordelijk\n(not asked)" in texts and "overgenomen" in texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    # the pole no item asks has no key, and the middle cannot be told from it (issue 24 reviews)
    assert "in the middle the thesis wants, or toward a pole no item asks" in legend
    assert "toward the left pole (avoided)" in legend and "toward the right pole (avoided)" not in legend
    both = plots.balance_bars(data.assign(reached=[("pole_negative", "pole_positive")], pos=0.0), y="c",
                              shares={"negative": "neg", "neutral": "neu", "middle": "mid", "positive": "pos"},
                              left="l", right="r", reached="reached")
    keys = [t.get_text() for t in both.get_legend().get_texts()]
    assert "in the middle the thesis wants" in keys and "toward the right pole (avoided)" in keys


def test_ipa_grid_numbers_the_points_keys_them_and_gives_no_advice():
    data = pd.DataFrame({"i": [0.9, 0.6], "p": [0.8, 0.95], "pair": ["help ↔ asking", "choice ↔ autonomy"],
                         "i_low": [0.5, 0.6], "i_high": [0.95, 0.6], "p_low": [0.8, 0.9], "p_high": [0.8, 1.0]})
    ax = plots.ipa_grid(data, x="p", y="i", label="pair", ranges=True)
    texts = [t.get_text() for t in ax.texts]
    assert "1  help ↔ asking\n2  choice ↔ autonomy" in texts
    assert not {"concentrate here", "low priority", "possible overkill", "keep up the good work"} & set(texts)
    assert not ax.lines or all(len(line.get_xdata()) != 2 or line.get_xdata()[0] != line.get_xdata()[1]
                               for line in ax.lines if line.get_linestyle() == "--")  # no cross-hairs
    assert ax.get_ylim()[0] <= 0.5  # the allowed range is inside the grid
    # a point inside an open range is the reconstruction's reading: hollow; a fixed one filled
    fixed = data.assign(p_low=[0.8, 0.95], p_high=[0.8, 0.95], i_low=[0.5, 0.6], i_high=[0.95, 0.6])
    faces = plots.ipa_grid(fixed, x="p", y="i", label="pair", ranges=True).collections[-1].get_facecolors()
    assert [to_hex(f) for f in faces] == ["#ffffff", "#2166ac"]


def test_the_coverage_heatmap_has_items_as_rows():
    matrix = pd.DataFrame([[1, 0, 1], [0, 0, 1]], index=["trust", "empathy"], columns=["q1", "q2", "q3"])
    ax = plots.coverage_heatmap(matrix)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["q1", "q2", "q3"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["trust", "empathy"]


def test_links_not_scored_are_hatched_so_that_greys_tell_them_from_this_report_s_links():
    """Printed in greys, the light blue of a link this report draws and the grey of a link only
    indicated come out alike: the indicated cells, and their key, are hatched too."""
    matrix = pd.DataFrame([[1, 2, 3], [0, 3, 1]], index=["trust", "empathy"], columns=["q1", "q2", "q3"])
    ax = plots.coverage_heatmap(matrix.clip(upper=1), kinds=matrix)
    hatched = sorted((round(p.get_x()), round(p.get_y())) for p in ax.patches if p.get_hatch() == "///")
    assert hatched == [(0, 2), (1, 1)]  # (construct column, item row): trust x q3, empathy x q2
    keys = {t.get_text(): h.get_hatch() for t, h in zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles)}
    assert keys == {"scored: the thesis makes the link": None, "scored: this report draws the link": None,
                    "indicated, not scored": "///"}


def test_show_saves_what_it_displays(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    ax = plots.count_bars(pd.DataFrame({"label": ["x"], "count": [1], "n": [1]}), y="label")
    figures.show(ax, tmp_path / "f.png", "one bar")
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG" and shown[0].data == (tmp_path / "f.png").read_bytes()
    assert shown[0].alt == "one bar" and not plt.get_fignums()  # closed once saved


def test_a_comparison_marks_the_bars_that_rest_on_the_reconstruction():
    """Hatched where a round's publication does not fix its top-2 share, dotted where it fixes the
    share but not its split, plain where it fixes the distribution or the round is not
    reconstructed: on whichever side of the comparison the reconstructed round stands."""
    import pandas as pd

    from analysis_utils.present import figures
    genk, v2 = "genk (reconstructed)", "v2"
    tidy = pd.DataFrame({"intake": [genk, v2], "reconstructed": [True, False]})
    table = pd.DataFrame({"item_key": ["a", "b", "c"], "reference": [genk] * 3, "intake": [v2] * 3,
                          "top2_reference_low": [0.5, 1.0, 1.0], "top2_reference_high": [1.0, 1.0, 1.0],
                          "top2_intake_low": [0.6] * 3, "top2_intake_high": [0.6] * 3,
                          "distribution_fixed": [False, False, True]})
    assert figures._on_reconstruction(table, "a", tidy) == (frozenset({genk}), frozenset())
    assert figures._on_reconstruction(table, "b", tidy) == (frozenset(), frozenset({genk}))
    assert figures._on_reconstruction(table, "c", tidy) == (frozenset(), frozenset())
    assert figures._on_reconstruction(None, "a") == (frozenset(), frozenset())
    turned = table.rename(columns={"reference": "intake", "intake": "reference", "top2_reference_low": "top2_intake_low",
                                   "top2_reference_high": "top2_intake_high", "top2_intake_low": "top2_reference_low",
                                   "top2_intake_high": "top2_reference_high"})  # the reconstructed round second
    assert figures._on_reconstruction(turned, "a", tidy) == (frozenset({genk}), frozenset())
    assert figures._on_reconstruction(turned, "b", tidy) == (frozenset(), frozenset({genk}))


def test_a_dot_plot_s_key_says_what_its_solid_and_dashed_lines_mean_and_names_its_axis():
    """A lecturer could not tell a 95 % interval from the range the text allows: the key names both
    line styles (the dashed one only where a row is drawn dashed) and the x axis has a title."""
    data = pd.DataFrame({"c": ["a", "b"], "s": [0.9, 0.8], "lo": [0.8, 0.1], "hi": [0.95, 1.0], "m": [False, True]})
    ax = plots.interval_plot(data, y="c", x="s", lo="lo", hi="hi", assumed="m", key="constructs")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["line: 95 % interval", "dashed: what the thesis's text allows",
                      "rests on a share not given as a number in the text"]
    assert ax.get_xlabel() == "share of answers on the strengthening side"
    plain = plots.interval_plot(data.assign(m=False), y="c", x="s", lo="lo", hi="hi", assumed="m", key="ceiling")
    assert [t.get_text() for t in plain.get_legend().get_texts()] == ["line: 95 % interval"]
