"""Analysis of the OCMW Genk client survey on the helping relationship (budget help).

The package holds the logic that the staged notebooks in ``notebooks/`` call: the codebook,
reading and validating an intake, the 2015 reconstruction, descriptive statistics, plots and
the papermill pipeline.
"""
import sys

__version__ = "0.1.0"

# nbformat imports jsonschema, which compiles the lark grammars of rfc3987-syntax (present as an
# extra of JupyterLab's dependencies) when it is imported: about three seconds in every process
# that reads a notebook (a run, and every pytest process, where nbval loads nbformat: the test
# suite loads this package first, `-p analysis_utils` in pyproject.toml), for an "iri" format
# check that notebook validation never uses. jsonschema skips the check when the import fails,
# so these processes decline it.
sys.modules.setdefault("rfc3987_syntax", None)
