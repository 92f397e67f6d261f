"""Issue 27 §2: the questionnaire on tablets — the XLSForm (checked by pyxform, the ODK project's
converter) and its exports from KoboToolbox and ODK Central read as intakes, with the platforms'
metadata dropped before anything reaches data/processed/ or reports/.

The export fixtures follow the platforms' documented formats: see tests/export_fixtures.py for
the sources (support.kobotoolbox.org/export_download.html, .../advanced_export.html,
docs.getodk.org/central-submissions/#central-submissions-export-options, and the platforms' own
export tests)."""
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from export_fixtures import (
    CENTRAL_META,
    DEVICE,
    FORM_META,
    KOBO_META,
    SUBMITTER_NAME,
    SUBMITTER_USER,
    write_kobo_csv,
    write_kobo_xlsx_labels,
    write_odk_central_csv,
)
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from analysis_utils.codebook import load_codebook
from analysis_utils.intake import IntakeError, read_intake
from analysis_utils.intake.derive import clean
from analysis_utils.intake.export import METADATA, detect, is_metadata
from analysis_utils.makers.xlsform import LANGUAGES, check_xlsform, write_xlsform

V2 = load_codebook("v2")


def _sheet(path, name) -> list[dict]:
    ws = load_workbook(path)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_xlsform_converts_without_warnings(tmp_path, version):
    path = write_xlsform(tmp_path / f"xlsform-{version}.xlsx", version)
    assert check_xlsform(path) == []
    if shutil.which("java"):  # ODK Validate, the Java checker pyxform ships, as ODK Central runs it
        assert check_xlsform(path, odk_validate=True) == []


def test_the_xlsform_asks_every_item_once_with_codebook_choices_routing_and_two_languages(tmp_path):
    path = write_xlsform(tmp_path / "xlsform-v2.xlsx", "v2")
    survey, choices, settings = _sheet(path, "survey"), _sheet(path, "choices"), _sheet(path, "settings")
    questions = [r for r in survey if r["type"] not in ("note", "begin_group", "end_group")]
    assert [r["name"] for r in questions] == V2.item_ids  # one question per item, in the codebook's order
    nl, en = (f"label::{LANGUAGES[lang]}" for lang in ("nl", "en"))
    assert nl == "label::Nederlands (nl)" and en == "label::English (en)"
    assert settings[0]["default_language"] == "Nederlands (nl)"
    for row in questions:
        item = V2.item(row["name"])
        assert row[nl] == (item.label_nl if item.group else item.wording_nl) and row[en]
        if item.coded:
            assert row["type"] == f"select_one {item.scale.id}"
            listed = [(c["name"], c[nl], c[en]) for c in choices if c["list_name"] == item.scale.id]
            assert listed == [(str(k), item.scale.label(k, "nl"), item.scale.label(k, "en")) for k in item.scale.codes]
    relevant = {r["name"]: r["relevant"] for r in questions}
    assert relevant["q23a_concealment_topic"] == ("${q23_concealment} = '2' or ${q23_concealment} = '3' or "
                                                  "${q23_concealment} = '4'")
    assert relevant["q12_comm_unclear"] is None  # a v2 pilot asks it: only 2015's pilot form lacked it
    assert not any("a02_questionnaire_form" in (r or "") for r in relevant.values())
    assert relevant["q08_satisfaction"] is None
    assert not {r["type"] for r in survey} & {"start", "end", "deviceid", "username", "phonenumber", "email"}
    xform = convert(xlsform=str(path), warnings=[]).xform
    assert '<translation lang="Nederlands (nl)" default="true()">' in xform and '<translation lang="English (en)">' in xform
    assert "Uw naam staat nergens op deze vragenlijst" in xform  # the introduction promises anonymity


GRIDS = ("fig10_emotions", "fig11_expectations", "fig12_communication")


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_grid_s_screen_opens_with_a_note_to_answer_every_line(tmp_path, version):
    """A group's hint is shown by neither ODK Collect nor Enketo (pyxform puts it nowhere in the
    form's body): the line is a note, the first row of the grid's group, and visible in the XForm."""
    path = write_xlsform(tmp_path / f"xlsform-{version}.xlsx", version)
    survey = _sheet(path, "survey")
    nl, en = f"label::{LANGUAGES['nl']}", f"label::{LANGUAGES['en']}"
    opened = {r["name"]: survey[k + 1] for k, r in enumerate(survey) if r["type"] == "begin_group"}
    notes = {g: (opened[f"group_{g}"]["type"], opened[f"group_{g}"]["name"], opened[f"group_{g}"][nl],
                 opened[f"group_{g}"][en]) for g in GRIDS}
    assert notes == {g: ("note", f"each_line_{g}", "Zet op elke regel één kruisje.", "Tick one box on every line.")
                     for g in GRIDS}
    assert not any(r[f"hint::{LANGUAGES['nl']}"] for r in survey if r["type"] == "begin_group")  # shown nowhere
    assert not {f"each_line_{g}" for g in GRIDS} & set(load_codebook(version).item_ids)
    xform = convert(xlsform=str(path), warnings=[]).xform
    body = xform[xform.index("<h:body>"):]  # each note in the form's body, with its text in both languages
    assert all(f"<input ref=\"/data/group_{g}/each_line_{g}\"><label ref=\"jr:itext('/data/group_{g}/each_line_{g}:label')\"/>"
               in body for g in GRIDS)
    assert "<value>Zet op elke regel één kruisje.</value>" in xform and "<value>Tick one box on every line.</value>" in xform


@pytest.mark.parametrize("writer, sep", [(write_odk_central_csv, "-"), (write_kobo_csv, "/")])
def test_an_export_with_the_grids_note_columns_reads_them_as_notes(tmp_path, writer, sep):
    """ODK Central exports a note as an (empty) column; so may KoboToolbox: dropped unread."""
    folder = tmp_path / "with-notes"
    codes = writer(folder, n=12)
    export = next(folder.glob("*.csv"))
    delimiter = ";" if writer is write_kobo_csv else ","
    df = pd.read_csv(export, dtype=str, keep_default_na=False, sep=delimiter)
    notes = [f"group_{g}{sep}each_line_{g}" for g in GRIDS]
    for g, note in zip(GRIDS, notes):
        df.insert(list(df.columns).index(next(c for c in df.columns if f"group_{g}{sep}" in c)), note, "")
    df.to_csv(export, index=False, sep=delimiter)
    intake = read_intake(folder)
    assert set(notes) <= set(intake.export.dropped)
    _assert_read_as_written(intake, codes)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_interviewer_s_group_comes_before_the_client_s_introduction_as_on_paper(tmp_path, version):
    survey = _sheet(write_xlsform(tmp_path / f"xlsform-{version}.xlsx", version), "survey")
    order = [r["name"] or r["type"] for r in survey]
    admin = [i.id for i in load_codebook(version).section("administration")]
    assert order[:len(admin) + 4] == ["group_administration", *admin, "end_group", "intro", "group_demographics"]
    assert order[-1] == "slot"


def test_only_v1_skips_what_the_2015_pilot_form_did_not_ask(tmp_path):
    survey = _sheet(write_xlsform(tmp_path / "xlsform-v1.xlsx", "v1"), "survey")
    pilot = {r["name"] for r in survey if "${a02_questionnaire_form} != '1'" in (r["relevant"] or "")}
    assert pilot == {"q12_comm_unclear", "q12_comm_awkward", "q17_different_goals"}


# --- exports as intakes --------------------------------------------------------------------------

IDENTIFYING = (SUBMITTER_USER, SUBMITTER_NAME, DEVICE, "uuid:", "submitted_via_web", "vbKavWWCpgBCZms6hQX4FN")


def _assert_read_as_written(intake, codes: pd.DataFrame) -> None:
    got = intake.responses
    assert got["respondent_id"].tolist() == [f"R{i:03d}" for i in range(1, len(codes) + 1)]  # made from the rows
    for item in V2.items:
        want = codes[item.id].astype("string" if not item.coded else "Int64").reset_index(drop=True)
        have = got[item.id].reset_index(drop=True)
        assert have.astype(str).tolist() == want.astype(str).tolist(), item.id


def _assert_nothing_identifying(frame: pd.DataFrame, dropped) -> None:
    text = frame.to_csv(index=False)
    assert not set(frame.columns) & set(dropped)
    assert not any(value in text for value in IDENTIFYING), [v for v in IDENTIFYING if v in text]


def test_a_kobotoolbox_csv_export_reads_as_an_intake_and_its_metadata_is_dropped(tmp_path):
    folder = tmp_path / "kobo-2027"
    codes = write_kobo_csv(folder)
    intake = read_intake(folder)
    assert intake.export.format == "kobotoolbox" and intake.export.file.endswith(".csv")
    assert list(intake.export.dropped) == ["start", "end", "deviceid", "username", *KOBO_META]
    _assert_read_as_written(intake, codes)
    _assert_nothing_identifying(clean(intake.responses, intake.codebook), intake.export.dropped)


def test_a_kobotoolbox_export_with_labels_as_headers_and_values_reads_as_an_intake(tmp_path):
    folder = tmp_path / "kobo-labels"
    codes = write_kobo_xlsx_labels(folder)
    intake = read_intake(folder)
    assert list(intake.export.dropped) == KOBO_META
    _assert_read_as_written(intake, codes)
    _assert_nothing_identifying(clean(intake.responses, intake.codebook), intake.export.dropped)


def test_an_odk_central_export_reads_as_an_intake_and_its_metadata_is_dropped(tmp_path):
    folder = tmp_path / "odk-2027"
    codes = write_odk_central_csv(folder)
    intake = read_intake(folder)
    assert intake.export.format == "odk-central"
    assert list(intake.export.dropped) == ["SubmissionDate", *FORM_META, *CENTRAL_META]
    _assert_read_as_written(intake, codes)
    _assert_nothing_identifying(clean(intake.responses, intake.codebook), intake.export.dropped)


def test_metadata_cells_are_never_read(tmp_path):
    """A platform's column may hold what no answer cell may (a long list of attachments; Central's
    DeviceID beside a form's own deviceid): left unread, it is neither a problem nor kept."""
    folder = tmp_path / "odk-long"
    write_odk_central_csv(folder, n=10)
    export = next(folder.glob("*.csv"))
    df = pd.read_csv(export, dtype=str, keep_default_na=False)
    df["AttachmentsPresent"] = "x" * 400  # longer than any answer cell may be
    df.to_csv(export, index=False)
    intake = read_intake(folder)
    assert {"deviceid", "DeviceID", "AttachmentsPresent"} <= set(intake.export.dropped)
    assert len(intake.responses) == 10


def test_an_export_is_recognised_by_its_columns_without_the_key(tmp_path):
    folder = tmp_path / "kobo-plain"
    write_kobo_csv(folder, n=12, declare=False)
    export = next(folder.glob("*.csv"))
    export.rename(folder / "responses.csv")  # without `export:` the answers file has its usual name
    intake = read_intake(folder)
    assert intake.export.format == "kobotoolbox" and len(intake.responses) == 12


def test_an_unknown_platform_or_two_export_files_are_refused(tmp_path):
    folder = tmp_path / "kobo-bad"
    write_kobo_csv(folder, n=8)
    (folder / "intake.yaml").write_text((folder / "intake.yaml").read_text().replace("export: kobotoolbox",
                                                                                     "export: surveymonkey"))
    with pytest.raises(IntakeError) as exc:
        read_intake(folder)
    assert any(p.column == "export" and "kobotoolbox, odk-central" in p.expected for p in exc.value.problems)
    folder = tmp_path / "odk-two"
    write_odk_central_csv(folder, n=8)
    shutil.copy(next(folder.glob("*.csv")), folder / "second.csv")
    with pytest.raises(IntakeError) as exc:
        read_intake(folder)
    assert "one answers file (.csv or .xlsx), the export of odk-central (found 2)" in str(exc.value)


def test_an_identifying_column_a_team_added_to_the_form_is_still_refused(tmp_path):
    """Dropping is for the platforms' own columns: a question a team added to the form, such as a
    name, is no metadata and is refused as in any intake, its cells never printed."""
    folder = tmp_path / "odk-naam"
    write_odk_central_csv(folder, n=8)
    export = next(folder.glob("*.csv"))
    df = pd.read_csv(export, dtype=str, keep_default_na=False)
    df.insert(3, "group_demographics-naam", "Marie Peeters")
    df.to_csv(export, index=False)
    with pytest.raises(IntakeError) as exc:
        read_intake(folder)
    assert any("holds a name" in p.expected for p in exc.value.problems)
    assert "Marie Peeters" not in str(exc.value)


def test_metadata_is_recognised_by_the_platforms_documented_names():
    for fmt, names in METADATA.items():
        assert all(is_metadata(n, fmt) for n in names)
    assert is_metadata("_xform_id_string", "kobotoolbox") and is_metadata("meta/rootUuid", "kobotoolbox")
    assert not any(is_metadata(i, fmt) for i in V2.item_ids for fmt in METADATA)
    assert detect(["a", "_uuid", "_submission_time"]) == "kobotoolbox"
    assert detect(["SubmissionDate", "q01_gender", "KEY"]) == "odk-central"
    assert detect(["respondent_id", "q01_gender"]) is None


def _make_tablet_round(out: Path, kernels) -> dict:
    from analysis_utils.run import (
        pipeline,  # the notebook machinery: only this test of the file runs it
    )

    folder = out / "raw" / "odk-2027"
    write_odk_central_csv(folder)
    index = pipeline.run(folder, lang="nl", reports_root=out / "reports", processed_root=out / "processed",
                         log=lambda s: None, kernels=kernels)
    return {"out": str(out), "index": str(index)}


def test_a_tablet_round_runs_and_no_metadata_reaches_processed_data_or_reports(shared, kernels):
    run = shared("tablet-round", lambda out: _make_tablet_round(out, kernels))
    out, index = Path(run["out"]), Path(run["index"])
    written = [p for p in (out / "processed").rglob("*") if p.is_file()] + \
              [p for p in (out / "reports").rglob("*") if p.is_file() and p.suffix in (".csv", ".html", ".json")]
    assert written
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert not any(value in text for value in IDENTIFYING), path
        if path.suffix == ".csv":
            assert not set(pd.read_csv(path, nrows=0).columns) & {*CENTRAL_META, "SubmissionDate", *FORM_META}, path
    cleaning = (index.parent / "01_cleaning.html").read_text(encoding="utf-8")
    assert "De antwoorden zijn een export van ODK Central" in cleaning and "<code>SubmitterName</code>" in cleaning
    manifest = json.loads((out / "processed" / "odk-2027" / "manifest.json").read_text())
    assert manifest["export"]["format"] == "odk-central" and "SubmitterName" in manifest["export"]["dropped_columns"]
