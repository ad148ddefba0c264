"""``/docs``: the interactive API documentation, served from vendored files."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from magwise.web.templating import csrf_token

router = APIRouter()
SWAGGER = "/static/swagger-ui-5.35.0"
_CALL = "SwaggerUIBundle({"


@router.get("/docs")
async def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI; signed in (server mode), its "Try it out" calls carry the CSRF token."""
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="magwise API",
        swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER}/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )
    token = csrf_token(request)
    if not token:
        return page
    html = bytes(page.body).decode("utf-8")
    interceptor = (
        "requestInterceptor: (r) => { r.headers['X-CSRF-Token'] = "
        + json.dumps(token)
        + "; return r; },"
    )
    return HTMLResponse(html.replace(_CALL, _CALL + "\n    " + interceptor, 1))
