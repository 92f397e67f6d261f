"""Which of a publication's facts bear on one item's counts, and the words (verbal quantifiers,
the readings of a statement given two ways) with their lines that an item's admitted range rests
on (:mod:`analysis_utils.stats.admissible`).

Examples
--------
>>> publication_words("q14_sincere", [])
[]
"""
from __future__ import annotations


def bears_on(f: dict, item: str) -> bool:
    """Whether fact ``f`` bears on the counts of ``item`` alone
    (:func:`~analysis_utils.stats.admissible.admissible_count`): a count or percentage of its own
    answers, its mode, a group maximum it belongs to, or a comparison ('vaker') of items it is one
    of. A fact the project infers (``provenance: inferred``) is the
    reconstruction's reading, not the publication's word: it bears on nothing here. With
    :math:`I_f` the items whose counts fact :math:`f` constrains, it bears on :math:`i` when
    :math:`i \\in I_f`.

    References
    ----------
    Manski (2003), see :func:`analysis_utils.stats.admissible.admissible_count`.

    Examples
    --------
    >>> fact = {"where": {"q13_ask_help_easily": [4, 5]}, "op": ">=", "value": 21, "provenance": "quantifier"}
    >>> bears_on(fact, "q13_ask_help_easily"), bears_on(fact, "q14_sincere")
    (True, False)
    """
    kind, where = f.get("kind", "count"), f.get("where", {})
    if f.get("provenance") == "inferred":
        return False
    if kind in ("count", "percent"):
        return set(where) == {item} and isinstance(where[item], list) and "value_of" not in f
    if kind == "mode":
        return f["item"] == item
    if kind == "group_max":
        return item in f["items"] and f.get("op") in ("==", "<=", "<")
    return kind == "group_compare" and item in (*f["items"], *f["than"])


def publication_words(item: str, facts: list[dict], narrows=None,
                      unbounded: bool = False) -> list[tuple[str | None, int, str]]:
    """The publication's words that an item's admitted range rests on, each with its line in the
    text and its role: ``quantifier``, the verbal quantifier of a fact that bears on the item
    (:func:`~analysis_utils.stats.admissible.admissible_count`; 'merendeel', and 'vaker' of a
    comparison), ``compared``, that of a comparison whose sentence names the items on the other side
    (``names``: ``items``, the default, or ``than``), ``reading``, one of the two readings of a
    statement the text gives two ways (its own line, then its counterpart's), ``statement``, a
    statement with no count and no quantifier (its quote), ``count``, a count the text gives, or
    ``bound``, a statement about everybody ('elke'; these two with no word: ``None``). A quantifier
    is cited on the line it stands on (``word_line``, by default the line its quote begins on).
    With ``narrows`` (facts -> bool: whether leaving them out widens the range), only the words
    whose facts (all of one word's together) narrow it; where none does and the range is
    ``unbounded`` (0–100 %), every word that bears on the item (named, no share bounded). With
    :math:`F_i` the facts bearing on item :math:`i` (and narrowing its range),

    .. math:: W_i = \\{(w, \\ell) : f \\in F_i,\\; w \\text{ a word of } f \\text{ on line } \\ell\\}.

    References
    ----------
    Manski (2003), see :func:`~analysis_utils.stats.admissible.admissible_count`: the words are
    what the range is identified from.

    Examples
    --------
    >>> facts = [{"where": {"q13_ask_help_easily": [4, 5]}, "provenance": "quantifier",
    ...           "quantifier": "overgrote meerderheid", "seed_line": 1733}]
    >>> publication_words("q13_ask_help_easily", facts)
    [('overgrote meerderheid', 1733, 'quantifier')]
    >>> publication_words("q13_ask_help_easily", facts, narrows=lambda fs: False), publication_words("q14_sincere", facts)
    ([], [])
    """
    groups: dict[tuple, list[dict]] = {}  # one word's facts together: 'betrekkelijk minder' on two lines
    for f in facts:
        if f.get("kind") == "statement" and item in f.get("where", {}):
            groups.setdefault(("statement", f["quote"]), []).append(f)
        elif bears_on(f, item) and f.get("provenance") in ("quantifier", "contested", "count", "bound"):
            key = f.get("quantifier") if f.get("provenance") == "quantifier" else f.get("id", len(groups))
            groups.setdefault((f.get("provenance"), key), []).append(f)
    words = []
    for (kind, _key), group in groups.items():
        if kind != "statement" and narrows is not None and not narrows(group):
            continue
        words += [_word(f, kind, item) for f in group if kind != "quantifier" or f.get("quantifier")]
    if not words and unbounded and narrows is not None:  # nothing narrows it: every word that names it
        return publication_words(item, facts)
    return list(dict.fromkeys(w for found in words for w in (found if isinstance(found, list) else [found])))


def _word(f: dict, kind: str, item: str) -> tuple | list[tuple]:
    """The word(s) of one fact, with line and role (see :func:`publication_words`)."""
    if kind == "statement":
        return f["quote"], f.get("seed_line"), "statement"
    if kind == "quantifier":
        other = f.get("kind") == "group_compare" and item not in f.get(f.get("names", "items"), [])
        return f["quantifier"], f.get("word_line", f.get("seed_line")), "compared" if other else "quantifier"
    if kind == "contested":
        lines = [f.get("seed_line"), f.get("counterpart", {}).get("seed_line")]
        return [(r["word"], r.get("word_line", line), "reading") for r, line in zip(f.get("readings", []), lines)]
    return None, f.get("seed_line"), kind  # a count, or a statement about everybody
