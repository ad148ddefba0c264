"""Dependencies declared once: settings, the knowledge base, the food index, the language.

They are ``async`` so that FastAPI calls them on the event loop rather than in a
thread: each returns an object loaded once per process.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from magwise.foods import FoodIndex, load_foods
from magwise.knowledge import Knowledge, load_knowledge
from magwise.web.i18n import Messages, messages, pick_language
from magwise.web.settings import Language, Settings


async def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


async def get_knowledge() -> Knowledge:
    return load_knowledge()


async def get_foods() -> FoodIndex:
    return load_foods()


async def _page_language(request: Request) -> Language:
    settings = await get_settings(request)
    return pick_language(
        request.query_params.get("lang"),
        request.headers.get("accept-language"),
        settings.default_language,
    )


async def get_messages(request: Request) -> Messages:
    return messages(await _page_language(request))


async def get_page_knowledge(request: Request) -> Knowledge:
    """The knowledge base in the page's language: the same numbers, translated texts.

    For web pages only; the JSON API answers from the English knowledge base.
    """
    return load_knowledge(await _page_language(request))


SettingsDep = Annotated[Settings, Depends(get_settings)]
KnowledgeDep = Annotated[Knowledge, Depends(get_knowledge)]
FoodsDep = Annotated[FoodIndex, Depends(get_foods)]
MessagesDep = Annotated[Messages, Depends(get_messages)]
PageKnowledgeDep = Annotated[Knowledge, Depends(get_page_knowledge)]
