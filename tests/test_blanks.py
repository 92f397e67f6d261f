"""Review of the fieldwork, finding 8: the questionnaire's four blanks (organisation, period,
contact person, minutes) are filled in from ``questionnaire --organisation … --period …
--contact … --minutes …`` in every file, so that a form printed straight from the browser or a
tablet form uploaded unedited still tells the client whom to contact; a blank not given stays a
blank, and the command says which remain."""
import contextlib
import io
from types import SimpleNamespace

import pytest
from docx import Document
from lxml import html as lxml_html
from openpyxl import load_workbook

from analysis_utils.makers.form_model import BLANKS, build_form, parse_blank
from analysis_utils.makers.team_note import team_note
from analysis_utils.makers.xlsform import LANGUAGES

GIVEN = {"organisation": "OCMW Genk, dienst schuldbemiddeling", "period": "maart–april 2027",
         "contact": "Els Peeters, 089 65 00 00", "minutes": "15"}


def _cli(*args) -> SimpleNamespace:
    """The command line in this process (a new interpreter for each call cost over a second):
    its exit status and what it printed, as ``subprocess.run`` would give them."""
    from analysis_utils.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse refusing an argument
            code = exc.code if isinstance(exc.code, int) else 1
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def _options(given: dict[str, str]) -> list[str]:
    return [a for name, value in given.items() for a in (f"--{name}", value)]


def _outputs(folder, version="v2") -> tuple[str, str, dict[str, str]]:
    """The page's text, the .docx's text and the XLSForm intro's label per language."""
    page = " ".join(lxml_html.fromstring((folder / f"vragenlijst-{version}.html").read_text("utf-8")).text_content().split())
    doc = "\n".join(p.text for p in Document(folder / f"vragenlijst-{version}.docx").paragraphs)
    rows = list(load_workbook(folder / f"xlsform-{version}.xlsx")["survey"].iter_rows(values_only=True))
    intro = dict(zip(rows[0], next(r for r in rows if r[1] == "intro")))
    return page, doc, {lang: intro[f"label::{name}"] for lang, name in LANGUAGES.items()}


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_four_blanks_given_fill_every_file_and_no_placeholder_remains(tmp_path, version):
    res = _cli("questionnaire", tmp_path, "--version", version, *_options(GIVEN))
    assert res.returncode == 0, res.stderr
    assert "left to fill in by hand" not in res.stdout
    page, doc, intro = _outputs(tmp_path, version)
    organised = "Deze bevraging is een initiatief van OCMW Genk, dienst schuldbemiddeling (maart–april 2027). " \
                "Hebt u een vraag over deze bevraging? Neem dan contact op met Els Peeters, 089 65 00 00."
    for text in (page, doc, intro["nl"]):
        assert organised in text
    assert "Het invullen duurt ongeveer 15 minuten." in page and "Het invullen duurt ongeveer 15 minuten." in doc
    assert "This survey is organised by OCMW Genk, dienst schuldbemiddeling (maart–april 2027). " \
           "Do you have a question about it? Please contact Els Peeters, 089 65 00 00." in intro["en"]
    assert not any("[" in t for t in (doc, *intro.values()))
    assert 'class="blank"' not in (tmp_path / f"vragenlijst-{version}.html").read_text("utf-8")
    highlighted = [r for p in Document(tmp_path / f"vragenlijst-{version}.docx").paragraphs for r in p.runs
                   if r.font.highlight_color is not None]
    assert highlighted == []
    note = (tmp_path / f"teamnota-{version}.html").read_text("utf-8")
    assert "Nog niet ingevuld" not in note and "geel gemarkeerd" not in note


def test_a_blank_not_given_stays_a_blank_and_the_command_names_it(tmp_path):
    res = _cli("questionnaire", tmp_path, "--contact", GIVEN["contact"], "--minutes", "15")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[-1] == (
        "left to fill in by hand: organisation, period (a dotted line in the .html, highlighted in the .docx, "
        "[brackets] in the XLSForm; or write them again with --organisation, --period)")
    page, doc, intro = _outputs(tmp_path)
    assert "[naam van de dienst en het team] ([periode van de bevraging])" in doc
    assert "Neem dan contact op met Els Peeters, 089 65 00 00." in doc and "[aantal]" not in doc
    assert "[name of the service and the team] ([period of the survey])" in intro["en"]
    assert "Please contact Els Peeters, 089 65 00 00." in intro["en"]
    assert page.count("naam van de dienst en het team") == 1  # the dotted line's small print
    note = " ".join(lxml_html.fromstring((tmp_path / "teamnota-v2.html").read_text("utf-8")).text_content().split())
    assert "Nog niet ingevuld: de naam van de dienst en het team, de periode." in note
    assert "--organisation, --period." in note


def test_without_options_the_command_names_all_four_blanks(tmp_path):
    res = _cli("questionnaire", tmp_path, "--version", "v1")
    assert res.returncode == 0, res.stderr
    assert "left to fill in by hand: organisation, period, contact, minutes (" in res.stdout


@pytest.mark.parametrize(("option", "value", "why"), [
    ("--organisation", "", "the organisation is empty"),
    ("--period", "  ", "the period is empty"),
    ("--contact", "Els Peeters\n089 65 00 00", "has a line break: give it on one line"),
    ("--contact", "=HYPERLINK(\"x\")", "starts with '=': a spreadsheet would read it as a formula"),
    ("--organisation", "+32 89 65 00 00", "starts with '+': a spreadsheet would read it as a formula"),
    ("--contact=-1", None, "starts with '-': a spreadsheet would read it as a formula"),
    ("--period", "@maart", "starts with '@': a spreadsheet would read it as a formula"),
    ("--minutes", "0", "the minutes '0' is not a whole number of at least 1"),
    ("--minutes", "ongeveer 15", "is not a whole number of at least 1"),
    ("--minutes", "1.5", "is not a whole number of at least 1"),
])
def test_a_bad_blank_is_refused_with_exit_status_2_on_one_line_and_nothing_written(tmp_path, option, value, why):
    out = tmp_path / "vragenlijst"
    res = _cli("questionnaire", out, option, *([] if value is None else [value]))
    assert res.returncode == 2
    error = res.stderr.strip().splitlines()[-1]
    assert error.startswith("python -m analysis_utils questionnaire: error: argument --") and why in error
    assert not out.exists()


def test_the_blanks_are_checked_as_the_teams_are():
    assert parse_blank("minutes", " 007 ") == "7"
    assert parse_blank("organisation", " OCMW Genk ") == "OCMW Genk"
    for name in BLANKS:
        with pytest.raises(ValueError, match="a spreadsheet would read it as a formula"):
            parse_blank(name, "  =1+1")  # stripped first, as the teams are


def test_the_team_note_says_what_is_left_in_english_too():
    form = build_form("v2", "en", filled={"organisation": "OCMW Genk"})
    bullets = next(s.bullets for s in team_note(form) if s.title == "Administration")
    assert bullets[-1].startswith("Not filled in yet: the period, the contact person, the duration in minutes.")
    assert "in the XLSForm (in [brackets]; it has no duration)" in bullets[-1]  # the tablet form asks no duration
    full = build_form("v2", "en", filled=GIVEN)
    assert not any("Not filled in yet" in b for s in team_note(full) for b in s.bullets)
