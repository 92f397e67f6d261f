"""The repository's benchmark: ``python -m analysis_utils bench`` (``make bench``).

It measures what the performance goals are stated in, each run a separate
``python -m analysis_utils run`` process (wall time, CPU time and peak memory of the process and
the kernels it starts, read from ``os.wait4``), everything in a scratch folder:

- the full run on the default intake against the *floor*: the same pipeline on a copy of the stage
  notebooks that keeps only their parameters cell and their import lines (kernels, papermill,
  rendering: what any notebook pipeline pays). The two alternate, so that both see the same
  machine, and the ratio of the medians is reported;
- a re-run with nothing changed (the report is reused);
- a 10,000-respondent questionnaire-v2 intake (the synthetic example resampled with a fixed seed)
  against the 120-respondent example, with the peak memory of each.

It also says what scheduling alone could reach: a run takes at least its CPU time shared by every
core, so the full run's CPU time bounds its ratio to the floor from below, whatever the order of
its stages.

Timings are noisy: quote ratios measured in one call, not single times.
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


def run_benchmark(repeat: int = 3, big_n: int = 10_000, log: Callable[[str], None] = print) -> dict:
    """Measure the three performance goals; return the medians and ratios (and log them)."""
    root = project_root()
    py = [sys.executable, "-m", "analysis_utils"]
    default = root / "data" / "raw" / "genk-2015"
    example = root / "data" / "raw" / "example-v2"
    with tempfile.TemporaryDirectory(prefix="analysis-utils-bench-") as tmp:
        tmp = Path(tmp)
        floor_nbs = write_floor(stage_notebooks(root), tmp / "floor-notebooks")
        big = write_resampled(example, tmp / "raw" / f"example-v2-x{big_n}", big_n)

        def run(intake: Path, out: str, *extra: str) -> Measurement:
            return measure([*py, "run", str(intake), "--reports-root", str(tmp / out / "reports"),
                            "--processed-root", str(tmp / out / "processed"), *extra], root)

        log(f"benchmark: {cores()} cores, Python {platform.python_version()}, "
            f"{repeat} runs of each, alternating")
        run(default, "warm-up", "--force")  # file caches, compiled bytecode
        full, floor, noop = [], [], []
        for i in range(repeat):
            full.append(run(default, "full", "--force"))
            floor.append(run(default, "floor", "--force", "--notebooks", str(floor_nbs)))
            noop.append(run(default, "full"))
            log(f"  round {i + 1}: full {full[-1].wall:.1f} s, floor {floor[-1].wall:.1f} s, "
                f"unchanged re-run {noop[-1].wall:.2f} s")
        small, large = [], []
        for i in range(repeat):
            small.append(run(example, "v2", "--force"))
            large.append(run(big, "v2", "--force"))
            log(f"  round {i + 1}: example-v2 {small[-1].wall:.1f} s, {big_n} respondents {large[-1].wall:.1f} s")
    result = {
        "cores": cores(), "python": platform.python_version(),
        "full_wall": _median(full, "wall"), "full_cpu": _median(full, "cpu"), "full_peak_mb": max(m.peak_mb for m in full),
        "floor_wall": _median(floor, "wall"), "floor_cpu": _median(floor, "cpu"),
        "noop_wall": _median(noop, "wall"),
        "small_wall": _median(small, "wall"), "large_wall": _median(large, "wall"),
        "large_peak_mb": max(m.peak_mb for m in large), "big_n": big_n,
    }
    result["full_over_floor"] = result["full_wall"] / result["floor_wall"]
    result["large_over_small"] = result["large_wall"] / result["small_wall"]
    log(format_result(result))
    return result


GOALS = (("full_over_floor", 1.3, "full run / floor"), ("noop_wall", 2.0, "unchanged re-run (s)"),
         ("large_over_small", 1.3, "10,000 / 120 respondents"), ("large_peak_mb", 500, "peak memory, 10,000 (MB)"))


def format_result(r: dict) -> str:
    lines = [
        f"machine: {r['cores']} cores, Python {r['python']}",
        f"full run (genk-2015):     wall {r['full_wall']:.1f} s, CPU {r['full_cpu']:.1f} s, peak {r['full_peak_mb']:.0f} MB",
        f"floor (kernels only):     wall {r['floor_wall']:.1f} s, CPU {r['floor_cpu']:.1f} s",
        f"unchanged re-run:         wall {r['noop_wall']:.2f} s",
        f"example-v2, 120:          wall {r['small_wall']:.1f} s",
        f"{'example-v2, ' + str(r['big_n']) + ':':<26}wall {r['large_wall']:.1f} s, peak {r['large_peak_mb']:.0f} MB",
        "goals:",
    ]
    for key, limit, name in GOALS:
        value = r[key]
        lines.append(f"  {name:<28} {value:7.2f}  (goal <= {limit}) {'met' if value <= limit else 'NOT met'}")
    best, allowed = cpu_bound(r)
    lines += [
        "what scheduling can do: no run takes less wall time than its CPU time shared by every core, so",
        f"  the full run, with all {r['cores']} cores busy from start to end, is at best {best:.2f} x the floor;",
        f"  {GOALS[0][1]} x would need at most {allowed:.1f} s of CPU for the whole run (it took {r['full_cpu']:.1f} s)",
    ]
    return "\n".join(lines)


def cpu_bound(r: dict) -> tuple[float, float]:
    """The best full run / floor ratio the full run's CPU time allows (wall >= CPU / cores), and
    the CPU time the full run could take at most for the goal's ratio on this many cores."""
    return r["full_cpu"] / r["cores"] / r["floor_wall"], GOALS[0][1] * r["floor_wall"] * r["cores"]
