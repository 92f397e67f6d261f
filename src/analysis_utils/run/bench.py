"""The repository's benchmark: ``python -m analysis_utils bench`` (``make bench``).

It measures what the performance goals are stated in, each run a separate process (wall time,
CPU time and peak memory of the process and the kernels it starts, read from ``os.wait4``),
everything in a scratch folder:

- the full run on the default intake (English) against the *floor*: the same pipeline on a copy of
  the stage notebooks that keeps only their parameters cell and their import lines (kernels,
  papermill, rendering: what any notebook pipeline pays), compared in CPU time;
- ``run --lang en,nl`` (what ``make report`` does) against the plain Jupyter way: each stage
  notebook by papermill's command line in a fresh kernel, then ``jupyter nbconvert --to html``,
  both languages, one after another;
- a re-run of ``make report`` with nothing changed (the report is reused);
- a 10,000-respondent questionnaire-v2 intake (the synthetic example resampled with a fixed seed)
  against the 120-respondent example, with the peak memory of each.

The measurements alternate, so that each pair sees the same machine, and the ratio of the medians
is reported. Timings are noisy: quote ratios measured in one call, not single times.
"""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import nbformat
import pandas as pd
import yaml

from ..paths import project_root
from .kernels import cores, import_lines
from .pipeline import stage_notebooks


@dataclass(frozen=True)
class Measurement:
    wall: float  # seconds
    cpu: float  # seconds, user + system, the run and every process it waited for
    peak_mb: float  # largest resident set of the run or any of its kernels


def measure(argv: list[str], cwd: Path) -> Measurement:
    """Run a command to its end; fail with its output if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{out.decode(errors='replace')}")
    return Measurement(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def floor_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A stage notebook reduced to its parameters cell and the imports of its first code cell."""
    out = nbformat.v4.new_notebook(metadata=nb.metadata)
    code = [c for c in nb.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    out.cells = list(params)
    rest = [c for c in code if c not in params]
    if rest:
        out.cells.append(nbformat.v4.new_code_cell(import_lines(rest[0].source)))
    return out


def write_floor(notebooks: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for nb in notebooks:
        nbformat.write(floor_notebook(nbformat.read(str(nb), as_version=4)), str(folder / nb.name))
    return folder


def write_resampled(source: Path, folder: Path, n: int, seed: int = 20151) -> Path:
    """``source`` resampled with replacement to ``n`` respondents (fresh ids), as a new intake."""

    df = pd.read_csv(source / "responses.csv", dtype=str, keep_default_na=False)
    big = df.sample(n=n, replace=True, random_state=seed).reset_index(drop=True)
    big["respondent_id"] = [f"B{i:05d}" for i in range(1, n + 1)]
    folder.mkdir(parents=True, exist_ok=True)
    big.to_csv(folder / "responses.csv", index=False)
    meta = yaml.safe_load((source / "intake.yaml").read_text(encoding="utf-8"))
    meta.update(id=folder.name, title=f"{meta['title']} (resampled to {n} respondents for the benchmark)",
                clients_approached=max(int(meta["clients_approached"]), round(n * 1.4)))
    meta.pop("source_note", None)
    (folder / "intake.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _median(ms: list[Measurement], attr: str) -> float:
    return statistics.median(getattr(m, attr) for m in ms)


def measure_all(argvs: list[list[str]], cwd: Path) -> Measurement:
    """Several commands one after another, as one measurement (wall and CPU summed, peak the largest)."""
    ms = [measure(argv, cwd) for argv in argvs]
    return Measurement(sum(m.wall for m in ms), sum(m.cpu for m in ms), max(m.peak_mb for m in ms))


def plain_jupyter(intake: Path, out: Path, notebooks: list[Path], langs=("en", "nl")) -> list[list[str]]:
    """The commands of the plain Jupyter way: per language and stage, papermill's command line
    (a fresh kernel each) and ``jupyter nbconvert --to html`` of the executed notebook. Makes the
    folder of each language's executed notebooks (papermill writes into an existing folder only)."""
    bin_ = Path(sys.executable).parent
    commands = []
    for lang in langs:
        processed, reports = out / lang / "processed", out / lang / "reports"
        (out / lang).mkdir(parents=True, exist_ok=True)
        for nb in notebooks:
            executed = out / lang / nb.name
            commands.append([str(bin_ / "papermill"), str(nb), str(executed), "--cwd", str(nb.parent), "--no-progress-bar",
                             "-p", "intake_dir", str(intake), "-p", "lang", lang, "-p", "processed_dir", str(processed),
                             "-p", "reports_dir", str(reports)])
            commands.append([str(bin_ / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return commands


def _rounds(measurements: dict[str, Callable[[], Measurement]], repeat: int, log) -> dict[str, list[Measurement]]:
    """Each measurement ``repeat`` times, alternating (each round runs every one once)."""
    out: dict[str, list[Measurement]] = {name: [] for name in measurements}
    for i in range(repeat):
        for name, take in measurements.items():
            out[name].append(take())
        log(f"  round {i + 1}: " + ", ".join(f"{name} {ms[-1].wall:.1f} s" for name, ms in out.items()))
    return out


def run_benchmark(repeat: int = 3, big_n: int = 10_000, log: Callable[[str], None] = print) -> dict:
    """Measure the performance goals; return the medians and ratios (and log them)."""
    root = project_root()
    py = [sys.executable, "-m", "analysis_utils"]
    default, example = root / "data" / "raw" / "genk-2015", root / "data" / "raw" / "example-v2"
    with tempfile.TemporaryDirectory(prefix="analysis-utils-bench-") as tmp:
        tmp = Path(tmp)
        floor_nbs = write_floor(stage_notebooks(root), tmp / "floor-notebooks")
        big = write_resampled(example, tmp / "raw" / f"example-v2-x{big_n}", big_n)

        def run(intake: Path, out: str, *extra: str) -> Measurement:
            return measure([*py, "run", str(intake), "--reports-root", str(tmp / out / "reports"),
                            "--processed-root", str(tmp / out / "processed"), *extra], root)

        log(f"benchmark: {cores()} cores, Python {platform.python_version()}, {repeat} runs of each, alternating")
        run(default, "both", "--force", "--lang", "en,nl")  # warm-up: file caches, compiled bytecode
        plain = plain_jupyter(default, tmp / "plain", stage_notebooks(root))
        ms = _rounds({"full": lambda: run(default, "full", "--force"),
                      "floor": lambda: run(default, "floor", "--force", "--notebooks", str(floor_nbs)),
                      "en,nl": lambda: run(default, "both", "--force", "--lang", "en,nl"),
                      "unchanged": lambda: run(default, "both", "--lang", "en,nl"),
                      "plain Jupyter": lambda: measure_all(plain, root)}, repeat, log)
        ms.update(_rounds({"example-v2": lambda: run(example, "v2", "--force"),
                           f"{big_n} respondents": lambda: run(big, "v2", "--force")}, repeat, log))
    result = summarise(ms, big_n)
    log(format_result(result))
    return result


def summarise(ms: dict[str, list[Measurement]], big_n: int) -> dict:
    """The medians and the ratios the goals are stated in."""
    r = {"cores": cores(), "python": platform.python_version(), "big_n": big_n,
         "full_wall": _median(ms["full"], "wall"), "full_cpu": _median(ms["full"], "cpu"),
         "full_peak_mb": max(m.peak_mb for m in ms["full"]),
         "floor_wall": _median(ms["floor"], "wall"), "floor_cpu": _median(ms["floor"], "cpu"),
         "both_wall": _median(ms["en,nl"], "wall"), "both_cpu": _median(ms["en,nl"], "cpu"),
         "plain_wall": _median(ms["plain Jupyter"], "wall"), "plain_cpu": _median(ms["plain Jupyter"], "cpu"),
         "noop_wall": _median(ms["unchanged"], "wall"),
         "small_wall": _median(ms["example-v2"], "wall"), "large_wall": _median(ms[f"{big_n} respondents"], "wall"),
         "large_peak_mb": max(m.peak_mb for m in ms[f"{big_n} respondents"])}
    r["full_over_floor_cpu"] = r["full_cpu"] / r["floor_cpu"]
    r["both_over_plain"] = r["both_wall"] / r["plain_wall"]
    r["large_over_small"] = r["large_wall"] / r["small_wall"]
    return r


GOALS = (("full_over_floor_cpu", 1.8, "full run / floor, CPU"), ("both_over_plain", 0.3, "en,nl / plain Jupyter, wall"),
         ("noop_wall", 1.0, "unchanged re-run (s)"), ("large_over_small", 1.3, "10,000 / 120 respondents"),
         ("large_peak_mb", 500, "peak memory, 10,000 (MB)"))


def format_result(r: dict) -> str:
    lines = [
        f"machine: {r['cores']} cores, Python {r['python']}",
        f"full run (genk-2015, en):  wall {r['full_wall']:.1f} s, CPU {r['full_cpu']:.1f} s, peak {r['full_peak_mb']:.0f} MB",
        f"floor (kernels only, en):  wall {r['floor_wall']:.1f} s, CPU {r['floor_cpu']:.1f} s",
        f"run --lang en,nl:          wall {r['both_wall']:.1f} s, CPU {r['both_cpu']:.1f} s",
        f"plain Jupyter, en and nl:  wall {r['plain_wall']:.1f} s, CPU {r['plain_cpu']:.1f} s",
        f"unchanged re-run (en,nl):  wall {r['noop_wall']:.2f} s",
        f"example-v2, 120:           wall {r['small_wall']:.1f} s",
        f"{'example-v2, ' + str(r['big_n']) + ':':<27}wall {r['large_wall']:.1f} s, peak {r['large_peak_mb']:.0f} MB",
        "goals:",
    ]
    for key, limit, name in GOALS:
        value = r[key]
        lines.append(f"  {name:<30} {value:7.2f}  (goal <= {limit}) {'met' if value <= limit else 'NOT met'}")
    return "\n".join(lines)
