"""The pages: the questionnaire, the assessment, case files, sources and partials."""

from fastapi import APIRouter

from magwise.web.views import apidocs, case_file, partials, sources, start

router = APIRouter(include_in_schema=False)
router.include_router(start.router)
router.include_router(case_file.router)
router.include_router(sources.router)
router.include_router(partials.router)
router.include_router(apidocs.router)

__all__ = ["router"]
