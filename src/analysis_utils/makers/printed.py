"""The questionnaire as a print-ready HTML page (A4, a print stylesheet) and the team's note beside it.

Every question is a block that a page break never splits (``break-inside: avoid``); each answer
is a box with its printed label after it and, small and grey before it, the code the entry
template also accepts; the type is 12 pt, a grid's scale labels 10.5 pt in black; each question
carries its item id, the template's column. The page has no name field anywhere: the
interviewer's box asks for a questionnaire number, a code.

Examples
--------
>>> from analysis_utils.makers.form_model import build_form
>>> page = questionnaire_html(build_form("v2"))
>>> 'data-item="q08_satisfaction"' in page and "break-inside: avoid" in page
True
"""
from __future__ import annotations

from html import escape

from .form_model import PAGE_FIELD, Form, Grid, Option, Question, split_blanks
from .team_note import Section, note_texts, team_note

CSS = """
@page { size: A4; margin: 15mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 12pt;
       line-height: 1.35; color: #000; margin: 0 auto; max-width: 180mm; }
@media screen { body { padding: 12mm 8mm; } }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { font-size: 12.5pt; margin: 4mm 0 1.5mm; }
.subtitle { margin: 0 0 4mm; }
.item-id, .code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; color: #555; font-weight: normal; }
.item-id { font-size: 7pt; white-space: nowrap; margin-left: 3mm; }
.code { font-size: 7pt; }
.options .code { min-width: 2.5mm; margin-right: 1mm; text-align: right; }
.box { display: inline-block; width: 4.5mm; height: 4.5mm; border: 1.2px solid #000; background: #fff;
       vertical-align: -0.8mm; margin-right: 1.4mm; flex: none; }
.interviewer { border: 1.5px solid #000; padding: 2mm 4mm 1mm; margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }
.interviewer h2 { margin-top: 1mm; }
.interviewer .question { margin-bottom: 2mm; }
.line { display: inline-block; border-bottom: 1px solid #000; min-width: 60mm; height: 5mm; margin: 0 2mm; }
.hint { font-size: 8pt; color: #333; }
.blank { display: inline-block; min-width: 50mm; border-bottom: 1px dotted #000; vertical-align: bottom;
         font-size: 6.5pt; color: #777; line-height: 1; padding-top: 4mm; text-align: center; }
.intro p, .intro li { margin: 0 0 1.5mm; }
.anonymity { border-left: 3px solid #000; padding: 0.5mm 0 0.5mm 4mm; margin: 2mm 0 3mm; break-inside: avoid; }
.how-to { break-inside: avoid; page-break-inside: avoid; }  /* its title never alone at a page's foot */
.anonymity ul, .how-to ul { margin: 0; padding-left: 5mm; }
.question { break-inside: avoid; page-break-inside: avoid; margin: 0 0 4.5mm; }
.q { display: flex; justify-content: space-between; align-items: baseline; font-weight: bold; margin: 0 0 1.5mm; }
.num { display: inline-block; min-width: 7mm; }
.routing, .each-line { font-style: italic; margin: 0 0 1.5mm 7mm; }
.options { list-style: none; display: flex; flex-wrap: wrap; gap: 2.2mm 10mm; margin: 0 0 0 7mm; padding: 0; }
.options li { display: flex; align-items: baseline; }
.options .box { position: relative; top: 0.8mm; }  /* a flex item: vertical-align does not apply */
table.grid { width: calc(100% - 7mm); margin-left: 7mm; border-collapse: collapse; }
table.grid th, table.grid td { border-bottom: 0.6px solid #999; padding: 1.2mm 1mm; }
table.grid thead th { font-size: 10.5pt; color: #000; font-weight: normal; text-align: center; vertical-align: bottom; width: 17%; }
table.grid tbody th { text-align: left; font-weight: normal; }
table.grid td { text-align: center; }
table.grid tr { break-inside: avoid; page-break-inside: avoid; }
.row-id { display: block; margin: 0.3mm 0 0; }
.closing { margin-top: 6mm; font-weight: bold; break-inside: avoid; }
footer { margin-top: 6mm; font-size: 7.5pt; color: #555; }
table.note { width: 100%; border-collapse: collapse; font-size: 8.5pt; }
table.note th, table.note td { border-bottom: 0.6px solid #999; padding: 0.8mm 1.5mm; text-align: left; vertical-align: top; }
table.note tr { break-inside: avoid; page-break-inside: avoid; }
.note-section { break-inside: avoid; page-break-inside: avoid; }
.not-for-client { border: 1.5px solid #000; padding: 1.5mm 3mm; display: inline-block; font-weight: bold; }
"""


def _page(lang: str, title: str, body: str, css: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
            f"<style>{CSS}{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def page_footer_css(text: str) -> str:
    """An ``@page`` rule that prints ``text`` at the foot of every page, its ``{page}`` and
    ``{pages}`` the page's number and the number of pages (a CSS margin box, Chromium 131 on).

    >>> page_footer_css('pagina {page} van {pages}')  # doctest: +ELLIPSIS
    '@page { @bottom-center { content: "pagina " counter(page) " van " counter(pages); ...} }\\n'
    """
    def string(words: str) -> str:  # a CSS string
        return '"' + words.replace("\\", "\\\\").replace('"', '\\"') + '"'

    content = " ".join(f"counter({name})" if name else string(words) for words, name in split_blanks(text, PAGE_FIELD))
    return (f"@page {{ @bottom-center {{ content: {content}; white-space: pre; font-size: 10pt; color: #000; "
            f'font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }} }}\n')


def with_blanks(text: str, blanks: dict[str, str], filled: dict[str, str] | None = None) -> str:
    """A text with its blanks as given in ``filled``, the others as dotted lines, each saying in
    small print what goes there."""
    filled = filled or {}
    return "".join(escape(words) if name is None else escape(filled[name]) if name in filled
                   else f'<span class="blank">{escape(blanks[name])}</span>' for words, name in split_blanks(text))


def _option(option: Option) -> str:
    """Small and grey before the box, the code the template also accepts, apart from the label the
    client reads after the box (so that "jonger dan 18" and its code 1 never read as "18 1")."""
    code = f'<span class="code">{option.code}</span>' if option.code is not None else ""
    return f'<li>{code}<span class="box"></span><span class="label">{escape(option.label)}</span></li>'


def _question(q: Question) -> str:
    number = f'<span class="num">{q.number}.</span> ' if q.number is not None else ""
    head = (f'<p class="q"><span>{number}{escape(q.text)}</span>'
            f'<span class="item-id">{escape(q.item_id)}</span></p>')
    routing = f'<p class="routing">{escape(q.routing)}</p>' if q.routing else ""
    if q.options:
        answers = f'<ul class="options">{"".join(_option(o) for o in q.options)}</ul>'
    else:  # the team, written on a line (the wording says: never a social worker's name)
        answers = '<p class="options"><span class="line"></span></p>'
    return f'<section class="question" data-item="{escape(q.item_id)}">{head}{routing}{answers}</section>'


def _grid(g: Grid) -> str:
    head = "".join(f'<th><span class="label">{escape(o.label)}</span><br><span class="code">{o.code}</span></th>'
                   for o in g.options)
    rows = "".join(
        f'<tr data-item="{escape(item_id)}"><th>{escape(label)}<span class="item-id row-id">{escape(item_id)}</span></th>'
        + '<td><span class="box"></span></td>' * len(g.options) + "</tr>" for item_id, label in g.rows)
    return (f'<section class="question grid" data-items="{" ".join(g.item_ids)}">'
            f'<p class="q"><span><span class="num">{g.number}.</span> {escape(g.stem)}</span></p>'
            f'<p class="each-line">{escape(g.instruction)}</p>'
            f'<table class="grid"><thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table></section>')


def _interviewer(form: Form) -> str:
    w = form.texts
    code = (f'<section class="question" data-item="respondent_id"><p class="q"><span>{escape(w["respondent_code"])}'
            f'</span><span class="item-id">respondent_id</span></p><p class="options"><span class="line"></span>'
            f'<span class="hint">{escape(w["respondent_code_hint"])}</span></p></section>')
    items = "".join(_question(q) for q in form.admin)
    return f'<section class="interviewer"><h2>{escape(w["interviewer_box"])}</h2>{code}{items}</section>'


def _intro(form: Form) -> str:
    w = form.texts
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in w["intro"])
    anonymity = "".join(f"<li>{escape(p)}</li>" for p in w["anonymity"])
    how_to = "".join(f"<li>{escape(p)}</li>" for p in w["how_to"])
    return (f'<section class="intro"><p>{escape(w["greeting"])}</p>{paragraphs}'
            f'<div class="anonymity"><h2>{escape(w["anonymity_title"])}</h2><ul>{anonymity}</ul></div>'
            f'<p>{with_blanks(w["organised_by"], form.blanks, form.filled)}</p>'
            f'<div class="how-to"><h2>{escape(w["how_to_title"])}</h2><ul>{how_to}</ul></div>'
            f'<p>{with_blanks(w["duration"], form.blanks, form.filled)}</p></section>')


def questionnaire_html(form: Form) -> str:
    """The questionnaire page: title, the interviewer's box, the introduction, every question."""
    w = form.texts
    blocks = "".join(_grid(b) if isinstance(b, Grid) else _question(b) for b in form.blocks)
    body = (f'<header><h1>{escape(w["title"])}</h1><p class="subtitle">{escape(w["subtitle"])}</p></header>'
            f"{_interviewer(form)}{_intro(form)}<main>{blocks}</main>"
            f'<p class="closing">{escape(w["closing"])}</p>'
            f'<footer>{escape(w["footer"].format(version=form.version))}</footer>')
    return _page(form.lang, w["title"], body, page_footer_css(w["page_footer"]))


def _section(s: Section) -> str:
    parts = [f"<h2>{escape(s.title)}</h2>", *(f"<p>{escape(p)}</p>" for p in s.paragraphs)]
    if s.bullets:
        parts.append("<ul>" + "".join(f"<li>{escape(b)}</li>" for b in s.bullets) + "</ul>")
    if s.rows:
        head = "".join(f"<th>{escape(h)}</th>" for h in s.head)
        rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in s.rows)
        parts.append(f'<table class="note"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')
        return f"<section>{''.join(parts)}</section>"  # a long table may run over pages, row by row
    return f'<section class="note-section">{"".join(parts)}</section>'


def team_note_html(form: Form) -> str:
    """The team's note for ``form``: a page of its own, never handed to the respondent."""
    words = note_texts(form.lang)
    title = words["title"].format(version=form.version)
    body = (f'<header><h1>{escape(title)}</h1><p class="not-for-client">{escape(words["not_for_client"])}</p></header>'
            + "".join(_section(s) for s in team_note(form)))
    return _page(form.lang, title, body)
