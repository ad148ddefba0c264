"""``/sources``: the registry of sources every finding names."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from magwise.web.deps import KnowledgeDep, MessagesDep
from magwise.web.templating import render

router = APIRouter()


@router.get("/sources", response_class=HTMLResponse)
async def sources_page(request: Request, kb: KnowledgeDep, t: MessagesDep) -> HTMLResponse:
    return render(request, "sources.html", t, sources=list(kb.sources.values()))
