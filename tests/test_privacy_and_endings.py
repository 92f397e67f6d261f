"""Issue 28: nothing of a person in any output, nothing done before validation, every way a run
can end leaves nothing behind.

Each case the issue lists is a test here (or, for the signals, in test_hostile's
``test_a_stop_signal_during_a_run_publishes_nothing_and_leaves_nothing``; for leftovers of any
intake, in test_pipeline): a person's data in odd formats, in the Dutch texts, the teams, the
folder's name, the respondent ids and the publication's texts; work before validation; intakes
``validate`` accepts that ``run`` failed on; compare's arguments, names, lock and leftovers; the
workbook's messages.
"""
import os
import subprocess
import sys
import time
import zipfile

import pandas as pd
import pytest
import yaml
from filelock import FileLock
from openpyxl import load_workbook

from analysis_utils.chapters.validation import validate_intake
from analysis_utils.intake import IntakeError, read_intake
from analysis_utils.intake.derive import clean
from analysis_utils.intake.privacy import identifier_kind, name_in, variants
from analysis_utils.makers.template import write_template
from analysis_utils.paths import comparison_name
from analysis_utils.present.escaping import md
from analysis_utils.run import kernels, pipeline, reuse

META = {"title": "Test round", "organisation": "OCMW test", "fieldwork_period": "2027",
        "clients_approached": 40, "questionnaire_version": "v1", "source": "survey"}


@pytest.fixture
def answers(default_intake) -> pd.DataFrame:
    return pd.read_csv(default_intake / "responses.csv", dtype=str, keep_default_na=False)


def _intake(folder, answers: pd.DataFrame, meta: dict | None = None):
    folder.mkdir(parents=True, exist_ok=True)
    meta = {**META, "id": folder.name, **(meta or {})}
    (folder / "intake.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    answers.to_csv(folder / "responses.csv", index=False)
    return folder


def _problems(folder) -> str:
    with pytest.raises(IntakeError) as exc:
        validate_intake(folder)
    return "\n".join(map(str, exc.value.problems))


def _cli(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis_utils", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


# --- 1. a person's data in odd formats ------------------------------------------------------------

ODD = {
    "name": "Bevraging van Els Janssens",
    "en-dashes": "gsm 0475–12–34–56",
    "zero-width spaces": "gsm 0475\u200b12\u200b34\u200b56",
    "no space": "gsm0475123456",
    "+32 (0)": "bel +32 (0)475 12 34 56",
    "area code in brackets": "tel (089) 65 43 21",
    "letter O for zero": "gsm O475 12 34 56",
    "reversed by a bidi override": "\u202e65 43 21 574 0",
    "full-width @": "els.janssens＠ocmw-genk.be",
    "spaced @": "els.janssens @ ocmw-genk",
    "(a)": "els.janssens (a) ocmw-genk",
    "%40": "els.janssens%40ocmw-genk.be",
    "&#64;": "els.janssens&#64;ocmw-genk.be",
    "no domain ending": "mail els.janssens@ocmw-genk",
    "nr. in an address": "Stalenstraat nr. 12",
    "a square": "Grote Markt 1",
    "IBAN": "rekening BE68539007547034",
    "IBAN in groups": "rekening BE68 5390 0754 7034",
    "national register number": "85.07.30-033.61",
}


@pytest.mark.parametrize("key", ["title", "organisation_nl", "fieldwork_period_nl", "source_note"])
@pytest.mark.parametrize("kind", list(ODD))
def test_a_persons_data_in_any_description_text_is_refused_and_not_echoed(tmp_path, answers, key, kind):
    secret = ODD[kind]
    text = _problems(_intake(tmp_path / "round-x", answers, {key: f"Ronde 2027 — {secret}"}))
    assert f"key {key}" in text and "no direct identifiers" in text
    shown = text.replace(str(tmp_path), "")
    assert not any(part in shown for part in secret.split() if len(part) > 3 and part not in ("Bevraging", "rekening", "mail"))


@pytest.mark.parametrize("text", ["OCMW Genk, team financiële hulpverlening", "maart 2015 - juni 2015", "2014-2015",
                                  "De hulpverleningsrelatie door de ogen van de cliënt — OCMW Genk, 2015",
                                  "28 van 40 benaderde cliënten", "versie v2 (1 januari 2027)", "Team Noord",
                                  "meer dan de helft at 1-2", "www.ocmw-genk.be"])
def test_ordinary_texts_are_not_taken_for_identifiers(text):
    assert identifier_kind(text, names=False) is None and not name_in(text)


def test_every_reading_is_scanned_and_none_is_shown():
    readings = variants("gsm O475\u200b–12–34–56")
    assert "gsm 0475-12-34-56" in readings  # invisible characters gone, dashes folded, the letter O read as 0


@pytest.mark.parametrize("key,value", [("organisation_nl", {"gsm": "0475 12 34 56"}),
                                       ("fieldwork_period_nl", ["85.07.30-033.61"]), ("title_nl", 475123456)])
def test_dutch_texts_that_are_not_text_are_refused_unprinted(tmp_path, answers, key, value):
    text = _problems(_intake(tmp_path / "round-x", answers, {key: value}))
    assert f"key {key}: expected a text" in text
    assert "0475" not in text and "033.61" not in text and "475123456" not in text


@pytest.mark.parametrize("teams,refused", [(["Els Janssens", "Jan Peeters"], True), (["Els", "Team Zuid"], True),
                                           (["Team Noord", "Team Zuid"], False), (["Waterschei", "Winterslag"], False)])
def test_declared_teams_that_are_names_are_refused(tmp_path, root, teams, refused):
    folder = tmp_path / "round-2027"
    folder.mkdir()
    for name in ("intake.yaml", "responses.csv"):
        (folder / name).write_bytes((root / "data/raw/example-v2" / name).read_bytes())
    meta = yaml.safe_load((folder / "intake.yaml").read_text("utf-8"))
    df = pd.read_csv(folder / "responses.csv", dtype=str, keep_default_na=False)
    old = sorted(set(df["a03_team"]))
    df["a03_team"] = df["a03_team"].map(dict(zip(old, teams)))
    df.to_csv(folder / "responses.csv", index=False)
    (folder / "intake.yaml").write_text(yaml.safe_dump({**meta, "id": folder.name, "teams": teams}, allow_unicode=True))
    if not refused:
        assert read_intake(folder).meta["teams"] == teams
        return
    with pytest.raises(IntakeError) as exc:
        read_intake(folder)
    text = "\n".join(map(str, exc.value.problems))
    assert "key teams (entry 1): expected a team or site name: no person's name" in text and "Janssens" not in text


def test_teams_declared_in_the_workbook_are_checked_too(tmp_path):
    folder = tmp_path / "round-2027"
    path = write_template(folder / "responses.xlsx", "v2")
    wb = load_workbook(path)
    ws = wb["bevraging"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == "teams":
            ws.cell(r, 2, "Els Janssens; Jan Peeters")
    wb.save(path)
    with pytest.raises(IntakeError) as exc:
        read_intake(folder)
    assert any("teams (entry 1)" in str(p) and "no person's name" in str(p) for p in exc.value.problems)


def test_a_phrase_confirmed_as_no_name_passes_and_the_report_says_so(tmp_path, answers):
    from analysis_utils.present.narrative.cleaning import validation_summary

    folder = _intake(tmp_path / "round-x", answers, {"organisation": "OCMW met Maria Middelares"})
    assert "looks like a person's name" in _problems(folder)
    _intake(folder, answers, {"organisation": "OCMW met Maria Middelares", "not_a_name": ["Maria Middelares"]})
    intake = validate_intake(folder)
    assert "these phrases are no person's name: “Maria Middelares”" in validation_summary(intake)
    _intake(folder, answers, {"organisation": "OCMW", "not_a_name": ["gsm 0475 12 34 56"]})
    assert "key not_a_name (entry 1): expected a phrase with no direct identifier" in _problems(folder)


@pytest.mark.parametrize("folder_name", ["85.07.30-033.61", "els-janssens", "jan_peeters_2027", "0475123456"])
def test_a_folder_name_holding_a_person_is_refused_and_never_repeated(tmp_path, root, answers, folder_name):
    folder = _intake(tmp_path / "raw" / folder_name, answers)
    res = _cli("run", folder, "--reports-root", tmp_path / "reports", "--processed-root", tmp_path / "processed", cwd=root)
    assert res.returncode == 2 and "holds no identifier or person's name" in res.stderr
    assert folder_name not in res.stderr + res.stdout
    assert not (tmp_path / "reports").exists() and not (tmp_path / "processed").exists()  # no lock, no folder


@pytest.mark.parametrize("secret", ["Janssens1", "JP120361", "0475R123456", "850730X03361"])
def test_respondent_ids_that_could_name_someone_are_refused(tmp_path, answers, secret):
    data = answers.copy()
    data.loc[2, "respondent_id"] = secret
    text = _problems(_intake(tmp_path / "round-x", data))
    assert "row 4, column A (respondent_id: “Volgnummer van de vragenlijst”)" in text and secret not in text


def test_the_raw_respondent_ids_never_leave_data_raw(tmp_path, answers):
    data = answers.copy()
    data["respondent_id"] = [f"X{900 - i}" for i in range(len(data))]  # the ids a team used
    intake = read_intake(_intake(tmp_path / "round-x", data))
    processed = clean(intake.responses, intake.codebook)
    assert processed["respondent_id"].tolist() == [f"R{i:03d}" for i in range(1, len(data) + 1)]
    assert not set(processed["respondent_id"]) & set(data["respondent_id"])


def test_the_publications_texts_are_scanned(tmp_path, default_intake):
    folder = tmp_path / "genk-2015"
    folder.mkdir()
    for name in ("intake.yaml", "responses.csv", "reported.yaml"):
        (folder / name).write_bytes((default_intake / name).read_bytes())
    facts = yaml.safe_load((folder / "reported.yaml").read_text("utf-8"))
    facts["facts"][3]["quote"] = "zei Els Janssens (gsm 0475 12 34 56)"
    facts.setdefault("claims", []).append({"id": "x", "says": "contact: an.peeters@ocmw-genk.be", "quote": "x", "line": 1})
    (folder / "reported.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    text = _problems(folder)
    assert "reported.yaml, key facts[3].quote: expected no direct identifiers" in text
    assert "key claims[" in text and "Janssens" not in text and "peeters" not in text


def test_addresses_in_intake_texts_are_shown_as_text_never_as_links():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    page = markdown2html_mistune(md("Ronde van https://evil.example/x en www.evil.example"))
    assert "<a" not in page and "https://evil.example/x" in page.replace("&#47;", "/")


# --- 2. validate first, then touch anything -------------------------------------------------------

def test_a_folder_named_star_touches_no_other_intakes_run(tmp_path, root, answers):
    reports, processed = tmp_path / "reports", tmp_path / "processed"
    other = processed / ".genk-2015.build-inprogress"
    other.mkdir(parents=True)
    reports.mkdir()
    with FileLock(str(reports / ".genk-2015.lock")):  # that run is in progress
        res = _cli("run", _intake(tmp_path / "raw" / "*", answers), "--reports-root", reports,
                   "--processed-root", processed, cwd=root)
    assert res.returncode == 2 and other.is_dir()
    assert sorted(p.name for p in reports.iterdir()) == [".genk-2015.lock"]  # no lock of its own either


def test_only_the_intakes_files_are_hashed_and_their_sizes_come_first(tmp_path, answers, default_intake):
    folder = _intake(tmp_path / "round-x", answers)
    keys = reuse.stage_keys(folder, pipeline.stage_notebooks(), "en")
    with open(folder / "notes.bin", "wb") as f:  # 2 GB beside the answers, sparse: never read
        f.truncate(2 << 30)
    assert reuse.stage_keys(folder, pipeline.stage_notebooks(), "en") == keys
    with open(folder / "responses.csv", "ab") as f:
        f.truncate(64 << 20)  # an answers file far over its bound: refused before a byte is hashed
    start = time.perf_counter()
    with pytest.raises(IntakeError, match="a file of at most 10,240 KB"):
        pipeline.run(folder, reports_root=tmp_path / "r", processed_root=tmp_path / "p", log=lambda s: None)
    assert time.perf_counter() - start < 1 and not (tmp_path / "r").exists()


def test_a_workbook_whose_texts_are_huge_is_refused_before_it_is_opened(tmp_path):
    folder = tmp_path / "round-x"
    folder.mkdir()
    strings = "".join(f"<si><t>{i:07d}</t></si>" for i in range(600_000))  # 13 MB unpacked, small packed
    with zipfile.ZipFile(folder / "responses.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/sharedStrings.xml", f'<sst count="600000" uniqueCount="600000">{strings}</sst>')
    assert (folder / "responses.xlsx").stat().st_size < 10 << 20
    start = time.perf_counter()
    with pytest.raises(IntakeError) as exc:
        read_intake(folder)
    assert time.perf_counter() - start < 2
    assert any("a workbook whose texts take at most" in str(p) for p in exc.value.problems)


# --- 3. validate 0 => run 0 --------------------------------------------------------------------------

def test_what_validate_accepts_runs(tmp_path, root, kernels):
    """A v2 round whose teams are all below the small-cell threshold, with a reported.yaml that
    has neither claims nor a percent fact: validate accepts it, and the run succeeds."""
    folder = tmp_path / "raw" / "small-round"
    folder.mkdir(parents=True)
    df = pd.read_csv(root / "data/raw/example-v2/responses.csv", dtype=str, keep_default_na=False).head(8)
    df.to_csv(folder / "responses.csv", index=False)
    meta = yaml.safe_load((root / "data/raw/example-v2/intake.yaml").read_text("utf-8"))
    meta.update(id="small-round", clients_approached=20, source="survey")
    (folder / "intake.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    (folder / "reported.yaml").write_text('facts: [{id: n_respondents, provenance: count, reported: "8", where: {}, '
                                          'op: "==", value: 8}]\n', encoding="utf-8")
    assert _cli("validate", folder, cwd=root).returncode == 0
    index = pipeline.run(folder, "nl", reports_root=tmp_path / "r", processed_root=tmp_path / "p", log=lambda s: None,
                         kernels=kernels)
    page = (index.parent / "02_descriptives.html").read_text("utf-8")
    assert "De antwoorden worden niet per team of vestiging getoond" in page


def test_a_reconstructed_intake_without_its_publication_is_refused(tmp_path, default_intake, root):
    folder = tmp_path / "genk-2015"
    folder.mkdir()
    for name in ("intake.yaml", "responses.csv", "reconstruction.yaml"):
        (folder / name).write_bytes((default_intake / name).read_bytes())
    res = _cli("validate", folder, cwd=root)
    assert res.returncode == 2 and "expected a reported.yaml beside the answers" in res.stderr


# --- 4. endings: kernel connection files -------------------------------------------------------------

def test_kernel_connection_files_live_in_the_runs_folder_and_stale_ones_go(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    km = kernels.new_kernel_manager()
    assert km.connection_file.startswith(str(tmp_path / f"{kernels.CONNECTION_PREFIX}{os.getpid()}"))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"{kernels.CONNECTION_PREFIX}{dead.stdout.strip()}"
    stale.mkdir()
    (stale / "kernel-x.json").write_text("{}")
    assert kernels.remove_stale_connection_dirs() == [stale]
    assert (tmp_path / f"{kernels.CONNECTION_PREFIX}{os.getpid()}").is_dir()  # this process's own stays


# --- 5. compare as robust as run -------------------------------------------------------------------

def test_comparison_names_are_unambiguous_and_short():
    assert comparison_name(["a-b", "c"]) != comparison_name(["a", "b-c"])
    long = comparison_name(["x" * 64] * 4)
    assert len(long) < 255 and long != comparison_name(["x" * 64] * 3 + ["x" * 63 + "y"])


@pytest.mark.parametrize("case", ["one folder", "the same folder twice", "the same id under two parents"])
def test_compare_refuses_bad_arguments_with_exit_2(tmp_path, root, default_intake, case):
    other = tmp_path / "elsewhere" / "genk-2015"
    if case == "the same id under two parents":
        other.mkdir(parents=True)
        for name in ("intake.yaml", "responses.csv", "reported.yaml"):
            (other / name).write_bytes((default_intake / name).read_bytes())
    args = {"one folder": [default_intake], "the same folder twice": [default_intake, default_intake],
            "the same id under two parents": [default_intake, other]}[case]
    res = _cli("compare", *args, "--reports-root", tmp_path / "reports", cwd=root)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and not list((tmp_path / "reports").glob("compare-*"))


def test_a_comparison_in_progress_is_not_raced(tmp_path, root):
    from analysis_utils.run.comparison import compare
    from analysis_utils.run.publish import RunInProgress

    reports = tmp_path / "reports"
    reports.mkdir()
    with FileLock(str(reports / ".compare-genk-2015+example-v2.lock")), pytest.raises(RunInProgress):
        compare([root / "data/raw/genk-2015", root / "data/raw/example-v2"], reports_root=reports, log=lambda s: None)


# --- 6. workbook messages ------------------------------------------------------------------------------

def _workbook_round(tmp_path, values: dict, extra_rows: list | None = None):
    folder = tmp_path / "round-2027"
    path = write_template(folder / "responses.xlsx", "v2")
    wb = load_workbook(path)
    ws = wb["bevraging"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value in values:
            ws.cell(r, 2, values[ws.cell(r, 1).value])
    for key, value in extra_rows or []:
        ws.append([key, value])
    wb.save(path)
    with pytest.raises(IntakeError) as exc:
        read_intake(folder)
    return [str(p) for p in exc.value.problems]


def test_a_wrong_version_in_the_workbook_names_the_sheet_and_row_not_intake_yaml(tmp_path):
    problems = _workbook_round(tmp_path, {"questionnaire_version": "v9"})
    version = [p for p in problems if "questionnaire_version" in p]
    assert version and "(sheet bevraging), row" in version[0] and "intake.yaml" not in version[0]


def test_a_date_in_a_text_cell_is_refused_without_advice_about_quotes_and_unprinted(tmp_path):
    import datetime as dt

    problems = _workbook_round(tmp_path, {"title": "Ronde 2027"}, [("title_nl", dt.datetime(1961, 3, 12))])
    [date] = [p for p in problems if "title_nl" in p]
    assert "a date or time" in date and "format the cell as Text" in date
    assert "1961" not in date and "quotes" not in date


def test_a_key_on_two_rows_is_refused(tmp_path):
    problems = _workbook_round(tmp_path, {"title": "Ronde 2027"}, [("title", "Nog een titel")])
    assert any("key title: expected each key on one row only (it is on row" in p for p in problems)
