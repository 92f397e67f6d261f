"""What the chapters read and write: stage 01's processed answers, and tables as CSV that no
spreadsheet runs as a formula (OWASP's "CSV injection": a text cell starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return gets a leading apostrophe). Validation already refuses such
respondent ids and team names; this is the second line.

Examples
--------
>>> neutralise_csv(pd.DataFrame({"id": ["=1+2", "R01"], "n": [-1, 2]}))["id"].tolist()
["'=1+2", 'R01']
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_csv(df: pd.DataFrame) -> pd.DataFrame:
    """A copy in which no text cell starts like a spreadsheet formula (numbers are untouched)."""
    out = df
    for col in df.columns:
        s = df[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        text = s.astype("string")
        risky = text.str.startswith(FORMULA_START).fillna(False) & s.map(lambda v: isinstance(v, str))
        if risky.any():
            if out is df:
                out = df.copy()
            out[col] = s.where(~risky, "'" + text)
    return out


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """``table`` as CSV at ``path`` (LF endings, no index), no cell a formula."""
    neutralise_csv(table).to_csv(path, index=False, lineterminator="\n")
    return path


def write_table(table: pd.DataFrame, tables_dir: str | Path, name: str) -> str:
    """Write a report table as ``<tables_dir>/<name>.csv`` (floats rounded to 4 decimals, LF
    endings, no cell a formula); return its file name."""
    out = table.copy()
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(4)
    write_csv(out, Path(tables_dir) / f"{name}.csv")
    return f"{name}.csv"


def read_processed(path: str | Path) -> pd.DataFrame:
    """The processed answer file of stage 01, codes as nullable integers."""
    df = pd.read_csv(path, dtype={"respondent_id": "string", "a03_team": "string"})
    for col in df.columns:
        if col.startswith(("a0", "q")) and df[col].dtype.kind in "fi":
            df[col] = df[col].astype("Int64")
    return df
