"""Issue 27 §4: exploring in JupyterLab never changes the committed notebooks (nbval's reference
outputs). `make lab` works on copies in scratch/lab/ with Lab rooted at scratch/; here a Jupyter
server started as `make lab` starts it saves a changed notebook through the contents API."""
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from analysis_utils.run import lab
from analysis_utils.run.lab import (
    changed_cells,
    lab_command,
    prepare_lab,
    reference_hint,
)


@pytest.fixture
def project(tmp_path, root):
    """A throw-away copy of the project's notebooks (the tests never write into the project)."""
    copy = tmp_path / "project"
    (copy / "notebooks").mkdir(parents=True)
    for notebook in (root / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, copy / "notebooks")
    return copy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(port: int, token: str, path: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _wait_until_up(proc, port: int, token: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode(errors="replace")[-2000:]
        try:
            if _call(port, token, "status")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError("the Jupyter server did not answer")


def test_saving_through_lab_changes_the_copy_never_the_reference(project, tmp_path):
    reference = {p.name: p.read_bytes() for p in (project / "notebooks").glob("*.ipynb")}
    copied, kept = prepare_lab(project)
    assert sorted(p.name for p in copied) == sorted(reference) and not kept
    assert (project / "scratch" / "lab" / "01_cleaning.ipynb").read_bytes() == reference["01_cleaning.ipynb"]
    port, token = _free_port(), secrets.token_hex(16)
    argv = lab_command(project, port, no_browser=True) + [f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1"]
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime")}
    proc = subprocess.Popen(argv, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_until_up(proc, port, token)
        status, listing = _call(port, token, "contents")
        assert status == 200 and [c["name"] for c in listing["content"]] == ["lab"]  # notebooks/ is not in reach
        status, model = _call(port, token, "contents/lab/01_cleaning.ipynb")
        assert status == 200
        model["content"]["cells"][0]["source"] = "# changed while exploring in Lab\n"
        saved = {"type": "notebook", "format": "json", "content": model["content"]}
        assert _call(port, token, "contents/lab/01_cleaning.ipynb", "PUT", saved)[0] == 200
        for escape in ("contents/../notebooks/01_cleaning.ipynb", "contents/%2E%2E/notebooks/01_cleaning.ipynb",
                       "contents/..%2Fnotebooks%2F01_cleaning.ipynb"):
            assert _call(port, token, escape, "PUT", saved)[0] >= 400, escape
        assert _call(port, token, "contents/../notebooks")[0] >= 400
        assert _call(port, token, "terminals")[0] == 404  # no shell in Lab: it would reach notebooks/
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "changed while exploring in Lab" in (project / "scratch" / "lab" / "01_cleaning.ipynb").read_text()
    assert {p.name: p.read_bytes() for p in (project / "notebooks").glob("*.ipynb")} == reference
    copied, kept = prepare_lab(project)  # `make lab` again: the user's copies are kept
    assert not copied and len(kept) == len(reference)
    assert "changed while exploring in Lab" in (project / "scratch" / "lab" / "01_cleaning.ipynb").read_text()
    copied, _ = prepare_lab(project, fresh=True)  # FRESH=1: copied again from notebooks/
    assert (project / "scratch" / "lab" / "01_cleaning.ipynb").read_bytes() == reference["01_cleaning.ipynb"]


def test_lab_runs_as_root_only_where_it_must(project, monkeypatch):
    monkeypatch.setattr(lab, "running_as_root", lambda: True)
    assert "--allow-root" in lab_command(project)
    monkeypatch.setattr(lab, "running_as_root", lambda: False)
    argv = lab_command(project, 8899, no_browser=True)
    assert "--allow-root" not in argv and "--ServerApp.open_browser=False" in argv
    assert f"--ServerApp.root_dir={project / 'scratch'}" in argv


def test_a_changed_reference_notebook_is_named_cell_by_cell_with_how_to_restore_it(project):
    notebook = project / "notebooks" / "02_descriptives.ipynb"
    committed = json.loads(notebook.read_text())
    changed = json.loads(notebook.read_text())
    code = [i for i, c in enumerate(changed["cells"]) if c["cell_type"] == "code"]  # nbval numbers code cells
    changed["cells"][code[1]]["source"] = "x = 1\n"
    changed["cells"][code[2]]["outputs"] = []
    changed["cells"][code[3] - 1]["source"] = "Some text."  # the text cell above the fourth code cell
    assert changed["cells"][code[3] - 1]["cell_type"] == "markdown"
    notebook.write_text(json.dumps(changed))
    assert changed_cells(committed, changed) == [("Cell 1", "source"), ("Cell 2", "outputs"),
                                                 ("the text above Cell 3", "source")]
    hint = reference_hint(notebook, committed)
    assert "Cell 1 (source), Cell 2 (outputs), the text above Cell 3 (source)" in hint
    assert "git checkout notebooks/02_descriptives.ipynb" in hint and "make notebooks" in hint
    assert "is as committed" in reference_hint(notebook, changed)
