"""Sending Graph Store requests with httpx: authentication, and errors a user can act on.

Authentication. A bearer token is sent as given. With a user and password the scheme is the one the
server asks for: a first request goes out without credentials and, on 401, the WWW-Authenticate
challenge decides between Digest (Virtuoso's /sparql-graph-crud-auth) and Basic (Fuseki, GraphDB,
a proxy in front of Oxigraph); ``auth="basic"`` or ``"digest"`` fixes it instead. Basic credentials
are never sent to a server that did not ask for them.

Secrets. The password and the token live only in the Credentials object and in the Authorization
header httpx builds; no message, log line or file is ever made from them, and every message built
from a server's answer is scrubbed of them anyway (a server may echo a header back).

Every failure is a UsageError (exit 2): the endpoint cannot be reached, refuses the credentials, or
answers with an HTTP error (its message, stripped of markup and trimmed, is shown).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from .. import __version__
from ..errors import UsageError
from .plan import CONTENT_TYPE, GraphUpload

USER_AGENT = f"sckg/{__version__} (sckg push; SPARQL 1.1 Graph Store HTTP Protocol)"
MESSAGE_LIMIT = 300  # characters of a server's error message that are shown


class UnreachableError(UsageError):
    """The connection failed or timed out: whether the server applied a request under way is unknown."""


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def secrets(self) -> list[str]:
        return [s for s in (self.password, self.token) if s]

    def __repr__(self) -> str:  # never shows the secrets, even in a debugger or a traceback
        return f"Credentials(user={self.user!r}, password={'***' if self.password else None}, " \
               f"token={'***' if self.token else None})"


def check_endpoint(url: str) -> str:
    """The endpoint URL, refused when it is not http(s) or carries credentials (they would end up in
    messages and shell history; --user and the environment are the way in)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--endpoint must be an http:// or https:// URL of a Graph Store, got {url!r}")
    if parts.username is not None or parts.password is not None:
        raise UsageError("--endpoint must not contain a user or password: give the user with --user and the "
                         "password in the SCKG_PUSH_PASSWORD environment variable (or --password-stdin)")
    return url


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def server_message(response: httpx.Response, secrets: list[str]) -> str:
    """The server's own explanation, as one line: markup removed, whitespace folded, trimmed."""
    try:
        text = response.text
    except Exception:  # an undecodable body says nothing useful
        text = ""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = " ".join(text.split())
    if len(text) > MESSAGE_LIMIT:
        text = text[:MESSAGE_LIMIT].rstrip() + " ..."
    return _scrub(text, secrets)


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({text})" if str(exc) else "timed out"
    return text


class GraphStore:
    """One Graph Store endpoint, one HTTP connection pool, the authentication chosen once."""

    def __init__(self, endpoint: str, credentials: Credentials, auth: str = "auto", timeout: float = 300.0):
        self.endpoint = check_endpoint(endpoint)
        self.credentials = credentials
        self.auth_mode = auth
        self._secrets = credentials.secrets()
        headers = {"User-Agent": USER_AGENT}
        if credentials.token:
            headers["Authorization"] = f"Bearer {credentials.token}"
        # No redirects: a redirected PUT may lose its body or carry credentials to another host.
        self._client = httpx.Client(headers=headers, follow_redirects=False, trust_env=False,
                                    timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)))
        self._auth: httpx.Auth | None = self._fixed_auth()
        self.scheme_used = self.auth_mode if self._auth else ("bearer" if credentials.token else "none")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._client.close()

    def _fixed_auth(self) -> httpx.Auth | None:
        c = self.credentials
        if self.auth_mode == "auto" or not c.user:
            return None
        if self.auth_mode == "digest":
            return httpx.DigestAuth(c.user, c.password or "")
        return httpx.BasicAuth(c.user, c.password or "")

    def _auth_for_challenge(self, response: httpx.Response) -> httpx.Auth:
        c = self.credentials
        challenge = response.headers.get("www-authenticate", "")
        scheme = challenge.split(None, 1)[0].lower() if challenge else ""
        if not c.user:
            asked = f" ({scheme.capitalize()})" if scheme else ""
            raise UsageError(f"{self.endpoint}: the server requires authentication{asked}; give --user and the "
                             "password in SCKG_PUSH_PASSWORD (or --password-stdin), or a token in SCKG_PUSH_TOKEN")
        if scheme == "digest":
            self.scheme_used = "digest"
            return httpx.DigestAuth(c.user, c.password or "")
        if scheme == "basic":
            self.scheme_used = "basic"
            return httpx.BasicAuth(c.user, c.password or "")
        raise UsageError(f"{self.endpoint}: the server asks for an authentication scheme sckg does not speak "
                         f"({scheme or 'no WWW-Authenticate header'}); try --auth basic or --auth digest")

    def _request(self, method: str, url: str, body: bytes | None = None) -> httpx.Response:
        headers = {"Content-Type": CONTENT_TYPE} if body is not None else {}
        if method == "HEAD":
            # Some servers (Oxigraph 0.5) write a body after a HEAD 404, which would corrupt the next
            # response on a kept-alive connection: the probe gets a connection of its own.
            headers["Connection"] = "close"
        try:
            return self._client.request(method, url, content=body, headers=headers,
                                        auth=self._auth if self._auth is not None else httpx.USE_CLIENT_DEFAULT)
        except httpx.HTTPError as exc:
            raise UnreachableError(f"cannot reach the Graph Store at {self.endpoint}: "
                             f"{_scrub(_reason(exc), self._secrets)}") from None

    def _send(self, method: str, url: str, body: bytes | None = None) -> httpx.Response:
        response = self._request(method, url, body)
        if response.status_code == 401 and self._auth is None and not self.credentials.token:
            self._auth = self._auth_for_challenge(response)
            response = self._request(method, url, body)
        if response.status_code == 401:
            who = f"user '{self.credentials.user}'" if self.credentials.user else "the token"
            raise UsageError(f"{self.endpoint}: the server refused the credentials of {who} (HTTP 401 Unauthorized); "
                             "check the user, the password in SCKG_PUSH_PASSWORD, or the token")
        return response

    def check(self, url: str) -> None:
        """Before anything is uploaded: the endpoint answers and accepts our credentials (a HEAD of
        the first graph; a missing graph is fine, 404 is what GSP answers for it)."""
        response = self._send("HEAD", url)
        if response.status_code in (405, 501):
            return  # HEAD not implemented (Virtuoso): the first upload will tell
        if response.status_code in (403, 407) or response.status_code >= 500:
            self._fail(response, "HEAD", url)

    def upload(self, item: GraphUpload) -> httpx.Response:
        response = self._send(item.method, item.url, item.body)
        if 300 <= response.status_code < 400:
            where = response.headers.get("location", "somewhere else")
            raise UsageError(f"{item.method} {item.graph}: the server redirects to {where}; give the Graph Store's "
                             "own URL as --endpoint")
        if response.status_code >= 400:
            self._fail(response, item.method, item.graph)
        return response

    def _fail(self, response: httpx.Response, method: str, what: str) -> None:
        message = server_message(response, self._secrets)
        hint = ""
        if response.status_code in (404, 405):
            hint = (" (is --endpoint the Graph Store's URL? Oxigraph: http://HOST:7878/store; Virtuoso: "
                    "http://HOST:8890/sparql-graph-crud-auth)")
        elif response.status_code == 403:
            hint = " (the user may lack the right to write graphs: Virtuoso needs the SPARQL_UPDATE role)"
        raise UsageError(f"{method} {what}: the server answered HTTP {response.status_code} "
                         f"{response.reason_phrase}{': ' + message if message else ''}{hint}")
