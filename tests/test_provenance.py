"""Issue 8 §1: the provenance of every published fact — what the thesis fixes and what it does not.

Every fact and claim of ``reported.yaml`` says where it comes from (a count the thesis gives, a
bound or universal it states, a verbal quantifier, or the project's own inference) and quotes
the Dutch fragment that states it; the quote is checked against the thesis text.
"""
import re

import pandas as pd
import pytest

from analysis_utils.intake import read_intake
from analysis_utils.stats.admissible import (
    load_quantifiers,
    quantifier_range,
    readings_range,
)
from analysis_utils.stats.publication import PROVENANCE, count
from analysis_utils.yamlio import load_yaml

THESIS_ENV = "THESIS_TEXT"  # path to the thesis text, where ../shared/seed is not beside the project


@pytest.fixture(scope="module")
def reported(default_intake):
    data = load_yaml((default_intake / "reported.yaml").read_text("utf-8"))
    return data["facts"] + data["claims"]


@pytest.fixture(scope="module")
def thesis(root):
    """The thesis text: the full one beside the project (or at $THESIS_TEXT), else the committed
    excerpt of every quoted line (tests/thesis_text.py), so the quotes are checked everywhere."""
    from thesis_text import load

    return load(root)[0]


def test_the_committed_excerpt_is_the_thesis(root):
    """Where the full text is at hand, the excerpt holds exactly its lines around every quoted line."""
    import json

    from thesis_text import EXCERPT, build_excerpt, full_text_path, quoted_lines

    path = full_text_path(root)
    if path is None:
        pytest.skip("the full thesis text is not here; the excerpt stands in for it")
    expected = build_excerpt(path.read_text("utf-8").splitlines(), quoted_lines(root))
    assert json.loads(EXCERPT.read_text("utf-8")) == expected, "run: python tests/thesis_text.py"


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_every_fact_has_a_provenance_and_what_it_needs(reported):
    for f in reported:
        assert f.get("provenance") in PROVENANCE, f["id"]
        if f["provenance"] == "inferred":
            assert len(f.get("reason", "")) > 40, f"{f['id']}: an inferred fact says why the project assumes it"
        else:
            assert f.get("quote") and isinstance(f.get("seed_line"), int), f["id"]
            assert len(f["quote"]) <= 160, f"{f['id']}: a quotation, not a passage"
        if f["provenance"] == "contested":  # names the statement that contradicts it, and both readings
            other = f.get("counterpart", {})
            assert other.get("quote") and isinstance(other.get("seed_line"), int), f["id"]
            assert other["seed_line"] != f["seed_line"] or other["quote"] != f["quote"], f["id"]
            assert len(f.get("readings", [])) >= 2, f"{f['id']}: a contested fact gives each reading"
        if f["provenance"] == "statement":  # no count, no quantifier: nothing to compare
            assert f.get("kind") == "statement" and "op" not in f and "quantifier" not in f, f["id"]


def test_a_contested_fact_constrains_nothing_beyond_what_both_readings_allow(reported, default_intake):
    """Issue 25 §2: a fact the thesis contradicts elsewhere holds only what every reading allows
    (e.g. "elke" at line 1699 against "bijna iedereen" at line 1918: 24 to 28 of 28)."""
    from analysis_utils.codebook import load_codebook
    from analysis_utils.intake.publication import load_publication
    from analysis_utils.stats.admissible import admissible_top2

    df = read_intake(default_intake).responses
    contested = [f for f in reported if f["provenance"] == "contested"]
    assert {"fig11_honesty_all", "fig11_confidentiality_all", "fig11_all_expectations_important"} <= {
        f["id"] for f in contested}
    publication = load_publication(default_intake, {"source": "reconstructed-from-publication"})
    cb = load_codebook()
    for f in contested:
        items = list(f["where"]) if "where" in f else f["items"]
        for item in items:
            n = int(df[item].notna().sum())
            low, high = readings_range(f, n)
            if "where" in f:  # a fact: its stated range and bound are both readings' hull
                assert tuple(f["admits"]) == (low, high) and (f["op"], f["value"]) == (">=", low), f["id"]
                assert f["point"] == count(df, f["where"])
            alone = admissible_top2(cb.item(item), n, [f] if "where" in f else [], [] if "where" in f else [f])
            assert alone[1:] == (low, high), (f["id"], item, alone)  # the statement alone: the readings' hull
    by_item = {i: admissible_top2(cb.item(i), 28, publication["facts"], publication["claims"])
               for i in ("q11_expect_honesty", "q11_expect_genuineness", "q11_expect_solutions")}
    assert by_item["q11_expect_honesty"] == ("contested", 24, 28)
    # "Alle verwachtingen" gives no count; only "betrekkelijk minder" (a comparison, no range) names the item
    assert by_item["q11_expect_genuineness"] == ("quantifier", 0, 28)
    assert by_item["q11_expect_solutions"] == ("quantifier", 15, 27)  # "Het merendeel", nothing inferred


def quoted(reported) -> list[tuple[str, str, int]]:
    """(where, quote, seed_line) of every quotation the project makes of the thesis: the
    published facts and their counterparts, the calibrations of the quantifiers, the thesis's
    own limits, and every link of the theory map."""
    from analysis_utils.theory_map import load_limits, map_quotations

    out = [(f"reported.yaml {f['id']}", f["quote"], f["seed_line"]) for f in reported if "quote" in f]
    out += [(f"reported.yaml {f['id']} counterpart", f["counterpart"]["quote"], f["counterpart"]["seed_line"])
            for f in reported if "counterpart" in f]
    for word, entry in load_quantifiers().items():
        for i, c in enumerate(entry.get("calibration", [])):
            out += [(f"quantifiers.yaml {word} [{i}] word", c["word_quote"], c["word_line"]),
                    (f"quantifiers.yaml {word} [{i}] count", c["count_quote"], c["count_line"])]
    from analysis_utils.intake.publication import load_contradictions
    from analysis_utils.paths import project_root

    for c in load_contradictions(project_root() / "data" / "raw" / "genk-2015" / "reported.yaml"):
        out += [(f"reported.yaml contradiction {c['id']}", q["quote"], q["seed_line"]) for q in c["statements"]]
    out += [(f"limits.yaml {x['id']}", x["quote"], x["seed_line"]) for x in load_limits()]
    out += [(f"theory_map.yaml {where}", quote, line) for where, quote, line in map_quotations()]
    from analysis_utils.yamlio import load_resource

    out += [(f"thesis_says.yaml {x['id']}", q["quote"], q["seed_line"])
            for x in load_resource("thesis_says.yaml")["statements"] for q in x["quotes"]]
    return out


def test_every_quote_stands_at_its_seed_line(reported, thesis):
    wrong = []
    for where, quote, line in quoted(reported):
        # a quote the book prints with its line begins on it, and may run on (the test below);
        # every other one stands within two lines of its line
        span = SPAN if where.startswith(("theory_map.yaml", "thesis_says.yaml")) else 2
        window = _norm(" ".join(thesis[max(0, line - 3):line + span]))
        if _norm(quote) not in window:
            wrong.append(f"{where} (line {line}): {quote!r}")
    assert not wrong, "quotes not found at their lines:\n" + "\n".join(wrong)


SPAN = 6  # a quote may run over this many lines of the file after its first (blank lines between text lines)


def test_a_quote_shown_in_the_book_begins_on_the_line_it_cites(thesis):
    """The theory map's and the chapters' "In the thesis's words" quotes are printed with their
    line: it is the line they begin on (a fact of the publication cites the line of its number)."""
    from analysis_utils.theory_map import map_quotations
    from analysis_utils.yamlio import load_resource

    shown = [(where, quote, line) for where, quote, line in map_quotations()]
    shown += [(x["id"], q["quote"], q["seed_line"]) for x in load_resource("thesis_says.yaml")["statements"]
              for q in x["quotes"]]
    wrong = []
    for where, quote, line in shown:
        first = _norm(thesis[line - 1])
        text = _norm(" ".join(thesis[line - 1:line + SPAN]))
        at = text.find(_norm(quote))
        if at < 0 or at >= len(first):
            wrong.append(f"{where} (line {line}): {quote[:50]!r}")
    assert not wrong, "quotes that do not begin on the line they cite:\n" + "\n".join(wrong)


def test_every_link_and_pair_says_what_its_quote_does():
    """Issue 25 §1: each link of the theory map is `stated` (its quote makes the link) or
    `inferred` (with a one-line reason, in both languages); each importance-performance pair
    quotes the line that sets the two side by side; each balance quotes the middle the thesis
    wants and the poles it wants avoided; a construct no item measures says why."""
    from analysis_utils.theory_map import SUPPORT, load_theory_map

    tm = load_theory_map()
    links = [(c, link) for c in tm["constructs"] for link in c["items"]]
    for c, link in links + [(None, r) for r in tm["relations"]]:
        assert link.get("support") in SUPPORT and link.get("quote") and link.get("why"), link["item"]
        if link["support"] == "inferred":
            assert len(link.get("reason", "")) > 20 and len(link.get("reason_nl", "")) > 20, link["item"]
        else:
            assert "reason" not in link, link["item"]
    assert {link["support"] for _c, link in links} == set(SUPPORT)  # both kinds occur, and are told apart
    assert all(p["support"] == "stated" and p["quote"] for p in tm["ipa_pairs"])
    for c in tm["constructs"]:
        if c["reading"] == "balance":
            assert c["middle"]["quote"] and c.get("avoid"), c["id"]
            assert all(set(link["places"].values()) <= {"middle", "pole_negative", "pole_positive"} for link in c["items"])
        if not c["items"]:
            assert c["not_measured"]["en"] and c["not_measured"]["nl"], c["id"]


def test_no_seed_line_points_at_a_blank_line(reported, thesis):
    blank = [where for where, _, line in quoted(reported) if not thesis[line - 1].strip()]
    assert not blank, blank


def test_a_quote_of_the_thesis_is_a_quotation_not_a_passage(reported):
    assert all(0 < len(quote) <= 160 and isinstance(line, int) for _, quote, line in quoted(reported))


def test_a_quantifier_fact_names_its_word_and_the_range_it_admits(reported, default_intake):
    table = load_quantifiers()
    df = read_intake(default_intake).responses
    for f in (f for f in reported if f["provenance"] == "quantifier"):
        word = f["quantifier"]
        assert word in table, f"{f['id']}: '{word}' is not in the quantifier table"
        assert word.lower() in f["quote"].lower(), f"{f['id']}: the quote does not hold '{word}'"
        if "where" not in f:
            assert table[word].get("comparison"), f"{f['id']}: a quantifier over a group is a comparison"
            continue
        item = next(iter(f["where"]))
        n = int(df[item].notna().sum())
        low, high = quantifier_range(word, n)
        assert tuple(f["admits"]) == (low, high), f["id"]
        # the checked bound is the word's own lower end ("enkele" is two or more, never "at least one")
        assert (f["op"], f["value"]) in ((">=", low), (">", low - 1)), f"{f['id']}: {f['op']} {f['value']}"
        assert f["point"] == count(df, f["where"]), f"{f['id']}: 'point' is not the reconstruction's count"
        assert f["admits"][0] <= f["point"] <= f["admits"][1], f"{f['id']}: the split rule left the word's range"


def test_every_quantifier_reading_is_justified_once():
    for word, entry in load_quantifiers().items():
        assert len(entry.get("why", "")) > 20 and entry.get("reading"), word
        assert entry.get("comparison") or quantifier_range(word, 28) is not None
    # the readings at the survey's n, written out: a change of table shows here
    words = ("merendeel", "de meeste", "overgrote merendeel", "enkele", "afgezien van enkele", "bijna iedereen")
    assert [quantifier_range(w, 28) for w in words] == [(15, 27), (15, 27), (21, 27), (2, 4), (24, 26), (24, 27)]


def calibration_listing() -> tuple[list[str], list[str]]:
    """Every word of the quantifier table with what its reading rests on: each place the thesis
    gives the word and a count for the same thing (lines), or the grammar or dictionary."""
    listing, bare = [], []
    for word, entry in load_quantifiers().items():
        places = [f"'{c['word_quote']}' (line {c['word_line']}) ~ '{c['count_quote']}' (line {c['count_line']}): "
                  f"{c['count']}" + (f" of {c['of']}" if "of" in c else "") + f" {c['about']}"
                  for c in entry.get("calibration", [])]
        reference = entry.get("reference", "").strip()
        if not places and not reference:
            bare.append(word)
        listing.append(f"{word}: " + ("; ".join(places) or "-") + (f" | reference: {reference}" if reference else ""))
    return listing, bare


def test_every_word_is_calibrated_on_the_author_or_referenced(capsys):
    """Issue 25 §2: every word lists the places where the thesis gives it beside a count of the
    same thing, or cites a Dutch grammar or dictionary; a word with neither fails."""
    listing, bare = calibration_listing()
    with capsys.disabled():
        print("\n" + "\n".join(listing))
    assert not bare, f"words read without calibration or reference: {bare}"
    table = load_quantifiers()
    assert "algemene uitspraak" not in table  # no invented word
    for word, entry in table.items():
        for c in entry.get("calibration", []):
            assert c["about"] in ("respondents", "items"), (word, c)
            assert word.split()[-1].lower() in c["word_quote"].lower(), (word, c["word_quote"])
            if c["about"] != "respondents":
                continue
            low, high = quantifier_range(word, c["of"])
            counted = c["count"] if isinstance(c["count"], list) else [c["count"], c["count"]]
            assert counted[0] <= high and counted[1] >= low, f"{word}: line {c['word_line']} counts {counted}, read {low}-{high}"
            if not isinstance(c["count"], list):
                assert low <= c["count"] <= high, (word, c)
    # calibrated on the author's own counts: "merendeel", "de meeste", "meerderheid" were 24 or 25 of 28
    assert all(table[w].get("calibration") for w in ("merendeel", "meerderheid", "de meeste", "enkele"))


def test_counts_are_numbers_the_quote_gives(reported):
    """A fact marked `count` quotes a number (as digits or a Dutch number word) or a pronoun that
    fixes it; a `bound` quotes a universal or an inequality."""
    numbers = re.compile(r"\d|\b(één|een|twee|drie|vier|vijf|zes|evenveel|haar|ze|elke|iedere)\b", re.IGNORECASE)
    universals = re.compile(r"\b(elke|iedere|iedereen|alle|geen enkele|niet gegeven|evenveel|vooral|som)\b", re.IGNORECASE)
    for f in reported:
        if f["provenance"] == "count":
            assert numbers.search(f["quote"]), f["id"]
        elif f["provenance"] == "bound":
            assert universals.search(f["quote"]), f["id"]


# --- §2 (part): what the publication allows for each item's top-2 share reaches the reader --------

def _brute_force_range(item, n, facts):
    """Every data set of n answers, one by one (no stars and bars): the lowest and highest top-2
    count among those that satisfy the facts."""
    import itertools

    from analysis_utils.stats.publication import OPS
    tops = []
    for answers in itertools.combinations_with_replacement(item.scale.codes, n):
        ok = True
        for f in facts:
            codes = f["where"][item.id]
            k = sum(a in codes for a in answers)
            if f.get("provenance") == "quantifier":
                low, high = quantifier_range(f["quantifier"], n)
                ok &= low <= k <= high
            else:
                ok &= OPS[f["op"]](k, f["value"])
        if ok:
            tops.append(sum(a in item.top2_codes for a in answers))
    return min(tops), max(tops)


@pytest.mark.parametrize("n", [4, 5, 7])
def test_admissible_range_equals_enumerating_every_data_set(n):
    from analysis_utils.codebook import load_codebook
    from analysis_utils.stats.admissible import admissible_top2

    item = load_codebook().item("q19_appointments")
    cases = [
        [{"where": {item.id: [4]}, "provenance": "quantifier", "quantifier": "merendeel"},
         {"where": {item.id: [3]}, "provenance": "count", "op": "==", "value": 1}],
        [{"where": {item.id: [1, 2]}, "provenance": "quantifier", "quantifier": "enkele"}],
        [{"where": {item.id: [4, 5]}, "provenance": "bound", "op": ">=", "value": n - 1},
         {"where": {item.id: [5]}, "provenance": "count", "op": "<=", "value": 1}],
    ]
    for facts in cases:
        kind, low, high = admissible_top2(item, n, facts)
        assert (low, high) == _brute_force_range(item, n, facts), facts


def test_item_summary_says_what_each_share_rests_on(default_intake):
    from analysis_utils.intake.derive import clean
    from analysis_utils.intake.publication import load_publication
    from analysis_utils.stats import descriptive as d

    intake = read_intake(default_intake)
    df = clean(intake.responses, intake.codebook)
    summary = d.item_summary(df, intake.codebook, load_publication(default_intake, {"source": intake.meta["source"]}))
    rated = summary[summary["top2_share"].notna()]
    assert set(rated["provenance"]) <= {"count", "bound", "quantifier", "contested", "inferred"}
    assert ((rated["admissible_low"] <= rated["top2_share"] + 1e-9) & (rated["top2_share"] <= rated["admissible_high"] + 1e-9)).all()
    fixed = rated["admissible_low"] == rated["admissible_high"]
    assert rated.loc[fixed, "provenance"].isin(["count", "bound"]).all()
    assert rated.loc[~fixed, "provenance"].isin(["quantifier", "contested", "inferred"]).all()
    by_id = rated.set_index("item_id")
    def allowed(item):
        return round(28 * by_id.loc[item, "admissible_low"]), round(28 * by_id.loc[item, "admissible_high"])

    # Figuur 13: "De overgrote meerderheid" allows 21 to 27 of 28, whatever the reconstruction shows
    assert by_id.loc["q13_ask_help_easily", "provenance"] == "quantifier"
    assert allowed("q13_ask_help_easily") == (21, 27)
    # calm, safety, relief: "afgezien van enkele cliënten" — all but two up to four
    assert allowed("q10_emotion_calm") == (24, 26)
    # Figuur 9: "goed zit" has no quantifier, so the text fixes no share (issue 25 §2)
    assert by_id.loc["q09_trust_bond", "provenance"] == "inferred" and allowed("q09_trust_bond") == (0, 28)
    # Figuur 19: "goed" as "goed tot zeer goed" (line 1827), one "slecht" and nobody worse (line 1817)
    assert by_id.loc["q19_appointments", "provenance"] == "count" and allowed("q19_appointments") == (24, 24)
    # Figuur 11: "elke" (1699) against "bijna iedereen" (1918)
    assert by_id.loc["q11_expect_honesty", "provenance"] == "contested" and allowed("q11_expect_honesty") == (24, 28)
    assert by_id.loc["q18_personality_match", "provenance"] == "count"  # "Er gaven 23 personen aan"
    observed = d.item_summary(df, intake.codebook)  # an intake of observed answers: the data itself
    assert (observed.loc[observed["top2_share"].notna(), "provenance"] == "data").all()


def test_the_chapter_no_longer_calls_worded_shares_the_thesis_s_own(default_intake):
    from analysis_utils.intake.derive import clean
    from analysis_utils.intake.publication import load_publication
    from analysis_utils.present.narrative import common
    from analysis_utils.present.narrative import descriptives as narrative
    from analysis_utils.stats import descriptive as d

    intake = read_intake(default_intake)
    df = clean(intake.responses, intake.codebook)
    manifest = {"source": intake.meta["source"]}
    text = narrative.split_rule_note(manifest, d.item_summary(df, intake.codebook, load_publication(default_intake, manifest)))
    assert "top-2 shares and their intervals are the thesis's own" not in text
    assert re.search(r"For \d+ it uses only a verbal quantifier", text)
    assert "the thesis's own" not in common.RECONSTRUCTED_NOTE.split("where it gives one")[1]


def test_figures_hatch_the_bars_that_rest_on_a_word(default_intake):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis_utils.intake.derive import clean
    from analysis_utils.intake.publication import load_publication
    from analysis_utils.present import figures
    from analysis_utils.stats import descriptive as d

    intake = read_intake(default_intake)
    df = clean(intake.responses, intake.codebook)
    summary = d.item_summary(df, intake.codebook, load_publication(default_intake, {"source": intake.meta["source"]}))
    worded = d.worded_items(summary)
    assert "q13_ask_help_easily" in worded and "q18_personality_match" not in worded
    freq = d.frequencies(df, intake.codebook)
    for number, expect in ((13, True), (18, False)):
        fig = figures.draw_figure(number, freq, intake.codebook, worded)
        ax = fig.axes[0]
        assert any(p.get_hatch() for p in ax.patches) is expect, number
        assert ("share not given as a number in the text" in [t.get_text() for t in ax.get_legend().get_texts()]) is expect
        assert ("reconstruction's reading" in figures.figure_caption(number, intake.codebook, freq, worded)) is expect
        plt.close(fig)


def test_the_emotion_sentence_says_its_shares_are_readings_of_words():
    import pandas as pd

    from analysis_utils.present.narrative import interpretation as narrative

    emotions = pd.DataFrame({"group": ["reassuring", "threshold"], "share": [0.9, 0.5], "emotion": ["calm", "shame"],
                             "named": [25, 14], "n": [28, 28], "item_id": ["q10_emotion_calm", "q10_emotion_shame"]})
    admitted = emotions.assign(admissible_low=[24 / 28, 0.0], admissible_high=[26 / 28, 1.0])
    text = narrative.emotions_summary(admitted, "", reconstructed=True)
    # the ranges the words admit, never the reconstruction's reading as a number
    assert "calm: anything from 86 % to 93 % each, as this report reads" in text and "shame: anything from 0 % to 100 % each" in text
    assert "90 %" not in text and "14 of 28" not in text and "its own choice, not a finding" in text
    assert "reading" not in narrative.emotions_summary(emotions, "", reconstructed=False)


def test_a_figure_of_worded_shares_keeps_the_questionnaire_s_order(default_intake):
    """Figuur 11: its shares are the reconstruction's reading of words; sorted by them, the bars
    would rank expectations the thesis never ranks. They keep the questionnaire's order (a
    lecturer's reading); a figure of observed answers is sorted by its shares."""
    import matplotlib.pyplot as plt

    from analysis_utils.intake.derive import clean
    from analysis_utils.present import figures
    from analysis_utils.stats import descriptive as d

    intake = read_intake(default_intake)
    freq = d.frequencies(clean(intake.responses, intake.codebook), intake.codebook)
    asked = [i.label("en") for i in intake.codebook.by_figure(11)]
    worded = {i.id for i in intake.codebook.by_figure(11)}
    fig = figures.draw_figure(11, freq, intake.codebook, worded)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][::-1] == asked  # first asked on top
    plt.close(fig)
    observed = figures.draw_figure(11, freq, intake.codebook)
    assert [t.get_text() for t in observed.axes[0].get_yticklabels()][::-1] != asked
    plt.close(observed)


def test_a_count_nearest_to_a_percentage_no_count_gives_is_marked_in_the_figure(default_intake, tmp_path):
    """Figuur 7: the thesis's 47 % budget management is no count of 28 (line 1612); the bar of the
    nearest count is dotted and says the text's percentage, in the figure and its alternative text."""
    import matplotlib.pyplot as plt

    from analysis_utils.chapters import Chapter
    from analysis_utils.intake.derive import clean
    from analysis_utils.paths import stage_paths
    from analysis_utils.present import figures
    from analysis_utils.present.captions import figure_alt
    from analysis_utils.stats import descriptive as d

    intake = read_intake(default_intake)
    df = clean(intake.responses, intake.codebook)
    ch = Chapter(stage_paths(default_intake, tmp_path / "p", tmp_path / "r"), "en", df,
                 {"source": intake.meta["source"]}, intake.codebook)
    assert ch.nearest_counts == {"q07_help_type": {2: 47}}
    moved = df.copy()
    moved.loc[moved["q07_help_type"].eq(2).idxmax(), "q07_help_type"] = 1  # 12 of 28: not the nearest count
    assert Chapter(ch.paths, "en", moved, ch.manifest, intake.codebook).nearest_counts == {}
    example = read_intake(default_intake.parent / "example-v2")  # observed answers: no publication, no mark
    observed = Chapter(stage_paths(default_intake.parent / "example-v2",
                                   tmp_path / "p2", tmp_path / "r2"), "en", clean(example.responses, example.codebook),
                       {"source": example.meta["source"]}, example.codebook)
    assert observed.publication is None and observed.nearest_counts == {}
    freq = d.frequencies(df, intake.codebook)
    fig = figures.draw_figure(7, freq, intake.codebook, nearest=ch.nearest_counts)
    ax = fig.axes[0]
    dotted = [p for p in ax.patches if p.get_hatch() == "..."]
    assert len(dotted) == 1 and dotted[0].get_width() == 13
    assert "13 (46 %; the text: 47 %)" in [t.get_text() for t in ax.texts]
    assert "the nearest count" in " ".join(t.get_text() for t in ax.get_legend().get_texts())
    plt.close(fig)
    alt = figure_alt(7, intake.codebook, freq, nearest=ch.nearest_counts)
    assert "budget management 13 (46 %), the count nearest to the text's 47 %" in alt
    plain = figures.draw_figure(7, freq, intake.codebook, nearest=observed.nearest_counts)
    assert not [p for p in plain.axes[0].patches if p.get_hatch() == "..."]
    plt.close(plain)


def test_a_reconstruction_s_age_figure_says_its_bands_are_the_project_s(default_intake):
    """Figuur 2: the thesis names only some age bands (lines 1548-1564); the counts it leaves open
    depend on the project's band edges, and the caption says so, for a reconstruction only."""
    from analysis_utils.i18n import language
    from analysis_utils.intake.derive import clean
    from analysis_utils.present.captions import figure_caption
    from analysis_utils.stats import descriptive as d

    intake = read_intake(default_intake)
    freq = d.frequencies(clean(intake.responses, intake.codebook), intake.codebook)
    allowed = {"q02_age_band": {5: (5, 8), 6: (5, 8)}}
    assert "The bands are the project's" in figure_caption(2, intake.codebook, freq, allowed=allowed)
    assert "project" not in figure_caption(2, intake.codebook, freq)  # a round that answered these bands
    with language("nl"):
        assert "De leeftijdsgroepen zijn die van dit project" in figure_caption(2, intake.codebook, freq, allowed=allowed)


def test_the_emotion_figure_draws_a_worded_share_hollow_over_its_admitted_range(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt
    import pandas as pd

    from analysis_utils.chapters.interpretation import admitted_naming
    from analysis_utils.codebook import load_codebook
    from analysis_utils.present import figures, plots

    ids = ["q10_emotion_gratitude", "q10_emotion_calm", "q10_emotion_shame", "q10_emotion_doubt"]
    table = pd.DataFrame({"group": ["reassuring", "reassuring", "threshold", "threshold"], "item_id": ids,
                          "emotion": ["gratitude", "calm", "shame", "doubt"], "share": [1.0, 26 / 28, 0.5, 0.0],
                          "ci_low": [0.88, None, None, None], "ci_high": [1.0, None, None, None], "n": [28] * 4})
    facts = [{"where": {"q10_emotion_gratitude": [4, 5]}, "op": "==", "value": 28, "provenance": "count"},
             {"where": {"q10_emotion_calm": [4, 5]}, "op": ">=", "value": 24, "provenance": "bound"},
             {"where": {"q10_emotion_calm": [4, 5]}, "op": "<=", "value": 26, "provenance": "bound"},
             {"where": {"q10_emotion_shame": [4, 5]}, "op": ">=", "value": 1, "provenance": "bound"},
             # doubt mostly not named: 20 answer 1-2, and the other 8 may be neutral as well as naming it
             {"where": {"q10_emotion_doubt": [1, 2]}, "op": "==", "value": 20, "provenance": "count"}]
    codebook = load_codebook()
    table = admitted_naming(table, codebook, facts)
    assert codebook.item("q10_emotion_doubt").reversed  # its favourable answers are 1-2: not the rest of 4-5
    assert table["admissible_low"].round(3).tolist() == [1.0, 0.857, round(1 / 28, 3), 0.0]
    assert table["admissible_high"].round(3).tolist() == [1.0, 0.929, 1.0, round(8 / 28, 3)]
    assert table["assumed"].tolist() == [False, True, True, True]
    table = table.iloc[:3]

    drawn, shown = {}, {}
    real = plots.interval_plot

    def spy(data, **kw):
        drawn["ax"] = real(data, **kw)
        drawn["faces"] = [line.get_markerfacecolor() for line in drawn["ax"].get_lines() if line.get_xdata().size]
        drawn["styles"] = [c.get_linestyle() for c in drawn["ax"].collections]
        return drawn["ax"]

    monkeypatch.setattr(plots, "interval_plot", spy)
    monkeypatch.setattr(figures, "display_saved", lambda path, alt=None: shown.update(alt=alt))
    figures.emotions(table, tmp_path)
    plt.close("all")
    assert drawn["faces"][0] != "white" and drawn["faces"][1:] == ["white", "white"]
    assert [s[0][1] is None for s in drawn["styles"]] == [True, False, False]  # solid, then dashed
    assert "calm: not fixed by the thesis, anything from 86 % to 93 %" in shown["alt"]
    assert "shame: not fixed by the thesis, anything from 4 % to 100 %" in shown["alt"]
    assert "gratitude 100 %" in shown["alt"] and "50 %" not in shown["alt"]


def test_the_importance_performance_reading_does_not_claim_what_a_word_cannot_carry(default_intake):
    from analysis_utils.intake.derive import clean
    from analysis_utils.intake.publication import load_publication
    from analysis_utils.present import views
    from analysis_utils.present.narrative import interpretation as narrative
    from analysis_utils.stats import descriptive as d
    from analysis_utils.stats.constructs import ipa_table

    intake = read_intake(default_intake)
    df = clean(intake.responses, intake.codebook)
    summary = d.item_summary(df, intake.codebook, load_publication(default_intake, {"source": intake.meta["source"]}))
    worded = narrative.worded_ranges(summary, intake.codebook)
    assert worded["asking for help easily"] == "75–96 %"  # "De overgrote meerderheid": 21 to 27 of 28
    # attention: three neutral (1690) and "de meerderheid" (2266): 15 to 25 of 28
    assert worded["attention"] == "54–89 %"
    ipa = views.ipa(ipa_table(df, intake.codebook, summary), intake.codebook)
    text = narrative.ipa_summary(ipa, worded)
    assert "the thesis allows 54–89 %" in text and "one reading inside the range" in text
    assert "the thesis allows" not in narrative.ipa_summary(ipa)  # observed data: no such caveat
    attention = ipa.set_index("expectation").loc["attention"]
    assert (round(28 * attention["importance_low"]), round(28 * attention["importance_high"])) == (15, 25)


def test_construct_sentence_names_constructs_that_pool_worded_shares():
    import pandas as pd

    from analysis_utils.present.narrative import interpretation as narrative

    constructs = pd.DataFrame({"construct": ["empathy", "interest"], "n_items": [2, 1], "positive_share": [0.9, 0.8],
                               "ci_low": [0.8, 0.6], "ci_high": [0.95, 0.9], "n_answers": [56, 28],
                               "n_respondents": [28, 28], "reading": ["direction", "direction"],
                               "design_effect": [1.2, 1.0], "items": ["pleasant, safety", "hurried"]})
    text = narrative.constructs_summary(constructs, {"safety": "75–93 %"})
    assert "1 of these constructs pool items whose share the thesis gives only as a word" in text and ": empathy." in text
    assert "only as a word" not in narrative.constructs_summary(constructs)


def test_the_item_summary_view_leaves_the_point_of_a_worded_share_empty(default_intake):
    """A share the thesis only words has no point in the reading table: the reconstruction's
    number would read as a finding. The range the word allows stands in the last column."""
    from analysis_utils.intake.derive import clean
    from analysis_utils.intake.publication import load_publication
    from analysis_utils.present import views
    from analysis_utils.stats import descriptive as d

    intake = read_intake(default_intake)
    df = clean(intake.responses, intake.codebook)
    summary = d.item_summary(df, intake.codebook, load_publication(default_intake, {"source": intake.meta["source"]}))
    table = views.item_summary(summary, intake.codebook, [8, 9, 13])
    worded = summary.set_index("item_id").loc[["q09_trust_bond", "q13_ask_help_easily"], "provenance"]
    assert set(worded) <= set(d.WORDED)
    rows = table.iloc[1:]
    assert (rows["top-2 %"] == "—").all() and (rows["at maximum %"] == "—").all() and (rows["median [IQR]"] == "—").all()
    assert table.iloc[0]["top-2 %"] == "100" and "–" in table.iloc[-1]["the publication"]


def test_the_publication_column_names_the_words_a_range_rests_on_with_their_lines(default_intake, thesis):
    """Tables 2.2–2.6: a range the thesis only words names the words (and counts) that narrow it, each
    on the line it stands on, as Table 2.8 does, so the reader can look them up; a word that bears
    on an item but narrows nothing is not named (review_session37 #3, #4, #5, #12)."""
    from analysis_utils.i18n import language
    from analysis_utils.intake.derive import clean
    from analysis_utils.intake.publication import load_publication
    from analysis_utils.present import views
    from analysis_utils.stats import descriptive as d

    intake = read_intake(default_intake)
    df = clean(intake.responses, intake.codebook)
    summary = d.item_summary(df, intake.codebook, load_publication(default_intake, {"source": intake.meta["source"]}))
    by_item = summary.set_index("item_id")["publication_words"]
    for item, found in by_item.items():
        for word, line, role in (found if isinstance(found, tuple) else ()):
            text = thesis[line - 1].lower()
            if role == "count":  # a count the text gives: a number on that line
                assert re.search(r"\d|\b(één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien)\b", text), (item, line)
            elif role == "bound":  # a statement about everybody
                assert re.search(r"\b(elke|iedere|iedereen|geen enkele?|alle)\b", text), (item, line)
            elif role != "statement":
                assert word.lower() in text, (item, word, line)  # on that very line
    assert by_item["q13_ask_help_easily"] == (("overgrote meerderheid", 1733, "quantifier"),)
    assert by_item["q10_emotion_shame"] == (("vaker", 1658, "quantifier"),)  # the quote begins on 1657
    assert {r for _w, _l, r in by_item["q11_expect_honesty"]} == {"reading"}  # 'betrekkelijk minder' narrows nothing
    with language("en"):
        cells = views.item_summary(summary, intake.codebook, [9, 10, 11, 13])["the publication"]
    assert cells["asking for help easily"] == "“overgrote meerderheid” (line 1733), as this report reads it, allows 75–96 %"
    # a negatively worded item: "vaker" (shame is named more often) beside the share NOT naming it, said so
    assert cells["shame (reversed: scale turned)"] == ("“vaker” (line 1658), as this report reads it, allows 0–96 % "
                                                       "answering ‘certainly not’ or ‘rather not’")
    assert cells["solutions"] == "“merendeel” (line 1682), as this report reads it, allows 54–96 %"
    assert cells["attention"] == ("“meerderheid” (line 2266), as this report reads it, together with the count given at line "
                                  "1690, allows 54–89 %")
    assert cells["honesty"] == ("said two ways, “elke” (line 1699) or “bijna iedereen” (line 1918); the two readings "
                                "together allow 86–100 %")
    assert cells["guidance"] == ("“betrekkelijk minder” (lines 1697, 1904, said of other items), as this report reads it, "
                                 "allows 4–100 %")  # the comparison names genuineness, involvement, empathy, attention
    assert cells["genuineness"] == "named in the sentence with “betrekkelijk minder” (line 1697), which bounds no share: 0–100 %"
    assert cells["bond of trust"].startswith("“de vertrouwensband goed zit tussen de cliënt en de hulpverlener” (line "
                                             "1638): no count and no quantifier")
    with language("nl"):
        cells = views.item_summary(summary, intake.codebook, [13])[views._("the publication")]
    assert cells.iloc[0].startswith("“overgrote meerderheid” (regel 1733)")


def test_the_dutch_reproduction_table_keeps_the_readings_the_english_one_gives(default_intake):
    """The Dutch table quotes the thesis; where a fact reads more into its words (a caveat, an
    inference), the Dutch reading follows the quote, so the Dutch reader loses no caveat."""
    from analysis_utils.i18n import language
    from analysis_utils.present import views
    from analysis_utils.intake.publication import load_facts
    from analysis_utils.stats.publication import reproduction_table

    intake = read_intake(default_intake)
    facts = load_facts(default_intake / "reported.yaml")
    table = reproduction_table(intake.responses, facts)
    with language("nl"):
        shown = views.reproduction(table, facts)
    cells = {str(v).replace("\u200b", "") for v in shown.to_numpy().ravel()}  # break hints for slashes
    by_id = {f["id"]: f for f in facts}
    good = by_id["fig19_appointments_mode_good"]
    assert f"“{good['quote']}” — {good['reported_nl']}" in cells and "regel 1827" in good["reported_nl"]
    plain = [i for i, f in by_id.items() if f.get("quote") and not f.get("reported_nl") and i in set(table["fact_id"])]
    assert plain and all(f"“{by_id[i]['quote']}”" in cells for i in plain)
    assert not any(by_id[i]["reported"] in cells for i in by_id if by_id[i].get("reported_nl"))
    # every fact whose English reading adds a bracketed caveat carries it in Dutch too
    caveated = [i for i, f in by_id.items() if "(" in f.get("reported", "") and f.get("quote")]
    assert caveated and all(by_id[i].get("reported_nl") for i in caveated)


def test_the_most_frequent_answer_is_named_as_the_questionnaire_names_it(default_intake):
    """Figuur 2: "41-50 is the most frequent band" stands beside the answer that is, named in the
    page's language ("41 to 50 (9)", "41 tot 50 jaar (9)"), not beside its code; the CSV keeps
    the code ("4 (9)"), and without a codebook the page falls back to it."""
    from analysis_utils.i18n import language
    from analysis_utils.intake.publication import load_facts
    from analysis_utils.present import views
    from analysis_utils.stats.publication import reproduction_table

    intake = read_intake(default_intake)
    facts = [f for f in load_facts(default_intake / "reported.yaml") if f.get("kind") == "mode"]
    table = reproduction_table(intake.responses, facts)
    band = intake.responses["q02_age_band"].value_counts()
    top = int(band.idxmax())
    assert table["observed"].tolist() == [f"most frequent: {top} ({band.max()})"]
    labels = {lang: intake.codebook.scale_of("q02_age_band").label(top, lang) for lang in ("en", "nl")}
    assert labels["en"] != labels["nl"]  # the page's language decides which one stands
    for lang in ("en", "nl"):
        with language(lang):
            cells = [str(c) for c in views.reproduction(table, facts, codebook=intake.codebook).iloc[0]]
        assert any(c.endswith(f": {labels[lang]} ({band.max()})") for c in cells), cells
    cells = [str(c) for c in views.reproduction(table, facts).iloc[0]]
    assert any(c.endswith(f": {top} ({band.max()})") for c in cells), cells


def test_where_the_thesis_gives_only_a_positive_total_the_top_answer_is_a_range(default_intake):
    """Figuur 8: "tevreden tot zeer tevreden" for all 28 fixes the top-2 share, not the split over
    its two answers: the share at the maximum is the range 0-100 % and the median is left open;
    Figuur 21 gives the split (21 'zeer goed'), so its share at the maximum stands as counted."""
    from analysis_utils.intake.derive import clean
    from analysis_utils.intake.publication import load_publication
    from analysis_utils.present import views
    from analysis_utils.stats import descriptive as d

    intake = read_intake(default_intake)
    df = clean(intake.responses, intake.codebook)
    summary = d.item_summary(df, intake.codebook, load_publication(default_intake, {"source": intake.meta["source"]}))
    rows = summary.set_index("item_id")
    assert (rows.loc["q08_satisfaction", "ceiling_low"], rows.loc["q08_satisfaction", "ceiling_high"]) == (0.0, 1.0)
    assert rows.loc["q21_information", "ceiling_low"] == rows.loc["q21_information", "ceiling_high"] == 21 / 28
    table = views.item_summary(summary, intake.codebook, [8, 21])
    assert table.iloc[0]["at maximum %"] == "0–100" and table.iloc[0]["median [IQR]"] == "—"
    assert table.iloc[1]["at maximum %"] == "75" and table.iloc[1]["median [IQR]"].startswith("5 [")


def test_a_claim_counting_every_answer_but_neutral_says_so():
    """Figuur 17: "Elke respondent geeft aan dat de hulpverlener dezelfde doelen heeft" counts every
    answer but neutral; "different goals: 26 of 26" alone reads as 26 who see different goals."""
    from analysis_utils.codebook import load_codebook
    from analysis_utils.present.publication_views import _counted

    cb = load_codebook()
    goals = {"id": "fig17_every_respondent_same_goals", "items": ["q17_different_goals"], "codes": [1, 2, 4, 5]}
    assert _counted(goals, cb) == "; counted: every answer but neutral"
    assert _counted({**goals, "codes": [4, 5]}, cb) == ""  # the two most positive: plain
    assert _counted(None, cb) == "" and _counted(goals, None) == ""


def test_a_statement_checked_only_against_the_reconstruction_s_counts_is_not_called_consistent():
    """Figuur 17's "Elke respondent ... dezelfde doelen" beside counts that are all the
    reconstruction's holds by construction: the table says it cannot be told, not "yes"."""
    from analysis_utils.codebook import load_codebook
    from analysis_utils.present.publication_views import claim_checks

    claims = pd.DataFrame({"claim_id": ["goals", "satisfied"], "seed_line": [1787, 1626],
                           "counts": [{"q17_different_goals": (26, 26)}, {"q08_satisfaction": (28, 28)}],
                           "consistent": [True, True]})
    t = claim_checks(claims, {"goals": "a", "satisfied": "b"}, worded={"q17_different_goals"}, codebook=load_codebook())
    assert list(t["consistent"]) == ["cannot be told: the counts are the reconstruction's", "yes"]
    # as stats.publication.claim_checks gives them: every count when the statement holds, only the short ones when not
    held = pd.DataFrame({"claim_id": ["all"], "seed_line": [1672], "consistent": [True],
                         "counts": [{"q11_expect_solutions": (28, 28), "q11_expect_freedom_of_choice": (28, 28)}]})
    shown = claim_checks(held, {"all": "a"}, worded={"q11_expect_solutions"}, codebook=load_codebook())
    assert list(shown["consistent"]) == ["yes, at the reconstruction's counts"]
    short_fixed = held.assign(consistent=False, counts=[{"q11_expect_freedom_of_choice": (27, 28)}])
    short_worded = held.assign(consistent=False, counts=[{"q11_expect_solutions": (21, 28)}])
    assert [claim_checks(t, {"all": "a"}, worded={"q11_expect_solutions"}, codebook=load_codebook())["consistent"].iloc[0]
            for t in (short_fixed, short_worded)] == ["no", "cannot be told: the counts are the reconstruction's"]


def test_the_misread_goals_item_shows_no_share_in_its_table_row_caption_or_alt_text(default_intake):
    """Questionnaire v1's goals item (lines 2227-2231): no share, interval or median, reconstructed
    or observed; its caption gives no range of a share and its alt text no counts."""
    from analysis_utils.intake.derive import clean
    from analysis_utils.intake.publication import load_publication
    from analysis_utils.present import views
    from analysis_utils.present.captions import figure_alt, figure_caption
    from analysis_utils.stats import descriptive as d

    intake = read_intake(default_intake)
    df = clean(intake.responses, intake.codebook)
    summary = d.item_summary(df, intake.codebook, load_publication(default_intake, {"source": intake.meta["source"]}))
    for table in (summary, d.item_summary(df, intake.codebook)):  # reconstructed, and as if observed
        row = views.item_summary(table, intake.codebook, [17]).iloc[0]
        assert row.name == "different goals" and set(row.iloc[2:5]) == {"—"}, row
    assert views.item_summary(summary, intake.codebook, [17]).iloc[0].iloc[-1].startswith("misread by most in 2015")
    worded = d.worded_items(summary)
    freq = d.frequencies(df, intake.codebook)
    caption = figure_caption(17, intake.codebook, freq, worded)
    assert "range shown in the table" not in caption and "The bars are the reconstruction's" in caption
    alt = figure_alt(17, intake.codebook, freq, worded={i: (0, 1) for i in worded})
    assert "not to be read as favourable or unfavourable" in alt and "%" not in alt.split("Answers:")[1]
