"""Issue 27, part 3: validation speaks the person's language.

The five typical mistakes of a team entering its round in the entry workbook — a name as
respondent id, a misspelled answer, the wrong questionnaire version, a note in an answer cell, a
note beside the data — each checked through the command line with ``--lang nl``: one line in
Dutch that names the file, the row, the column's letter, the Dutch question its header shows and
what to do, never the refused value, and exit status 2. English still works, an entry workbook
speaks Dutch unless told otherwise, ``run`` speaks its report's language, and a chapter opened on
a mistyped intake path says that the folder does not exist.
"""
import contextlib
import io
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from analysis_utils.chapters import IntakeMissing, open_chapter
from analysis_utils.cli import main
from analysis_utils.codebook import load_codebook
from analysis_utils.i18n import current, language, use
from analysis_utils.intake import IntakeError, read_intake
from analysis_utils.makers.template import write_template
from analysis_utils.paths import OUTPUT_ENV

V1, V2 = load_codebook("v1"), load_codebook("v2")
ENGLISH_FRAME = re.compile(r"\b(row|column|expected|value|this cell|not shown)\b")


def _answers(i: int, codebook) -> dict:
    """Respondent ``i``'s answers as a team types them: Dutch labels picked from the lists."""
    out = {"respondent_id": f"R{i:03d}"}
    for item in codebook.items:
        if not item.coded:
            out[item.id] = ["Team Noord", "Team Zuid"][i % 2]
        elif not item.asked_if:
            out[item.id] = item.scale.label(item.scale.codes[(i + len(item.id)) % len(item.scale.codes)], "nl")
    out["a02_questionnaire_form"] = "definitieve vragenlijst"
    return out


def _workbook(folder, template="v2", described="v2", edit=None):
    """A filled entry workbook of questionnaire ``template`` whose sheet bevraging says
    ``described``; ``edit(ws, header)`` makes the mistake. Returns (folder, its header, the
    spreadsheet row of questionnaire_version on the sheet bevraging)."""
    codebook = load_codebook(template)
    path = write_template(folder / "responses.xlsx", template)
    wb = load_workbook(path)
    ws = wb["antwoorden"]
    header = [c.value for c in ws[1]]
    for r in range(3, 11):  # row 2 holds the Dutch questions: eight questionnaires from row 3
        answers = _answers(r, codebook)
        for c, col in enumerate(header, start=1):
            if col in answers:
                ws.cell(r, c, answers[col])
    about = wb["bevraging"]
    values = {"title": "Cliëntbevraging 2027", "organisation": "OCMW Genk", "fieldwork_period": "maart 2027",
              "clients_approached": 20, "teams": "Team Noord; Team Zuid", "questionnaire_version": described}
    version_row = None
    for r in range(2, about.max_row + 1):
        key = about.cell(r, 1).value
        if key in values:
            about.cell(r, 2, values[key])
        version_row = r if key == "questionnaire_version" else version_row
    if edit:
        edit(ws, header)
    wb.save(path)
    return folder, header, version_row


def _letter(header: list, item_id: str) -> str:
    """The letter a spreadsheet shows above ``item_id``'s column."""
    return get_column_letter(header.index(item_id) + 1)


def _validate(folder, *options) -> tuple[int, str]:
    """``python -m analysis_utils validate`` through its entry point: (exit status, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["validate", str(folder), *options])
    return status, err.getvalue()


def _the_problem(err: str) -> str:
    """The one problem printed (after the count), in Dutch, with no English frame word."""
    lines = err.strip().splitlines()
    assert lines[0] == "de bevraging is niet in orde: 1 probleem; er werd niets weggeschreven", err
    assert len(lines) == 2, err
    assert not ENGLISH_FRAME.search(lines[1]), lines[1]
    return lines[1]


def test_a_name_as_respondent_id(tmp_path):
    folder, _, _ = _workbook(tmp_path / "ronde-2027", edit=lambda ws, header: ws.cell(5, 1, "Marie Peeters"))
    status, err = _validate(folder, "--lang", "nl")
    line = _the_problem(err)
    assert status == 2
    assert line.startswith(f"{folder / 'responses.xlsx'}, rij 5, kolom A (respondent_id: “Volgnummer van de vragenlijst”): "
                           "verwacht een respondentcode, het volgnummer van de vragenlijst")
    assert "deze cel lijkt een naam te bevatten, hier niet getoond" in line
    assert line.endswith("— typ in de plaats het volgnummer van de vragenlijst, een code zoals R001; namen horen op een "
                         "aparte lijst, nooit in dit bestand")
    assert "Marie" not in err and "Peeters" not in err


def test_a_misspelled_label(tmp_path):
    folder, header, _ = _workbook(tmp_path / "ronde-2027",
                                  edit=lambda ws, header: ws.cell(7, header.index("q16_autonomy") + 1, "Zeker Wl"))
    status, err = _validate(folder, "--lang", "nl")
    line = _the_problem(err)
    assert status == 2
    assert (f"rij 7, kolom {_letter(header, 'q16_autonomy')} (q16_autonomy: “Ik vind dat ik voldoende zelfstandig mag "
            "doen van mijn …”): verwacht een van de antwoorden op deze vraag, als code of in woorden (1 = zeker niet, "
            "2 = eerder niet, 3 = neutraal, 4 = eerder wel, 5 = zeker wel), of een lege cel; deze cel bevat een tekst "
            "van 8 tekens, hier niet getoond; bedoelt u 'zeker wel'? — kies een antwoord uit de keuzelijst of typ de "
            "code") in line
    assert "Wl" not in err and "agree5" not in err  # the value is not echoed, the scale's id is jargon


@pytest.mark.parametrize("template,described", [("v2", "v1"), ("v1", "v2")])
def test_a_wrong_version(tmp_path, template, described):
    folder, header, version_row = _workbook(tmp_path / "ronde-2027", template, described)
    status, err = _validate(folder, "--lang", "nl")
    line = _the_problem(err)  # one problem: no unknown or missing column, no team taken for a name
    assert status == 2
    assert line.startswith(f"{folder / 'responses.xlsx'} (blad bevraging), rij {version_row}, veld questionnaire_version: "
                           "verwacht de versie van de vragenlijst waarvan de antwoorden de kolommen hebben; deze werkmap "
                           f"heeft de kolommen van {template}, maar het blad bevraging zegt {described}: alleen "
                           f"vragenlijst {template} heeft kolom ")
    own, other = load_codebook(template), load_codebook(described)
    for item in (i for i in own.items if i.id not in other.item_ids):  # each named by letter, code and question
        assert f"kolom {_letter(header, item.id)} ({item.id}: “{item.short_wording()}”)" in line
    assert line.endswith(f"— typ {template} in die rij: de kolommen van deze werkmap zijn die van vragenlijst {template}")
    assert "naam" not in line


def test_a_wrong_version_in_intake_yaml(tmp_path, root):
    """The answers of v2 (a CSV) described as v1 in intake.yaml: the same one problem, in English."""
    folder = tmp_path / "example-v2"
    shutil.copytree(root / "data" / "raw" / "example-v2", folder)
    meta = yaml.safe_load((folder / "intake.yaml").read_text("utf-8"))
    (folder / "intake.yaml").write_text(yaml.safe_dump({**meta, "questionnaire_version": "v1"}), encoding="utf-8")
    with pytest.raises(IntakeError) as exc:
        read_intake(folder)
    [problem] = exc.value.problems
    assert str(problem).startswith(f"{folder / 'intake.yaml'}, key questionnaire_version: expected the questionnaire "
                                   "version whose columns the answers have; the answers file responses.csv has the "
                                   "columns of v2, but intake.yaml says v1: only questionnaire v2 has column ")
    assert str(problem).endswith("— write questionnaire_version: v2 in intake.yaml: the answers' columns are those of "
                                 "questionnaire v2")


def test_a_note_in_an_answer_cell(tmp_path):
    note = "wou niet antwoorden"
    folder, header, _ = _workbook(tmp_path / "ronde-2027",
                                  edit=lambda ws, header: ws.cell(9, header.index("q09_trust_bond") + 1, note))
    status, err = _validate(folder, "--lang", "nl")
    line = _the_problem(err)
    assert status == 2
    assert (f"rij 9, kolom {_letter(header, 'q09_trust_bond')} (q09_trust_bond: “De vertrouwensband met mijn "
            "maatschappelijk assistente is:”): verwacht een van de antwoorden op deze vraag, als code of in woorden "
            "(1 = zeer slecht, 2 = slecht, 3 = voldoende, 4 = goed, 5 = zeer goed), of een lege cel; deze cel bevat "
            f"een tekst van {len(note)} tekens, hier niet getoond — kies een antwoord uit de keuzelijst of typ de code; "
            "laat de cel leeg als de vraag niet beantwoord werd (een opmerking hoort niet in een antwoordcel)") in line
    assert note not in err and "wou" not in err


def test_a_note_beside_the_data(tmp_path):
    note = "belt terug na de vakantie"
    folder, header, _ = _workbook(tmp_path / "ronde-2027", edit=lambda ws, header: ws.cell(6, len(header) + 2, note))
    status, err = _validate(folder, "--lang", "nl")
    line = _the_problem(err)
    assert status == 2
    assert line == (f"{folder / 'responses.xlsx'}, rij 6, kolom {get_column_letter(len(header) + 2)}: verwacht alleen "
                    "de kolommen van de vragenlijst; deze kolom heeft geen kolomtitel en is dus geen vraag van de "
                    "vragenlijst, maar ze bevat tekst vanaf rij 6 (hier niet getoond) — zet de opmerkingen in een "
                    "apart document, of verwijder de kolom")
    assert "belt" not in err and "vakantie" not in err


def test_a_note_under_a_header_of_its_own(tmp_path):
    """A column headed "notities" in row 1: not a question either, its header described, not shown."""
    def edit(ws, header):
        ws.cell(1, len(header) + 1, "notities")
        ws.cell(4, len(header) + 1, "belt terug")

    folder, header, _ = _workbook(tmp_path / "ronde-2027", edit=edit)
    status, err = _validate(folder, "--lang", "nl")
    line = _the_problem(err)
    assert status == 2
    assert (f"rij 1, kolom {get_column_letter(len(header) + 1)}: verwacht een kolom van vragenlijst v2: respondent_id "
            "of de code van een vraag, zoals q08_satisfaction; de kolomtitel, een tekst van 8 tekens, is geen vraag "
            "van de vragenlijst (hier niet getoond) — zet de opmerkingen in een apart document, of verwijder de "
            "kolom") in line
    assert "notities" not in err and "belt" not in err


def test_english_still_works_and_a_workbook_speaks_dutch_unless_told(tmp_path, root):
    folder, _, _ = _workbook(tmp_path / "ronde-2027", edit=lambda ws, header: ws.cell(5, 1, "Marie Peeters"))
    status, err = _validate(folder, "--lang", "en")
    assert status == 2 and err.startswith("invalid intake: 1 problem; nothing was written\n")
    assert ("row 5, column A (respondent_id: “Volgnummer van de vragenlijst”): expected a respondent code, the "
            "questionnaire's number") in err
    assert "this cell looks like a name, not shown here — type the questionnaire's number instead" in err
    assert "Marie" not in err
    default = subprocess.run([sys.executable, "-m", "analysis_utils", "validate", str(folder)], capture_output=True,
                             text=True, cwd=root)
    assert default.returncode == 2 and "rij 5, kolom A (respondent_id" in default.stderr  # the workbook's language
    csv = tmp_path / "genk-2015"
    shutil.copytree(root / "data" / "raw" / "genk-2015", csv)
    (csv / "responses.csv").write_text((csv / "responses.csv").read_text("utf-8").replace("R03,", "Marie Peeters,", 1),
                                       encoding="utf-8")
    status, err = _validate(csv)
    assert status == 2 and "row 4, column A (respondent_id" in err and "Marie" not in err  # a CSV: English


@pytest.mark.parametrize("langs,dutch", [("nl", True), ("en,nl", False)])
def test_run_speaks_its_reports_language(tmp_path, root, langs, dutch):
    """``run`` tells the problems in the first language of ``--lang`` (Dutch only where only Dutch
    is asked), and writes nothing."""
    csv = tmp_path / "genk-2015"
    shutil.copytree(root / "data" / "raw" / "genk-2015", csv)
    (csv / "responses.csv").write_text((csv / "responses.csv").read_text("utf-8").replace("R03,", "Marie Peeters,", 1),
                                       encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["run", str(csv), "--lang", langs, "--reports-root", str(tmp_path / "r"),
                       "--processed-root", str(tmp_path / "p")])
    assert status == 2 and not (tmp_path / "r").exists() and not (tmp_path / "p").exists()
    assert ("rij 4, kolom A (respondent_id" in err.getvalue()) is dutch
    assert ("row 4, column A (respondent_id" in err.getvalue()) is not dutch


def test_a_problem_keeps_the_language_it_was_found_in(tmp_path):
    folder, _, _ = _workbook(tmp_path / "ronde-2027", edit=lambda ws, header: ws.cell(5, 1, "Marie Peeters"))
    with language("nl"), pytest.raises(IntakeError) as exc:
        read_intake(folder)
    assert exc.value.lang == "nl" and str(exc.value.problems[0]).split(": ")[0].endswith("rij 5, kolom A (respondent_id")


@pytest.mark.parametrize("lang,says", [("en", "does not exist"), ("nl", "bestaat niet")])
@pytest.mark.parametrize("stage01", [True, False])
def test_a_mistyped_intake_path_in_a_notebook_says_the_folder_does_not_exist(tmp_path, monkeypatch, lang, says, stage01):
    monkeypatch.setenv(OUTPUT_ENV, str(tmp_path))
    before = current()
    try:
        with pytest.raises(IntakeMissing) as exc:
            open_chapter("data/raw/genk-2O15", lang, stage01=stage01)  # a letter O for the zero
    finally:
        use(before)  # open_chapter speaks its language from then on, as a notebook does
    assert says in str(exc.value) and "genk-2O15" in str(exc.value)
    assert "chapter 01" not in str(exc.value) and "hoofdstuk 01" not in str(exc.value)
    assert exc.value._render_traceback_() == [f"IntakeMissing: {exc.value}"]  # one line in Jupyter, no traceback
    assert not list(tmp_path.iterdir())  # no folder made for the mistyped intake
