"""nbval must really compare result-carrying outputs: a notebook whose stored output has one
number changed has to fail on that cell alone, with that number as the only difference (the
untouched notebook passes in the suite's own nbval run)."""
import json
import subprocess
import sys


def _nbval(notebooks, root, tmp_path):
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\n")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--color=no", "-c", str(ini), "--rootdir", str(tmp_path),
         "-p", "no:cacheprovider", "--disable-plugin-autoload", "-p", "analysis_utils", "-p", "nbval.plugin",
         "--nbval", "--nbval-current-env", "--nbval-sanitize-with", str(root / "tests" / "nbval_sanitize.cfg"),
         *map(str, notebooks)], capture_output=True, text=True, cwd=tmp_path)


def test_changed_number_in_stored_output_fails_nbval(root, tmp_path):
    src = root / "notebooks" / "01_cleaning.ipynb"
    nb = json.loads(src.read_text())
    changed = None
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            if md and "28 respondents of 40" in "".join(md):
                out["data"]["text/markdown"] = [s.replace("28 respondents of 40", "27 respondents of 40") for s in md]
                changed = i
    assert changed is not None, "the intake summary output was not found in the committed notebook"
    # the committed notebook up to that cell (what follows adds time, not evidence)
    nb["cells"] = nb["cells"][:changed + 1]
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(nb))
    res = _nbval([bad], root, tmp_path)
    assert res.returncode == 1, res.stdout[-2000:]
    failed = [line for line in res.stdout.splitlines() if line.startswith("FAILED ")]
    assert len(failed) == 1 and failed[0].startswith("FAILED bad.ipynb::Cell 3 "), res.stdout[-2000:]
    cells = sum(c["cell_type"] == "code" for c in nb["cells"])  # nbval's items: every code cell
    assert f"1 failed, {cells - 1} passed" in res.stdout, res.stdout[-2000:]
    assert "Cell outputs differ" in res.stdout, res.stdout[-2000:]
    # the only difference pytest shows: the run's 28 against the stored 27. Read from the
    # failure report alone: where CI is set (CI, BUILD_NUMBER) pytest repeats the whole message
    # in the short summary instead of truncating it.
    report = res.stdout.split(" FAILURES ", 1)[-1].split(" short test summary info ", 1)[0]
    diff = [line.strip() for line in report.splitlines() if line.strip()[:2] in ("+ ", "- ")]
    assert diff == ["- 28 responde", "+ 27 responde"], res.stdout[-3000:]
