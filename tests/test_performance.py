"""What the speed work must not change: reuse decided by content, warm kernels that leave no
trace, vectorised statistics equal to the library's, and the benchmark's own building blocks.
No timing is asserted here (machines are noisy); ``make bench`` is the measure."""
import json
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from analysis_utils.chapters.cleaning import ENSEMBLE_FILE, IDENTIFICATION_FILE
from analysis_utils.codebook import load_codebook
from analysis_utils.intake import read_intake
from analysis_utils.makers.reconstruct import (
    build_ensemble,
    reconstruct,
    reconstruct_many,
)
from analysis_utils.run import bench, pipeline, reuse, scheduler
from analysis_utils.run import kernels as kernel_pool
from analysis_utils.stats import tests as inference

LANGS = "en,nl"  # as the shared run (conftest's built) and `make report`


def _copy_run(built, tmp_path):
    out, _, _ = built
    shutil.copytree(out / "reports", tmp_path / "reports")
    shutil.copytree(out / "processed", tmp_path / "processed")
    return tmp_path / "reports", tmp_path / "processed"


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_unchanged_rerun_reuses_everything_and_writes_nothing(built, tmp_path, default_intake):
    reports, processed = _copy_run(built, tmp_path)
    before = _snapshot(tmp_path)
    lines = []
    index = pipeline.run(default_intake, LANGS, reports_root=reports, processed_root=processed, log=lines.append)
    assert index == reports / "genk-2015" / "index.html"
    assert len(lines) == 1 and lines[0].startswith("report up to date")
    assert _snapshot(tmp_path) == before


def test_a_changed_chapter_and_a_damaged_output_rerun_only_their_chapters(built, tmp_path, default_intake, root, kernels):
    """One re-run, two reasons (one run of the pipeline serves both). Chapter 04's notebook has
    changed: it runs again in both languages. A damaged file re-runs its chapter: here a table of
    the Dutch chapter 01, whose stage 01 then writes the processed data and runs first, alone,
    before the chapters that read them. Every other chapter is reused."""
    reports, processed = _copy_run(built, tmp_path)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(root / "notebooks", notebooks)
    nb = nbformat.read(str(notebooks / "04_limitations.ipynb"), as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A sentence added by the reuse test."))
    nbformat.write(nb, str(notebooks / "04_limitations.ipynb"))
    page = reports / "genk-2015"
    damaged = page / "nl" / "tables" / "identification.csv"
    damaged.write_text("damaged")
    old_manifest = json.loads((page / "build.json").read_text())
    lines = []
    pipeline.run(default_intake, LANGS, reports_root=reports, processed_root=processed, log=lines.append,
                 notebooks_dir=notebooks, kernels=kernels)
    ran = [line for line in lines if line.endswith(" ...")]
    assert ran[0] == "[5/8] 01_cleaning (nl) ..." and lines[1].startswith("[5/8] 01_cleaning (nl) done in ")
    assert sorted(ran[1:]) == ["[4/8] 04_limitations (en) ...", "[8/8] 04_limitations (nl) ..."]
    reused = [line.split(":")[0] for line in lines if "reused from the run of" in line]
    assert sorted(reused) == ["01_cleaning (en)", "02_descriptives (en)", "02_descriptives (nl)",
                              "03_interpretation (en)", "03_interpretation (nl)"]
    assert "A sentence added by the reuse test." in (page / "04_limitations.html").read_text()
    assert "A sentence added by the reuse test." in (page / "nl" / "04_limitations.html").read_text()
    assert (page / "index.html").read_text().count("reused from the run of") == 3
    assert damaged.read_bytes() == (built[1].parent / "nl" / "tables" / "identification.csv").read_bytes()
    assert _snapshot(processed) == _snapshot(built[0] / "processed")  # the same data, written again
    manifest = json.loads((page / "build.json").read_text())
    assert manifest["chapters"]["02_descriptives"] == old_manifest["chapters"]["02_descriptives"]
    assert manifest["chapters"]["04_limitations"]["run"] == manifest["run"] != old_manifest["run"]
    # every chapter's figures and tables are in the report, reused or not
    for stem, chapter in manifest["chapters"].items():
        for rel in chapter["files"]:
            assert (page / rel).is_file(), rel
    assert (page / "figures" / "interpretation_ipa.png").is_file()
    assert (page / "figures" / "fig23_concealment.png").is_file()


def test_the_second_language_reads_what_the_first_computed(built):
    """In a run of two languages, stage 01 computes the ensemble and the identified ranges once:
    the Dutch stage 01 is given the English one's processed folder and copies them."""
    _, index, _ = built
    en, nl = index.parent, index.parent / "nl"
    params = {}
    for lang, folder in (("en", en), ("nl", nl)):
        nb = nbformat.read(str(folder / "notebooks" / "01_cleaning.ipynb"), as_version=4)
        params[lang] = nb.metadata["papermill"]["parameters"]
    assert "computed_dir" not in params["en"]
    assert params["nl"]["computed_dir"] == params["en"]["processed_dir"] != params["nl"]["processed_dir"]
    for table in ("identification.csv",):
        assert (en / "tables" / table).read_bytes() == (nl / "tables" / table).read_bytes()
    assert not list(index.parent.glob(".processed-*")) and not list(nl.glob(".processed-*"))


def test_force_and_a_missing_manifest_reuse_nothing(built, default_intake, root):
    out, index, _ = built
    keys = reuse.stage_keys(default_intake, pipeline.stage_notebooks(root), "en", ["en", "nl"])
    report, processed = index.parent, out / "processed" / "genk-2015"
    previous = reuse.read_build_manifest(report)
    assert reuse.reusable_chapters(previous, keys, report, processed) == set(keys)
    assert reuse.reusable_chapters(None, keys, report, processed) == set()  # what --force passes
    assert reuse.reusable_chapters(previous, keys, report, processed.parent / "elsewhere") == set()


def test_stage_keys_follow_content_not_timestamps(tmp_path, default_intake, root):
    intake = tmp_path / "genk-2015"
    shutil.copytree(default_intake, intake)
    notebooks = pipeline.stage_notebooks(root)
    keys = reuse.stage_keys(intake, notebooks, "en")
    assert len(set(keys.values())) == len(notebooks)
    for f in intake.iterdir():  # touching files changes nothing
        f.touch()
    assert reuse.stage_keys(intake, notebooks, "en") == keys
    nl = reuse.stage_keys(intake, notebooks, "nl")
    assert all(nl[k] != keys[k] for k in keys)  # every page shows labels in the language
    both = reuse.stage_keys(intake, notebooks, "en", ["en", "nl"])
    assert all(both[k] != keys[k] for k in keys)  # with a twin, every page links to it
    csv = intake / "responses.csv"
    csv.write_text(csv.read_text().replace("\n", "\r\n"))
    changed = reuse.stage_keys(intake, notebooks, "en")
    assert all(changed[k] != keys[k] for k in keys)  # an intake change reruns everything


def test_executed_notebooks_show_no_trace_of_the_warm_kernel(built):
    _, index, _ = built
    for path in (index.parent / "notebooks").glob("0*.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
        assert counts == list(range(1, len(counts) + 1)), path.name


PYTHON = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def test_a_pooled_kernel_is_reset_to_a_fresh_session_between_stages(tmp_path):
    """A kernel of the pool runs one notebook after another: after a reset the next one finds no
    name of the last, and its cells count from 1 again (what a fresh kernel gives)."""
    import asyncio

    first, second = tmp_path / "first.ipynb", tmp_path / "second.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("leftover = 41"),
                                                   nbformat.v4.new_code_cell("leftover + 1")]), str(first))
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("'leftover' in dir()"),
                                                   nbformat.v4.new_code_cell("import sys\n'fractions' in sys.modules")]),
                   str(second))
    with kernel_pool.KernelPool(["import fractions"], tmp_path) as kernels:
        km = kernels.kernel(0)
        for nb in (first, second):
            kernel_pool.execute(nb, nb, None, tmp_path, km=km)
            kernels.reset(0)
        assert kernels.kernel(0) is km and asyncio.run(km.is_alive())
    assert not asyncio.run(km.is_alive())  # shut down on leaving
    shown = {nb.stem: [(c.execution_count, "".join(o["data"]["text/plain"] for o in c.outputs))
                       for c in nbformat.read(str(nb), as_version=4).cells] for nb in (first, second)}
    assert shown["first"] == [(1, ""), (2, "42")]
    assert shown["second"] == [(1, "False"), (2, "True")]  # the name is gone, the preloaded module stays


def test_pooled_kernels_give_the_outputs_of_fresh_ones(built, root):
    """The shared run's kernels each ran several stages (of two languages) one after another; the
    English chapters' outputs equal those of the committed notebooks, which nbval re-executes in
    fresh kernels. So nothing a notebook leaves in its kernel reaches the next one's outputs."""
    _, index, _ = built

    def outputs(path):
        nb = nbformat.read(str(path), as_version=4)
        return [[{k: v for k, v in o.items() if k not in ("metadata", "execution_count")} for o in c.outputs]
                for c in nb.cells if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])]

    for path in pipeline.stage_notebooks(root):
        assert outputs(index.parent / "notebooks" / path.name) == outputs(path), path.name


def test_stages_share_a_kernel_per_core(tmp_path, monkeypatch):
    """Five stages on two cores: two kernels, each running stages one after another; stage 01
    first, alone; every stage done once."""
    pools, ran = [], []

    class Recording(kernel_pool.KernelPool):
        def __init__(self, imports, cwd):
            pools.append(len(imports))
            super().__init__(imports, cwd)

    real = kernel_pool.execute

    def execute(nb, out, params, cwd, km=None, on_cell=None):
        ran.append((nb.stem, km))
        real(nb, out, params, cwd, km=km, on_cell=on_cell)

    monkeypatch.setattr(scheduler, "KernelPool", Recording)
    monkeypatch.setattr(scheduler, "execute", execute)
    monkeypatch.setattr(scheduler, "cores", lambda: 2)
    monkeypatch.setattr(scheduler, "render_html", lambda *a: None)
    stages = []
    for i in range(1, 6):
        nb = tmp_path / f"0{i}_stage.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"stage = {i}")], metadata=PYTHON), str(nb))
        stages.append(scheduler.Stage(nb=nb, lang="en", label=nb.stem, executed=tmp_path / "executed",
                                     out=tmp_path / f"out-{i}", params={}))
    (tmp_path / "executed").mkdir()
    done = scheduler.run_stages(stages, lambda line: None, first=stages[0])
    assert pools == [2] and set(done) == set(stages)
    assert ran[0][0] == "01_stage" and sorted(stem for stem, _ in ran) == [s.nb.stem for s in stages]
    kernels = [km for _, km in ran]
    assert None not in kernels and len(set(map(id, kernels))) == 2


def _stage(folder: Path, stem: str, cells: list[str], reads: list[str] | None = None, **params) -> scheduler.Stage:
    nb = folder / f"{stem}.ipynb"
    metadata = {**PYTHON, **({"analysis_utils": {"reads": reads}} if reads is not None else {})}
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells], metadata=metadata), str(nb))
    return scheduler.Stage(nb=nb, lang="en", label=stem, executed=folder / "executed", out=folder / f"out-{stem}",
                          params=params, reads=scheduler.stage_reads(nb))


def test_a_chapter_that_declares_its_reads_starts_while_stage_01_runs(tmp_path, monkeypatch, kernels):
    """A chapter whose notebook lists the files of stage 01 it reads starts as soon as a cell of
    stage 01 has written them, on another kernel, and finds those files alone; a chapter that
    declares nothing starts after stage 01 ends. If stage 01 then fails, its failure is raised."""
    monkeypatch.setattr(scheduler, "cores", lambda: 2)
    monkeypatch.setattr(scheduler, "render_html", lambda *a: None)
    (tmp_path / "executed").mkdir()
    processed, signal = tmp_path / "processed", tmp_path / "early-chapter-started"
    processed.mkdir()
    wait = (f"import pathlib, time\nfor _ in range(600):\n    if pathlib.Path({str(signal)!r}).exists(): break\n"
            "    time.sleep(0.1)\nelse:\n    raise RuntimeError('the early chapter never started')")
    listing = "import os, pathlib\n(pathlib.Path(reports_dir) / 'seen.txt').write_text(' '.join(sorted(os.listdir(processed_dir))))"

    def stages(fail: bool) -> list[scheduler.Stage]:
        for f in [*processed.iterdir(), *tmp_path.glob("out-*/seen.txt"), signal]:
            f.unlink(missing_ok=True)
        first = _stage(tmp_path, "01_first", [
            "processed_dir = ''\nreports_dir = ''",
            "import pathlib\nfor name in ('cleaned.csv', 'manifest.json'):\n"
            "    (pathlib.Path(processed_dir) / name).write_text(name)",
            wait,  # only an early chapter can let stage 01 go on
            "(pathlib.Path(processed_dir) / 'ensemble.csv').write_text('costly')" + ("\n1 / 0" if fail else "")],
            processed_dir=str(processed))
        early = _stage(tmp_path, "02_early", ["processed_dir = ''\nreports_dir = ''",
                                              f"import pathlib\npathlib.Path({str(signal)!r}).touch()",
                                              "import time\ntime.sleep(30)" if fail else "", listing],
                       reads=["cleaned.csv", "manifest.json"], processed_dir=str(processed))
        late = _stage(tmp_path, "03_late", ["processed_dir = ''\nreports_dir = ''", listing], processed_dir=str(processed))
        for s in (first, early, late):
            nb = nbformat.read(str(s.nb), as_version=4)
            nb.cells[0].metadata["tags"] = ["parameters"]
            nbformat.write(nb, str(s.nb))
        return [first, early, late]

    run = stages(fail=False)
    assert [s.reads for s in run] == [(), ("cleaned.csv", "manifest.json"), ()]
    lines = []
    done = scheduler.run_stages(run, lines.append, first=run[0], kernels=kernels, early_dir=tmp_path / "early")
    assert set(done) == set(run)
    assert lines.index("02_early ...") < lines.index(next(x for x in lines if x.startswith("01_first done")))
    assert lines.index("03_late ...") > lines.index(next(x for x in lines if x.startswith("01_first done")))
    seen = {s.nb.stem: (s.out / "seen.txt").read_text() for s in run[1:]}
    assert seen == {"02_early": "cleaned.csv manifest.json", "03_late": "cleaned.csv ensemble.csv manifest.json"}
    assert run[1].params["processed_dir"] == str(tmp_path / "early")

    # stage 01 fails after the early chapter started: that one is interrupted (it would sleep 30 s
    # before writing what it saw), the one waiting for stage 01 never starts, the kernels stay
    run = stages(fail=True)
    lines = []
    with pytest.raises(scheduler.StageFailed, match="01_first.ipynb: cell .* ZeroDivisionError"):
        scheduler.run_stages(run, lines.append, first=run[0], kernels=kernels, early_dir=tmp_path / "early2")
    assert "02_early ..." in lines and not any(line.startswith("02_early done") for line in lines)
    assert not (run[1].out / "seen.txt").exists() and not (run[2].out / "seen.txt").exists()
    assert all(kernels.kernel(i) is not None for i in (0, 1))


def test_the_descriptives_start_early_on_files_stage_01_writes(built, root):
    """Chapter 02 declares that it reads only the cleaned answers and the manifest: files stage 01
    writes before its ensemble and identified ranges; in the shared run it started before stage 01
    ended (its outputs equal the committed notebook's: test_pooled_kernels_give_the_outputs_of_fresh_ones)."""
    out, _, lines = built
    reads = {nb.stem: scheduler.stage_reads(nb) for nb in pipeline.stage_notebooks(root)}
    assert reads["02_descriptives"] == ("responses.csv", "manifest.json")
    written = {p.name for p in (out / "processed" / "genk-2015").iterdir()}
    assert set(reads["02_descriptives"]) <= written and {ENSEMBLE_FILE, IDENTIFICATION_FILE} <= written
    assert not any(reads[stem] for stem in reads if stem != "02_descriptives")  # the others read the ensemble
    position = {line.split(" ")[1] + line.split(" ")[2]: i for i, line in enumerate(lines) if line.endswith(" ...")}
    ended = next(i for i, line in enumerate(lines) if line.split(" ")[1] == "01_cleaning" and " done in " in line)
    assert position["02_descriptives(en)"] < ended < position["03_interpretation(en)"]


def test_a_stage_whose_pooled_kernel_died_runs_in_a_kernel_of_its_own(tmp_path, monkeypatch):
    """A pooled kernel that died (a port taken by another process, killed from outside) empties
    its slot: the stage runs in a kernel papermill starts, and so does the slot's next stage."""
    monkeypatch.setattr(scheduler, "cores", lambda: 1)
    monkeypatch.setattr(scheduler, "render_html", lambda *a: None)
    stages = []
    for i in (1, 2):
        nb = tmp_path / f"0{i}_stage.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"stage = {i}")], metadata=PYTHON), str(nb))
        stages.append(scheduler.Stage(nb=nb, lang="en", label=nb.stem, executed=tmp_path / "executed",
                                     out=tmp_path / f"out-{i}", params={}))
    (tmp_path / "executed").mkdir()

    class Dead(kernel_pool.KernelPool):  # the kernel dies as soon as it is started
        def __init__(self, imports, cwd):
            super().__init__(imports, cwd)
            self._kms[0].provisioner.process.kill()
            self._kms[0].provisioner.process.wait()

    monkeypatch.setattr(scheduler, "KernelPool", Dead)
    lines = []
    done = scheduler.run_stages(stages, lines.append)
    assert set(done) == set(stages)
    assert "01_stage: its kernel stopped before the stage began; starting another" in lines
    assert not any("02_stage: its kernel" in line for line in lines)  # the slot was emptied: no second try
    for i in (1, 2):
        nb = nbformat.read(str(tmp_path / "executed" / f"0{i}_stage.ipynb"), as_version=4)
        assert [c.execution_count for c in nb.cells] == [1, 2]  # the injected parameters, the stage's cell


def test_a_kept_pool_serves_the_next_run_in_its_folder_and_replaces_a_dead_kernel(tmp_path, monkeypatch):
    """run(..., kernels=pool): a pool kept across runs is moved to each run's notebook folder,
    keeps what its kernels loaded, and starts a kernel again where one died in between."""
    monkeypatch.setattr(scheduler, "render_html", lambda *a: None)
    def stages(folder):
        folder.mkdir()
        (folder / "executed").mkdir()
        nb = folder / "01_where.ipynb"
        cells = [nbformat.v4.new_code_cell("import os, sys\nprint(os.getcwd(), 'colorsys' in sys.modules)")]
        nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=PYTHON), str(nb))
        return [scheduler.Stage(nb=nb, lang="en", label=nb.stem, executed=folder / "executed", out=folder / "out", params={})]

    def printed(stages):
        return nbformat.read(str(stages[0].executed / stages[0].nb.name), as_version=4).cells[-1].outputs[0]["text"].split()

    with kernel_pool.KernelPool() as pool:
        first = stages(tmp_path / "a")
        scheduler.run_stages(first, lambda line: None, kernels=pool)
        kernel = pool.kernel(0)
        assert printed(first) == [str(tmp_path / "a"), "False"]
        pool._send(0, "__import__('colorsys')")  # loaded by this run's kernel: still loaded in the next run
        second = stages(tmp_path / "b")
        scheduler.run_stages(second, lambda line: None, kernels=pool)
        assert pool.kernel(0) is kernel and printed(second) == [str(tmp_path / "b"), "True"]
        kernel.provisioner.process.kill()
        kernel.provisioner.process.wait()
        third = stages(tmp_path / "c")
        scheduler.run_stages(third, lambda line: None, kernels=pool)
        assert pool.kernel(0) is not kernel and printed(third) == [str(tmp_path / "c"), "False"]
        assert kernel_pool.alive(pool.kernel(0))


def test_import_lines_keep_only_imports():
    src = "import a\nfrom b import (c,\n    d)\nx = 1\nprint(x)\nimport e as f\n"
    assert kernel_pool.import_lines(src) == "import a\nfrom b import (c,\n    d)\nimport e as f"
    assert kernel_pool.import_lines("def broken(:\n") == ""


def test_floor_notebook_holds_parameters_and_imports_only(root):
    for path in pipeline.stage_notebooks(root):
        floor = bench.floor_notebook(nbformat.read(str(path), as_version=4))
        assert [c.cell_type for c in floor.cells] == ["code", "code"]
        assert "parameters" in floor.cells[0].metadata["tags"]
        body = floor.cells[1].source.splitlines()
        assert body and all(line.startswith(("import ", "from ")) for line in body), path.name


def test_the_benchmark_states_each_goal_from_its_medians():
    """The ratios are of the medians of each measurement, each goal met or not as its number says."""
    m = bench.Measurement
    ms = {"full": [m(12, 18, 250), m(11, 17, 260), m(13, 19, 240)], "floor": [m(5, 8, 200)] * 3,
          "en,nl": [m(20, 30, 300)] * 3, "plain Jupyter": [m(80, 100, 200)] * 3, "unchanged": [m(0.5, 0.4, 50)] * 3,
          "example-v2": [m(10, 12, 200)] * 3, "500 respondents": [m(11, 13, 230)] * 3}
    r = bench.summarise(ms, 500)
    assert (r["full_cpu"], r["full_peak_mb"]) == (18, 260) and r["full_over_floor_cpu"] == pytest.approx(2.25)
    assert r["both_over_plain"] == pytest.approx(0.25) and r["large_over_small"] == pytest.approx(1.1)
    text = bench.format_result(r)
    assert "full run / floor, CPU             2.25  (goal <= 1.8) NOT met" in text
    assert "en,nl / plain Jupyter, wall       0.25  (goal <= 0.3) met" in text
    assert "unchanged re-run (s)              0.50  (goal <= 1.0) met" in text


def test_the_plain_jupyter_way_is_papermill_then_nbconvert_per_stage_and_language(root, tmp_path):
    commands = bench.plain_jupyter(root / "data/raw/genk-2015", tmp_path, pipeline.stage_notebooks(root))
    assert len(commands) == 2 * 2 * len(pipeline.stage_notebooks(root))
    first, second = commands[:2]
    assert first[0].endswith("papermill") and ["-p", "lang", "en"] == first[first.index("lang") - 1:first.index("lang") + 2]
    assert second[1:4] == ["nbconvert", "--to", "html"] and second[-1] == first[2]
    assert ["-p", "lang", "nl"] == commands[-2][commands[-2].index("lang") - 1:commands[-2].index("lang") + 2]
    # the commands run as given (on stage 01 cut to its parameters and imports, to keep the test short)
    floor = bench.write_floor(pipeline.stage_notebooks(root)[:1], tmp_path / "floor")
    for command in bench.plain_jupyter(root / "data/raw/genk-2015", tmp_path / "plain", sorted(floor.glob("*.ipynb")),
                                       langs=("en",)):
        bench.measure(command, root)
    assert (tmp_path / "plain" / "en" / "01_cleaning.html").is_file()


def test_resampled_intake_is_a_valid_intake_of_the_size_asked(tmp_path, root):
    folder = bench.write_resampled(root / "data" / "raw" / "example-v2", tmp_path / "big-v2", 500)
    intake = read_intake(folder)
    assert len(intake.responses) == 500 and intake.responses["respondent_id"].is_unique
    assert intake.meta["clients_approached"] >= 500 and intake.id == "big-v2"


def test_reconstruct_many_equals_one_reconstruction_per_seed():
    cb = load_codebook("v1")
    many = reconstruct_many([3, 4, 5], codebook=cb)
    one_by_one = pd.concat([reconstruct(seed=s, codebook=cb) for s in (3, 4, 5)], ignore_index=True)
    pd.testing.assert_frame_equal(many, one_by_one)


def test_holm_rows_equals_holm_row_by_row():
    rng = np.random.default_rng(7)
    for _ in range(100):
        p = rng.random((int(rng.integers(1, 20)), int(rng.integers(1, 9)))) ** 3
        p[rng.random(p.shape) < 0.05] = np.nan
        p = np.round(p, 2) if rng.random() < 0.3 else p  # ties
        np.testing.assert_array_equal(inference.holm_rows(p), np.vstack([inference.holm(r) for r in p]))


def test_mann_whitney_equals_pingouin():
    pg = pytest.importorskip("pingouin")
    rng = np.random.default_rng(11)
    for _ in range(600):
        x = rng.integers(1, 6, int(rng.integers(2, 30))).astype(float)
        y = rng.integers(1, 6, int(rng.integers(2, 30))).astype(float)
        x[rng.random(len(x)) < 0.1] = np.nan
        ref = pg.mwu(x, y, alternative="two-sided").iloc[0]
        got = inference.mann_whitney(x, y)
        assert got["U_val"] == ref["U_val"] and got["RBC"] == ref["RBC"]
        assert got["p_val"] == pytest.approx(ref["p_val"], nan_ok=True)


def test_ensemble_range_with_columns_equals_the_grouped_frames():
    """Every statistic of the dependence table, on frames (pingouin, pandas) and on arrays (the
    quick path when no answer is missing), gives the same range; with a missing answer the frames
    are used."""
    from analysis_utils.stats.limits import joint_statistics

    cb = load_codebook("v1")
    ensemble = build_ensemble(12, None, cb)
    for name, (stat, cols, on_array) in joint_statistics(cb).items():
        slow = [stat(df.reset_index(drop=True)) for _, df in ensemble.groupby("reconstruction")]
        expect = (np.nanmin(slow), np.nanmedian(slow), np.nanmax(slow))
        assert len(set(slow)) > 1, name  # the reconstructions differ: a range, not one value
        assert inference.ensemble_range(ensemble, stat, cols) == pytest.approx(expect, abs=1e-12), name
        assert inference.ensemble_range(ensemble, stat) == pytest.approx(expect, abs=1e-12), name
        assert inference.ensemble_range(ensemble, stat, cols, on_array) == pytest.approx(expect, abs=1e-12), name
        gap = ensemble.copy()
        gap[cols[0]] = gap[cols[0]].astype("Float64")
        gap.loc[3, cols[0]] = np.nan  # one missing answer in the first reconstruction
        assert inference.ensemble_range(gap, stat, cols, lambda a: pytest.fail("array path with a gap")) == \
            pytest.approx(inference.ensemble_range(gap, stat), abs=1e-12), name


def test_spearman_on_arrays_equals_scipy():
    from scipy.stats import spearmanr

    from analysis_utils.stats.effects import spearman

    rng = np.random.default_rng(7)
    for _ in range(20):
        x, y = rng.integers(1, 6, 30), rng.integers(1, 6, 30)  # many ties, as in answers
        assert spearman(x, y) == pytest.approx(spearmanr(x, y)[0], abs=1e-12)
