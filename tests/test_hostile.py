"""Issue 11: hostile input, privacy and faults.

Pathological intakes are validated in bounded time and memory or refused (exit 2, never a
traceback); identifiers are caught where they hide and never echoed, labels are not mistaken
for names; no script or formula from an intake reaches an output; an interrupted or killed run
publishes all or nothing.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from analysis_utils.chapters.files import neutralise_csv
from analysis_utils.chapters.validation import validate_intake
from analysis_utils.cli import SCREENFUL
from analysis_utils.intake import IntakeError, read_intake
from analysis_utils.intake.privacy import identifier_kind
from analysis_utils.present.escaping import md, sanitise_page
from analysis_utils.run import kernels, pipeline, publish, render

META = {"id": "round-x", "title": "Test round", "organisation": "OCMW test", "fieldwork_period": "2027",
        "clients_approached": 40, "questionnaire_version": "v1", "source": "survey"}


@pytest.fixture
def answers(default_intake) -> pd.DataFrame:
    return pd.read_csv(default_intake / "responses.csv", dtype=str, keep_default_na=False)


def _intake(folder, answers: pd.DataFrame | None = None, meta: dict | None = None, yaml_text: str | None = None):
    folder.mkdir(parents=True, exist_ok=True)
    if yaml_text is None:
        yaml_text = yaml.safe_dump({**META, "id": folder.name, **(meta or {})}, allow_unicode=True)
    (folder / "intake.yaml").write_text(yaml_text, encoding="utf-8")
    if answers is not None:
        answers.to_csv(folder / "responses.csv", index=False)
    return folder


def _problems(folder) -> str:
    """Every problem ``validate`` finds (the intake's own, then its publication tried as the stages use it)."""
    with pytest.raises(IntakeError) as exc:
        validate_intake(folder)
    return "\n".join(map(str, exc.value.problems))


def _validate(folder):
    """The CLI's ``validate`` through its entry point, in this process: (exit status, what it wrote
    to stderr). ``python -m analysis_utils`` exits with what ``main`` returns (test_intake runs it
    as a process; the pathological intakes below run in a child of their own)."""
    import contextlib
    import io

    from analysis_utils.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["validate", str(folder)])
    return status, err.getvalue()


# --- 1. bounded time and memory -----------------------------------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))


def _xlsx_with(tmp_path, answers, name, cells, extra=None):
    """An xlsx intake of ``answers``, q08 of rows 2, 3, ... set to ``cells``, any (row, column) in ``extra``."""
    folder = _intake(tmp_path / name)
    wb = Workbook()
    ws = wb.active
    ws.title = "antwoorden"
    for c, h in enumerate(answers.columns, start=1):
        ws.cell(1, c, h)
    for r, row in enumerate(answers.itertuples(index=False), start=2):
        for c, v in enumerate(row, start=1):
            if v != "":
                ws.cell(r, c, int(v) if v.isdigit() else v)
    col = list(answers.columns).index("q08_satisfaction") + 1
    for i, value in enumerate(cells):
        ws.cell(2 + i, col, value)
    for (r, c), value in (extra or {}).items():
        ws.cell(r, c, value)
    wb.save(folder / "responses.xlsx")
    return folder


def _pathological(tmp_path, answers):
    """(name, folder) of intakes that once hung, grew to gigabytes or crashed."""
    cases = []
    cases.append(("yaml aliases", _intake(tmp_path / "aliases", answers, yaml_text=LAUGHS)))
    cases.append(("deep yaml", _intake(tmp_path / "deep", answers, yaml_text="a: " + "[" * 20000 + "]" * 20000)))
    long = answers.copy()
    long.loc[3, "q08_satisfaction"] = "a" * 100_000
    cases.append(("100,000-character cell", _intake(tmp_path / "long-cell", long)))
    at = answers.copy()
    at.loc[3, "q08_satisfaction"] = "a@" * 500_000 + "b"
    cases.append(("1 MB e-mail-like cell", _intake(tmp_path / "email-cell", at)))
    huge = tmp_path / "huge-line"
    _intake(huge)
    (huge / "responses.csv").write_text("respondent_id,q08_satisfaction\nR01," + "x" * 5_000_000 + "\n")
    cases.append(("5 MB line", huge))
    cases.append(("stray cell at row 1,048,576", _xlsx_with(tmp_path, answers, "stray", [], {(1_048_576, 2): "x"})))
    junk = _intake(tmp_path / "junk")  # 10 MB of distinct texts: every cell a problem
    rows, width = 21_000, len(answers.columns) - 1
    letters = np.random.default_rng(0).integers(ord("a"), ord("z") + 1, size=8 * width * rows, dtype=np.uint8).tobytes().decode()
    cells = [letters[i:i + 8] for i in range(0, len(letters), 8)]
    line = lambda i: ",".join([f"R{i}", *cells[i * width:(i + 1) * width]])
    (junk / "responses.csv").write_text("\n".join([",".join(answers.columns), *(line(i) for i in range(rows))]))
    cases.append(("10 MB of junk", junk))
    wide = _intake(tmp_path / "wide")
    (wide / "responses.csv").write_text(",".join(f"c{i}" for i in range(20_000)) + "\n" + "1," * 19_999 + "1\n")
    cases.append(("20,000 columns", wide))
    return cases


# validate each folder through the CLI's own entry point, in one child process (one start-up for
# them all): its exit status, what it wrote to stderr, its wall time, and the child's peak memory
# so far (ru_maxrss only grows: each intake is measured with every one before it)
_VALIDATE_EACH = """
import contextlib, io, json, resource, sys, time, traceback
from analysis_utils.cli import main
out = []
for folder in sys.argv[1:]:
    err = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = main(["validate", folder])
        except SystemExit as exc:
            status = exc.code
        except BaseException:
            status, _ = None, err.write(traceback.format_exc())
    out.append([status, err.getvalue(), time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024])
print(json.dumps(out))
"""


def test_pathological_intakes_are_refused_within_bounds(tmp_path, root, answers):
    cases = _pathological(tmp_path, answers)
    child = subprocess.run([sys.executable, "-c", _VALIDATE_EACH, *(str(folder) for _, folder in cases)], cwd=root,
                           capture_output=True, text=True, timeout=30 * len(cases))
    assert child.returncode == 0, child.stderr[-2000:]
    results = json.loads(child.stdout)
    assert len(results) == len(cases)
    for (name, _), (status, err, wall, peak) in zip(cases, results):
        assert status == 2, (name, err[-500:])
        assert "Traceback" not in err, name
        assert wall < 10, f"{name}: {wall:.1f} s"
        assert peak < 500, f"{name}: {peak:.0f} MB"
        assert len(err.splitlines()) <= SCREENFUL + 2 and len(err) < 20_000, f"{name}: {len(err)} characters"
        assert "xxxxxxxxxx" not in err and "aaaaaaaaaa" not in err, name


def test_aliases_and_nesting_are_named(tmp_path, answers):
    assert "no YAML anchors or aliases" in _problems(_intake(tmp_path / "a", answers, yaml_text=LAUGHS))
    assert "levels of nesting" in _problems(_intake(tmp_path / "b", answers, yaml_text="a: " + "[" * 50 + "]" * 50))


def test_at_most_a_screenful_of_problems_is_printed(tmp_path, root, answers):
    bad = answers.copy()
    columns = ["q08_satisfaction", "q09_trust_bond", "q13_ask_help_easily", "q14_sincere"]
    bad[columns] = "9"
    status, err = _validate(_intake(tmp_path / "many", bad))
    assert status == 2
    lines = err.strip().splitlines()
    # per column the first 10 rows one by one, then one line counting the other 18
    assert lines[0] == f"invalid intake: {4 * 11} problems; nothing was written"
    assert len(lines) == SCREENFUL + 2  # the count, the problems, "… and N more"
    assert lines[-1].startswith(f"… and {4 * 11 - SCREENFUL} more")
    q08 = get_column_letter(list(bad.columns).index("q08_satisfaction") + 1)
    assert f"row 12, column {q08} (q08_satisfaction: “Ik ben tevreden over" in err
    assert "expected the same in 18 more rows of this column, from this one on: one of this question's answers" in err


# --- 2. exit codes and messages -------------------------------------------------------------------

@pytest.mark.parametrize("meta,expected", [
    ({"title": True}, "key title: expected a text"),
    ({"organisation": 2015}, "key organisation: expected a text (found a number (not shown"),
    ({"clients_approached": 10}, "at least the number of respondents in the answers file (28)"),
    ({"clients_approached": "²"}, "expected a whole number"),
    ({"teams": "Team Noord"}, "a list of team or site names"),
])
def test_description_problems_are_found_by_validate(tmp_path, answers, meta, expected):
    assert expected in _problems(_intake(tmp_path / "round-x", answers, meta))


def test_an_id_typed_as_a_number_and_a_long_folder_name_are_refused(tmp_path, answers):
    assert "key id: expected a text (found a number" in _problems(_intake(tmp_path / "2015", answers, {"id": 2015}))
    long = "x" * 200
    assert "an intake folder named with at most 64 letters" in _problems(_intake(tmp_path / long, answers, {"id": long}))


def test_superscript_digits_in_the_workbook_description_exit_2(tmp_path, root, answers):
    from analysis_utils.makers.template import write_template

    folder = tmp_path / "round-x"
    path = write_template(folder / "responses.xlsx", "v1")
    from openpyxl import load_workbook
    wb = load_workbook(path)
    ws = wb["antwoorden"]
    for r, row in enumerate(answers.itertuples(index=False), start=2):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v if v != "" else None)
    about = wb["bevraging"]
    for r in range(2, about.max_row + 1):
        value = {"title": "T", "organisation": "O", "fieldwork_period": "2027", "clients_approached": "4²"}
        if about.cell(r, 1).value in value:
            about.cell(r, 2, value[about.cell(r, 1).value])
    wb.save(path)
    status, err = _validate(folder)
    assert status == 2 and "clients_approached" in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["None", "null", "nan", "NaN", "#N/A", "#DIV/0!", "=1+3", "５", "٣", "1e0", "+5", "4,0"])
def test_xlsx_texts_that_are_not_answers_are_refused(tmp_path, answers, value):
    text = _problems(_xlsx_with(tmp_path, answers, "round-x", [value]))
    assert "row 2, column" in text, text


def test_a_formula_without_a_cached_value_is_refused_not_read_as_empty(tmp_path, answers):
    folder = _xlsx_with(tmp_path, answers, "round-x", ["=SUM(B2:B3)"])  # openpyxl stores no cached value
    assert "a typed value, not a formula" in _problems(folder)


def test_xlsx_numbers_and_labels_in_any_case_are_read(tmp_path, answers, default_intake):
    folder = _xlsx_with(tmp_path, answers, "round-x", [4.0, "Eerder Niet Tevreden", "ZEER TEVREDEN"])
    got = read_intake(folder).responses["q08_satisfaction"].tolist()[:3]
    assert got == [4, 2, 5]


def test_an_empty_header_is_not_taken_for_a_name_column(tmp_path, answers):
    bad = answers.copy()
    bad[""] = "3"
    text = _problems(_intake(tmp_path / "round-x", bad))
    letter = get_column_letter(len(bad.columns))
    assert (f"row 2, column {letter}: expected only the columns of the questionnaire; this column has no header, so it "
            "is no question of the questionnaire, yet it holds text from row 2 on (not shown here) — move the notes "
            "to a separate document, or delete the column") in text
    assert "identifier" not in text
    empty = answers.copy()
    empty[" "] = ""  # an empty column without header (spreadsheet formatting) is no problem
    read_intake(_intake(tmp_path / "round-y", empty))


# --- 3. privacy -----------------------------------------------------------------------------------

@pytest.mark.parametrize("column,label", [("q08_satisfaction", "Zeer Tevreden"), ("q16_autonomy", "Zeker Wel"),
                                          ("q07_help_type", "Collectieve Schuldenregeling"),
                                          ("q08_satisfaction", "Eerder  Niet Tevreden")])
def test_labels_in_title_case_are_answers_not_names(tmp_path, answers, column, label):
    data = answers.copy()
    data.loc[0, column] = label
    read_intake(_intake(tmp_path / "round-x", data))


SECRETS = ["jan peeters", "J.P.", "Mevr. Janssens", "Van den Broeck", "Ayşe Yılmaz", "85.47.12-123.45",
           "Stationsstr. 12", "jan at telenet dot be", "=HYPERLINK(\"x\")", "@SUM(1)", "-2+3", "R0000000001"]


@pytest.mark.parametrize("secret", SECRETS)
def test_respondent_ids_are_codes_and_nothing_else_is_echoed(tmp_path, answers, secret):
    data = answers.copy()
    data.loc[4, "respondent_id"] = secret
    text = _problems(_intake(tmp_path / "round-x", data))
    assert "row 6, column A (respondent_id: “Volgnummer van de vragenlijst”)" in text
    assert secret not in text and secret[:4] not in text.replace(str(tmp_path), "")


@pytest.mark.parametrize("secret", ["Jansens", "Marieke Claes", "06.12.31-123.45", "Stationsstr. 12"])
def test_nothing_of_an_unreadable_answer_is_echoed(tmp_path, answers, secret):
    data = answers.copy()
    data.loc[2, "q09_trust_bond"] = secret
    text = _problems(_intake(tmp_path / "round-x", data))
    q09 = get_column_letter(list(data.columns).index("q09_trust_bond") + 1)
    assert f"row 4, column {q09} (q09_trust_bond: “De vertrouwensband" in text and secret not in text


def test_a_near_miss_of_a_label_gets_a_suggestion(tmp_path, answers):
    data = answers.copy()
    data.loc[2, "q16_autonomy"] = "Zeker Wl"
    assert "did you mean 'zeker wel'?" in _problems(_intake(tmp_path / "round-x", data))


def test_a_label_of_another_scale_is_a_wrong_answer_not_a_name(tmp_path, answers):
    data = answers.copy()
    data.loc[2, "q08_satisfaction"] = "Zeker Wel"
    text = _problems(_intake(tmp_path / "round-x", data))
    q08 = get_column_letter(list(data.columns).index("q08_satisfaction") + 1)
    assert f"row 4, column {q08} (q08_satisfaction: “Ik ben tevreden over" in text
    assert "expected one of this question's answers, as its code or in words (1 = helemaal niet tevreden" in text
    assert "looks like a name" not in text


def test_a_header_that_is_a_name_is_not_echoed(tmp_path, answers):
    text = _problems(_intake(tmp_path / "round-x", answers.assign(**{"Marieke Claes": "1"})))
    assert "Marieke" not in text and "row 1, column" in text


def test_team_values_come_from_the_declared_list(tmp_path, root):
    example = root / "data" / "raw" / "example-v2"
    data = pd.read_csv(example / "responses.csv", dtype=str, keep_default_na=False)
    meta = yaml.safe_load((example / "intake.yaml").read_text())
    folder = tmp_path / "example-v2"
    _intake(folder, data, yaml_text=(example / "intake.yaml").read_text())
    assert read_intake(folder).responses["a03_team"].nunique() == 2
    data.loc[7, "a03_team"] = "Sofie Maes"
    data.loc[8, "a03_team"] = "team noord"  # the declared team, in another case
    _intake(folder, data, yaml_text=(example / "intake.yaml").read_text())
    text = _problems(folder)
    team = get_column_letter(list(data.columns).index("a03_team") + 1)
    assert f"row 9, column {team} (a03_team: “Team of vestiging" in text
    assert "expected one of the declared teams (Team Noord, Team Zuid)" in text
    assert "Sofie" not in text and "row 10" not in text
    assert "declare it there" in text and "sheet bevraging, row teams" in text
    data.loc[7, "a03_team"] = "Team Nord"  # a typo of a declared team: named, in its own case
    _intake(folder, data, yaml_text=(example / "intake.yaml").read_text())
    assert "did you mean 'Team Noord'?" in _problems(folder)
    del meta["teams"]
    data.loc[7, "a03_team"] = "Team Noord"
    _intake(folder, data, meta)
    assert "add a key 'teams'" in _problems(folder)


@pytest.mark.parametrize("key,value", [("title", "Bevraging — contact: an.peeters@ocmw-genk.be"),
                                       ("organisation", "OCMW Genk, tel. 089 65 44 00"),
                                       ("source_note", "Ingevoerd door 85.07.31-123.45"),
                                       ("teams", ["Team Noord", "els at ocmw dot be"]),
                                       ("teams", ["=cmd|' /C calc'!A0"])])
def test_the_description_is_scanned_and_not_echoed(tmp_path, answers, key, value):
    text = _problems(_intake(tmp_path / "round-x", answers, {key: value}))
    assert f"key {key}" in text
    secret = value if isinstance(value, str) else value[-1]
    shown = text.replace(str(tmp_path), "")  # the message names the file; pytest's folder may hold "00"
    assert secret.split()[-1] not in shown


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["85.07.31-123.45", "85072012345", "85.47.12 123 45", "0475 12 34 56", "+32 89 65 44 00",
                        "an.peeters@telenet.be", "an at telenet dot be", "an(at)telenet(dot)be", "Kerkstraat 12",
                        "Stationsstr. 12", "3600 Genk"]),
       st.text(alphabet="abc ,.;", max_size=20), st.text(alphabet="abc ,.;", max_size=20))
def test_identifiers_are_found_inside_any_text(secret, before, after):
    assert identifier_kind(f"{before} {secret} {after}", names=False) is not None


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_patterns_take_linear_time(text):
    start = time.perf_counter()
    identifier_kind(text * 50)
    assert time.perf_counter() - start < 0.5


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_any_description_text_is_valid_or_refused_with_problems(tmp_path, answers, text):
    folder = tmp_path / "round-x"
    folder.mkdir(exist_ok=True)
    (folder / "intake.yaml").write_text(text, encoding="utf-8")
    if not (folder / "responses.csv").exists():
        answers.to_csv(folder / "responses.csv", index=False)
    with pytest.raises(IntakeError) as exc:  # no random text is a complete description
        read_intake(folder)
    assert exc.value.problems


# --- 4. nothing from an intake runs or calculates elsewhere ----------------------------------------

def test_intake_text_is_escaped_in_markdown():
    assert md("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert md("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert md("The helping relationship — OCMW Genk, 2015 (spring)") == "The helping relationship — OCMW Genk, 2015 (spring)"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_escaped_intake_text_renders_as_that_text(text):
    """Whatever a title holds, Markdown shows it as text: no tag, link, image or emphasis is made."""
    import html

    import mistune
    rendered = mistune.html(f"Intake: {md(text)}.")  # as the chapters use it: inside a sentence
    assert "<a " not in rendered and "<img" not in rendered and "<script" not in rendered.lower()
    assert "<em>" not in rendered and "<strong>" not in rendered and "<code>" not in rendered
    shown = html.unescape(rendered.strip().removeprefix("<p>").removesuffix("</p>"))
    assert " ".join(shown.split()) == f"Intake: {' '.join(text.split())}.".strip()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_no_written_text_cell_starts_like_a_formula(values):
    out = neutralise_csv(pd.DataFrame({"v": values}))
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in out["v"])
    assert [v[1:] if v != orig else v for v, orig in zip(out["v"], values)] == values


def test_rendered_pages_are_sanitised(tmp_path):
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\n<img src=x onerror=alert(1)> <script>alert(2)</script>"),
                nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
                    "display_data", data={"text/html": '<a href="javascript:alert(3)">a</a><table><tr><td>1</td></tr></table>',
                                          "text/markdown": "**bold** <iframe src=x></iframe>"})])]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    render.render_html(path, tmp_path / "nb.html")
    page = (tmp_path / "nb.html").read_text()
    body = page[page.index("<body"):]
    for bad in ("onerror", "alert(2)", "javascript:", "<iframe"):
        assert bad not in body, bad
    assert "<table>" in body and "<h1" in body


def test_sanitising_keeps_figures_and_tables():
    page = '<html><head><script src="x.js"></script></head><body><img src="data:image/png;base64,AAAA" alt="Figure 1"><table class="dataframe"><tr><th>a</th></tr></table><script>evil()</script></body></html>'
    out = sanitise_page(page)
    assert '<script src="x.js">' in out and "evil" not in out
    assert 'src="data:image/png;base64,AAAA"' in out and 'class="dataframe"' in out


def test_no_csv_text_cell_starts_like_a_formula():
    df = pd.DataFrame({"id": ["=1+2", "+3", "-4", "@A1", "R01", None], "n": [-1, 2, 3, 4, 5, 6],
                       "x": pd.array(["-", "ok", None, "\tcmd", "a", "b"], dtype="string")})
    out = neutralise_csv(df)
    assert out["id"].tolist()[:5] == ["'=1+2", "'+3", "'-4", "'@A1", "R01"]
    assert out["n"].tolist() == df["n"].tolist()
    assert out["x"].tolist()[:4] == ["'-", "ok", pd.NA, "'\tcmd"]


# --- 5. interrupted, killed or doubled runs ------------------------------------------------------

def _folders(root, names):
    for name in names:
        (root / name).mkdir(parents=True)
        (root / name / "marker.txt").write_text(name)


def test_publishing_is_all_or_nothing_across_a_crash(tmp_path, monkeypatch):
    reports, processed = tmp_path / "reports", tmp_path / "processed"
    _folders(reports, ["x", ".x.build-1"])
    _folders(processed, ["x", ".x.build-2"])
    pairs = [(processed / ".x.build-2", processed / "x"), (reports / ".x.build-1", reports / "x")]
    journal = publish.journal_path(reports, "x")
    real = publish.apply_plan

    def crash_after_first(plan):
        real(plan[:1])
        raise SystemExit("killed")  # as if the machine stopped between the two renames

    monkeypatch.setattr(publish, "apply_plan", crash_after_first)
    with pytest.raises(SystemExit):
        publish.publish(pairs, journal)
    monkeypatch.setattr(publish, "apply_plan", real)
    assert journal.exists() and (processed / "x" / "marker.txt").read_text() == ".x.build-2"
    assert (reports / "x" / "marker.txt").read_text() == "x"  # half published: the next start completes it
    assert publish.complete_publish(reports, "x")
    assert (reports / "x" / "marker.txt").read_text() == ".x.build-1"
    assert not journal.exists() and sorted(p.name for p in reports.iterdir()) == ["x"]
    assert sorted(p.name for p in processed.iterdir()) == ["x"]
    assert not publish.complete_publish(reports, "x")


def test_an_interrupt_is_remembered_and_stops_the_run_before_publishing():
    with publish.InterruptGuard() as guard:
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        assert guard.seen
        with pytest.raises(publish.Interrupted) as exc:  # swallowed below, still refused here
            with guard.publishing():
                pytest.fail("published after an interrupt")
        assert not exc.value.published


def test_an_interrupt_during_publishing_waits_for_it_to_finish():
    done = []
    with publish.InterruptGuard() as guard:
        with pytest.raises(publish.Interrupted) as exc:
            with guard.publishing():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.2)
                done.append(True)
    assert done and exc.value.published


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_during_a_run_publishes_nothing_and_leaves_nothing(tmp_path, root, default_intake, signum):
    """Interrupted (Ctrl-C), terminated (a timeout, a cancelled CI job) or hung up (a closed
    terminal) once stage 01 is done and the chapters run side by side. The stages hold only
    their parameters cell (the kernels load no libraries: this is about stopping them) and each
    chapter then sleeps for a minute: the run ends within 5 s only if the signal stops the
    running kernels. It exits 128 + the signal's number, prints nothing after saying it was
    interrupted, and leaves no build folder and no kernel connection file."""
    import nbformat

    from analysis_utils.run.bench import floor_notebook

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for path in pipeline.stage_notebooks(root):
        nb = floor_notebook(nbformat.read(str(path), as_version=4))
        nb.cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        if path.stem != pipeline.STAGE01_STEM:
            nb.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(60)"))
        nbformat.write(nb, str(notebooks / path.name))
    reports, processed = tmp_path / "reports", tmp_path / "processed"
    proc = subprocess.Popen([sys.executable, "-m", "analysis_utils", "run", str(default_intake), "--reports-root",
                             str(reports), "--processed-root", str(processed), "--notebooks", str(notebooks)], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    running, side_by_side = [], 1 + min(3, kernels.cores())  # stage 01, then a chapter per core
    for line in proc.stdout:  # interrupt once stage 01 is done and the chapters have started
        running += [line] if line.rstrip().endswith(" ...") else []
        if len(running) == side_by_side:
            break
    time.sleep(1)
    proc.send_signal(signum)
    start = time.monotonic()
    out, err = proc.communicate(timeout=90)
    took = time.monotonic() - start
    assert len(running) == side_by_side and "01_cleaning" in running[0], running
    assert proc.returncode == 128 + signum, err
    assert err.strip().splitlines()[-1].startswith("interrupted; nothing was published"), err
    if out.strip() or "Traceback" in err:  # nothing after the interrupt but its line (shown whole if not)
        pytest.fail(f"printed after the interrupt:\nstdout: {out}\nstderr: {err}")
    assert took < 5, f"the running stages were not stopped at once ({took:.1f} s)"
    assert not (reports / "genk-2015").exists() and not (processed / "genk-2015").exists()
    assert not list(reports.glob(".genk-2015.build-*")) and not list(processed.glob(".genk-2015.build-*"))
    assert not (kernels.Path(kernels.tempfile.gettempdir()) / f"{kernels.CONNECTION_PREFIX}{proc.pid}").exists()


def test_a_stage_thread_closes_its_event_loop_with_the_tasks_an_interrupt_left():
    """Each thread that runs stages closes, when done, the event loop papermill ran its coroutines
    in, cancelling what an interrupted stage left pending: abandoned to the garbage collector, such
    a loop could be finalised after its own socket and print a traceback at exit (1 interrupted
    run in 8 did, under load, before)."""
    import asyncio
    import threading

    from jupyter_core.utils import ensure_event_loop

    seen = {}

    def stage_thread():
        loop = ensure_event_loop()

        async def interrupted_stage():
            seen["task"] = asyncio.ensure_future(asyncio.sleep(3600))  # a poll the interrupt left pending

        loop.run_until_complete(interrupted_stage())
        kernels.close_thread_loop()
        seen["loop"] = loop

    thread = threading.Thread(target=stage_thread)
    thread.start()
    thread.join(timeout=30)
    assert seen["loop"].is_closed() and seen["task"].cancelled()


# --- validate accepts only what the stages can run -------------------------------------------------

def test_too_few_respondents_or_an_unanswered_question_are_refused(tmp_path, answers):
    assert "at least 5 respondents (this file has 4)" in _problems(_intake(tmp_path / "few", answers.head(4)))
    blank = answers.assign(q12_comm_clear="")
    q12 = get_column_letter(list(blank.columns).index("q12_comm_clear") + 1)
    assert f"column {q12} (q12_comm_clear: “De communicatie tussen mij en mijn … duidelijk”): expected at least one " \
           "answer" in _problems(_intake(tmp_path / "blank", blank))


def test_the_sparsest_intake_validate_accepts_runs_end_to_end(tmp_path, answers, kernels):
    """Five respondents, every question answered by exactly one of them: accepted, so it must run."""
    from analysis_utils.codebook import load_codebook

    cb = load_codebook("v1")
    sparse = answers.head(5).copy()
    for j, item in enumerate(cb.items):
        if item.id == "a02_questionnaire_form":
            sparse[item.id] = "2"
        elif item.coded:
            sparse[item.id] = ""
            if not item.asked_if:
                sparse.iloc[j % 5, sparse.columns.get_loc(item.id)] = str(item.scale.codes[0])
    folder = _intake(tmp_path / "sparse", sparse, {"clients_approached": 5})
    assert len(read_intake(folder).responses) == 5
    index = pipeline.run(folder, reports_root=tmp_path / "reports", processed_root=tmp_path / "processed",
                         log=lambda line: None, kernels=kernels)
    assert (index.parent / "04_limitations.html").is_file()


def test_publication_files_are_bounded_and_tried_at_validation(tmp_path, default_intake):
    folder = tmp_path / "round-x"
    shutil.copytree(default_intake, folder)
    (folder / "intake.yaml").write_text((default_intake / "intake.yaml").read_text().replace("id: genk-2015", "id: round-x"))
    read_intake(folder)
    reported = (default_intake / "reported.yaml").read_text()
    (folder / "reported.yaml").write_text(reported.replace("where: {q01_gender: [1]}", "where: {q99_nothing: [1]}", 1))
    assert "reported.yaml: expected a file the stages can use (KeyError: 'q99_nothing')" in _problems(folder)
    (folder / "reported.yaml").write_text(LAUGHS)
    assert "no YAML anchors or aliases" in _problems(folder)
