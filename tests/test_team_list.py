"""Review of the fieldwork, finding 7: the team (v2's a03_team) is validated against the teams the
intake declares, so the questionnaire and the entry template offer those teams instead of a line
to write on: ``--teams "Team Noord; Team Zuid"`` gives a box per team on paper, a required
``select_one teams`` on the tablet (its export read back as the teams' names) and a dropdown in the
template's team column, with the teams filled in on its sheet 'bevraging'."""
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from docx import Document
from export_fixtures import write_kobo_csv, write_odk_central_csv
from lxml import html as lxml_html
from openpyxl import load_workbook

from analysis_utils.cli import build_parser
from analysis_utils.codebook import load_codebook
from analysis_utils.intake import IntakeError, read_intake
from analysis_utils.intake.export import team_choice_name, team_from_choice
from analysis_utils.makers.form_model import build_form, parse_teams
from analysis_utils.makers.printed import questionnaire_html, team_note_html
from analysis_utils.makers.questionnaire import write_questionnaire
from analysis_utils.makers.synthetic import generate
from analysis_utils.makers.template import write_template
from analysis_utils.makers.xlsform import LANGUAGES, check_xlsform, write_xlsform

TEAMS = ["Team Noord", "Team Zuid", "Sint-Jan (centrum)"]
V2 = load_codebook("v2")


def _sheet(path, name) -> list[dict]:
    rows = list(load_workbook(path)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


from test_blanks import _cli  # noqa: E402 (the command line in this process)


# --- the option -----------------------------------------------------------------------------------

def test_teams_are_split_on_semicolons_and_stripped_as_the_intake_reads_them():
    assert parse_teams(" Team Noord;Team Zuid ;Sint-Jan (centrum)") == TEAMS
    for bad, why in (("Team Noord;;Team Zuid", "team 2 of 'Team Noord;;Team Zuid' is empty"),
                     ("Team Noord; Team Zuid;", "team 3 of 'Team Noord; Team Zuid;' is empty"),
                     ("", "team 1 of '' is empty"),
                     ("Team Noord; team noord", "the team 'team noord' is given twice"),
                     ("Team Noord; =Zuid", "a spreadsheet would read it as a formula")):
        with pytest.raises(ValueError, match=re.escape(why)):
            parse_teams(bad)


@pytest.mark.parametrize("verb", ["questionnaire", "template"])
def test_a_bad_teams_option_is_refused_with_exit_status_2_and_nothing_written(tmp_path, verb):
    out = tmp_path / ("out" if verb == "questionnaire" else "responses.xlsx")
    res = _cli(verb, out, "--teams", "Team Noord; Team Noord")
    assert res.returncode == 2 and "argument --teams: the team 'Team Noord' is given twice" in res.stderr
    res = _cli(verb, out, "--version", "v1", "--teams", "Team Noord")
    assert res.returncode == 2 and "questionnaire v1 does not ask the team (v2 does)" in res.stderr
    assert not out.exists()


# --- paper: a box per team ------------------------------------------------------------------------

def test_the_printed_form_and_the_docx_show_a_box_per_team(tmp_path):
    written = write_questionnaire(tmp_path, "v2", "nl", TEAMS)
    page = lxml_html.fromstring(written[0].read_text(encoding="utf-8"))
    team = page.xpath("//section[@data-item='a03_team']")[0]
    assert [" ".join(t.split()) for t in team.xpath(".//span[@class='label']/text()")] == TEAMS
    assert len(team.xpath(".//span[@class='box']")) == 3 and not team.xpath(".//span[@class='line']")
    box = [p.text for t in Document(written[1]).tables for c in t._cells for p in c.paragraphs]
    line = box[box.index(next(p for p in box if p.endswith("\ta03_team"))) + 1]  # the boxes under the question
    assert [s.strip().replace("\xa0", " ") for s in line.split("☐") if s.strip()] == TEAMS
    without = lxml_html.fromstring(questionnaire_html(build_form("v2")))
    assert without.xpath("//section[@data-item='a03_team']//span[@class='line']")  # as before: a line


def test_the_team_note_names_the_teams_or_says_to_make_the_form_again_with_them():
    with_teams = " ".join(lxml_html.fromstring(team_note_html(build_form("v2", "nl", TEAMS))).text_content().split())
    assert "De teams van deze vragenlijst: Team Noord, Team Zuid, Sint-Jan (centrum)." in with_teams
    without = " ".join(lxml_html.fromstring(team_note_html(build_form("v2", "nl"))).text_content().split())
    assert '--teams "Team Noord; Team Zuid"' in without and "een tikfout (‘Team Nord’)" in without
    english = " ".join(lxml_html.fromstring(team_note_html(build_form("v2", "en"))).text_content().split())
    assert "make the questionnaire and the entry workbook again with the teams" in english
    v1 = lxml_html.fromstring(team_note_html(build_form("v1"))).text_content()
    assert "--teams" not in v1 and "De teams van deze vragenlijst" not in v1  # v1 asks no team


# --- the tablet: a required list -------------------------------------------------------------------

def test_the_xlsform_asks_the_team_from_a_required_list_and_converts_without_warnings(tmp_path):
    path = write_xlsform(tmp_path / "xlsform-v2.xlsx", "v2", TEAMS)
    team = next(r for r in _sheet(path, "survey") if r["name"] == "a03_team")
    assert team["type"] == "select_one teams" and team["required"] == "yes"
    listed = [(c["name"], c[f"label::{LANGUAGES['nl']}"], c[f"label::{LANGUAGES['en']}"])
              for c in _sheet(path, "choices") if c["list_name"] == "teams"]
    assert listed == [("Team_Noord", "Team Noord", "Team Noord"), ("Team_Zuid", "Team Zuid", "Team Zuid"),
                      ("Sint-Jan__x0028_centrum_x0029_", "Sint-Jan (centrum)", "Sint-Jan (centrum)")]
    assert "teams" not in {i.scale.id for i in V2.items if i.coded}  # no scale's list of that name
    assert check_xlsform(path) == []
    if shutil.which("java"):
        assert check_xlsform(path, odk_validate=True) == []
    free = next(r for r in _sheet(write_xlsform(tmp_path / "free.xlsx", "v2"), "survey") if r["name"] == "a03_team")
    assert free["type"] == "text" and not free["required"]  # without --teams: typed, as before


@pytest.mark.parametrize("team", ["Team Noord", "Team 't Hofke", "3de lijn", "Wijk x12", "Équipe_Est", "a  b"])
def test_a_team_s_choice_name_is_safe_for_xlsform_and_read_back_as_the_team(team):
    name = team_choice_name(team)
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", name), name
    assert team_from_choice(name) == team and team_from_choice(team.replace("_", " ")) == team.replace("_", " ")


def _as_exported(folder, form_path) -> None:
    """The export in ``folder`` as the form of ``form_path`` would give it: the team column holds
    the teams' choice names, from the form's own choices sheet; its intake.yaml lists the teams in
    another order than the form."""
    names = {c["label::Nederlands (nl)"]: c["name"] for c in _sheet(form_path, "choices") if c["list_name"] == "teams"}
    export = next(folder.glob("*.csv"))
    sep = ";" if "kobo" in folder.name else ","
    df = pd.read_csv(export, dtype=str, keep_default_na=False, sep=sep)
    column = next(c for c in df.columns if c.endswith("a03_team"))
    df[column] = df[column].replace({"Team Zuid": "Sint-Jan (centrum)"}).map(lambda t: names.get(t, t))
    df.to_csv(export, index=False, sep=sep)
    meta = yaml.safe_load((folder / "intake.yaml").read_text(encoding="utf-8"))
    meta["teams"] = ["Sint-Jan (centrum)", "Team Noord"]
    (folder / "intake.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("writer", [write_odk_central_csv, write_kobo_csv])
def test_an_export_of_the_form_with_teams_reads_the_teams_names_back(tmp_path, writer):
    """ODK Central and KoboToolbox ("XML values") export a choice's name, not its label."""
    form = write_xlsform(tmp_path / "xlsform-v2.xlsx", "v2", TEAMS)
    folder = tmp_path / ("kobo-teams" if writer is write_kobo_csv else "odk-teams")
    codes = writer(folder, n=20)
    _as_exported(folder, form)
    export = pd.read_csv(next(folder.glob("*.csv")), dtype=str, sep=None, engine="python")
    assert set(export.filter(like="a03_team").iloc[:, 0]) == {"Team_Noord", "Sint-Jan__x0028_centrum_x0029_"}
    intake = read_intake(folder)
    want = codes["a03_team"].replace({"Team Zuid": "Sint-Jan (centrum)"}).tolist()
    assert intake.responses["a03_team"].tolist() == want and set(want) == {"Team Noord", "Sint-Jan (centrum)"}


def test_an_exported_team_that_is_not_declared_is_still_refused(tmp_path):
    form = write_xlsform(tmp_path / "xlsform-v2.xlsx", "v2", TEAMS)
    folder = tmp_path / "odk-undeclared"
    write_odk_central_csv(folder, n=20)
    _as_exported(folder, form)
    meta = yaml.safe_load((folder / "intake.yaml").read_text(encoding="utf-8"))
    meta["teams"] = ["Team Noord"]
    (folder / "intake.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    with pytest.raises(IntakeError) as exc:
        read_intake(folder)
    assert any(p.column == "a03_team" and "one of the declared teams (Team Noord)" in p.expected
               for p in exc.value.problems)


# --- the entry template: the teams filled in and a dropdown ---------------------------------------

def _validations(ws) -> dict[str, str]:
    return {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}


def test_the_template_fills_in_the_teams_and_gives_the_team_column_their_dropdown(tmp_path):
    path = write_template(tmp_path / "responses.xlsx", "v2", TEAMS)
    wb = load_workbook(path)
    about = {r[0]: r[1] for r in wb["bevraging"].iter_rows(min_row=2, values_only=True)}
    assert about["teams"] == "Team Noord; Team Zuid; Sint-Jan (centrum)"
    ws, lists = wb["antwoorden"], wb["lijsten"]
    letter = next(c.column_letter for c in ws[1] if c.value == "a03_team")
    formula = _validations(ws)[f"{letter}3"]
    col, first, last = re.fullmatch(r"=lijsten!\$([A-Z]+)\$(\d+):\$\1\$(\d+)", formula).groups()
    assert [lists[f"{col}{r}"].value for r in range(int(first), int(last) + 1)] == TEAMS
    scales = {f for c, f in _validations(ws).items() if not c.startswith(letter)}
    assert all(f"${col}$" not in f for f in scales)  # its own list, beside the scales' lists
    plain = load_workbook(write_template(tmp_path / "plain.xlsx", "v2"))
    assert f"{letter}3" not in _validations(plain["antwoorden"])  # without --teams: typed, as before
    assert {r[0]: r[1] for r in plain["bevraging"].iter_rows(min_row=2, values_only=True)}["teams"] is None


def test_a_round_entered_with_the_template_s_teams_validates(tmp_path):
    folder = tmp_path / "teams-2027"
    res = _cli("template", folder / "responses.xlsx", "--teams", "; ".join(TEAMS))
    assert res.returncode == 0, res.stderr
    path = folder / "responses.xlsx"
    wb = load_workbook(path)
    ws = wb["antwoorden"]
    header = [c.value for c in ws[1]]
    codes = generate(12, 7, V2, teams=TEAMS)
    for r, (_, row) in enumerate(codes.iterrows(), start=3):
        for c, column in enumerate(header, start=1):
            ws.cell(r, c, None if pd.isna(row[column]) else row[column] if column in ("respondent_id", "a03_team")
                    else int(row[column]))
    about = wb["bevraging"]
    for r in range(2, about.max_row + 1):
        value = {"title": "t", "organisation": "o", "fieldwork_period": "p", "clients_approached": 20}.get(
            about.cell(r, 1).value)
        if value is not None:
            about.cell(r, 2, value)
    wb.save(path)
    intake = read_intake(folder)
    assert intake.responses["a03_team"].tolist() == codes["a03_team"].tolist() and set(codes["a03_team"]) == set(TEAMS)


def test_the_readme_and_the_intake_guide_show_teams_as_the_verbs_take_it():
    root = Path(__file__).resolve().parents[1]
    for page in ("README.md", "docs/intake.md"):
        text = (root / page).read_text(encoding="utf-8")
        examples = re.findall(r'--teams "([^"]+)"', text.replace("\n", " "))
        assert examples and all(parse_teams(e) == ["Team Noord", "Team Zuid"] for e in examples), page
    for verb in ("questionnaire", "template"):  # the documented option exists on both verbs
        args = build_parser().parse_args([verb, "out", "--teams", "Team Noord; Team Zuid"])
        assert args.teams == ["Team Noord", "Team Zuid"]
