"""The REST API, version 1: ``/api/v1/...``."""

from fastapi import APIRouter

from magwise.web.api import assess, data, days, foods, knowledge, log, named, own_foods

router = APIRouter(prefix="/api/v1")
router.include_router(knowledge.health)
router.include_router(assess.router)
router.include_router(foods.router)
router.include_router(knowledge.router)
router.include_router(log.router)
router.include_router(named.router)
router.include_router(days.router)
router.include_router(own_foods.router)
router.include_router(data.router)

__all__ = ["router"]
