"""HTTP content negotiation (RFC 9110 Accept headers: q-values, ``type/*`` and ``*/*`` wildcards).

The server offers a fixed list of media types per kind of answer, in order of preference; the client's
Accept header picks among them. ``choose`` returns None when nothing offered is acceptable (-> 406).
"""

from __future__ import annotations

from .. import media_types as mt

# Offered media types, the server's preference first; pyoxigraph names them (sckg.media_types).
SOLUTIONS = tuple(mt.RESULTS_BY_MEDIA_TYPE)
GRAPHS = tuple(mt.GRAPHS_BY_MEDIA_TYPE)
FILE_EXTENSIONS = mt.FILE_EXTENSIONS
# Short names for the non-standard ``format=`` parameter used by the page's download links and by
# SPARQLWrapper; a media type is accepted there too.
FORMAT_ALIASES = mt.FORMAT_NAMES
CROSS_FORM = mt.CROSS_FORM
_SYNONYMS = mt.SYNONYMS


def format_media_type(value: str) -> str | None:
    """The media type a ``format=`` parameter names: a short name above, or a media type itself."""
    value = value.strip().lower()
    if value in FORMAT_ALIASES:
        return FORMAT_ALIASES[value]
    value = _SYNONYMS.get(value, value)
    return value if value in FILE_EXTENSIONS else None


def parse_accept(header: str | None, synonyms: bool = True) -> list[tuple[str, float]]:
    """(media range, q) pairs. A missing or empty header accepts anything; a malformed q counts as 0.
    ``synonyms``: read the older names above as the SPARQL types they mean (not for the graph exports,
    where application/json is Cytoscape's JSON, not SPARQL results)."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media + "/*"  # lenient: "*" and bare "json"-like types
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((_SYNONYMS.get(media, media) if synonyms else media, q))
    return ranges


def _quality(offered: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range matching ``offered`` (exact beats type/* beats */*)."""
    best_specificity, best_q = -1, 0.0
    kind = offered.split("/", 1)[0]
    for media, q in ranges:
        if media == offered:
            specificity = 2
        elif media == kind + "/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, best_q = specificity, q
    return best_q


def choose(accept: str | None, offered: tuple[str, ...], synonyms: bool = True) -> str | None:
    """The offered type the client prefers most (ties go to the server's order), or None."""
    ranges = parse_accept(accept, synonyms)
    best, best_q = None, 0.0
    for media in offered:
        q = _quality(media, ranges)
        if q > best_q:
            best, best_q = media, q
    return best


_HTML = ("text/html", "application/xhtml+xml")


def prefers_html(accept: str | None) -> bool:
    """True for a browser: it names HTML itself (not through a wildcard) and rates it above anything
    the endpoint offers as data. ``*/*`` alone (curl, most libraries) never counts as asking for HTML."""
    ranges = parse_accept(accept)
    html_q = max((q for media, q in ranges if media in _HTML), default=0.0)
    if html_q <= 0:
        return False
    return all(_quality(media, ranges) < html_q for media in SOLUTIONS + GRAPHS)
