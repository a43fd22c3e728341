"""A polite SPARQL client for public endpoints such as the Wikidata Query Service.

Polite means: a descriptive User-Agent naming the project and where to reach it (Wikimedia's
User-Agent policy asks for one), a pause between requests, a timeout, answers cached on disk, and a
clear message instead of a traceback when the endpoint cannot be reached. It uses only the standard
library's urllib: GET with the query in the URL, as the Wikidata service prefers (its responses are
then cacheable by its own front end too).
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from .. import __version__
from ..errors import UsageError
from . import WIKIDATA_ENDPOINT  # noqa: F401  (re-exported: the client's default endpoint)
from .cache import ResponseCache

PROJECT_URL = "https://w3id.org/sckg"
USER_AGENT = (f"sckg/{__version__} (+{PROJECT_URL}; link reconciliation for the Secure Communities Knowledge Graph) "
              "Python-urllib")


class SparqlClient:
    def __init__(self, endpoint: str, cache: ResponseCache | None = None, pause: float = 1.0,
                 timeout: float = 30.0, user_agent: str = USER_AGENT):
        parsed = urllib.parse.urlparse(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise UsageError(f"--endpoint {endpoint!r} is not an http(s) URL")
        self.endpoint = endpoint
        self.cache = cache or ResponseCache(None)
        self.pause = pause
        self.timeout = timeout
        self.user_agent = user_agent
        self.requests_sent = 0  # counted so tests (and the summary line) can tell cache hits from requests
        self.cache_hits = 0
        self._last_request: float | None = None

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps variable names to the value's string form."""
        cached = self.cache.get(self.endpoint, query)
        rows = _rows(cached) if cached is not None else None
        if rows is not None:
            self.cache_hits += 1
            return rows
        # Not cached, or a cached entry of the wrong shape (a damaged file is a miss): ask again.
        response = self._fetch(query)
        rows = _rows(response)
        if rows is None:
            raise UsageError(f"{self.endpoint} did not answer with SPARQL JSON results (the JSON has no "
                             "results.bindings list of {variable: {'value': ...}} rows)")
        self.cache.put(self.endpoint, query, response)
        return rows

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            wait = self.pause - (time.monotonic() - self._last_request)
            if wait > 0:
                time.sleep(wait)

    def _fetch(self, query: str) -> dict:
        self._wait_turn()
        url = self.endpoint + ("&" if "?" in self.endpoint else "?") + urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(url, headers={  # noqa: S310  (__init__ admits http(s) URLs only)
            "Accept": "application/sparql-results+json", "User-Agent": self.user_agent})
        self.requests_sent += 1
        self._last_request = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310  (http(s) only)
                body = answer.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
            hint = " (the service asks us to slow down: raise --pause)" if exc.code == 429 else ""
            raise UsageError(f"{self.endpoint} answered HTTP {exc.code} {exc.reason}{hint}"
                             + (f": {detail[0]}" if detail else "")) from None
        except urllib.error.URLError as exc:
            raise UsageError(f"cannot reach {self.endpoint}: {_reason(exc.reason)} (are you offline?)") from None
        except TimeoutError:
            raise UsageError(f"{self.endpoint} did not answer within {self.timeout:g} s "
                             "(raise --timeout, or try later)") from None
        except OSError as exc:
            raise UsageError(f"cannot reach {self.endpoint}: {_reason(exc)} (are you offline?)") from None
        try:
            return json.loads(body)
        except ValueError:
            raise UsageError(f"{self.endpoint} did not answer with SPARQL JSON results "
                             f"(got: {body[:80]!r})") from None


def _rows(response) -> list[dict[str, str]] | None:
    """The rows of a SPARQL JSON results document, each variable to its value's string form; None
    when the document does not have that shape (so it is never trusted, cached or half-used)."""
    try:
        bindings = response["results"]["bindings"]
    except (KeyError, TypeError, IndexError):
        return None
    if not isinstance(bindings, list):
        return None
    rows = []
    for row in bindings:
        if not isinstance(row, dict) or not all(isinstance(v, dict) and isinstance(v.get("value"), str)
                                                for v in row.values()):
            return None
        rows.append({str(name): value["value"] for name, value in row.items()})
    return rows


def _reason(reason) -> str:
    if isinstance(reason, socket.gaierror):
        return f"host name not found ({reason.strerror or reason})"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "timed out"
    return str(getattr(reason, "strerror", None) or reason)
