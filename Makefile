# The two commands of the README: `make report` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
INTAKE ?= data/raw/genk-2015
# The report's languages: English in reports/<intake>/, Dutch beside it in reports/<intake>/nl/.
REPORT_LANGS ?= en,nl

.PHONY: report test lab serve notebooks bench catalog clean

# (Re)install only when pyproject.toml or the pinned versions changed since the last install.
# .ci/constraints.txt pins the exact versions the committed notebook outputs were made with.
$(STAMP): pyproject.toml .ci/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "installing analysis_utils and its dependencies into $(VENV) ..."
	@# uv installs the pinned set in seconds where pip takes about a minute (it downloads and
	@# unpacks in parallel); pip installs uv itself, at the version the constraints pin.
	@$(PY) -m pip install --quiet --disable-pip-version-check -c .ci/constraints.txt uv
	@$(PY) -m uv pip install --quiet --compile-bytecode --python $(PY) -c .ci/constraints.txt -e '.[dev]'
	@# an editable install is not byte-compiled; every kernel imports the package (PYTHONDONTWRITEBYTECODE may be set)
	@$(PY) -m compileall -q src
	@touch $(STAMP)

report: $(STAMP)
	@$(PY) -m analysis_utils run $(INTAKE) --lang $(REPORT_LANGS)

test: $(STAMP)
	@$(PY) -m pytest

# Serve reports/ on 127.0.0.1 so that the report's search works (browsers run it only over http).
serve: $(STAMP)
	@$(PY) -m analysis_utils serve $(if $(PORT),--port $(PORT))

# JupyterLab on copies of the notebooks in scratch/lab/, rooted at scratch/: the committed notebooks
# (nbval's reference) are out of its reach. `make lab PORT=8899 NO_BROWSER=1` for a server without
# a browser; FRESH=1 copies them again over your copies. As root it adds --allow-root itself.
lab: $(STAMP)
	@$(PY) -m analysis_utils lab $(if $(PORT),--port $(PORT)) $(if $(NO_BROWSER),--no-browser) $(if $(FRESH),--fresh)

# Re-execute the committed notebooks on the default intake (nbval's reference outputs).
notebooks: $(STAMP)
	@$(PY) -m analysis_utils notebooks

# The performance measurements of the README (a few minutes; timings are the machine's, ratios travel).
bench: $(STAMP)
	@$(PY) -m analysis_utils bench

# After changing a sentence of the report: extract it into the Dutch catalog (then translate the
# new entries in src/analysis_utils/locale/nl/LC_MESSAGES/analysis_utils.po and run this again).
catalog: $(STAMP)
	@$(PY) -m analysis_utils catalog

# Outputs, including hidden build folders a killed run may have left.
clean:
	rm -rf $(VENV) data/processed/*/ reports/*/ data/processed/.[!.]*/ reports/.[!.]*/
