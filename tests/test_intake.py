import csv
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from analysis_utils.codebook import load_codebook
from analysis_utils.intake import IntakeError, Problem, read_intake

CB = load_codebook()


@pytest.fixture
def intake_copy(tmp_path, default_intake):
    """A writable copy of the default intake (a reconstructed intake comes with its reported.yaml)."""
    d = tmp_path / "genk-2015"
    d.mkdir()
    for name in ("intake.yaml", "responses.csv", "reported.yaml"):
        shutil.copy(default_intake / name, d)
    return d


def _problems(path) -> list[Problem]:
    with pytest.raises(IntakeError) as exc:
        read_intake(path)
    return exc.value.problems


def test_default_intake_reads_as_integer_codes(default_intake):
    intake = read_intake(default_intake)
    assert len(intake.responses) == 28
    assert list(intake.responses.columns) == ["respondent_id", *CB.item_ids]
    assert intake.responses["q08_satisfaction"].dtype == "Int64"
    assert intake.reconstructed


def test_semicolon_cp1252_labels_and_trailing_empty_rows_read_the_same(intake_copy, default_intake):
    ref = read_intake(default_intake).responses
    df = pd.read_csv(intake_copy / "responses.csv", dtype=str, keep_default_na=False)
    # Dutch labels in mixed case with spaces instead of codes for some items
    for item_id in ("q08_satisfaction", "q22_conflicts", "q01_gender"):
        scale = CB.scale_of(item_id)
        df[item_id] = [f"  {scale.label(int(v), 'nl').upper()} " if v else "" for v in df[item_id]]
    df["q21_information"] = [f"{v}.0" if v else "" for v in df["q21_information"]]  # as Excel saves numbers
    text = df.to_csv(index=False, sep=";") + ";" * (df.shape[1] - 1) + "\n\n"
    (intake_copy / "responses.csv").write_bytes(text.encode("cp1252"))
    got = read_intake(intake_copy).responses
    pd.testing.assert_frame_equal(got, ref)


def test_utf8_bom_is_accepted(intake_copy):
    raw = (intake_copy / "responses.csv").read_bytes()
    (intake_copy / "responses.csv").write_bytes(b"\xef\xbb\xbf" + raw)
    assert len(read_intake(intake_copy).responses) == 28


def test_xlsx_reads_the_same(intake_copy, default_intake):
    df = pd.read_csv(intake_copy / "responses.csv", dtype=str, keep_default_na=False)
    (intake_copy / "responses.csv").unlink()
    df.to_excel(intake_copy / "responses.xlsx", index=False, sheet_name="antwoorden")
    pd.testing.assert_frame_equal(read_intake(intake_copy).responses, read_intake(default_intake).responses)


def test_every_problem_is_reported_at_once_with_row_column_value(intake_copy):
    df = pd.read_csv(intake_copy / "responses.csv", dtype=str, keep_default_na=False)
    df.loc[2, "q08_satisfaction"] = "7"                 # spreadsheet row 4
    df.loc[5, "q16_autonomy"] = "misschien"             # row 7
    df.loc[9, "respondent_id"] = df.loc[8, "respondent_id"]  # rows 10 and 11
    df = df.drop(columns=["q14_sincere"]).assign(naam_cliënt="x")
    df.to_csv(intake_copy / "responses.csv", index=False)
    problems = _problems(intake_copy)
    text = "\n".join(map(str, problems))
    letter = {c: get_column_letter(j) for j, c in enumerate(df.columns, start=1)}  # as a spreadsheet shows the file
    # issue 27: the column's letter, its code and the Dutch question; the question's answers, not a scale's id
    assert (f"row 4, column {letter['q08_satisfaction']} (q08_satisfaction: “Ik ben tevreden over mijn maatschappelijk "
            "assistente:”): value '7': expected one of this question's answers, as its code or in words "
            "(1 = helemaal niet tevreden, 2 = eerder niet tevreden, 3 = voldoende, 4 = tevreden, 5 = zeer tevreden), "
            "or an empty cell — pick an answer from the list or type its code") in text
    assert "scale" not in text and "satisfaction5" not in text
    assert f"row 7, column {letter['q16_autonomy']} (q16_autonomy: “Ik vind dat ik voldoende zelfstandig" in text
    assert "this cell holds a text of 9 characters, not shown here" in text
    assert "misschien" not in text  # a value that is neither code nor label is described, not echoed
    assert "row 10, column A (respondent_id" in text and "row 11, column A (respondent_id" in text
    assert ("column q14_sincere (“Ik kan oprecht zijn tegen mijn maatschappelijk assistente:”): expected a column for "
            "this question (it is missing)") in text
    assert (f"row 1, column {letter['naam_cliënt']} (naam_cliënt): expected no column of direct identifiers: its "
            "header says it holds a name") in text
    assert all(str(intake_copy / "responses.csv") in str(p) for p in problems)


@pytest.mark.parametrize("item_id", ["q17_different_goals", "q12_comm_unclear"])
def test_pilot_answering_an_item_it_lacked_is_refused(intake_copy, item_id):
    df = pd.read_csv(intake_copy / "responses.csv", dtype=str, keep_default_na=False)
    pilot_row = df.index[df["a02_questionnaire_form"] == "1"][0]
    df.loc[pilot_row, item_id] = "1"
    df.to_csv(intake_copy / "responses.csv", index=False)
    [p] = _problems(intake_copy)
    assert (p.row, p.column) == (pilot_row + 2, item_id) and "pilot" in p.expected


def test_a_v2_pilot_asks_every_question_so_its_answers_are_accepted(tmp_path, root):
    """Review finding 1: only the 2015 pilot form (v1) lacked items; a v2 round that pilots its form
    prints and asks question 12 to everyone, so a pilot row's answers to it are kept."""
    folder = tmp_path / "example-v2"
    shutil.copytree(root / "data" / "raw" / "example-v2", folder)
    df = pd.read_csv(folder / "responses.csv", dtype=str, keep_default_na=False)
    df.loc[:2, "a02_questionnaire_form"] = "1"
    lacked_in_2015 = ["q12_comm_unclear", "q12_comm_awkward"]
    assert (df.loc[:2, lacked_in_2015] != "").all().all()
    df.to_csv(folder / "responses.csv", index=False)
    got = read_intake(folder).responses
    assert got["a02_questionnaire_form"].iloc[:3].eq(1).all()
    assert got[lacked_in_2015].iloc[:3].notna().all().all()


def test_follow_up_answered_without_its_lead_is_refused(intake_copy):
    df = pd.read_csv(intake_copy / "responses.csv", dtype=str, keep_default_na=False)
    never = df.index[df["q23_concealment"] == "1"][0]
    df.loc[never, "q23a_concealment_topic"] = "geld"
    df.to_csv(intake_copy / "responses.csv", index=False)
    [p] = _problems(intake_copy)
    assert p.column == "q23a_concealment_topic" and "asked only when question 23 (q23_concealment) is" in p.expected
    # either cell may be the slip: look on paper, never just empty the follow-up (a review of the fieldwork)
    lead = get_column_letter(list(df.columns).index("q23_concealment") + 1)
    assert p.todo == (f"check on the paper questionnaire which is right, this cell or column {lead} (q23_concealment), "
                      "and correct the other")


def test_a_missing_column_is_placed_after_the_column_before_it_not_in_a_row(intake_copy):
    """'row 1' sent whoever enters the data to the entry workbook's hidden row of codes."""
    df = pd.read_csv(intake_copy / "responses.csv", dtype=str, keep_default_na=False).drop(columns=["q14_sincere"])
    df.to_csv(intake_copy / "responses.csv", index=False)
    [p] = _problems(intake_copy)
    before = get_column_letter(list(df.columns).index("q13_ask_help_easily") + 1)
    assert p.row is None and p.column == "q14_sincere" and "row" not in str(p).split(" — ")[0].split(": ")[0]
    assert p.todo == f"add the column after column {before} (q13_ask_help_easily), as the entry template has it"


@pytest.mark.parametrize("content", [b"", b"\n\n", b"respondent_id\n"])
def test_empty_file(intake_copy, content):
    (intake_copy / "responses.csv").write_bytes(content)
    problems = _problems(intake_copy)
    assert any("respondent" in p.expected for p in problems)


def test_unreadable_xlsx(intake_copy):
    (intake_copy / "responses.csv").unlink()
    (intake_copy / "responses.xlsx").write_bytes(b"this is not a spreadsheet")
    [p] = _problems(intake_copy)
    assert "readable xlsx" in p.expected


def test_missing_files_and_bad_metadata(intake_copy):
    (intake_copy / "responses.csv").unlink()
    (intake_copy / "intake.yaml").write_text("id: other\ntitle: t\nsource: guess\nclients_approached: many\n")
    text = "\n".join(map(str, _problems(intake_copy)))
    assert "a responses.csv or responses.xlsx file" in text
    assert "key source: value 'guess'" in text
    assert "key clients_approached: value 'many': expected a whole number" in text
    assert "key id: value 'other': expected the folder's name" in text
    assert "key 'organisation' to be present" in text


def test_cli_exit_codes(intake_copy, root):
    ok = subprocess.run([sys.executable, "-m", "analysis_utils", "validate", str(intake_copy)],
                        capture_output=True, text=True, cwd=root)
    assert ok.returncode == 0, ok.stderr
    (intake_copy / "responses.csv").write_text("respondent_id,q99\nR1,1\n")
    bad = subprocess.run([sys.executable, "-m", "analysis_utils", "validate", str(intake_copy)],
                         capture_output=True, text=True, cwd=root)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "row 1, column B (q99): expected a column of questionnaire v1" in bad.stderr


# --- property-based: malformed intakes give messages, never a traceback -----------------------

cell = st.one_of(st.text(max_size=12), st.integers(-3, 99).map(str), st.sampled_from(["", "5", "zeker wel", "nan", "#N/A"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 27), st.sampled_from(CB.item_ids), cell), min_size=1, max_size=8))
def test_random_cell_edits_are_valid_or_reported(intake_copy, default_intake, edits):
    df = pd.read_csv(default_intake / "responses.csv", dtype=str, keep_default_na=False)
    for row, col, value in edits:
        df.loc[row, col] = value
    df.to_csv(intake_copy / "responses.csv", index=False, quoting=csv.QUOTE_ALL)
    try:
        read_intake(intake_copy)
    except IntakeError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file.endswith("responses.csv") and p.expected
            assert p.column in CB.item_ids or p.column == "respondent_id"
            assert 2 <= p.row <= 29


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise_anything_but_intake_error(intake_copy, content):
    (intake_copy / "responses.csv").write_bytes(content)
    with pytest.raises(IntakeError):
        read_intake(intake_copy)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(st.text(min_size=1, max_size=10).filter(lambda s: "," not in s and "\n" not in s and "\r" not in s and '"' not in s), min_size=1, max_size=5))
def test_wrong_headers_are_named(intake_copy, header):
    (intake_copy / "responses.csv").write_text(",".join(header) + "\n" + ",".join("1" for _ in header) + "\n")
    problems = _problems(intake_copy)
    # a header named at row 1, or (a header of separators only: no column at all) the file refused whole
    assert any(p.row == 1 for p in problems) or any("a header row" in p.expected for p in problems)
