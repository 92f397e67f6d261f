"""environment.yml cannot be exercised here (no conda); keep it in step with pyproject.toml."""
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml


def _name_and_spec(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_lists_the_same_packages_and_bounds(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = dict(_name_and_spec(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((root / "environment.yml").read_text())
    conda = dict(_name_and_spec(d) for d in env["dependencies"] if isinstance(d, str) and d not in ("pip",))
    conda.pop("python")
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip
    from_pip = dict(_name_and_spec(d) for d in pip if d != "-e .")  # those conda-forge does not have
    assert not set(conda) & set(from_pip)
    assert {**conda, **from_pip} == wanted


def test_environment_python_matches_requires_python(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((root / "environment.yml").read_text())
    assert f"python{project['requires-python']}" in env["dependencies"]


def _requirement_names(root) -> set[str]:
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    return {_name_and_spec(r)[0] for r in project["dependencies"] + project["optional-dependencies"]["dev"]}


def test_every_library_the_package_imports_is_declared(root):
    """Each third-party module imported anywhere in src/ (at the top or inside a function) comes
    from a distribution pyproject.toml declares (its own, or one its declared ones install, as
    jupyter_client comes with ipykernel: then that one is named below)."""
    import ast
    import sys
    from importlib.metadata import packages_distributions

    declared = _requirement_names(root) | {"ipykernel", "jupyter-client", "jupyter-core", "ipython", "jinja2"}
    dists = {k: {d.lower().replace("_", "-") for d in v} for k, v in packages_distributions().items()}
    missing = set()
    for path in (root / "src" / "analysis_utils").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            for name in (n.split(".")[0] for n in names):
                if name in sys.stdlib_module_names or name == "analysis_utils":
                    continue
                if not dists.get(name, {name}) & declared:
                    missing.add(f"{name} ({path.name})")
    assert not missing, "imported but not declared in pyproject.toml: " + ", ".join(sorted(missing))


def test_every_declared_package_is_pinned_for_the_notebooks(root):
    """.ci/constraints.txt pins the exact version of every declared package (nbval's reference
    outputs were made with them)."""
    pinned = {line.split("==")[0].lower().replace("_", "-") for line in (root / ".ci" / "constraints.txt").read_text().splitlines()
              if "==" in line and not line.startswith("#")}
    assert _requirement_names(root) <= pinned, sorted(_requirement_names(root) - pinned)


def test_the_installed_libraries_are_byte_compiled(root):
    """`make` installs byte-compiled (uv's --compile-bytecode): where PYTHONDONTWRITEBYTECODE is
    set, as on the build machines, every kernel would otherwise compile pandas, matplotlib and
    scipy from source on each start (about 3 s of CPU each). Checked where make made the venv."""
    import importlib.util

    if not (root / ".venv" / ".installed-stamp").is_file() or not sys.prefix.startswith(str(root / ".venv")):
        pytest.skip("not the .venv that make installs")
    for name in ("pandas", "matplotlib", "scipy"):
        init = Path(importlib.util.find_spec(name).origin)
        assert list((init.parent / "__pycache__").glob("__init__.*.pyc")), f"{name} is not byte-compiled"
