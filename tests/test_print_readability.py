"""Review of the fieldwork, findings 5 and 6: the paper questionnaire is read by clients with low
literacy or poor eyesight. Its type is 12 pt, a grid's scale labels (the only place a client reads
the scale of questions 10-12) at least 10 pt and black, the .docx boxes about 4 mm; each answer's
processing code stands small and grey before its box, never right after the label it could be read
with ("jonger dan 18 1")."""
import re

import pytest
from docx.shared import Pt
from lxml import html as lxml_html

from analysis_utils.makers.docx_form import BOX, NBSP, questionnaire_docx
from analysis_utils.makers.form_model import Grid, build_form
from analysis_utils.makers.printed import CSS, questionnaire_html

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
