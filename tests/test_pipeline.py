import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis_utils.run import kernels, pipeline, publish, scheduler


def test_run_publishes_index_linking_every_chapter(built):
    out, index, lines = built
    assert index == out / "reports" / "genk-2015" / "index.html"
    html = index.read_text()
    for nb in pipeline.stage_notebooks():
        assert f'href="{nb.stem}.html"' in html
        assert (index.parent / f"{nb.stem}.html").is_file()
    assert "Reconstructed data" in html and "n = 28 of 40 clients approached (70 %)" in html
    assert re.search(r"responses\.csv</td><td><code>[0-9a-f]{64}</code>", html)
    assert "pandas" in html and "pingouin" in html


def test_one_progress_line_per_stage_start_and_end(built):
    _, _, lines = built
    n = len(pipeline.stage_notebooks())  # in English and in Dutch, each line saying which
    for lang in ("en", "nl"):
        assert len([l for l in lines if l.endswith(f" ({lang}) ...")]) == n
        assert len([l for l in lines if f" ({lang}) done in " in l]) == n
    # stage 01 first (it writes the processed data), then every other stage side by side; only
    # the chapters that declare what they read of stage 01 (02) may start before it ends
    assert lines[0] == f"[1/{2 * n}] 01_cleaning (en) ..."
    ended = next(i for i, line in enumerate(lines) if line.startswith(f"[1/{2 * n}] 01_cleaning (en) done in "))
    assert {line.split(" ")[1] for line in lines[1:ended]} <= {"02_descriptives"}


def test_chapters_hide_code_and_parameters_and_hold_no_respondent_rows(built):
    _, index, _ = built
    for page in index.parent.glob("0*.html"):
        text = page.read_text()
        assert "read_intake(" not in text and "import " not in text, page.name
        assert "/.genk-2015-" not in text, f"{page.name} shows the injected parameters"
        assert not re.search(r">R\d\d<", text), f"{page.name} shows respondent ids"


def test_processed_outputs_written(built):
    out, _, _ = built
    processed = out / "processed" / "genk-2015"
    assert {p.name for p in processed.iterdir()} >= {"responses.csv", "data_dictionary.csv", "manifest.json"}
    assert not [p for p in (out / "processed").iterdir() if p.name.startswith(".")], "temporary folder left"


def test_every_table_written_is_described_in_docs_outputs(built):
    from test_docs import assert_outputs_documented

    out, _, _ = built
    assert len(list(out.rglob("*.csv"))) >= 15
    assert_outputs_documented(out)


def test_failed_stage_leaves_previous_outputs_untouched(built, monkeypatch, tmp_path):
    out, index, _ = built
    reports, processed = tmp_path / "reports", tmp_path / "processed"
    shutil.copytree(out / "reports", reports)
    shutil.copytree(out / "processed", processed)
    before = {p: p.read_bytes() for p in (reports / "genk-2015").rglob("*") if p.is_file()}
    calls = []

    def failing(nb, dest, params, cwd, **kw):
        calls.append(nb.name)
        if len(calls) > 1:
            raise kernels.StageFailed(f"{nb.name}: cell 3 raised ValueError: boom")
        # stage 01 succeeds, writing into the folders it is given (its executed notebook is the
        # shared run's: copied, not run again, as this test is about what a failure leaves)
        shutil.copy(index.parent / "notebooks" / nb.name, dest)
        for key in ("processed_dir", "reports_dir"):
            Path(params[key]).mkdir(parents=True, exist_ok=True)
            (Path(params[key]) / "written-by-stage-01.csv").write_text("a,b\n1,2\n")

    monkeypatch.setattr(scheduler, "execute", failing)

    class NoKernels(kernels.KernelPool):  # stage 01 runs in papermill's own kernel; the rest fail at once
        def __init__(self, imports, cwd):
            self._kms, self._clients, self.stopping = [], [], False

    monkeypatch.setattr(scheduler, "KernelPool", NoKernels)
    if len(pipeline.stage_notebooks()) == 1:
        monkeypatch.setattr(scheduler, "render_html", lambda *a: (_ for _ in ()).throw(RuntimeError("render failed")))
    with pytest.raises((kernels.StageFailed, RuntimeError)):
        pipeline.run("data/raw/genk-2015", reports_root=reports, processed_root=processed, log=lambda s: None,
                     force=True)
    after = {p: p.read_bytes() for p in (reports / "genk-2015").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in reports.iterdir() if not p.name.endswith(".lock")) == ["genk-2015"]  # the lock file holds nothing
    assert sorted(p.name for p in processed.iterdir()) == ["genk-2015"]


def test_cli_run_on_invalid_intake_exits_2_and_writes_nothing(tmp_path, root):
    bad = tmp_path / "raw" / "broken"
    bad.mkdir(parents=True)
    (bad / "intake.yaml").write_text("id: broken\n")
    (bad / "responses.csv").write_text("respondent_id\nR1\n")
    res = subprocess.run([sys.executable, "-m", "analysis_utils", "run", str(bad),
                          "--reports-root", str(tmp_path / "reports"), "--processed-root", str(tmp_path / "processed")],
                         capture_output=True, text=True, cwd=root)
    assert res.returncode == 2
    assert "nothing was written" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "reports").exists() and not (tmp_path / "processed").exists()


def test_descriptives_publish_every_thesis_figure_and_the_three_tables(built):
    _, index, _ = built
    for folder in (index.parent, index.parent / "nl"):  # in both languages, each a real picture
        figures = sorted((folder / "figures").glob("fig*.png"))
        assert [int(f.name[3:5]) for f in figures] == list(range(1, 24))
        assert all(f.stat().st_size > 5000 for f in figures)
    tables = index.parent / "tables"
    import pandas as pd
    freq = pd.read_csv(tables / "frequencies.csv")
    assert list(freq.columns) == ["item_id", "figure", "category_code", "label_nl", "label_en", "n", "count", "percent"]
    summary = pd.read_csv(tables / "item_summary.csv")
    assert list(summary.columns) == ["item_id", "figure", "n", "top2_count", "top2_share", "top2_ci_low",
                                     "top2_ci_high", "median", "q1", "q3", "ceiling_share", "provenance",
                                     "admissible_low", "admissible_high", "top2_exact_low", "top2_exact_high",
                                     "ceiling_low", "ceiling_high", "quartiles_fixed", "publication_words"]
    rated = summary[summary["top2_share"].notna()]
    assert set(rated["provenance"]) == {"count", "bound", "quantifier", "contested", "inferred"}  # the 2015 intake
    words = summary.set_index("item_id")["publication_words"]
    assert words["q13_ask_help_easily"] == "overgrote meerderheid (1733)" and pd.isna(words["q08_satisfaction"])
    repro = pd.read_csv(tables / "reproduction.csv")
    assert list(repro.columns) == ["fact_id", "figure", "seed_line", "reported", "observed", "status"]
    assert (repro["status"] != "mismatch").all()
    html = (index.parent / "02_descriptives.html").read_text()
    assert html.count("<img") >= 23 and "Figuur 23." in html


def _active_elements(page: str) -> list:
    """Script elements and attributes a page's body holds (event handlers, javascript: links)."""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        in_body = False

        def handle_starttag(self, tag, attrs):
            self.in_body |= tag == "body"
            if self.in_body and tag in ("script", "iframe", "object", "embed"):
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                    found.append((tag, name))

    Parser().feed(page)
    return found


def test_a_second_run_on_the_same_intake_is_told_plainly(built, tmp_path, default_intake):
    from filelock import FileLock

    out, _, _ = built
    reports = tmp_path / "reports"
    shutil.copytree(out / "reports", reports)
    with FileLock(str(reports / ".genk-2015.lock")):
        with pytest.raises(publish.RunInProgress, match="another run on the intake 'genk-2015' is in progress"):
            pipeline.run(default_intake, "en,nl", reports_root=reports, processed_root=out / "processed", log=lambda s: None)
    # the lock is released with its holder: the next run goes ahead (and finds nothing to do)
    lines = []
    pipeline.run(default_intake, "en,nl", reports_root=reports, processed_root=out / "processed", log=lines.append)
    assert lines[0].startswith("report up to date")


def test_leftovers_of_a_killed_run_are_removed_at_the_next_start(built, tmp_path, default_intake):
    out, _, _ = built
    reports, processed = tmp_path / "reports", tmp_path / "processed"
    shutil.copytree(out / "reports", reports)
    shutil.copytree(out / "processed", processed)
    from filelock import FileLock

    mine = [reports / ".genk-2015.build-a1b2", processed / ".genk-2015.build-c3d4", reports / ".genk-2015.old-99"]
    # a killed run of another intake: removed too (respondent data may sit there only until the next start)
    killed = [processed / ".genk-2015-b.build-e5f6", reports / ".genk-2015-b.build-0000"]
    running = processed / ".round-x.build-1234"  # another intake's run in progress (it holds its lock): left alone
    for folder in [*mine, *killed, running]:
        folder.mkdir()
        (folder / "responses.csv").write_text("respondent_id\nR01\n")
    with FileLock(str(reports / ".round-x.lock")):
        pipeline.run(default_intake, "en,nl", reports_root=reports, processed_root=processed, log=lambda s: None)
    assert not any(f.exists() for f in mine + killed)
    assert running.exists()


def test_sigkill_during_a_run_leaves_only_hidden_folders_that_the_next_start_removes(tmp_path, root, default_intake):
    import signal
    import time

    reports, processed = tmp_path / "reports", tmp_path / "processed"
    proc = subprocess.Popen([sys.executable, "-m", "analysis_utils", "run", str(default_intake), "--reports-root",
                             str(reports), "--processed-root", str(processed)], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(processed.glob(".genk-2015.build-*")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(processed.glob(".genk-2015.build-*")), "the run never started building"
    assert not (reports / "genk-2015").exists() and not (processed / "genk-2015").exists()
    removed = publish.remove_leftovers("genk-2015", reports, processed)
    assert removed and not list(reports.glob(".genk-2015*/")) and not list(processed.glob(".*/"))
