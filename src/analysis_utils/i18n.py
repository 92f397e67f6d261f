"""Everything a reader sees, in English or Dutch, from one gettext catalog.

The mechanism is the ecosystem's standard one:

- Sentences and labels are written in English inside ``_()`` (``N_()`` marks a string defined
  before the language is known, such as a module-level table; ``ngettext`` a count-dependent
  form). Placeholders are named, ``_("{n} of {total}").format(n=..., total=...)``, so that a
  translation may order them differently.
- Babel extracts them (``babel.cfg``; the notebooks' code cells through :func:`extract_notebook`)
  into ``locale/analysis_utils.pot``; the Dutch catalog is
  ``locale/nl/LC_MESSAGES/analysis_utils.po``, compiled by ``pybabel compile`` into the ``.mo``
  that the standard library's :mod:`gettext` reads at run time. ``tests/test_i18n.py`` fails on a
  string without a Dutch translation, on a stale ``.mo`` and on English in a Dutch report.
- The notebooks' prose is written twice, in Markdown cells tagged ``lang-en`` and ``lang-nl``;
  rendering removes the other language's cells (nbconvert's ``TagRemovePreprocessor``).

A notebook says once, at the top, which language it speaks (:func:`use`); the pipeline renders a
page inside :func:`language`. Values in tables (group names, statuses) are translated
where they are shown (:mod:`analysis_utils.present.labels`), so the processed data stay in one
language for every run. This module imports nothing of the package: every layer may use it.

Examples
--------
>>> with language("nl"):
...     _("share")
'aandeel'
>>> _("share")
'share'
>>> with language("nl"):
...     _("{low:.2f} to {high:.2f}").format(low=-0.271, high=1.0)
'-0,27 tot 1,00'
"""
from __future__ import annotations

import contextlib
import gettext as _gettext
import io
import json
import numbers
import re
import string
from functools import lru_cache
from pathlib import Path

DOMAIN = "analysis_utils"
LANGS = ("en", "nl")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_current = "en"


@lru_cache(maxsize=None)
def catalog(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English, the source language, needs none)."""
    if lang not in LANGS:
        raise ValueError(f"unknown report language {lang!r}; known: {', '.join(LANGS)}")
    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang])


def use(lang: str) -> str:
    """Make ``lang`` the language of every later :func:`_` (a notebook's first cell calls this)."""
    global _current
    catalog(lang)  # an unknown language or a missing catalog fails here, not mid-report
    _current = lang
    return lang


def current() -> str:
    return _current


@contextlib.contextmanager
def language(lang: str):
    """Speak ``lang`` inside the block, the previous language after it."""
    before = _current
    use(lang)
    try:
        yield lang
    finally:
        use(before)


class _Numbers(string.Formatter):
    """``str.format`` with the decimal separator of the current language: a float placed in a
    sentence reads "0,95" in Dutch, "0.95" in English (integers and inserted texts as they are)."""

    def format_field(self, value, format_spec):
        text = super().format_field(value, format_spec)
        if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
            return decimal(text)
        return text


_NUMBERS = _Numbers()


class Message(str):
    """A sentence of the catalog; its ``format`` writes decimals as the current language does."""

    def format(self, *args, **kwargs) -> str:
        return _NUMBERS.vformat(self, args, kwargs)


def decimal(text: str) -> str:
    """A formatted number (or numbers, "0.72–0.99") with the current language's decimal mark."""
    return _DECIMAL_POINT.sub(",", text) if _current == "nl" else text


_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def _(message: str) -> Message:
    """``message`` in the current language."""
    return Message(catalog(_current).gettext(message))


def ngettext(singular: str, plural: str, n: int) -> Message:
    return Message(catalog(_current).ngettext(singular, plural, n))


def translate(message: str, lang: str) -> Message:
    """``message`` (marked with :func:`N_`) in ``lang``, whatever the current language: for text
    that knows its own language, such as a validation problem built in it."""
    return Message(catalog(lang).gettext(message))


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet."""
    return message


# --- extraction from notebooks (Babel) ---------------------------------------------------------

def extract_notebook(fileobj, keywords, comment_tags, options):
    """Babel extraction method for ``.ipynb``: the ``_()`` strings of the code cells (the prose
    cells are translated as tagged Markdown cells, not through the catalog)."""

    from babel.messages.extract import extract_python

    nb = json.loads(fileobj.read().decode("utf-8"))  # the notebook format is JSON
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        yield from extract_python(io.BytesIO(source.encode("utf-8")), keywords, comment_tags, options)


def in_language(record: dict, key: str) -> str:
    """A text an input file gives in English as ``key`` and may give in Dutch as ``key_nl``
    (intake.yaml, reported.yaml): the current language's, else the English."""
    return str(record.get(f"{key}_{_current}") or record.get(key) or "")


# --- the catalog's upkeep ----------------------------------------------------------------------

def compile_catalogs() -> list[Path]:
    """Compile every ``locale/<lang>/LC_MESSAGES/*.po`` into its ``.mo`` (Babel's ``write_mo``).

    ``pybabel compile`` would do the same, but its check reads "95 % interval" in an English
    sentence as a %-format placeholder ("% i") and fails; the catalog uses only named ``{}``
    placeholders, which ``tests/test_i18n.py`` checks instead."""

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as f:
            catalog_ = read_po(f, locale=po.parent.parent.name, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog_)
        mo = po.with_suffix(".mo")
        if not mo.is_file() or mo.read_bytes() != buffer.getvalue():
            mo.write_bytes(buffer.getvalue())
            written.append(mo)
    return written
