"""The files of an intake that comes with a publication: ``reported.yaml`` (the facts the
publication reports, each with its provenance, quote and line) and, for a reconstructed intake,
``reconstruction.yaml`` (how its answers were rebuilt). Parsed within the same bounds as the
description; :func:`analysis_utils.chapters.validation.try_publication` then tries them once as
the stages will use them.

Examples
--------
>>> facts = load_facts("data/raw/genk-2015/reported.yaml")
>>> facts[0]["id"]
'n_respondents'
"""
from __future__ import annotations

from pathlib import Path

from ..yamlio import load_yaml
from .problems import Problem, shape
from .read import Refused, decode, load_yaml_bounded

PUBLICATION_FILES = ("reported.yaml", "reconstruction.yaml")
RECONSTRUCTED = "reconstructed-from-publication"


def check_publication_files(intake_dir: Path) -> list[Problem]:
    """Each publication file of the folder, parsed within bounds: a UTF-8 YAML mapping."""
    problems = []
    for name in PUBLICATION_FILES:
        path = intake_dir / name
        if not path.is_file():
            continue
        try:
            content = load_yaml_bounded(decode(path.read_bytes(), strict=True))
        except (Refused, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), None, None, None, str(exc) if isinstance(exc, Refused) else "a UTF-8 text file"))
            continue
        if not isinstance(content, dict):
            problems.append(Problem(str(path), None, None, None, f"a mapping (found {shape(content)})"))
    return problems


def _section(path: str | Path, key: str, default=None):
    return load_yaml(Path(path).read_text("utf-8")).get(key, default)


def load_facts(path: str | Path) -> list[dict]:
    """The ``facts`` list of a ``reported.yaml`` file."""
    return load_yaml(Path(path).read_text("utf-8"))["facts"]


def load_claims(path: str | Path) -> list[dict]:
    """The ``claims`` list (universal statements of the text) of a ``reported.yaml`` file."""
    return _section(path, "claims", [])


def load_contradictions(path: str | Path) -> list[dict]:
    """The ``contradictions`` list of a ``reported.yaml`` file: statements of the text that
    cannot all be read as counts at once, each quoted with its line."""
    return _section(path, "contradictions", [])


def load_publication(intake_dir: str | Path, manifest: dict) -> dict | None:
    """The facts and claims of a reconstructed intake's ``reported.yaml``, else None (an intake
    of observed answers is not bounded by a publication)."""
    path = Path(intake_dir) / "reported.yaml"
    if manifest.get("source") != RECONSTRUCTED or not path.is_file():
        return None
    data = load_yaml(path.read_text("utf-8"))
    return {"facts": data["facts"], "claims": data.get("claims", [])}
