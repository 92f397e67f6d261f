"""Full-text search over a report: a Pagefind index of every page, in both languages.

Pagefind (a well-kept static search tool; its Python package ships the binary) reads the built
pages, finds each page's language in its ``<html lang>`` (Dutch words stemmed as Dutch, English
as English) and writes a ``pagefind/`` bundle at the report's top; the pages load it and search in
the browser, with no request leaving the machine. Browsers run it only for pages served over
http (``make serve``): under ``file://`` the search box says so.
"""
from __future__ import annotations

import functools
import subprocess
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pagefind_bin import get_executable

BUNDLE = "pagefind"


def build_search_index(site: Path) -> Path:
    """Index every HTML page under ``site`` (a report being built); return the bundle's folder."""
    result = subprocess.run([get_executable(), "--site", str(site), "--output-subdir", BUNDLE, "--silent",
                             "--exclude-selectors", ".anchor-link"], capture_output=True, text=True)  # not the ¶ marks
    if result.returncode != 0:
        raise RuntimeError(f"the search index could not be built: {(result.stderr or result.stdout).strip()[:300]}")
    return site / BUNDLE


def serve(folder: Path, port: int = 8000, log=print) -> None:
    """Serve ``folder`` (the reports) on this machine only (127.0.0.1) until interrupted, so that
    the pages' search runs: browsers run Pagefind only for pages served over http."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        log(f"serving {folder} at http://127.0.0.1:{server.server_port}/ (Ctrl-C stops it)")
        server.serve_forever()
