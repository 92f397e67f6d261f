import pytest

from analysis_utils.codebook import load_codebook, parse_codebook

CB = load_codebook("v1")


def test_every_thesis_figure_has_items():
    assert CB.figures == list(range(1, 24))


def test_multi_item_figures_have_one_item_per_named_element():
    assert len(CB.by_figure(10)) == 13  # emotions named in lines 1650-1664
    assert len(CB.by_figure(11)) == 11  # expectations
    assert [i.label_nl for i in CB.by_figure(12)] == [
        "aangenaam", "duidelijk", "gemakkelijk", "gehaast", "onduidelijk", "ongemakkelijk"]


def test_ids_are_ascii_and_unique():
    ids = CB.item_ids
    assert len(ids) == len(set(ids))
    assert all(i.isascii() and i.replace("_", "").isalnum() and i == i.lower() for i in ids)


def test_every_item_documents_its_evidence():
    for item in CB.items:
        assert item.evidence in ("attested", "inferred"), item.id
        assert item.wording_nl and item.wording_en, item.id
        if item.evidence == "inferred":
            assert item.note, f"{item.id} is inferred but says nothing about why"


def test_verbatim_dutch_titles_kept():
    assert CB.item("q08_satisfaction").wording_nl == "Ik ben tevreden over mijn maatschappelijk assistente:"
    assert CB.item("q17_different_goals").wording_nl.startswith("Mijn maatschappelijk assistente en ik hebbend")
    # verbatim, and shown with the typo marked (issue 10 §7)
    assert CB.item("q17_different_goals").shown_wording("nl").startswith("Mijn maatschappelijk assistente en ik hebbend [sic] verschillende")
    assert "[sic]" not in CB.item("q08_satisfaction").shown_wording("nl")
    assert CB.item("q10_emotion_shame").wording_nl == (
        "Ik stap naar mijn maatschappelijk assistente toe met een gevoel van: schaamte")


def test_ordinal_codes_run_from_least_to_most():
    agree = CB.scales["agree5"]
    assert agree.label(1, "nl") == "zeker niet" and agree.label(5, "nl") == "zeker wel"
    quality = CB.scales["quality5"]
    assert [quality.label(c, "nl") for c in (1, 3, 5)] == ["zeer slecht", "voldoende", "zeer goed"]
    freq = CB.scales["frequency4"]
    assert [freq.label(c, "nl") for c in freq.codes] == ["nooit", "één keer", "twee tot vier keer", "meer dan vier keer"]


def test_pilot_absent_items_are_exactly_the_three_the_thesis_names():
    assert sorted(i.id for i in CB.items if i.absent_in_pilot) == [
        "q12_comm_awkward", "q12_comm_unclear", "q17_different_goals"]


def test_absent_in_pilot_is_the_2015_pilot_s_so_no_v2_item_is_absent():
    """The codebook lists the versions whose pilot form lacked an item ([v1]): a v2 pilot asks all."""
    assert not [i.id for i in load_codebook("v2").items if i.absent_in_pilot]
    item = {"id": "x", "section": "s", "type": "single_choice", "scale": "s", "label_nl": "a", "label_en": "a",
            "wording_nl": "a", "wording_en": "a"}
    doc = {"versions": {"v1": {}, "v2": {}}, "scales": {"s": {"kind": "nominal", "labels": {1: {"nl": "a", "en": "a"}}}},
           "items": [item]}
    for written, absent in ((["v1"], {"v1": True, "v2": False}), (True, {"v1": True, "v2": True}),
                            (False, {"v1": False, "v2": False}), ([], {"v1": False, "v2": False})):
        item["absent_in_pilot"] = written
        assert {v: parse_codebook(doc, v).item("x").absent_in_pilot for v in ("v1", "v2")} == absent, written
    item["absent_in_pilot"] = ["v3"]
    with pytest.raises(ValueError, match="absent_in_pilot"):
        parse_codebook(doc, "v1")


def test_reversed_item_positive_score_and_top2():
    goals = CB.item("q17_different_goals")
    assert goals.reversed
    assert [goals.positive_score(c) for c in range(1, 6)] == [5, 4, 3, 2, 1]
    assert goals.top2_codes == [1, 2] and goals.max_code == 1
    sat = CB.item("q08_satisfaction")
    assert sat.top2_codes == [4, 5] and sat.positive_score(4) == 4


def test_scale_lookup_accepts_codes_and_labels_in_both_languages():
    look = CB.scales["agree5"].lookup()
    assert look["eerder wel"] == 4 and look["rather yes"] == 4 and look["4"] == 4


def test_unknown_version_and_unknown_field_are_refused():
    doc = {"versions": {"v1": {}}, "scales": {"s": {"kind": "nominal", "labels": {1: {"nl": "a", "en": "a"}}}},
           "items": [{"id": "x", "section": "s", "type": "single_choice", "scale": "s", "label_nl": "a",
                      "label_en": "a", "wording_nl": "a", "wording_en": "a", "colour": "red"}]}
    with pytest.raises(KeyError):
        parse_codebook(doc, "v9")
    with pytest.raises(ValueError, match="unknown fields"):
        parse_codebook(doc, "v1")


# --- issue 8 §4: one rule for what is attested, checked against the thesis text ---------------------

def _thesis_lines(root):
    from thesis_text import load

    return load(root)


def _window(lines, line):
    return " ".join(" ".join(lines[max(0, line - 3):line + 2]).split()).lower()


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_an_item_is_attested_exactly_when_its_wording_stands_at_its_line(root, version):
    lines, _ = _thesis_lines(root)
    cb = load_codebook(version)
    for item in cb.items:
        if item.seed_line is None:
            assert item.evidence == "inferred", item.id
            continue
        found = " ".join(item.wording_nl.split()).lower() in _window(lines, item.seed_line)
        assert (item.evidence == "attested") == found, f"{item.id}: evidence {item.evidence}, wording found: {found}"


def test_a_label_is_attested_exactly_where_the_thesis_shows_it(root):
    lines, full = _thesis_lines(root)
    for scale in CB.scales.values():
        for code, seen in scale.seen.items():
            assert " ".join(seen["quote"].split()).lower() in _window(lines, seen["line"]), (scale.id, code)
    agree, quality, sat = CB.scales["agree5"], CB.scales["quality5"], CB.scales["satisfaction5"]
    # "zeker niet" and "zeer slecht" appear nowhere in the thesis; "helemaal niet (tevreden)" does (line 1628)
    text = " ".join(lines).lower()  # the whole text where it is at hand, else the excerpt
    assert "zeker niet" not in text and agree.evidence(1) == "inferred"
    assert "zeer slecht" not in text and quality.evidence(1) == "inferred"
    assert sat.evidence(1) == "attested" and sat.seen[1]["line"] == 1628


def test_multiple_choice_questions_offer_andere_and_the_voluntary_route():
    """Line 1474: every multiple-choice question had an 'andere' option; line 1597: 'op vrijwillige basis'."""
    for scale in ("civil_status", "contact_route", "help_type", "nationality"):
        labels = [CB.scales[scale].label(c, "nl") for c in CB.scales[scale].codes]
        assert "andere" in labels, scale
    assert CB.scales["contact_route"].label(1, "nl") == "op vrijwillige basis"
    assert "op eigen initiatief" not in [CB.scales["contact_route"].label(c, "nl") for c in CB.scales["contact_route"].codes]
