"""``/docs``: the interactive API documentation, served from vendored files.

No inline script (the Content-Security-Policy allows scripts from /static only):
the page names the CSRF token in a ``<meta>`` tag, and /static/apidocs.js starts
Swagger UI with a request interceptor that sends it on "Try it out".
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from magwise.web.templating import csrf_token

router = APIRouter()
SWAGGER = "/static/swagger-ui-5.35.0"

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="csrf-token" content="{token}">
<link rel="stylesheet" href="{swagger}/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<title>magwise API</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="{swagger}/swagger-ui-bundle.js"></script>
<script src="/static/apidocs.js"></script>
</body>
</html>
"""


@router.get("/docs")
async def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI; its "Try it out" calls carry the CSRF token."""
    return HTMLResponse(_PAGE.format(token=escape(csrf_token(request)), swagger=SWAGGER))
