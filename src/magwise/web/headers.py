"""Security headers on every answer, in both modes, from the app itself (no proxy needed).

- ``Content-Security-Policy``: scripts, styles, images and fonts from this
  server only, no inline script or style, no plug-ins, forms post here only,
  and no page may frame magwise (``frame-ancestors 'none'``);
- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``;
- ``Strict-Transport-Security`` when the request came over TLS and
  ``MAGWISE_HSTS_SECONDS`` is above 0 (behind a TLS proxy, with
  ``--forwarded-allow-ips`` so that the scheme is known).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from magwise.web.settings import Settings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

REPORT_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
"""The HTML report is one self-contained file (its style inline, as in a saved
copy): no script at all, no request to anywhere."""


def security_headers(settings: Settings, scheme: str) -> dict[str, str]:
    """The headers every answer carries (HSTS only over TLS, when configured)."""
    headers = {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
        "x-frame-options": "DENY",
    }
    if scheme in {"https", "wss"} and settings.hsts_seconds > 0:
        headers["strict-transport-security"] = f"max-age={settings.hsts_seconds}"
    return headers


class SecurityHeaders:
    """Adds ``security_headers`` to every HTTP answer that does not set them itself."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = security_headers(self.settings, str(scope.get("scheme", "http")))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
