"""The thesis's theory as data: constructs (Rogers, Kadushin, Driessens & Van Regenmortel), the items
that indicate them, the importance-performance pairs and the emotion groups
(``resources/theory_map.yaml``), and the limits the thesis names itself (``resources/limits.yaml``).

Examples
--------
>>> tm = load_theory_map()
>>> [c["id"] for c in tm["constructs"] if c.get("axis")]
['distant_close', 'bureaucratic_personalised', 'paternalistic_emancipatory']
>>> from analysis_utils.codebook import load_codebook
>>> list(scored_outcomes(load_codebook()))[:2]
['unconditional_acceptance', 'confidentiality']
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .codebook import Codebook
from .yamlio import load_resource, load_yaml

STRENGTHENING, ALIENATING, INDICATES = "agree = strengthening", "agree = alienating", "indicates"
# The catalog terms of the map (construct names come in both languages in the map itself).
THEORY_TERMS = ("pole_negative", "pole_positive", "theory")
SATISFACTION = "satisfaction"  # the outcome beside the constructs: overall satisfaction (Figuur 8)


@lru_cache(maxsize=None)
def _theory_map() -> dict:
    return load_resource("theory_map.yaml")


def load_theory_map() -> dict:
    """The parsed theory map (shared: callers must not change it)."""
    return _theory_map()


def constructs() -> dict[str, dict]:
    """Construct id -> its entry in the map, in the map's order."""
    return {c["id"]: c for c in load_theory_map()["constructs"]}


@lru_cache(maxsize=None)
def glossary(lang: str) -> dict[str, str]:
    """Construct ids (and, for Dutch, English names) -> their name in ``lang`` (the theory map
    names every construct in both languages), for table values such as sub-group outcomes."""
    key = f"name_{lang}"
    out = {}
    for c in load_theory_map()["constructs"]:
        if lang == "en":  # only the ids that are not words (an item may be called "empathy" too)
            if "_" in c["id"]:
                out[c["id"]] = c["name_en"]
            continue
        out[c["id"]] = out[c["name_en"]] = c.get(key) or c["name_en"]
    return out


def construct_name(construct: dict, lang: str) -> str:
    """A construct's name in ``lang``."""
    return construct["name_nl"] if lang == "nl" else construct["name_en"]


def construct_links(construct: dict, codebook: Codebook, scored: bool = True) -> list[dict]:
    """The construct's links to items that this questionnaire version has; with ``scored``
    only those that place an answer between the construct's poles (not a role's indicator)."""
    return [link for link in construct["items"] if link["item"] in codebook.item_ids
            and not (scored and (link["direction"] == INDICATES or construct.get("reading") == "roles"))]


def construct_items(construct: dict, codebook: Codebook, scored: bool = False) -> list[str]:
    """Items linked to the construct (all of them: what the questionnaire covers)."""
    return [link["item"] for link in construct_links(construct, codebook, scored)]


def strengthening_codes(link: dict, codebook: Codebook) -> list[int]:
    """The two raw codes that mean the construct's strengthening pole, by the link's direction."""
    codes = codebook.item(link["item"]).scale.codes
    return codes[-2:] if link["direction"] == STRENGTHENING else codes[:2]


def alienating_codes(link: dict, codebook: Codebook) -> list[int]:
    """The two raw codes at the other pole; what lies between is the middle."""
    codes = codebook.item(link["item"]).scale.codes
    return codes[:2] if link["direction"] == STRENGTHENING else codes[-2:]


def oriented_scores(codes: pd.Series, link: dict, codebook: Codebook) -> pd.Series:
    """Raw codes of one linked item as scores where higher means the construct's strengthening
    pole (Float64, missing stays missing)."""
    values = codes.astype("Float64")
    scale = codebook.item(link["item"]).scale.codes
    return values if link["direction"] == STRENGTHENING else (scale[0] + scale[-1]) - values


def scored_outcomes(codebook: Codebook) -> dict[str, dict]:
    """The outcomes a respondent is scored on: every construct measured by at least one item.
    Constructs measured by the very same items are one outcome, its id their ids joined by
    " = "; each outcome has its ``constructs`` (ids) and ``links`` (of the last of them, which
    link the same items). Overall satisfaction is not among them (see :data:`SATISFACTION`)."""
    out: dict[tuple, dict] = {}
    for c in load_theory_map()["constructs"]:
        links = construct_links(c, codebook)
        if links:
            key = tuple(sorted(link["item"] for link in links))
            entry = out.setdefault(key, {"constructs": [], "links": links})
            entry["constructs"].append(c["id"])
            entry["links"] = links
    return {" = ".join(e["constructs"]): e for e in out.values()}


def outcome_links(outcome: str, codebook: Codebook) -> list[dict]:
    """The links an outcome of :func:`scored_outcomes` is scored on (satisfaction: its item),
    each item once, in the order of the constructs."""
    if outcome == SATISFACTION:
        return [{"item": "q08_satisfaction", "direction": STRENGTHENING}]
    seen, links = set(), []
    for cid in scored_outcomes(codebook)[outcome]["constructs"]:
        for link in construct_links(constructs()[cid], codebook):
            if link["item"] not in seen:
                seen.add(link["item"])
                links.append(link)
    return links


def threshold_items() -> list[str]:
    """The items of the threshold emotions (theory map)."""
    return list(load_theory_map()["emotion_groups"]["threshold"])


@lru_cache(maxsize=None)
def _limits() -> tuple:
    return tuple(load_resource("limits.yaml")["limits"])


def load_limits() -> list[dict]:
    """What the thesis says about its own limits (``resources/limits.yaml``): id, seed_line,
    verbatim Dutch quote, and the limit in English and Dutch."""
    return list(_limits())


def extract_theory_map(fileobj, keywords, comment_tags, options):
    """Babel extraction method for the theory map: its poles and theory names are catalog terms
    (construct names come in both languages in the map itself, ``name_en`` / ``name_nl``)."""
    doc = load_yaml(fileobj.read().decode("utf-8"))
    for c in doc.get("constructs", []):
        for key in THEORY_TERMS:
            text = c.get(key)
            if text:
                yield 0, "N_", text, [f"theory map: {c['id']}.{key}"]
