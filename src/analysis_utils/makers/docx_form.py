"""The questionnaire as an editable Word document (python-docx), so that a team can put its own
name, period and contact person in the introduction (highlighted in yellow) and print it.

A4 with the printed page's margins. A question's paragraphs keep with the next one and its
answers keep together, a grid's rows never split and keep with the next row: Word and
LibreOffice move a whole question to the next page rather than break it.

Examples
--------
>>> from analysis_utils.makers.form_model import build_form
>>> doc = questionnaire_docx(build_form("v2"))
>>> round(doc.sections[0].page_width.mm), round(doc.sections[0].page_height.mm)
(210, 297)
"""
from __future__ import annotations

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_COLOR_INDEX, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .form_model import PAGE_FIELD, Form, Grid, Option, Question, split_blanks

BOX = "☐"  # U+2610 BALLOT BOX
BOX_SIZE = Pt(16)  # the glyph's square is about 4 mm wide at 16 pt (0.25 mm a point in DejaVu Sans)
BODY_SIZE = Pt(12)  # the usual minimum for readers with low literacy or poor eyesight
SCALE_SIZE = Pt(10.5)  # a grid's column headers, the only place a client reads its scale
CODE_SIZE = 7  # the processing codes, small and grey, out of the client's reading path
NBSP = "\u00a0"  # inside an answer: a line breaks between answers, never within one
GREY = RGBColor(0x55, 0x55, 0x55)
TEXT_WIDTH = Mm(180)  # A4 less 15 mm either side
FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}  # page_footer's blanks -> Word's fields


def _setup(doc) -> None:
    """A4, 15 mm margins (22 mm at the foot, for the two lines of the footer), a plain 12 pt sans-serif."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin, section.footer_distance = Mm(15), Mm(22), Mm(8)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", BODY_SIZE
    normal.paragraph_format.space_after = Pt(3)


def _small(paragraph, text: str, size: float = 7) -> None:
    run = paragraph.add_run(text)
    run.font.size, run.font.color.rgb = Pt(size), GREY


def _head(doc, text: str, item_id: str | None, number: str | None = None):
    """A question's line: its number and wording in bold, its item id at the right margin."""
    p = doc.add_paragraph()
    p.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(6), Pt(2)
    p.add_run((f"{number}. " if number is not None else "") + text).bold = True
    if item_id:
        _small(p, f"\t{item_id}")
    return p


def _options(doc, options: tuple[Option, ...]):
    """The answer boxes in one paragraph that keeps together; a line to write on when there are none."""
    p = doc.add_paragraph()
    p.paragraph_format.keep_together = True
    p.paragraph_format.left_indent = Mm(6)
    if not options:
        p.add_run("_" * 40)
        return p
    _answers(p, options)
    return p


def _box(paragraph) -> None:
    paragraph.add_run(BOX).font.size = BOX_SIZE


def _answers(p, options: tuple[Option, ...]) -> None:
    """Small grey code, box and label of each answer, unbreakable within, spaced apart: the code
    stands before the box, apart from the label the client reads after it ("18" and its code 1
    never read as "18 1")."""
    for option in options:
        if option.code is not None:
            _small(p, f"{option.code}{NBSP}", CODE_SIZE)
        _box(p)
        p.add_run(f"{NBSP}{option.label.replace(' ', NBSP)}")
        p.add_run(" " * 6)


def _instruction(doc, text: str) -> None:
    """An italic line under a question's wording (when to answer it, one box on every line) that
    keeps with its answers."""
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.left_indent = Mm(6)
    p.add_run(text).italic = True


def _question(doc, q: Question) -> None:
    _head(doc, q.text, q.item_id, q.number)
    if q.routing:
        _instruction(doc, q.routing)
    _options(doc, q.options)


def _no_split(row, keep_with_next: bool) -> None:
    """A table row that never breaks across pages and (but the last) keeps with the next row."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = keep_with_next
            p.paragraph_format.space_after = Pt(1)


def _grid(doc, g: Grid) -> None:
    _head(doc, g.stem, None, g.number)
    _instruction(doc, g.instruction)
    table = doc.add_table(rows=1 + len(g.rows), cols=1 + len(g.options))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, option in enumerate(g.options, start=1):
        cell = table.cell(0, j).paragraphs[0]
        cell.alignment = 1  # centred
        cell.add_run(option.label).font.size = SCALE_SIZE  # black, as the rest of the client's text
        _small(cell, f"\n{option.code}", CODE_SIZE)
    for i, (item_id, label) in enumerate(g.rows, start=1):
        cell = table.cell(i, 0).paragraphs[0]
        cell.add_run(label)
        _small(cell, f"\n{item_id}", CODE_SIZE)
        for j in range(1, len(g.options) + 1):
            _box(table.cell(i, j).paragraphs[0])
            table.cell(i, j).paragraphs[0].alignment = 1  # centred
    table.autofit = False
    first, other = Mm(50), int((TEXT_WIDTH - Mm(50)) / len(g.options))
    for i, row in enumerate(table.rows):
        _no_split(row, keep_with_next=i < len(table.rows) - 1)
        for j, cell in enumerate(row.cells):  # Word reads the cells' widths, LibreOffice the grid's
            cell.width = first if j == 0 else other
    for j, column in enumerate(table.columns):
        column.width = first if j == 0 else other


def _field(paragraph, name: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in on every page: the runs
    begin, instruction, separate, the value shown until they do, end (python-docx has no field API)."""
    for kind in ("begin", "instr", "separate", "value", "end"):
        run = paragraph.add_run("1" if kind == "value" else "")
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {name} "
            run._r.append(instr)
        elif kind != "value":
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _footer(footer, form: Form) -> None:
    """On every page the questionnaire's number to write and "pagina X van Y", so that a page
    whose staple came loose goes back to its questionnaire; under it, small, what the codes are."""
    w = form.texts
    p = footer.paragraphs[0]
    for words, name in split_blanks(w["page_footer"], PAGE_FIELD):
        if name is None:
            p.add_run(words)
        else:
            _field(p, FIELDS[name])
    for run in p.runs:
        run.font.size = Pt(10)
    _small(footer.add_paragraph(), w["footer"].format(version=form.version), 7.5)


def _with_blanks(doc, text: str, blanks: dict[str, str], filled: dict[str, str]) -> None:
    """A paragraph whose blanks are as given in ``filled``, the others highlighted [placeholders]
    for the team to replace."""
    p = doc.add_paragraph()
    for words, name in split_blanks(text):
        if name is None or name in filled:
            p.add_run(words if name is None else filled[name])
        else:
            run = p.add_run(f"[{blanks[name]}]")
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _interviewer(doc, form: Form) -> None:
    """The interviewer's box: a one-cell table with a border, never split."""
    w = form.texts
    box = doc.add_table(rows=1, cols=1)
    box.style = doc.styles["Table Grid"]
    cell = box.cell(0, 0)
    cell.paragraphs[0].add_run(w["interviewer_box"]).bold = True
    rows = [(w["respondent_code"], "respondent_id", f"{'_' * 24}  ({w['respondent_code_hint']})")]
    rows += [(q.text, q.item_id, q) for q in form.admin]
    for text, item_id, answers in rows:
        p = cell.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - Mm(4), WD_TAB_ALIGNMENT.RIGHT)
        p.add_run(text).bold = True
        _small(p, f"\t{item_id}")
        line = cell.add_paragraph()
        line.paragraph_format.left_indent = Mm(6)
        if isinstance(answers, str) or not answers.options:
            line.add_run(answers if isinstance(answers, str) else "_" * 40)
        else:
            _answers(line, answers.options)
    _no_split(box.rows[0], keep_with_next=False)


def _intro(doc, form: Form) -> None:
    w = form.texts
    doc.add_paragraph()
    doc.add_paragraph(w["greeting"])
    for text in w["intro"]:
        doc.add_paragraph(text)
    doc.add_paragraph().add_run(w["anonymity_title"]).bold = True
    for text in w["anonymity"]:
        doc.add_paragraph(text, style="List Bullet")
    _with_blanks(doc, w["organised_by"], form.blanks, form.filled)
    doc.add_paragraph().add_run(w["how_to_title"]).bold = True
    for text in w["how_to"]:
        doc.add_paragraph(text, style="List Bullet")
    _with_blanks(doc, w["duration"], form.blanks, form.filled)


def questionnaire_docx(form: Form):
    """The questionnaire as a python-docx ``Document`` (save it with ``.save(path)``)."""
    doc = Document()
    _setup(doc)
    w = form.texts
    title = doc.add_paragraph()
    run = title.add_run(w["title"])
    run.bold, run.font.size = True, Pt(16)
    doc.add_paragraph(w["subtitle"])
    _interviewer(doc, form)
    _intro(doc, form)
    for block in form.blocks:
        if isinstance(block, Grid):
            _grid(doc, block)
        else:
            _question(doc, block)
    closing = doc.add_paragraph()
    closing.paragraph_format.space_before = Pt(12)
    closing.add_run(w["closing"]).bold = True
    _footer(doc.sections[0].footer, form)
    doc.core_properties.title = w["title"]
    doc.core_properties.author = ""  # no person's name in the file's properties
    doc.core_properties.last_modified_by = ""
    return doc
