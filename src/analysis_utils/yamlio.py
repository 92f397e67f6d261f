"""One YAML reader for the package's own files: safe loading, with libyaml's C parser where PyYAML
was built with it (ten times faster than the pure-Python one; every stage kernel parses the
codebook, the theory map and the reported facts). It imports nothing of the package.

Examples
--------
>>> load_yaml("a: [1, 2]")
{'a': [1, 2]}
>>> sorted(load_resource("quantifiers.yaml"))[:2]
['afgezien van enkele', 'betrekkelijk minder']
"""
from __future__ import annotations

import copy
from functools import lru_cache
from importlib import resources

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=32)
def _parse(text: str):
    return yaml.load(text, Loader=SafeLoader)


def load_yaml(text: str):
    """Parse YAML text safely; a text parsed before is not parsed again (a fresh copy is returned,
    so callers may change what they get)."""
    return copy.deepcopy(_parse(text))


def resource_text(name: str) -> str:
    """The text of a file the package ships in ``resources/`` (codebook, theory map, ...)."""
    return resources.files("analysis_utils").joinpath("resources", name).read_text("utf-8")


def load_resource(name: str):
    """A YAML file of the package's ``resources/``, parsed (a fresh copy, see :func:`load_yaml`)."""
    return load_yaml(resource_text(name))
