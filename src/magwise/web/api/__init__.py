"""The REST API, version 1: ``/api/v1/...``."""

from fastapi import APIRouter

from magwise.web.api import (
    assess,
    calendar,
    data,
    days,
    foods,
    knowledge,
    log,
    named,
    own_foods,
    photos,
)
from magwise.web.errors import STORAGE

router = APIRouter(prefix="/api/v1")
router.include_router(knowledge.health)
router.include_router(assess.router)
router.include_router(foods.router)
router.include_router(knowledge.router)
# what reads or writes a person's log may meet a fault of the storage: 503 or 507
router.include_router(log.router, responses=STORAGE)
router.include_router(named.router, responses=STORAGE)
router.include_router(days.router, responses=STORAGE)
router.include_router(own_foods.router, responses=STORAGE)
router.include_router(data.router, responses=STORAGE)
router.include_router(calendar.router, responses=STORAGE)
router.include_router(photos.router, responses=STORAGE)

#: outside /api/v1: a calendar subscribes to /calendar/{token}.ics
feeds = calendar.feeds

__all__ = ["feeds", "router"]
