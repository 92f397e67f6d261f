"""Review of the fieldwork, findings 5 and 6: the paper questionnaire is read by clients with low
literacy or poor eyesight. Its type is 12 pt, a grid's scale labels (the only place a client reads
the scale of questions 10-12) at least 10 pt and black, the .docx boxes about 4 mm; each answer's
processing code stands small and grey before its box, never right after the label it could be read
with ("jonger dan 18 1"). Every page says the questionnaire's number (a line to write it on) and
"pagina X van Y", so that a page whose staple came loose goes back to its questionnaire."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx.shared import Pt
from lxml import html as lxml_html

from analysis_utils.makers.docx_form import BOX, NBSP, questionnaire_docx
from analysis_utils.makers.form_model import Grid, build_form
from analysis_utils.makers.printed import CSS, questionnaire_html, team_note_html

BLACK = {None, "000000"}  # a run's colour: none set (the default, black) or black


def _rule(selector: str) -> dict[str, str]:
    """The declarations of the print stylesheet's rule for ``selector``."""
    body = re.search(rf"(?m)^{re.escape(selector)} \{{([^}}]*)\}}", CSS)[1]
    pairs = (d.split(":", 1) for d in body.split(";") if ":" in d)
    return {k.strip(): v.strip() for k, v in pairs}


def _pt(value: str) -> float:
    return float(re.fullmatch(r"\s*([\d.]+)pt\s*", value)[1])


def test_the_printed_page_s_type_is_12_pt_and_its_scale_labels_10_pt_in_black():
    assert _pt(_rule("body")["font-size"]) == 12
    assert not re.search(r"\.(routing|each-line|subtitle)\b[^{]*\{[^}]*font-size", CSS)  # what the client reads: body size
    head = _rule("table.grid thead th")
    assert _pt(head["font-size"]) >= 10 and head["color"] in ("#000", "#000000")


def _colour(run) -> str | None:
    return None if run.font.color is None or run.font.color.rgb is None else str(run.font.color.rgb)


def test_the_docx_type_is_12_pt_its_boxes_4_mm_and_its_scale_labels_10_pt_in_black():
    form = build_form("v2")
    doc = questionnaire_docx(form)
    assert doc.styles["Normal"].font.size == Pt(12)
    cells = [p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    boxes = [r for p in [*doc.paragraphs, *cells] for r in p.runs if BOX in r.text]
    assert boxes and all(r.text == BOX and r.font.size >= Pt(16) for r in boxes)  # 0.25 mm a point: 4 mm
    grids = [t for t in doc.tables if len(t.rows) > 5]
    scales = [b.options for b in form.blocks if isinstance(b, Grid)]
    assert len(grids) == len(scales) == 3
    for table, options in zip(grids, scales):
        for cell, option in zip(table.rows[0].cells[1:], options):
            label = cell.paragraphs[0].runs[0]
            assert label.text == option.label and label.font.size >= Pt(10) and _colour(label) in BLACK


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_answer_s_code_stands_before_its_box_apart_from_its_label(lang):
    form = build_form("v2", lang)
    page = lxml_html.fromstring(questionnaire_html(form))
    answers = page.xpath("//ul[@class='options']/li")
    assert answers
    for li in answers:
        assert [span.get("class") for span in li] == ["code", "box", "label"], lxml_html.tostring(li)
    doc = questionnaire_docx(form)
    questions = [b for b in form.blocks if not isinstance(b, Grid) and b.options]
    for q in questions:
        p = next(p for p in doc.paragraphs if f"{NBSP}{q.options[0].label.replace(' ', NBSP)}" in p.text
                 and BOX in p.text)
        for option in q.options:  # small grey code, the box, its label
            assert f"{option.code}{NBSP}{BOX}{NBSP}{option.label.replace(' ', NBSP)}" in p.text, (q.item_id, p.text)
        codes = [r for r in p.runs if r.text.strip(NBSP).isdigit()]
        assert len(codes) == len(q.options) and all(r.font.size <= Pt(8) and _colour(r) not in BLACK for r in codes)
        for option in q.options:  # a label ends with the space between answers, never with a code
            assert re.search(rf"{re.escape(option.label.replace(' ', NBSP))} +(?=\d|$)", p.text), (q.item_id, p.text)


# --- finding 6: the questionnaire's number and the page on every page ---------------------------

FOOTER = {"nl": ("Volgnummer: ________   pagina ", " van "), "en": ("Number: ________   page ", " of ")}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_docx_footer_holds_the_number_to_write_and_page_and_numpages_fields(lang):
    doc = questionnaire_docx(build_form("v2", lang))
    footer = doc.sections[0].footer
    first = footer.paragraphs[0]._p
    pieces = []  # the paragraph's text, each field as {INSTRUCTION}
    for r in first.iter(f"{W}r"):
        pieces += [t.text for t in r.iter(f"{W}t")] + ["{" + i.text.strip() + "}" for i in r.iter(f"{W}instrText")]
    kinds = [c.get(f"{W}fldCharType") for c in first.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"] * 2
    before, between = FOOTER[lang]
    text = "".join(pieces)  # a field's shown value ("1") follows its instruction until Word fills it in
    assert text == f"{before}{{PAGE}}1{between}{{NUMPAGES}}1", text
    assert footer.paragraphs[1].text == {"nl": "Vragenlijst v2 — de codes naast de vragen zijn voor de verwerking",
                                         "en": "Questionnaire v2 — the codes beside the questions are for data entry"
                                         }[lang]
    assert not footer.is_linked_to_previous and len(doc.sections) == 1  # one section: the footer is on every page


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_printed_page_s_footer_is_a_margin_box_on_every_page(lang):
    before, between = FOOTER[lang]
    page = questionnaire_html(build_form("v2", lang))
    rule = re.search(r"@page \{ @bottom-center \{ content: ([^;]*);", page)
    assert rule and rule[1] == f'"{before}" counter(page) "{between}" counter(pages)'
    assert "white-space: pre" in page.split("@bottom-center")[1].split("}")[0]  # the spaces stay
    assert "@bottom-center" not in team_note_html(build_form("v2", lang))  # the team's note has no number to write


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(p.split()) for p in text.split("\f") if p.strip()]


def _assert_numbered(pages: list[str], lang: str) -> None:
    before, between = (" ".join(s.split()) for s in FOOTER[lang])
    assert len(pages) > 1
    for k, text in enumerate(pages, start=1):
        assert f"{before} {k} {between} {len(pages)}" in text, (k, text[-200:])


@pytest.mark.skipif(not (CHROMIUM and shutil.which("pdftotext")), reason="needs Chromium and poppler's pdftotext")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_printed_page_says_its_number_and_the_number_of_pages(lang, tmp_path):
    page = tmp_path / "form.html"
    page.write_text(questionnaire_html(build_form("v2", lang)), encoding="utf-8")
    pdf = tmp_path / "form.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120, check=True)
    pages = _pages(pdf)
    _assert_numbered(pages, lang)
    words = build_form("v2", lang).texts  # a section's title never alone at the foot of a page
    assert [p for p in pages if words["how_to_title"] in p] == [p for p in pages if words["how_to"][0][:40] in p]


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="needs LibreOffice (soffice) and poppler's pdftotext")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_of_the_docx_says_its_number_and_the_number_of_pages(lang, tmp_path):
    questionnaire_docx(build_form("v2", lang)).save(tmp_path / "form.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "form.docx")], capture_output=True, timeout=180, check=True)
    _assert_numbered(_pages(tmp_path / "form.pdf"), lang)


# --- the general instruction holds for every question -------------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_instruction_says_what_the_small_numbers_are_and_claims_no_scale(lang):
    """'Bij de schaalvragen loopt het antwoord van 1 (het minst) tot 5 (het meest)' was wrong for
    questions 22 and 23 (four answers, from 'nooit') and for the categories: the instruction now only
    says that the small grey number by each answer is for processing, which is true of every one."""
    said = {"nl": "De kleine grijze cijfertjes bij de antwoorden zijn voor de verwerking. U hoeft er niet op te letten.",
            "en": "The small grey numbers by the answers are for processing. You can ignore them."}[lang]
    form = build_form("v2", lang)
    page = lxml_html.fromstring(questionnaire_html(form))
    how_to = [" ".join(li.text_content().split()) for li in page.xpath("//div[@class='how-to']//li")]
    doc_text = [p.text for p in questionnaire_docx(form).paragraphs]
    assert said in how_to and said in doc_text
    assert not any(re.search(r"\b[1-5]\b|het (minst|meest)|the (least|most)", line) for line in how_to), how_to
    answers = page.xpath("//main//ul[@class='options']/li") + page.xpath("//main//thead//th[span]")
    assert answers and all(a.xpath("./span[@class='code']") for a in answers)  # a small number by every answer
    assert re.search(r"\.item-id, \.code \{[^}]*color: #555", CSS)  # grey
