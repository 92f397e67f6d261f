"""The questionnaire as data: items, scales and their labels, loaded from ``codebook.yaml``.

Examples
--------
>>> from analysis_utils.codebook import load_codebook
>>> cb = load_codebook()
>>> cb.item("q08_satisfaction").figure
8
>>> cb.scale_of("q08_satisfaction").label(5, "nl")
'zeer tevreden'
>>> cb.item("q17_different_goals").positive_score(1)
5
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from .yamlio import load_resource, load_yaml, resource_text

LANGS = ("en", "nl")
# The thesis's figures as the report groups them, named once: the clients' judgement of the
# relationship (chapter 02's headline section, chapter 04's shares, the comparison of intakes).
RELATIONSHIP_FIGURES = (8, 9, 13, 14, 15, 16, 17, 18, 19, 20, 21)
DEMOGRAPHIC_FIGURES = (1, 2, 3, 4, 5, 6, 7)
# Questionnaire v1's goals item: worded negatively and misread by most clients (lines 2227-2231).
GOALS_V1 = "q17_different_goals"


@dataclass(frozen=True)
class Scale:
    """A response scale: integer codes with a Dutch and an English label each."""

    id: str
    kind: str  # "ordinal" or "nominal"
    labels: dict[int, dict[str, str]]
    neutral: int | None = None
    seen: dict = field(default_factory=dict)  # code -> {line, quote}: where the thesis shows the label

    def evidence(self, code: int) -> str:
        """``attested`` when the thesis shows this answer's Dutch label (``seen``), else ``inferred``:
        the one rule for every label, as for every item's wording."""
        return "attested" if int(code) in self.seen else "inferred"

    @property
    def codes(self) -> list[int]:
        return sorted(self.labels)

    @property
    def ordinal(self) -> bool:
        return self.kind == "ordinal"

    def label(self, code: int, lang: str = "en") -> str:
        return self.labels[int(code)][lang]

    def lookup(self) -> dict[str, int]:
        """Map every accepted spelling (code, nl or en label; case-folded) to its code."""
        table: dict[str, int] = {}
        for code, names in self.labels.items():
            table[str(code)] = code
            for text in names.values():
                table[text.casefold()] = code
        return table

    def choices(self, lang: str = "nl") -> str:
        """The answers as the entry workbook's list shows them, each with its code, for a
        message: "1 = zeker niet, 2 = eerder niet, …"."""
        return ", ".join(f"{c} = {self.labels[c][lang]}" for c in self.codes)


@dataclass(frozen=True)
class Item:
    """One column of the questionnaire."""

    id: str
    section: str
    type: str
    scale: Scale | None  # None for a free-text field (type "text")
    label_nl: str
    label_en: str
    wording_nl: str
    wording_en: str
    figure: int | None = None
    group: str | None = None
    valence: str | None = None
    reversed: bool = False
    absent_in_pilot: bool = False  # the pilot form of this version did not ask it (codebook: a list of versions)
    evidence: str = "attested"
    note: str = ""
    seed_line: int | None = None
    asked_if: dict | None = None  # follow-up question: asked only where these answers were given
    aligns_with: str | None = None  # the item of another version that asks the same thing
    sic: tuple = ()  # words of the verbatim Dutch wording that are the thesis's typos
    reconstructed_note: dict | None = None  # en/nl: what a reconstruction's figure of this item rests on

    def shown_wording(self, lang: str = "en") -> str:
        """The wording as a reader sees it: verbatim, each typo of the thesis marked [sic]."""
        text = self.wording(lang)
        if lang == "nl" or lang == "both":
            for word in self.sic:
                text = text.replace(word, f"{word} [sic]", 1)
        return text

    def label(self, lang: str = "en") -> str:
        return self.label_nl if lang == "nl" else self.label_en

    def wording(self, lang: str = "en") -> str:
        return self.wording_nl if lang == "nl" else self.wording_en

    def short_wording(self, lang: str = "nl", limit: int = 60) -> str:
        """The wording cut to about ``limit`` characters at a word, "…" where cut; an item of a
        group keeps its own words at the end (the stem is what its neighbours share).

        >>> load_codebook().item("q10_emotion_shame").short_wording()
        'Ik stap naar mijn maatschappelijk assistente toe … schaamte'
        """
        text = self.wording(lang)
        if len(text) <= limit:
            return text
        own = self.label(lang) if self.group and text.endswith(self.label(lang)) else ""
        room = max(limit - len(own) - 3, 20)
        head = text[:room + 1].rsplit(" ", 1)[0].rstrip(" ,:;(")
        return f"{head} … {own}" if own else f"{head} …"

    @property
    def ordinal(self) -> bool:
        return self.scale is not None and self.scale.ordinal

    @property
    def coded(self) -> bool:
        """Answers are codes of a scale (every type but free text)."""
        return self.scale is not None

    def positive_score(self, code: int) -> int:
        """The code turned so that higher always means the positive thing."""
        codes = self.scale.codes
        return (codes[0] + codes[-1] - int(code)) if self.reversed else int(code)

    @property
    def top2_codes(self) -> list[int]:
        """Raw codes of the two most positive categories (for a reversed item, the lowest two)."""
        codes = self.scale.codes
        return codes[:2] if self.reversed else codes[-2:]

    @property
    def max_code(self) -> int:
        """Raw code of the single most positive category (the ceiling)."""
        codes = self.scale.codes
        return codes[0] if self.reversed else codes[-1]


@dataclass(frozen=True)
class Group:
    id: str
    figure: int
    stem_nl: str
    stem_en: str
    seed_line: int | None = None

    def stem(self, lang: str = "en") -> str:
        return self.stem_nl if lang == "nl" else self.stem_en


@dataclass(frozen=True)
class Codebook:
    version: str
    items: tuple[Item, ...]
    scales: dict[str, Scale]
    groups: dict[str, Group] = field(default_factory=dict)

    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(f"no item {item_id!r} in codebook {self.version}")

    def scale_of(self, item_id: str) -> Scale:
        return self.item(item_id).scale

    def by_figure(self, figure: int) -> list[Item]:
        return [i for i in self.items if i.figure == figure]

    def section(self, name: str) -> list[Item]:
        return [i for i in self.items if i.section == name]

    @property
    def figures(self) -> list[int]:
        return sorted({i.figure for i in self.items if i.figure is not None})


ITEM_DEFAULTS = {"reversed": False, "absent_in_pilot": False, "evidence": "attested", "note": ""}
ITEM_FIELDS = set(Item.__dataclass_fields__)


def _wording(raw: dict, groups: dict[str, Group]) -> dict:
    """Items of a multi-item figure take their wording from the group's stem."""
    if "group" in raw and "wording_nl" not in raw:
        g = groups[raw["group"]]
        return {
            "wording_nl": f"{g.stem_nl} {raw['label_nl']}",
            "wording_en": f"{g.stem_en} {raw['label_en']}",
        }
    return {}


def _absent_in_pilot(raw: dict, version: str, known) -> bool:
    """``absent_in_pilot`` for the version loaded: true or false as written, or whether
    ``version`` is in the list of versions whose pilot form did not ask the item.

    >>> _absent_in_pilot({"absent_in_pilot": ["v1"]}, "v2", ["v1", "v2"])
    False
    """
    value = raw.get("absent_in_pilot", False)
    if isinstance(value, bool):
        return value
    if not isinstance(value, list) or not set(value) <= set(known):
        raise ValueError(f"codebook item {raw.get('id')}: absent_in_pilot is true, false or a list of "
                         f"versions ({', '.join(sorted(known))}), not {value!r}")
    return version in value


def parse_codebook(doc: dict, version: str = "v1") -> Codebook:
    """Build a :class:`Codebook` from the parsed YAML document."""
    if version not in doc.get("versions", {}):
        raise KeyError(f"unknown questionnaire version {version!r}; known: {sorted(doc['versions'])}")
    scales = {
        sid: Scale(
            id=sid,
            kind=s["kind"],
            labels={int(k): {lang: v[lang] for lang in LANGS} for k, v in s["labels"].items()},
            neutral=s.get("neutral"),
            seen={int(k): v["seen"] for k, v in s["labels"].items() if "seen" in v},
        )
        for sid, s in doc["scales"].items()
    }
    groups = {gid: Group(id=gid, **g) for gid, g in doc.get("groups", {}).items()}
    items = []
    for raw in doc["items"]:
        if version not in raw.get("versions", [version]):
            continue
        unknown = set(raw) - ITEM_FIELDS - {"versions"}
        if unknown:
            raise ValueError(f"codebook item {raw.get('id')}: unknown fields {sorted(unknown)}")
        fields = {**ITEM_DEFAULTS, **raw, **_wording(raw, groups)}
        fields.pop("versions", None)
        fields["scale"] = scales[raw["scale"]] if raw.get("scale") else None
        fields["sic"] = tuple(fields.get("sic", ()))
        fields["absent_in_pilot"] = _absent_in_pilot(raw, version, doc["versions"])
        items.append(Item(**fields))
    ids = [i.id for i in items]
    if len(ids) != len(set(ids)):
        raise ValueError("codebook has duplicate item ids")
    return Codebook(version=version, items=tuple(items), scales=scales, groups=groups)


def aligned_items(a: Codebook, b: Codebook) -> list[tuple[str, str]]:
    """Pairs (item of a, item of b) that ask the same thing: the same id in both versions, or an
    item that ``aligns_with`` the other. Free-text fields are left out."""
    pairs = []
    b_ids = set(b.item_ids)
    for item in a.items:
        if not item.coded:
            continue
        if item.id in b_ids:
            pairs.append((item.id, item.id))
            continue
        for other in b.items:
            if other.aligns_with == item.id or item.aligns_with == other.id:
                pairs.append((item.id, other.id))
    return pairs


@lru_cache(maxsize=None)
def answer_glossary(lang: str) -> dict[str, str]:
    """Every answer label of every scale, English -> ``lang`` (the first scale that has it wins):
    how a derived value such as a help type, stored in English, is shown in the Dutch report."""
    if lang == "en":
        return {}
    doc = load_resource("codebook.yaml")
    out: dict[str, str] = {}
    for scale in doc["scales"].values():
        for label in scale["labels"].values():
            out.setdefault(label["en"], label[lang])
    return out


@lru_cache(maxsize=1)
def versions() -> list[str]:
    """The questionnaire versions the codebook knows (v1, v2)."""
    return sorted(load_yaml(resource_text("codebook.yaml"))["versions"])


def load_codebook(version: str = "v1") -> Codebook:
    """Load the packaged codebook for one questionnaire version."""
    return parse_codebook(load_yaml(resource_text("codebook.yaml")), version)


def mask(df: pd.DataFrame, where: dict) -> pd.Series:
    """Rows matching every condition of ``where`` (item -> codes, ``missing`` or ``answered``):
    the routing of a follow-up question (``asked_if``) and the conditions of a reported fact.

    >>> mask(pd.DataFrame({"q01_gender": [1, 2, None]}), {"q01_gender": [2]}).tolist()
    [False, True, False]
    """
    keep = np.ones(len(df), dtype=bool)  # on arrays: the reproduction table asks this ~100 times
    for item, cond in where.items():
        col = df[item]
        if cond == "missing":
            keep &= col.isna().to_numpy()
        elif cond == "answered":
            keep &= col.notna().to_numpy()
        elif col.dtype.kind in "iuf" and all(isinstance(c, (int, float)) for c in cond):
            keep &= np.isin(col.to_numpy(dtype=float, na_value=np.nan), list(cond))
        else:
            keep &= col.isin(list(cond)).to_numpy(dtype=bool, na_value=False)
    return pd.Series(keep, index=df.index)


def question_numbers(cb: Codebook) -> dict[str, str]:
    """Item id -> the number it is printed under, for every item asked of the client: one number
    per question, shared by a grid's items; a follow-up takes its lead question's number and a
    letter, and the count goes on from the lead, so that the numbers are those of the item codes.

    >>> numbers = question_numbers(load_codebook("v2"))
    >>> [numbers[i] for i in ("q10_emotion_gratitude", "q10_emotion_calm", "q23a_concealment_topic", "q24_home_language")]
    ['10', '10', '23a', '24']
    """
    numbers: dict[str, str] = {}
    count, previous, letters = 0, None, {}
    for item in (i for i in cb.items if i.section != "administration"):
        lead = next(iter(item.asked_if or {}), None)
        if item.group and previous is not None and previous.group == item.group:
            numbers[item.id] = numbers[previous.id]
        elif lead in numbers:
            letters[lead] = letters.get(lead, 0) + 1
            numbers[item.id] = numbers[lead] + "abcdefghijklmnopqrstuvwxyz"[letters[lead] - 1]
        else:
            count += 1
            numbers[item.id] = str(count)
        previous = item
    return numbers
