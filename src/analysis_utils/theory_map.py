"""The thesis's theory as data: constructs (Rogers, Kadushin, Driessens & Van Regenmortel), the items
that indicate them (each link ``stated`` by its quote or ``inferred`` by the project), the relations
that tie an item to what it does not measure, the importance-performance pairs and the emotion
groups (``resources/theory_map.yaml``), the thesis's own limits as it frames them
(``resources/limits.yaml``) and what it says beside the numbers (``resources/thesis_says.yaml``).

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
SUPPORT = ("stated", "inferred")  # what a link's quote does: make the link, or come nearest to it
# Where an answer falls: a direction's two sides, a balance's middle and poles, or nowhere (neutral).
SIDES = ("negative", "neutral", "middle", "positive")
UNSCORED_READINGS = ("roles",)  # read by the items that indicate them, never scored
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
            and not (scored and (link["direction"] == INDICATES or construct.get("reading") in UNSCORED_READINGS))]


def link_sides(link: dict, construct: dict, codebook: Codebook) -> dict[str, list[int]]:
    """Where each raw code of a scored link's item falls (:data:`SIDES`): for a direction, the
    strengthening side ``positive``, the other ``negative``; for a balance, where the link
    ``places`` agreeing and disagreeing answers (``middle``, ``pole_negative`` as ``negative``,
    ``pole_positive`` as ``positive``); the codes between, ``neutral``.

    >>> from analysis_utils.codebook import load_codebook
    >>> c = constructs()["self_determination"]
    >>> link_sides(c["items"][0], c, load_codebook())
    {'negative': [1, 2], 'neutral': [3], 'middle': [4, 5], 'positive': []}
    """
    codes = codebook.item(link["item"]).scale.codes
    agree, disagree = codes[-2:], codes[:2]
    if construct.get("reading") == "balance":
        side = {"middle": "middle", "pole_negative": "negative", "pole_positive": "positive"}
        places = {side[link["places"]["agree"]]: agree, side[link["places"]["disagree"]]: disagree}
    else:
        places = {"positive": strengthening_codes(link, codebook), "negative": alienating_codes(link, codebook)}
    taken = {c for found in places.values() for c in found}
    out = {s: list(places.get(s, [])) for s in SIDES}
    out["neutral"] = [c for c in codes if c not in taken]
    return out


def headline_side(construct: dict) -> str:
    """The side whose share a construct is read by: the middle the thesis wants for a balance,
    the strengthening side for a direction."""
    return "middle" if construct.get("reading") == "balance" else "positive"


def headline_links(construct: dict, codebook: Codebook) -> list[dict]:
    """The scored links as direction links whose strengthening codes are the construct's headline
    side (:func:`headline_side`): what an interval over respondents counts as a hit.

    >>> from analysis_utils.codebook import load_codebook
    >>> [link["direction"] for link in headline_links(constructs()["self_determination"], load_codebook())]
    ['agree = strengthening']
    """
    if construct.get("reading") != "balance":
        return construct_links(construct, codebook)
    out = []
    for link in construct_links(construct, codebook):
        where = {v: k for k, v in link["places"].items()}.get("middle")
        if where is None:
            raise ValueError(f"{construct['id']} <- {link['item']}: a balance link places no answer in the middle")
        out.append({**link, "direction": STRENGTHENING if where == "agree" else ALIENATING})
    return out


def poles_reached(construct: dict, codebook: Codebook) -> tuple[str, ...]:
    """The poles of a construct some scored answer can fall toward (``pole_negative``,
    ``pole_positive``): for a balance, a pole no item reaches is not asked."""
    sides = [link_sides(link, construct, codebook) for link in construct_links(construct, codebook)]
    return tuple(p for p, s in (("pole_negative", "negative"), ("pole_positive", "positive"))
                 if any(found[s] for found in sides))


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


def map_quotations() -> list[tuple[str, str, int]]:
    """(where, quote, seed_line) of every quotation of the thesis in the theory map: each link,
    each construct's middle, poles to avoid, wanted side and unasked expectation, each relation,
    importance-performance pair and emotion group (checked verbatim at its line by the tests)."""
    tm, out = load_theory_map(), []
    for c in tm["constructs"]:
        named = [(k, c.get(k)) for k in ("middle", "wanted", "unasked_expectation")]
        named += [(f"avoid.{k}", v) for k, v in (c.get("avoid") or {}).items()]
        out += [(f"{c['id']}.{k}", v["quote"], v["seed_line"]) for k, v in named if v]
        out += [(f"{c['id']} <- {link['item']}", link["quote"], link["seed_line"]) for link in c["items"]]
    out += [(f"relation {r['item']} -> {r['to_en']}", r["quote"], r["seed_line"]) for r in tm.get("relations", [])]
    out += [(f"pair {p['expectation']} ~ {p['experience']}", p["quote"], p["seed_line"]) for p in tm["ipa_pairs"]]
    out += [(f"emotions {g}", e["quote"], e["seed_line"]) for g, e in tm["emotion_groups"].items()]
    return out


def threshold_items() -> list[str]:
    """The items of the threshold emotions (theory map)."""
    return list(load_theory_map()["emotion_groups"]["threshold"]["items"])


def emotion_groups() -> dict[str, list[str]]:
    """The thesis's two groups of Figuur 10's emotions: group -> its items."""
    return {group: list(entry["items"]) for group, entry in load_theory_map()["emotion_groups"].items()}


def all_links(codebook: Codebook) -> list[dict]:
    """Every link of the map this questionnaire version can show, with how it is used: ``scored``
    (a construct's score), ``indicated`` (a role's indicator) or ``relation`` (a condition, context
    or limit the thesis names; ``construct_id`` is None and ``to_en``/``to_nl`` say what). Each
    keeps its ``support``, ``quote``, ``seed_line`` and ``why`` (and ``reason`` when inferred)."""
    out = []
    for c in load_theory_map()["constructs"]:
        scored = {id(link) for link in construct_links(c, codebook)}
        out += [{**link, "construct_id": c["id"], "use": "scored" if id(link) in scored else "indicated"}
                for link in construct_links(c, codebook, scored=False)]
    out += [{**r, "construct_id": None, "use": "relation"} for r in load_theory_map().get("relations", [])
            if r["item"] in codebook.item_ids]
    return out


@lru_cache(maxsize=None)
def _limits() -> tuple:
    return tuple(load_resource("limits.yaml")["limits"])


def load_limits() -> list[dict]:
    """What the thesis says about its own limits (``resources/limits.yaml``): id, how the thesis
    frames it (``framed_as``), seed_line, verbatim Dutch quote, and the limit in English and Dutch."""
    return list(_limits())


@lru_cache(maxsize=None)
def _thesis_says() -> tuple:
    return tuple(load_resource("thesis_says.yaml")["statements"])


def thesis_says(chapter: str, section: str | None = None) -> list[dict]:
    """What the thesis says that a chapter sets beside its numbers (``resources/thesis_says.yaml``):
    each entry's verbatim Dutch ``quotes`` with their lines and its sentence in English and Dutch,
    for ``chapter`` ("03", "04") and, if given, one ``section`` of it."""
    return [x for x in _thesis_says() if x["chapter"] == chapter and (section is None or x["section"] == section)]


def extract_theory_map(fileobj, keywords, comment_tags, options):
    """Babel extraction method for the theory map: its poles and theory names are catalog terms
    (construct names come in both languages in the map itself, ``name_en`` / ``name_nl``)."""
    doc = load_yaml(fileobj.read().decode("utf-8"))
    for c in doc.get("constructs", []):
        for key in THEORY_TERMS:
            text = c.get(key)
            if text:
                yield 0, "N_", text, [f"theory map: {c['id']}.{key}"]
