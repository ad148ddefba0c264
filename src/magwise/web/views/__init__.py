"""The pages: the questionnaire, the assessment, case files, sources and partials."""

from fastapi import APIRouter

from magwise.web.views import (
    apidocs,
    case_file,
    data,
    partials,
    photos,
    progress,
    sources,
    start,
    today,
    today_days,
)

router = APIRouter(include_in_schema=False)
router.include_router(start.router)
router.include_router(case_file.router)
router.include_router(sources.router)
router.include_router(partials.router)
router.include_router(apidocs.router)
router.include_router(today.router)
router.include_router(today_days.router)
router.include_router(today_days.partials)
router.include_router(progress.router)
router.include_router(data.router)
router.include_router(photos.router)

__all__ = ["router"]
