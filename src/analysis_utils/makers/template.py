"""The Excel entry template, generated from the codebook with openpyxl.

Sheet ``antwoorden``: one column per item (the question's printed number and its Dutch wording as
the visible header, the item id in a hidden first row), dropdown lists that accept the scale's Dutch labels and its codes, frozen
header rows and a respondent-id column. Sheet ``bevraging``: what describes this round (title, organisation, period, clients
approached, v2's teams), read instead of an ``intake.yaml``, so that a filled workbook is a whole intake.
With ``--teams "Team Noord; Team Zuid"`` (v2) the teams are filled in there and the team column's
dropdown lists them; without, the team is typed.
Sheet ``instructies``: how to fill it in, in Dutch. A hidden sheet ``lijsten`` holds the
dropdown lists.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..codebook import load_codebook
from ..intake.columns import EXCEL_SHEET, ID_COLUMN
from ..intake.problems import META_SHEET
from ..yamlio import load_resource
from .form_model import either, question_numbers

ROWS = 500  # rows prepared with dropdowns

TITLE = "Invulinstructies — vragenlijst 'De hulpverleningsrelatie door de ogen van de cliënt'"
# The numbered instructions, each a list of lines; None stands where a version's own one goes
# (the items its pilot form did not ask, its follow-up questions: :func:`instructions`).
STEPS = [
    ["Vul op het blad 'antwoorden' één rij in per ingevulde vragenlijst."],
    ["Kolom A, ‘Volgnummer van de vragenlijst’: het volgnummer of de code van de vragenlijst (bijvoorbeeld R001).",
     "Nooit een naam."],
    ["Kies elk antwoord uit de keuzelijst van de cel. U mag ook de code typen: het kleine cijfer naast het vakje op",
     "de papieren vragenlijst (de foutmelding van de cel toont welke codes er zijn)."],
    ["Werd een vraag niet beantwoord? Laat de cel dan leeg. Schrijf niets als 'geen antwoord' of '?'."],
    ["Elke kolomtitel is het nummer en de vraag zoals ze op de papieren vragenlijst staan; de code van de vraag staat",
     "in de opmerking bij de titel."],
    None,
    ["Schrijf in dit bestand nooit namen, adressen, telefoonnummers, e-mailadressen of rijksregisternummers,",
     "en nooit de naam van een hulpverlener. Het programma weigert een bestand met zulke gegevens.",
     "Wie de resultaten wil ontvangen, komt op een aparte lijst die niet bij de antwoorden wordt bewaard."],
    ["Vul ook het blad 'bevraging' in: titel, organisatie, periode, het aantal benaderde cliënten en (vragenlijst v2) de teams.",
     "Bewaar het bestand als responses.xlsx in een eigen map: data/raw/<naam-van-de-bevraging>/."],
    ["Controleer daarna met: python -m analysis_utils validate data/raw/<naam-van-de-bevraging>",
     "Elke fout wordt in het Nederlands gemeld: de rij, de letter van de kolom en haar vraag, wat er verwacht werd",
     "en wat u kunt doen. Wat iemand kan identificeren, wordt nooit getoond."],
    ["Het volledige rapport: python -m analysis_utils run data/raw/<naam-van-de-bevraging>"],
]
PILOT_STEP = ("Bij een proefenquête (kolom ‘Gebruikte vragenlijst’: proefenquête) blijven deze cellen leeg:",
              "{questions}. De proefenquête van 2015 stelde die vragen niet.")
FOLLOW_UP_STEP = ("Vul vraag {number} alleen in als bij {leads} aangekruist is.", "Anders blijft die cel leeg.")


def own_steps(cb) -> list[list[str]]:
    """The instructions only some versions need: the questions its pilot form did not ask (v1:
    "vraag 12 (de regels ‘onduidelijk’ en ‘ongemakkelijk’) en vraag 17"), and when to fill in each follow-up
    question, by the numbers printed on the questionnaire."""
    numbers = question_numbers(cb)
    absent: dict[str, list[str]] = {}
    for item in (i for i in cb.items if i.absent_in_pilot):
        absent.setdefault(numbers[item.id], []).extend([f"‘{item.label_nl}’"] if item.group else [])
    questions = [f"vraag {n}" + (f" (de regels {' en '.join(rows)})" if rows else "") for n, rows in absent.items()]
    steps = [[PILOT_STEP[0], PILOT_STEP[1].format(questions=" en ".join(questions))]] if absent else []
    for item in (i for i in cb.items if i.asked_if):
        leads = " en bij ".join(f"vraag {numbers[lead]} " + either([cb.scale_of(lead).label(c, "nl") for c in codes], "of")
                                for lead, codes in item.asked_if.items())
        steps.append([FOLLOW_UP_STEP[0].format(number=numbers[item.id], leads=leads), FOLLOW_UP_STEP[1]])
    return steps


def instructions(cb) -> list[str]:
    """The sheet ``instructies`` of questionnaire ``cb``, line by line: the title, then the steps
    numbered in order, a step's further lines indented under its first.

    >>> lines = instructions(load_codebook("v2"))
    >>> [line for line in lines if "proefenquête" in line]
    []
    >>> lines[-1]
    '10. Het volledige rapport: python -m analysis_utils run data/raw/<naam-van-de-bevraging>'
    """
    steps = [step for s in STEPS for step in ([s] if s is not None else own_steps(cb))]
    lines = [TITLE, ""]
    for n, (first, *more) in enumerate(steps, start=1):
        lines.append(f"{n}. {first}")
        lines += [" " * (len(str(n)) + 2) + line for line in more]
    return lines


# The sheet "bevraging": what describes this round (key, value to fill in, explanation).
META_ROWS = [
    ("id", "", "Laat leeg: de naam van de map wordt gebruikt (bv. genk-2027)."),
    ("title", "", "Titel van deze bevraging, bv. Cliëntbevraging OCMW Genk 2027."),
    ("organisation", "", "Organisatie en team(s), bv. OCMW Genk, team financiële hulpverlening."),
    ("fieldwork_period", "", "Wanneer de vragenlijsten werden afgenomen, bv. maart-april 2027."),
    ("clients_approached", "", "Hoeveel cliënten werden gevraagd om deel te nemen (een getal)."),
    ("questionnaire_version", None, "Niet wijzigen: de versie van de vragenlijst van dit bestand."),
    ("source", "survey", "Niet wijzigen."),
]
# Questionnaire v2 records the team or site: only the teams listed here are accepted in its column.
TEAM_ROW = ("teams", "", "De teams of vestigingen die in kolom a03_team mogen staan, gescheiden door ';', "
            "bv. Team Noord; Team Zuid. Nooit de naam van een hulpverlener.")


# The respondent_id column's visible header, as the printed questionnaire names it; the reader
# skips the row of questions by it (and by "vraag", what templates wrote there before).
ID_HEADER = load_resource("questionnaire.yaml")["nl"]["respondent_code"]
FIRST_DATA_ROW = 3


def column_width(item) -> float:
    """A width that fits the item's longest answer label (and its code), within reason."""
    longest = max([len(item.label_nl)] + ([len(item.scale.label(c, "nl")) for c in item.scale.codes] if item.coded else []))
    return float(min(max(longest + 4, 12), 34))


HEADER_FONT, HEADER_FILL = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def _dropdown(item, lists, scale_columns: dict[str, str]) -> DataValidation:
    """The dropdown of an answer column: the scale's Dutch labels, then its codes (written once
    per scale to the hidden sheet ``lijsten``)."""
    if item.scale.id not in scale_columns:
        j = len(scale_columns) + 1
        entries = [item.scale.label(c, "nl") for c in item.scale.codes] + list(item.scale.codes)
        for r, value in enumerate(entries, start=1):  # labels to pick, then the codes one may type
            lists.cell(r, j, value)
        list_col = get_column_letter(j)
        scale_columns[item.scale.id] = f"lijsten!${list_col}$1:${list_col}${len(entries)}"
    codes = ", ".join(f"{c} = {item.scale.label(c, 'nl')}" for c in item.scale.codes)
    return DataValidation(type="list", formula1=f"={scale_columns[item.scale.id]}", allow_blank=True,
                          showErrorMessage=True, errorTitle="Ongeldig antwoord",
                          error=f"Kies een antwoord uit de lijst, typ de code ({codes}), of laat de cel leeg.")


def header(item, numbers: dict[str, str]) -> str:
    """The visible header of an item's column: its number on the printed questionnaire, then its
    Dutch wording ("23a. Waarover ging het?"); an interviewer's item has no number.

    >>> cb = load_codebook("v2")
    >>> header(cb.item("q23a_concealment_topic"), question_numbers(cb))
    '23a. Waarover ging het?'
    """
    number = numbers.get(item.id)
    return f"{number}. {item.wording_nl}" if number else item.wording_nl


def _team_dropdown(lists, teams: list[str], column: int) -> DataValidation:
    """The dropdown of the team column: the teams given, in column ``column`` of ``lijsten``."""
    for r, team in enumerate(teams, start=1):
        lists.cell(r, column, team).data_type = "s"  # a name, never a formula
    letter = get_column_letter(column)
    return DataValidation(type="list", formula1=f"=lijsten!${letter}$1:${letter}${len(teams)}", allow_blank=True,
                          showErrorMessage=True, errorTitle="Onbekend team",
                          error="Kies een team uit de lijst (de teams van het blad ‘bevraging’), of laat de cel leeg.")


def _answers_sheet(ws, lists, cb, teams: list[str] | None = None) -> None:
    """``antwoorden``: row 1 the item ids (hidden), row 2 the questions (number and Dutch wording),
    answers from row 3; with ``teams``, the team column's dropdown lists them."""
    ws.cell(1, 1, ID_COLUMN)
    cell = ws.cell(2, 1, ID_HEADER)
    cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    ws.cell(2, 1).comment = Comment("Kolom respondent_id: volgnummer of code van de vragenlijst, bv. R001. Nooit een naam.",
                                    "analysis_utils")
    ws.column_dimensions["A"].width = 16
    scale_columns: dict[str, str] = {}
    numbers = question_numbers(cb)
    for col, item in enumerate(cb.items, start=2):
        ws.cell(1, col, item.id)  # what the program reads; hidden below
        cell = ws.cell(2, col, header(item, numbers))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        cell.comment = Comment(f"{item.id}\n\n({item.wording_en})", "analysis_utils", width=320, height=120)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = column_width(item)
        dv = _dropdown(item, lists, scale_columns) if item.coded else None
        if not item.coded and teams:  # after the scales' lists (written as their columns come)
            dv = _team_dropdown(lists, teams, len({i.scale.id for i in cb.items if i.coded}) + 1)
        if dv is not None:
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{ROWS + FIRST_DATA_ROW - 1}")
            ws.add_data_validation(dv)
    ws.row_dimensions[1].hidden = True
    ws.row_dimensions[2].height = 90
    ws.freeze_panes = f"B{FIRST_DATA_ROW}"


def _about_sheet(about, cb, version: str, teams: list[str] | None = None) -> None:
    """``bevraging``: what describes the round, key by key, with an explanation; ``teams`` filled
    in if given."""
    for c, head in enumerate(("veld", "waarde", "uitleg"), start=1):
        about.cell(1, c, head).font = HEADER_FONT
    team_row = (TEAM_ROW[0], "; ".join(teams or []), TEAM_ROW[2])
    rows = META_ROWS + ([team_row] if any(not i.coded for i in cb.items) else [])
    for r, (key, value, explanation) in enumerate(rows, start=2):
        about.cell(r, 1, key)
        about.cell(r, 2, version if value is None else value)
        about.cell(r, 3, explanation).alignment = WRAP
    for letter, width in (("A", 24), ("B", 44), ("C", 60)):
        about.column_dimensions[letter].width = width


def write_template(out: str | Path, version: str = "v1", teams: list[str] | None = None) -> Path:
    """Write the entry workbook for questionnaire ``version`` to ``out``; ``teams`` (v2): filled
    in on ``bevraging`` and the dropdown of the team column.

    Sheets in the order a user needs them: ``instructies``, ``antwoorden`` (row 1: the item ids
    the program reads, hidden; row 2: the question's printed number and Dutch wording as the
    visible header; answers from row 3, each answer cell with a dropdown that accepts the Dutch label or the code), ``bevraging``,
    and the hidden ``lijsten`` holding the dropdown lists (labels, then codes).
    """
    cb = load_codebook(version)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    info = wb.active
    info.title = "instructies"
    ws = wb.create_sheet(EXCEL_SHEET)
    lists = wb.create_sheet("lijsten")
    lists.sheet_state = "hidden"
    _answers_sheet(ws, lists, cb, teams)
    info.column_dimensions["A"].width = 120
    for r, line in enumerate(instructions(cb), start=1):
        info.cell(r, 1, line).font = Font(bold=(r == 1))
    about = wb.create_sheet(META_SHEET, 2)
    _about_sheet(about, cb, version, teams)
    for sheet in (info, about):  # printed (or turned into a PDF) at the width of one page
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    ws.page_setup.orientation = "landscape"  # the answers: every printed page repeats the questions and ids
    ws.print_title_rows, ws.print_title_cols = "2:2", "A:A"
    wb.active = 0
    wb.save(out)
    return out
