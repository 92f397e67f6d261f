"""Issue: a new intake end to end — entry template, questionnaire v2, privacy guard, example."""
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from analysis_utils.codebook import aligned_items, load_codebook
from analysis_utils.intake import IntakeError, privacy, read_intake
from analysis_utils.makers.synthetic import write_example
from analysis_utils.makers.template import write_template

V1, V2 = load_codebook("v1"), load_codebook("v2")
META = {"title": "Test round", "organisation": "test", "fieldwork_period": "2027", "clients_approached": 12,
        "questionnaire_version": "v2", "source": "survey"}


def _fill(path, rows, codebook):
    """Fill the template as a social worker would: Dutch labels picked from the dropdowns."""
    wb = load_workbook(path)
    ws = wb["antwoorden"]
    header = [c.value for c in ws[1]]
    for r, answers in enumerate(rows, start=3):  # row 2 holds the Dutch questions
        for c, col in enumerate(header, start=1):
            if col in answers:
                ws.cell(r, c, answers[col])
    wb.save(path)


def _answers(i, codebook):
    out = {"respondent_id": f"R{i:03d}"}
    for item in codebook.items:
        if not item.coded:
            out[item.id] = "Team Noord"
        elif item.asked_if:
            continue
        else:
            codes = item.scale.codes
            out[item.id] = item.scale.label(codes[(i + len(item.id)) % len(codes)], "nl")
    out["a02_questionnaire_form"] = "definitieve vragenlijst"
    return out


def test_template_structure(tmp_path):
    path = write_template(tmp_path / "responses.xlsx", "v2")
    wb = load_workbook(path)
    # issue 10 §5: instructions first; the question (its printed number, then the Dutch wording) is the
    # visible header, the item id hidden above it
    assert wb.sheetnames == ["instructies", "antwoorden", "bevraging", "lijsten"] and wb.active.title == "instructies"
    ws = wb["antwoorden"]
    header = [c.value for c in ws[1]]
    assert header == ["respondent_id", *V2.item_ids]
    assert ws.row_dimensions[1].hidden and ws.freeze_panes == "B3"
    col = header.index("q08_satisfaction") + 1
    assert ws.cell(2, col).value == "8. Ik ben tevreden over mijn maatschappelijk assistente:"
    assert ws.cell(2, col).comment.text.startswith("q08_satisfaction")
    # questionnaire order: q23a right after q23
    assert header.index("q23a_concealment_topic") == header.index("q23_concealment") + 1
    # widths fit the labels
    agree = header.index("q13_ask_help_easily") + 1
    from openpyxl.utils import get_column_letter
    assert ws.column_dimensions[get_column_letter(agree)].width >= len("eerder niet") + 2
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    lists = wb["lijsten"]
    assert len(formulas) == len({i.scale.id for i in V2.items if i.coded})
    labels = {lists.cell(r, c).value for c in range(1, lists.max_column + 1) for r in range(1, 7)}
    assert {"zeker wel", "zeer tevreden", "nooit"} <= labels
    text = " ".join(str(c.value) for c in wb["instructies"]["A"] if c.value)
    assert "Nooit een naam" in text and "leeg" in text


def test_template_dropdowns_accept_a_typed_code(tmp_path):
    """Issue 10 §5: the instructions say a code may be typed; the cell's validation list holds the
    codes as well as the Dutch labels, so Excel and LibreOffice accept a typed 4."""
    path = write_template(tmp_path / "responses.xlsx", "v1")
    wb = load_workbook(path)
    ws, lists = wb["antwoorden"], wb["lijsten"]
    header = [c.value for c in ws[1]]
    letter = __import__("openpyxl").utils.get_column_letter(header.index("q13_ask_help_easily") + 1)
    rule = next(dv for dv in ws.data_validations.dataValidation if f"{letter}3" in str(dv.sqref).split(":")[0]
                or any(f"{letter}3" in str(r) for r in dv.sqref.ranges))
    sheet, cells = rule.formula1.lstrip("=").split("!")
    first, last = (c.replace("$", "") for c in cells.split(":"))
    allowed = [c.value for row in lists[f"{first}:{last}"] for c in row]
    assert 4 in allowed and "eerder wel" in allowed  # a typed code and a picked label both pass
    assert "4 = eerder wel" in rule.error
    # and the program reads a typed code as the answer
    from analysis_utils.intake import read_intake
    folder = tmp_path / "typed"
    path = write_template(folder / "responses.xlsx", "v1")
    _fill(path, [{**_answers(i, V1), "q13_ask_help_easily": 4} for i in range(6)], V1)
    _describe(path, {"title": "t", "organisation": "o", "fieldwork_period": "p", "clients_approached": 6})
    assert (read_intake(folder).responses["q13_ask_help_easily"] == 4).all()


@pytest.mark.parametrize("mark", [None, "vraag", " Vraag"])
def test_the_row_of_questions_is_skipped_under_the_new_header_and_the_old_marker(tmp_path, mark):
    """Review finding 4: column A's visible header names what goes there, as the printed form does;
    workbooks filled in from an older template, with "vraag" there, still read."""
    folder = tmp_path / "round"
    path = write_template(folder / "responses.xlsx", "v1")
    wb = load_workbook(path)
    assert wb["antwoorden"]["A2"].value == "Volgnummer van de vragenlijst"
    if mark is not None:
        wb["antwoorden"]["A2"] = mark
        wb.save(path)
    _fill(path, [_answers(i, V1) for i in range(1, 7)], V1)
    _describe(path, {"title": "t", "organisation": "o", "fieldwork_period": "p", "clients_approached": 6})
    assert read_intake(folder).responses["respondent_id"].tolist() == [f"R{i:03d}" for i in range(1, 7)]


def _describe(path, values):
    wb = load_workbook(path)
    ws = wb["bevraging"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value in values:
            ws.cell(r, 2, values[ws.cell(r, 1).value])
    wb.save(path)


def _make_observed_round(out: Path, kernels=None) -> dict:
    """A v2 round with real joint structure (telephone clients rate lower), entered in the template
    as a social worker would (Dutch labels), described on its 'bevraging' sheet with a title and
    organisation that try to run script, and run in Dutch alone."""
    from analysis_utils.makers.synthetic import generate
    from analysis_utils.run import pipeline

    folder = out / "raw" / "round-2027"
    path = write_template(folder / "responses.xlsx", "v2")
    codes = generate(60, seed=11, codebook=V2, group_shift={"a01_interview_mode": {3: -1.2}},
                     teams=["Team Noord", "Team Zuid"])
    rows = []
    for _, r in codes.iterrows():
        row = {"respondent_id": r["respondent_id"]}
        for item in V2.items:
            if pd.notna(r[item.id]):
                row[item.id] = item.scale.label(int(r[item.id]), "nl") if item.coded else r[item.id]
        rows.append(row)
    _fill(path, rows, V2)
    _describe(path, {"title": "Synthetic test round <script>alert(1)</script> <img src=x onerror=alert(2)>",
                     "organisation": "[test](javascript:alert(3))", "fieldwork_period": "maart 2027",
                     "clients_approached": 90, "teams": "Team Noord; Team Zuid"})
    index = pipeline.run(folder, lang="nl", reports_root=out / "reports", processed_root=out / "processed",
                         log=lambda s: None, kernels=kernels)
    return {"folder": str(folder), "index": str(index), "first_satisfaction": rows[0].get("q08_satisfaction")}


@pytest.fixture(scope="session")
def observed_round(shared, kernels):
    """The filled template of :func:`_make_observed_round`, run once and shared by the tests."""
    run = shared("observed-round", lambda out: _make_observed_round(out, kernels))
    return Path(run["folder"]), Path(run["index"]), run["first_satisfaction"]


def test_an_empty_template_is_refused_naming_what_is_missing(tmp_path):
    folder = tmp_path / "raw" / "round-2027"
    write_template(folder / "responses.xlsx", "v2")
    assert sorted(p.name for p in folder.iterdir()) == ["responses.xlsx"]
    with pytest.raises(IntakeError) as exc:
        read_intake(folder)  # nothing filled in yet
    text = "\n".join(map(str, exc.value.problems))
    assert "(sheet bevraging), row 3, key title: expected key 'title' to be present" in text
    assert "a header row and at least one respondent row" in text


def test_a_new_round_runs_end_to_end_and_reports_findings(observed_round):
    """A round entered in the template (the filled workbook is the whole intake: answers on
    'antwoorden', the round on 'bevraging') with real joint structure: same command, no
    reconstruction, sub-group findings; the report in Dutch alone, every intake text shown as
    text. (The one test of the shared round: a second would wait for it on the other worker.)"""
    import re

    from test_i18n import english_words
    from test_pipeline import _active_elements

    folder, index, first = observed_round
    intake = read_intake(folder)
    assert len(intake.responses) == 60 and intake.id == "round-2027" and intake.meta["source"] == "survey"
    assert intake.meta["questionnaire_version"] == "v2" and intake.meta["clients_approached"] == 90
    assert intake.responses.loc[0, "q08_satisfaction"] == V2.scale_of("q08_satisfaction").lookup()[first]
    reports = index.parent.parent.parent
    assert index == reports / "round-2027" / "nl" / "index.html"  # Dutch alone: in nl/
    assert not (index.parent.parent / "index.html").exists()  # no English asked, none written
    assert (index.parent / "04_limitations.html").is_file()
    html = index.read_text()
    assert "n = 60 van 90 benaderde cliënten (67 %)" in html and "Gereconstrueerde gegevens" not in html
    for page in index.parent.glob("0*.html"):
        assert not re.search(r">S\d{3}<", page.read_text()), f"{page.name} shows respondent ids"
        assert not english_words(page.read_text()), f"{page.name}: {english_words(page.read_text())}"
        assert 'class="book-twin"' not in page.read_text()  # no twin to link to
    assert ">tevredenheid<" in (index.parent / "02_descriptives.html").read_text()  # Dutch labels (lang = nl)
    cleaning = (index.parent / "01_cleaning.html").read_text()
    assert ">Team Noord<" in cleaning and ">Team Zuid<" in cleaning  # Table 1.2 counts the teams (review_session37 #16)
    assert not (reports.parent / "processed" / "round-2027" / "reconstructions.csv").exists()
    interp = (index.parent / "03_interpretation.html").read_text()
    assert "geen bevindingen" not in interp and "bereiken p &lt; 0,05 na correctie" in interp
    assert "Subgroepen: afnamewijze, geslacht, soort hulp en team (als er meer dan één is)" in interp and "geslacht en soort hulp<" not in interp
    # a round without a publication leaves out the sections that would only say so (pipeline._book)
    descriptives = (index.parent / "02_descriptives.html").read_text()
    assert "Reproductie" not in descriptives and "geen <code>reported.yaml</code>" not in descriptives
    assert "Wat de publicatie toelaat" not in (index.parent / "01_cleaning.html").read_text()
    assert "Wat de gepubliceerde cijfers vastleggen" not in (index.parent / "04_limitations.html").read_text()
    assert (index.parent / "tables" / "constructs.csv").is_file() and (index.parent / "tables" / "limitations.csv").is_file()
    # nothing of the 2015 reconstruction: no row on what rests on it, no note on a publication's ranges or v1's item
    topics = set(pd.read_csv(index.parent / "tables" / "limitations.csv")["topic"])
    assert "dependence on the reconstruction" not in topics and "response" in topics
    assert "legt de publicatie alleen het totaal" not in descriptives and "vragenlijst v1" not in descriptives
    assert "Het eindwerk vindt het opmerkelijk dat in 2015 vijf cliënten" in descriptives
    assert "Met teams van" in descriptives and "dit zijn beschrijvingen, geen toetsen" in descriptives
    refs = (index.parent / "references.html").read_text()  # the works this book cites, not the reconstruction's
    assert '<li id="thesis2015">' in refs and '<li id="holm1979">' in refs
    assert '<li id="frechet1951">' not in refs and '<li id="hoeffding1940">' not in refs
    # a title and organisation that try to run script are shown as text on every page, nowhere run
    for page in [index, *index.parent.glob("0*.html")]:
        elements = _active_elements(page.read_text())
        assert not elements, f"{page.name}: {elements}"
    assert "Synthetic test round &lt;script&gt;alert(1)&lt;/script&gt;" in (index.parent / "01_cleaning.html").read_text()
    from test_docs import assert_outputs_documented
    assert_outputs_documented(reports.parent)  # a survey round's tables, as docs/outputs.md describes them


def test_v1_v2_alignment():
    pairs = dict(aligned_items(V1, V2))
    assert pairs["q17_different_goals"] == "q17_same_goals"
    assert pairs["q08_satisfaction"] == "q08_satisfaction"
    assert "a03_team" not in pairs.values() and "q24_home_language" not in pairs.values()
    # positively oriented scores line up: 'certainly not different' (1) = 'certainly the same' (5)
    assert V1.item("q17_different_goals").positive_score(1) == V2.item("q17_same_goals").positive_score(5)
    assert not V2.item("q17_same_goals").reversed


def test_example_intake_is_what_the_command_regenerates(tmp_path, root):
    committed = root / "data" / "raw" / "example-v2"
    fresh = write_example(tmp_path / "example-v2")
    for name in ("intake.yaml", "responses.csv"):
        assert (fresh / name).read_bytes() == (committed / name).read_bytes(), name
    intake = read_intake(committed)
    assert len(intake.responses) == 120 and intake.meta["source"] == "synthetic"
    assert intake.codebook.version == "v2" and intake.responses["a03_team"].nunique() == 2


# --- privacy guard -------------------------------------------------------------------------------

FIRST = ["Jan", "Marie", "Mehmet", "Giuseppe", "Els", "Ahmed", "Sofie", "Luc", "Fatma", "Koen"]
LAST = ["Peeters", "Janssens", "Yilmaz", "Rossi", "Maes", "Claes", "Demir", "Wouters", "Goossens"]
names = st.builds(lambda f, l: f"{f} {l}", st.sampled_from(FIRST), st.sampled_from(LAST))
phones = st.builds(lambda p, a, b, c: f"{p}{a} {b:02d} {c:02d} {b:02d}", st.sampled_from(["04", "+32 4", "0032 4"]),
                   st.integers(70, 99), st.integers(0, 99), st.integers(0, 99))
emails = st.builds(lambda u, d: f"{u}@{d}.be", st.from_regex(r"[a-z]{2,8}(\.[a-z]{2,8})?", fullmatch=True),
                   st.sampled_from(["telenet", "skynet", "ocmw-genk", "gmail"]))
nrns = st.builds(lambda y, m, d, s, c, sep: f"{y:02d}{sep[0]}{m:02d}{sep[0]}{d:02d}{sep[1]}{s:03d}{sep[0]}{c:02d}",
                 st.integers(0, 99), st.integers(1, 12), st.integers(1, 28), st.integers(1, 998), st.integers(0, 99),
                 st.sampled_from([(".", "-"), ("", ""), (" ", " ")]))
KINDS = {"name": names, "phone number": phones, "e-mail address": emails, "national register number": nrns}


@pytest.fixture
def intake_copy(tmp_path, default_intake):
    d = tmp_path / "genk-2015"
    d.mkdir()
    for f in ("intake.yaml", "responses.csv"):
        shutil.copy(default_intake / f, d)
    return d


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(KINDS)), data=st.data(), row=st.integers(0, 27),
       column=st.sampled_from(["respondent_id", "q08_satisfaction", "opmerking"]))
def test_identifiers_are_refused_naming_column_and_kind(intake_copy, default_intake, kind, data, row, column):
    value = data.draw(KINDS[kind])
    df = pd.read_csv(default_intake / "responses.csv", dtype=str, keep_default_na=False)
    if column not in df:
        df[column] = ""
    df.loc[row, column] = value
    df.to_csv(intake_copy / "responses.csv", index=False)
    with pytest.raises(IntakeError) as exc:
        read_intake(intake_copy)
    hits = [p for p in exc.value.problems if p.column == column and f"looks like {privacy.kind_words(kind)}" in str(p)]
    assert hits, [str(p) for p in exc.value.problems]
    assert hits[0].row == row + 2
    assert value not in "\n".join(map(str, exc.value.problems)), "the identifier itself was printed"


@pytest.mark.parametrize("header,kind", [("naam", "name"), ("Adres", "address"), ("telefoon", "phone number"),
                                         ("E-mail", "e-mail address"), ("rijksregisternummer", "national register number"),
                                         ("naam maatschappelijk assistent", "name"), ("hulpverlener", "social worker's name")])
def test_identifier_headers_are_refused(intake_copy, default_intake, header, kind):
    df = pd.read_csv(default_intake / "responses.csv", dtype=str, keep_default_na=False).assign(**{header: "x"})
    df.to_csv(intake_copy / "responses.csv", index=False)
    with pytest.raises(IntakeError) as exc:
        read_intake(intake_copy)
    assert any(p.column == header and f"holds {privacy.kind_words(kind)}" in p.expected for p in exc.value.problems)


def test_refused_intake_writes_nothing(intake_copy, default_intake, tmp_path, root):
    import subprocess
    import sys
    df = pd.read_csv(default_intake / "responses.csv", dtype=str, keep_default_na=False)
    df.loc[3, "respondent_id"] = "Marie Peeters"
    df.to_csv(intake_copy / "responses.csv", index=False)
    res = subprocess.run([sys.executable, "-m", "analysis_utils", "run", str(intake_copy), "--reports-root",
                          str(tmp_path / "r"), "--processed-root", str(tmp_path / "p")], capture_output=True, text=True, cwd=root)
    assert res.returncode == 2
    assert "row 5, column A (respondent_id" in res.stderr and "looks like a name" in res.stderr
    assert "Marie Peeters" not in res.stderr + res.stdout
    assert not (tmp_path / "r").exists() and not (tmp_path / "p").exists()


def test_codes_labels_and_teams_are_not_identifiers():
    for v in ["4", "zeker wel", "Team Noord", "R001", "2015", "46 %", "eerder niet tevreden", "Genk"]:
        assert privacy.identifier_kind(v, names=False) is None, v
    assert privacy.identifier_kind("Kerkstraat 12") == "address"
    assert privacy.identifier_kind("3600 Genk") == "address"


def test_small_cells_are_suppressed():
    table = pd.DataFrame({"team": ["A", "B", "C"], "n": [12, 4, 0], "top2_count": [3, 4, 0], "pct": [25, 100, None]})
    out = privacy.suppress_small_cells(table, ["n", "top2_count"], threshold=5, dependent_columns=["pct"])
    assert out["top2_count"].tolist() == ["< 5", "< 5", 0]
    assert out["n"].tolist() == [12, "< 5", 0]
    assert "" not in out["pct"].tolist() and out["pct"].tolist()[:2] == ["suppressed (< 5)"] * 2  # never blank


def test_teams_below_threshold_are_not_shown(root):
    from analysis_utils.intake.derive import clean
    from analysis_utils.stats import descriptive as d
    intake = read_intake(root / "data" / "raw" / "example-v2")
    df = clean(intake.responses, V2)
    df.loc[df.index[:3], "a03_team"] = "Team Klein"
    table = d.top2_by_group(df, V2, "a03_team", [8], threshold=5)
    assert "Team Klein" not in set(table["a03_team"])
    table = d.top2_by_group(df, V2, "a03_team", [8], threshold=100)
    assert table.empty or (table["n"] == "< 100").all()


# --- comparison across intakes ---------------------------------------------------------------------

def test_compare_leaves_out_the_misread_goals_item_and_says_why(root):
    """Issue 8 §4: v1's negatively worded goals item, misread by most (lines 2227-2231), is not
    tested against v2's positive one: the comparison shows 'not comparable' with the reason."""
    from analysis_utils.chapters.comparison import load
    from analysis_utils.present.narrative.comparison import (
        comparison_summary,
        comparison_words,
        tidy_words,
    )
    from analysis_utils.stats import compare
    loaded = load([root / "data/raw/genk-2015", root / "data/raw/example-v2"])
    table = comparison_words(compare.compare_items(loaded), loaded).set_index("item_key")
    assert "q17_different_goals" not in table.index and len(table) > 10
    assert compare.tidy_answers(loaded, [17]).empty
    text = comparison_summary(table.reset_index(), loaded)
    assert "Not compared: different goals" in text and "2227–2231" in text
    # two v2 intakes ask the same positive item: compared as usual
    both = compare.common_items([V2, V2])
    assert ("q17_same_goals", "q17_same_goals") in both
    # one error rate: simultaneous (Bonferroni) Newcombe intervals over the pair's m items, recomputed here
    from statsmodels.stats.proportion import confint_proportions_2indep
    m = len(table)
    assert table.attrs["family"] == m and (table["ci_level"] == 1 - 0.05 / m).all()
    for key, r in table.iterrows():
        lo, hi = confint_proportions_2indep(round(r["top2_intake"] * r["n_intake"]), r["n_intake"],
                                            round(r["top2_reference"] * r["n_reference"]), r["n_reference"],
                                            method="newcomb", compare="diff", alpha=0.05 / m)
        assert (r["diff_ci_low"], r["diff_ci_high"]) == pytest.approx((lo, hi))
        assert r["top2_differs"] == (lo > 0 or hi < 0)
    text = comparison_summary(table.reset_index(), loaded)
    assert f"over these {m} items" in text and "simultaneous" in text and "measure different things" in text
    assert "nan" not in text.split() and "nan)" not in text
    assert table["reference"].eq("genk-2015 (reconstructed)").all() and table["reconstructed_involved"].all()
    tidy = tidy_words(compare.tidy_answers(loaded, [16]), loaded)
    assert set(tidy["label"]) == {"certainly not", "rather not", "neutral", "rather yes", "certainly yes"}
    assert tidy.loc[tidy["intake"] == "genk-2015 (reconstructed)", "count"].sum() == 28


def test_compare_command_writes_a_flagged_report(tmp_path, root, kernels):
    from analysis_utils.run.comparison import compare
    killed = tmp_path / ".compare-genk-2015+example-v2.build-k1ll"  # what a killed comparison left: removed
    killed.mkdir()
    index = compare([root / "data/raw/genk-2015", root / "data/raw/example-v2"], reports_root=tmp_path,
                             log=lambda s: None, kernels=kernels)
    assert not killed.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".") and p.is_dir()]
    assert index == tmp_path / "compare-genk-2015+example-v2" / "index.html"
    html = index.read_text()
    assert "genk-2015 (reconstructed)" in html and "Reconstructed data involved" in html
    chapter = (index.parent / "compare.html").read_text()
    assert "genk-2015 (reconstructed)" in chapter and "Reconstructed intake involved" in chapter
    table = pd.read_csv(index.parent / "tables" / "comparison.csv")
    assert len(table) >= 40 and table["reconstructed_involved"].all()
    drawn = {p.stem.removeprefix("compare_") for p in (index.parent / "figures").glob("compare_*.png")}
    differs = set(table.loc[table["top2_differs"] | (table["p_holm"] < 0.05), "item_key"])
    scales = {k for k in differs if k != "q22_conflicts"}  # a frequency has no middle to diverge from: not drawn
    assert {"q08_satisfaction", "q21_information"} <= drawn and scales <= drawn  # every scale that differs is drawn
    assert "q17_different_goals" not in drawn and len(drawn) == len(drawn & set(table["item_key"]))
    assert "Not compared: different goals" in chapter
    assert "import " not in chapter
    from test_book_apparatus import machine_words
    assert not machine_words(chapter), machine_words(chapter)[:3]  # a test left out is said, not "nan"
    assert "fixed by the publication" in chapter  # a reference share the thesis does not fix is marked
    from test_docs import assert_outputs_documented
    assert_outputs_documented(tmp_path)
