"""One YAML reader for the package's own files: safe loading, with libyaml's C parser where PyYAML
was built with it (ten times faster than the pure-Python one; every stage kernel parses the
codebook, the theory map and the reported facts)."""
from __future__ import annotations

import copy
from functools import lru_cache

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=32)
def _parse(text: str):
    return yaml.load(text, Loader=SafeLoader)


def load_yaml(text: str):
    """Parse YAML text safely; a text parsed before is not parsed again (a fresh copy is returned,
    so callers may change what they get)."""
    return copy.deepcopy(_parse(text))
