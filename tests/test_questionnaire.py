"""Issue 27 §1: the questionnaire generated from the codebook — the printed page, the .docx, the
team's note — and a round entered from it as a person would, by the labels printed beside the boxes."""
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook

from analysis_utils.codebook import GOALS_V1, load_codebook
from analysis_utils.intake import read_intake
from analysis_utils.makers.docx_form import questionnaire_docx
from analysis_utils.makers.form_model import Grid, Question, build_form
from analysis_utils.makers.printed import questionnaire_html, team_note_html
from analysis_utils.makers.template import write_template

VERSIONS = ("v1", "v2")


def _page(version: str, lang: str = "nl"):
    return lxml_html.fromstring(questionnaire_html(build_form(version, lang)))


def _fields(page) -> list[str]:
    """Every answer field of the printed page, in print order: a question's item, a grid's rows."""
    return [e.get("data-item") for e in page.xpath(".//*[@data-item]")]


def _question_text(section) -> str:
    return " ".join(section.xpath("string(./p[@class='q']/span[1])").split())


def _labels(element) -> list[str]:
    return [" ".join(t.split()) for t in element.xpath(".//span[@class='label']/text()")]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_question_in_codebook_order_with_its_wording_verbatim(version):
    cb = load_codebook(version)
    page = _page(version)
    assert _fields(page) == ["respondent_id", *cb.item_ids]  # one field per template column, in order
    for section in page.xpath("//section[@data-item]"):
        item_id = section.get("data-item")
        if item_id == "respondent_id":
            continue
        item = cb.item(item_id)
        text = _question_text(section)
        assert text.endswith(item.wording_nl), (item_id, text)  # the codebook's wording, typos included
        assert section.xpath("string(.//span[@class='item-id'])") == item_id  # the id beside the question
        if item.coded:
            assert _labels(section) == [item.scale.label(c, "nl") for c in item.scale.codes]
    for grid in page.xpath("//section[@data-items]"):
        first = cb.item(grid.get("data-items").split()[0])
        assert _question_text(grid).endswith(cb.groups[first.group].stem_nl)
        assert _labels(grid.xpath(".//thead")[0]) == [first.scale.label(c, "nl") for c in first.scale.codes]
        for row in grid.xpath(".//tr[@data-item]"):
            item = cb.item(row.get("data-item"))
            assert row.xpath("string(./th/text())").strip() == item.label_nl
            assert len(row.xpath(".//span[@class='box']")) == len(item.scale.codes)


def test_the_interviewer_items_are_in_a_box_of_their_own_and_nothing_asks_a_name():
    page = _page("v2")
    box = page.xpath("//section[@class='interviewer']")[0]
    assert _fields(box) == ["respondent_id", "a01_interview_mode", "a02_questionnaire_form", "a03_team"]
    assert "In te vullen door de enquêteur" in box.text_content()
    main = page.xpath("//main")[0]
    assert not any(f.startswith("a0") for f in _fields(main))  # no interviewer item asked of the client
    for question in page.xpath("//p[@class='q']"):  # no field asks for a name: only "nooit (de) naam"
        text = question.text_content().lower()
        assert not re.search(r"(?<!nooit de )(?<!nooit een )\b(naam|name)\b", text), text
    assert not page.xpath("//input")  # a printed page, no form fields


def test_the_introduction_promises_anonymity_as_the_thesis_kept_it():
    text = " ".join(_page("v2").xpath("//section[@class='intro']")[0].text_content().split())
    assert "Uw naam staat nergens op deze vragenlijst" in text  # lines 2183-2185: no name on the form
    assert "aparte lijst, die nooit bij de vragenlijsten bewaard wordt" in text  # lines 2179-2187
    assert "maatschappelijk assistent(e) is er niet bij" in text  # lines 1373-1375
    assert "vrijwillig" in text


def test_a_follow_up_says_when_to_answer_it():
    form = build_form("v2")
    page = lxml_html.fromstring(questionnaire_html(form))
    routing = page.xpath("//section[@data-item='q23a_concealment_topic']/p[@class='routing']")[0].text_content()
    scale = load_codebook("v2").scale_of("q23_concealment")
    assert f"bij vraag {form.number_of('q23_concealment')} " in routing
    assert re.findall(r"‘([^’]+)’", routing) == [scale.label(c, "nl") for c in (2, 3, 4)]
    assert not page.xpath("//section[@data-item='q22_conflicts']/p[@class='routing']")


CODE_NUMBER = re.compile(r"q0*(\d+a?)_")  # q08_satisfaction -> 8, q23a_concealment_topic -> 23a


@pytest.mark.parametrize("version", VERSIONS)
def test_every_printed_number_is_the_one_in_its_item_code(version, tmp_path):
    """Review finding 2: a follow-up is its lead's number and a letter (23a), and the count goes on
    from the lead (24), on the page, in the .docx, the team note and the entry template's headers."""
    form = build_form(version)
    page = lxml_html.fromstring(questionnaire_html(form))
    sections = page.xpath("//main/section")
    assert len(sections) == len(form.blocks)
    for section in sections:
        ids = (section.get("data-items") or section.get("data-item")).split()
        assert section.xpath("string(.//span[@class='num'])") == f"{CODE_NUMBER.match(ids[0])[1]}.", ids[0]
        assert {form.number_of(i) for i in ids} == {CODE_NUMBER.match(ids[0])[1]}
    text = _docx_text(questionnaire_docx(form))
    assert "23a. Waarover ging het?" in text and "24. Waarover" not in text
    assert ("24. Welke taal spreekt u thuis het meest?" in text) == (version == "v2")
    rows = lxml_html.fromstring(team_note_html(form)).xpath("//table[@class='note']/tbody/tr")
    numbers = {r.xpath("string(./td[2])"): r.xpath("string(./td[1])") for r in rows}
    assert numbers["q23a_concealment_topic"] == "23a" and numbers["a01_interview_mode"] == "—"
    ws = load_workbook(write_template(tmp_path / "responses.xlsx", version))["antwoorden"]
    headers = {ws.cell(1, c).value: ws.cell(2, c).value for c in range(2, ws.max_column + 1)}
    cb = load_codebook(version)
    for item in cb.items:
        number = "" if item.section == "administration" else f"{CODE_NUMBER.match(item.id)[1]}. "
        assert headers[item.id] == number + item.wording_nl, item.id
    assert headers["q23a_concealment_topic"] == "23a. Waarover ging het?"
    assert headers["q10_emotion_gratitude"] == "10. Ik stap naar mijn maatschappelijk assistente toe met een gevoel van: dankbaarheid"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_question_with_a_table_asks_for_one_box_on_every_line(lang):
    """Review finding 3: questions 10-12 are one numbered question each, with a box to tick on every
    line; the general instruction and a line under each grid's stem say so, on the page and in the .docx."""
    each_line = {"nl": "Zet op elke regel één kruisje.", "en": "Tick one box on every line."}[lang]
    form = build_form("v2", lang)
    page = lxml_html.fromstring(questionnaire_html(form))
    grids = page.xpath("//section[@data-items]")
    assert len(grids) == 3
    for grid in grids:  # right under the stem, before the table
        assert grid.xpath("string(./p[@class='q']/following-sibling::*[1][@class='each-line'])") == each_line
    assert page.xpath("string(//div[@class='how-to']//li[1])").endswith(
        {"nl": "Bij vragen met een tabel: één kruisje op elke regel.",
         "en": "in a question with a table, one box on every line."}[lang])
    assert len(page.xpath("//p[@class='each-line']")) == 3  # not under a question with one answer
    doc = questionnaire_docx(form)
    paragraphs = list(doc.paragraphs)
    for grid in (b for b in form.blocks if isinstance(b, Grid)):
        k = next(k for k, p in enumerate(paragraphs) if p.text.startswith(f"{grid.number}. {grid.stem}"))
        line = paragraphs[k + 1]
        assert line.text == each_line and line.runs[0].italic and line.paragraph_format.keep_with_next


def test_v1_is_the_2015_questionnaire_and_only_the_team_note_says_which_item_misled():
    v1, v2 = _page("v1"), _page("v2")
    assert GOALS_V1 in _fields(v1) and GOALS_V1 not in _fields(v2) and "q17_same_goals" in _fields(v2)
    assert "2227" not in v1.text_content() and "negatief" not in v1.text_content().lower()
    note = team_note_html(build_form("v1"))
    assert "Een negatief geformuleerde vraag" in note and "q17_different_goals" in note and "2227–2231" in note
    assert "‘hebbend’" in note  # the thesis's typo, kept verbatim on the form, named for the team
    assert "negatief geformuleerde" not in team_note_html(build_form("v2"))


def _instructions(path) -> list[str]:
    return [c.value for c in load_workbook(path)["instructies"]["A"] if c.value]


def test_only_v1_says_what_the_2015_pilot_form_did_not_ask(tmp_path):
    """Review finding 1: the pilot rule is 2015's; a v2 pilot asks every question."""
    v1, v2 = (lxml_html.fromstring(team_note_html(build_form(v))).text_content() for v in VERSIONS)
    assert "De proefenquête van 2015 stelde deze vragen niet: q12_comm_unclear (12)" in v1
    assert "proefenquête" not in v2
    v1, v2 = (_instructions(write_template(tmp_path / v / "responses.xlsx", v)) for v in VERSIONS)
    assert any("proefenquête" in line for line in v1) and not any("proefenquête" in line for line in v2)
    for lines in (v1, v2):  # numbered in order, whichever steps the version has
        numbers = [int(n) for n in re.findall(r"^(\d+)\. ", "\n".join(lines), flags=re.MULTILINE)]
        assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("version", VERSIONS)
def test_the_template_s_instructions_hold_for_every_question(version, tmp_path):
    """Review finding 11: a code is the small number beside the box, whatever the question's answers
    (not '1 = het minst, 5 = het meest'), and the cell's error message lists them; the follow-up is
    named by its printed number; v1's pilot step names the questions by number."""
    path = write_template(tmp_path / "responses.xlsx", version)
    text = " ".join(" ".join(_instructions(path)).split())
    assert ("3. Kies elk antwoord uit de keuzelijst van de cel. U mag ook de code typen: het kleine cijfer naast het "
            "vakje op de papieren vragenlijst (de foutmelding van de cel toont welke codes er zijn).") in text
    assert "het minst" not in text and "q23a" not in text
    assert ("Vul vraag 23a alleen in als bij vraag 23 ‘één keer’, ‘twee tot vier keer’ of ‘meer dan vier keer’ "
            "aangekruist is. Anders blijft die cel leeg.") in text
    pilot = "vraag 12 (de regels ‘onduidelijk’ en ‘ongemakkelijk’) en vraag 17. De proefenquête van 2015"
    assert (pilot in text) == (version == "v1")
    ws = load_workbook(path)["antwoorden"]
    codes = {ws.cell(1, c).value: ws.cell(1, c).column_letter for c in range(2, ws.max_column + 1)}
    errors = {str(dv.sqref).split(":")[0]: dv.error for dv in ws.data_validations.dataValidation}
    for item in load_codebook(version).items:
        if item.coded:  # the error message shows every code with its label
            assert all(f"{c} = {item.scale.label(c, 'nl')}" in errors[f"{codes[item.id]}3"] for c in item.scale.codes)


@pytest.mark.parametrize("version", VERSIONS)
def test_the_team_note_says_for_every_item_whether_its_wording_is_the_thesis_s(version):
    """codebook.yaml: an item is attested where its Dutch wording stands at its line, else inferred;
    the note must never call an inferred wording the thesis's."""
    cb = load_codebook(version)
    rows = lxml_html.fromstring(team_note_html(build_form(version))).xpath("//table[@class='note']/tbody/tr")
    provenance = {r.xpath("string(./td[2])"): r.xpath("string(./td[3])") for r in rows}
    assert list(provenance) == cb.item_ids
    for item in cb.items:
        verbatim = provenance[item.id].startswith("letterlijk uit het eindwerk")
        assert verbatim == (item.evidence == "attested"), item.id
        if verbatim:
            assert f"(regel {item.seed_line})" in provenance[item.id]
    labels = lxml_html.fromstring(team_note_html(build_form(version))).text_content()
    assert "agree5: ‘zeker niet’" in labels and "‘eerder wel’" not in labels.split("agree5:")[1].split("\n")[0]


def test_the_print_stylesheet_is_a4_and_keeps_each_question_whole():
    page = questionnaire_html(build_form("v2"))
    assert "@page { size: A4;" in page
    assert re.search(r"\.question \{ break-inside: avoid; page-break-inside: avoid;", page)
    assert re.search(r"table\.grid tr \{ break-inside: avoid;", page)


def test_the_english_version_takes_the_codebook_s_english_wording():
    cb = load_codebook("v2")
    page = _page("v2", "en")
    assert page.get("lang") == "en"
    section = page.xpath("//section[@data-item='q08_satisfaction']")[0]
    assert _question_text(section).endswith(cb.item("q08_satisfaction").wording_en)
    assert _labels(section) == [cb.scale_of("q08_satisfaction").label(c, "en") for c in range(1, 6)]


# --- the .docx ---------------------------------------------------------------------------------

def _docx_text(doc) -> str:
    return "".join(doc.element.body.itertext())


@pytest.mark.parametrize("version", VERSIONS)
def test_the_docx_holds_every_question_in_order_keeps_each_together_and_marks_the_blanks(version):
    cb = load_codebook(version)
    doc = questionnaire_docx(build_form(version))
    text = _docx_text(doc)
    positions = [text.find(i) for i in ["respondent_id", *cb.item_ids]]
    assert -1 not in positions and positions == sorted(positions)
    for item in cb.items:
        if not item.group:
            assert item.wording_nl in text, item.id
    heads = [p for p in doc.paragraphs if any(i in p.text for i in cb.item_ids) and p.runs and p.runs[0].bold]
    assert heads and all(p.paragraph_format.keep_with_next for p in heads)
    answers = [p for p in doc.paragraphs if "☐" in p.text]  # "1 ☐ man  2 ☐ vrouw": the code before the box
    assert answers and all(p.paragraph_format.keep_together for p in answers)
    grids = [t for t in doc.tables if len(t.rows) > 5]
    assert len(grids) == 3
    for table in grids:
        assert all(r._tr.trPr is not None and r._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None for r in table.rows)
        assert all(c.paragraphs[0].paragraph_format.keep_with_next for r in table.rows[:-1] for c in r.cells)
    highlighted = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert highlighted == ["[naam van de dienst en het team]", "[periode van de bevraging]",
                           "[contactpersoon en telefoonnummer of e-mailadres van de dienst]", "[aantal]"]
    assert doc.core_properties.author == ""  # no person's name in the file's properties


# --- a round entered from the printed questionnaire ---------------------------------------------

def _tick(page, rng) -> list[dict]:
    """Twelve questionnaires filled in on the printed v2 page: one box ticked per question (the
    follow-up only where its routing says so), each answer as the label printed beside its box."""
    forms = []
    questions = page.xpath("//main/section")
    for n in range(12):
        ticked: dict[str, str] = {}  # printed question number -> the label ticked there
        row = {"respondent_id": f"R{n + 1:03d}", "a01_interview_mode": "telefonisch" if n % 3 else "face to face",
               "a02_questionnaire_form": "definitieve vragenlijst", "a03_team": ["Team Noord", "Team Zuid"][n % 2]}
        expected = {}
        for section in questions:
            number = section.xpath("string(.//span[@class='num'])").rstrip(".")
            routing = section.xpath("string(./p[@class='routing'])")
            if routing:
                lead = re.search(r"vraag (\d+\w?)", routing)[1]
                if ticked.get(lead) not in re.findall(r"‘([^’]+)’", routing):
                    continue
            labels = section.xpath(".//thead//span[@class='label']/text()") or section.xpath(".//li/span[@class='label']/text()")
            codes = section.xpath(".//thead//span[@class='code']/text()") or section.xpath(".//li/span[@class='code']/text()")
            items = [r.get("data-item") for r in section.xpath(".//tr[@data-item]")] or [section.get("data-item")]
            for item_id in items:
                k = int(rng.integers(len(labels)))
                row[item_id], expected[item_id] = labels[k], int(codes[k])
                ticked[number] = labels[k]
        forms.append((row, expected))
    return forms


def test_a_round_entered_from_the_printed_questionnaire_validates(tmp_path):
    """The printed page's item ids are the template's columns one to one; typing the label printed
    beside each ticked box (Dutch, as on the page) gives a round that validates, with the code
    printed beside that box."""
    page = _page("v2")
    folder = tmp_path / "paper-2027"
    path = write_template(folder / "responses.xlsx", "v2")
    wb = load_workbook(path)
    ws = wb["antwoorden"]
    header = [c.value for c in ws[1]]
    assert header == _fields(page)  # the ids printed beside the questions are the template's columns
    forms = _tick(page, np.random.default_rng(27))
    for r, (row, _expected) in enumerate(forms, start=3):
        for c, column in enumerate(header, start=1):
            if column in row:
                ws.cell(r, c, row[column])
    about = wb["bevraging"]
    values = {"title": "Papieren ronde", "organisation": "OCMW", "fieldwork_period": "2027", "clients_approached": 20,
              "teams": "Team Noord; Team Zuid"}
    for r in range(2, about.max_row + 1):
        if about.cell(r, 1).value in values:
            about.cell(r, 2, values[about.cell(r, 1).value])
    wb.save(path)
    intake = read_intake(folder)
    assert len(intake.responses) == 12
    for i, (_row, expected) in enumerate(forms):
        got = {k: int(v) for k, v in intake.responses.iloc[i].items() if k in expected and v is not None}
        assert got == expected
    asked = intake.responses["q23a_concealment_topic"].notna()
    assert asked.any() and (asked == intake.responses["q23_concealment"].isin([2, 3, 4])).all()


# --- the pages as printed: A4, no question split across pages ------------------------------------

def _pdf_pages(pdf) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def _first_id(block) -> str:
    return block.item_ids[0] if isinstance(block, Grid) else block.item_id


def _assert_whole(pages: list[str], form) -> None:
    """Each question's item id stands on the same page as every answer label printed for it (between
    it and the next question), and a grid's rows all stand on one page."""
    for k, block in enumerate(form.blocks):
        ids = block.item_ids if isinstance(block, Grid) else [block.item_id]
        on = [p for p, text in enumerate(pages) if re.search(rf"\b{ids[0]}\b", text)]
        assert len(on) == 1, (ids[0], on)
        page = pages[on[0]]
        assert all(re.search(rf"\b{i}\b", page) for i in ids), f"grid {block.number} split across pages"
        if isinstance(block, Question):
            start = page.index(block.item_id)
            end = page.find(_first_id(form.blocks[k + 1]), start) if k + 1 < len(form.blocks) else -1
            own = " ".join(page[start:end if end > 0 else None].split())
            assert all(o.label in own for o in block.options), f"question {block.number} split: {own[:120]}"


def _pdf_size_mm(pdf) -> tuple[int, int]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    return round(w / 72 * 25.4), round(h / 72 * 25.4)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(not (CHROMIUM and shutil.which("pdftotext")), reason="needs Chromium and poppler's pdftotext")
def test_the_printed_page_is_a4_with_no_question_split_across_pages(tmp_path):
    form = build_form("v2")
    page = tmp_path / "vragenlijst-v2.html"
    page.write_text(questionnaire_html(form), encoding="utf-8")
    pdf = tmp_path / "vragenlijst-v2.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120, check=True)
    assert _pdf_size_mm(pdf) == (210, 297)
    _assert_whole(_pdf_pages(pdf), form)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="needs LibreOffice (soffice) and poppler's pdftotext")
def test_the_docx_converted_by_libreoffice_is_a4_with_no_question_split_across_pages(tmp_path):
    form = build_form("v2")
    questionnaire_docx(form).save(tmp_path / "vragenlijst-v2.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "vragenlijst-v2.docx")],
                   capture_output=True, timeout=180, check=True)
    pdf = tmp_path / "vragenlijst-v2.pdf"
    assert _pdf_size_mm(pdf) == (210, 297)
    _assert_whole(_pdf_pages(pdf), form)


def test_the_command_writes_the_four_files(tmp_path):
    res = subprocess.run([sys.executable, "-m", "analysis_utils", "questionnaire", str(tmp_path / "out"), "--version",
                          "v1"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "teamnota-v1.html", "vragenlijst-v1.docx", "vragenlijst-v1.html", "xlsform-v1.xlsx"]
