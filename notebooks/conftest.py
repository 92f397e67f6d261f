"""When pytest (nbval) re-executes these notebooks, their outputs go to a throw-away folder,
never into the project's data/processed/ or reports/."""
import os
import tempfile

os.environ.setdefault("ANALYSIS_UTILS_OUTPUT_ROOT", tempfile.mkdtemp(prefix="analysis-utils-nbval-"))
