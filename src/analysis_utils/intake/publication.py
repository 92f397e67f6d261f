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

from ..i18n import _
from ..yamlio import load_yaml
from .privacy import text_problem
from .problems import DETAILED, Problem, shape
from .read import Refused, load_yaml_bounded, read_text_bounded

PUBLICATION_FILES = ("reported.yaml", "reconstruction.yaml")
RECONSTRUCTED = "reconstructed-from-publication"


def check_publication_files(intake_dir: Path, confirmed: tuple[str, ...] = ()) -> list[Problem]:
    """Each publication file of the folder, parsed within bounds: a UTF-8 YAML mapping whose texts
    (quotes, readings, what the publication says) hold no identifier or person's name — they are
    printed in chapter 02 and ``reproduction.csv``. ``confirmed``: the intake's ``not_a_name``."""
    problems = []
    for name in PUBLICATION_FILES:
        path = intake_dir / name
        if not path.is_file():
            continue
        try:
            content = load_yaml_bounded(read_text_bounded(path))
        except (Refused, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), None, None, None,
                                    str(exc) if isinstance(exc, Refused) else _("a UTF-8 text file")))
            continue
        if not isinstance(content, dict):
            problems.append(Problem(str(path), None, None, None, _("a mapping (found {what})").format(what=shape(content))))
            continue
        for key, text in _texts(content):
            if why := text_problem(text, confirmed):
                problems.append(Problem(str(path), None, key, None, _("no direct identifiers: {why}").format(why=why)))
                if len(problems) >= DETAILED:
                    break
    return problems


def _texts(node, key: str = "") -> list[tuple[str, str]]:
    """Every text of a parsed YAML document, with its key path (``facts[3].quote``)."""
    if isinstance(node, str):
        return [(key, node)]
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in _texts(v, f"{key}.{k}" if key else str(k))]
    if isinstance(node, list):
        return [t for i, v in enumerate(node) for t in _texts(v, f"{key}[{i}]")]
    return []


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
