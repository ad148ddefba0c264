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
from magwise.web.settings import Settings


async def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


async def get_knowledge() -> Knowledge:
    return load_knowledge()


async def get_foods() -> FoodIndex:
    return load_foods()


async def get_messages(request: Request) -> Messages:
    settings = await get_settings(request)
    lang = pick_language(
        request.query_params.get("lang"),
        request.headers.get("accept-language"),
        settings.default_language,
    )
    return messages(lang)


SettingsDep = Annotated[Settings, Depends(get_settings)]
KnowledgeDep = Annotated[Knowledge, Depends(get_knowledge)]
FoodsDep = Annotated[FoodIndex, Depends(get_foods)]
MessagesDep = Annotated[Messages, Depends(get_messages)]
