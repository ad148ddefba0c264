"""Reminders as a calendar: ``/api/v1/me/calendar.ics`` to download (both modes), and in
server mode a feed a phone's calendar subscribes to, opened by a secret in its URL
(``/calendar/{token}.ics``), which the person can replace or revoke.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from magwise.foods import FoodIndex
from magwise.reminders import calendar_file
from magwise.store import Store
from magwise.store._calendar import feed_person, new_feed, revoke_feed
from magwise.web.api.log import LogRoute
from magwise.web.deps import FoodsDep
from magwise.web.errors import NOT_FOUND, PERSONAL, not_found
from magwise.web.people import PersonDep, StoreDep
from magwise.web.settings import Language

router = APIRouter(prefix="/me", tags=["reminders"], route_class=LogRoute, responses=PERSONAL)
feeds = APIRouter(tags=["reminders"])

LanguageQuery = Annotated[Language, Query(description="The language of the reminders: en or de.")]
ICS = "text/calendar; charset=utf-8"


def _ics(store: Store, person_id: int, language: str, foods: FoodIndex) -> bytes:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    body, _ = calendar_file(
        store.record(person_id), today=dt.date.today(), language=language, stamp=now, foods=foods
    )
    return body


@router.get(
    "/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "An iCalendar file"}},
    summary="Reminders as a calendar file",
)
def download(person: PersonDep, foods: FoodsDep, lang: LanguageQuery = "en") -> Response:
    """Dose times, the reviews at 12 and 24 weeks, the shedding count and a blood test
    when one is due, as an iCalendar (RFC 5545) file to import into a calendar."""
    body = _ics(person.store, person.id, lang, foods)
    return Response(
        body, media_type=ICS, headers={"Content-Disposition": 'attachment; filename="magwise.ics"'}
    )


class Feed(BaseModel):
    url: str


@router.post("/calendar/feed", response_model=Feed, responses=NOT_FOUND, summary="A feed URL")
def make_feed(request: Request, person: PersonDep, lang: LanguageQuery = "en") -> Feed:
    """Server mode: a new secret URL a calendar can subscribe to; an earlier one stops working."""
    if request.app.state.settings.mode != "server":
        raise not_found(["me", "calendar", "feed"], "local mode: download calendar.ics instead")
    token = new_feed(person.store, person.id)
    return Feed(url=str(request.url_for("feed", token=token)) + f"?lang={lang}")


@router.delete(
    "/calendar/feed", status_code=204, responses=NOT_FOUND, summary="Revoke the feed URL"
)
def drop_feed(person: PersonDep) -> Response:
    """Stop the feed: its URL opens nothing from now on."""
    if not revoke_feed(person.store, person.id):
        raise not_found(["me", "calendar", "feed"], "there is no calendar feed to revoke")
    return Response(status_code=204)


@feeds.get(
    "/calendar/{token}.ics",
    name="feed",
    response_class=Response,
    responses={**NOT_FOUND, 200: {"content": {"text/calendar": {}}, "description": "iCalendar"}},
    summary="A subscribed calendar feed",
)
def feed(
    request: Request,
    *,
    store: StoreDep,
    foods: FoodsDep,
    token: Annotated[str, Path(max_length=100)],
    lang: LanguageQuery = "en",
) -> Response:
    """The reminders of the person whose feed ``token`` opens (server mode)."""
    person = None
    if request.app.state.settings.mode == "server":
        person = feed_person(store, token)
    if person is None:
        raise not_found(["path", "token"], "no such calendar feed (revoked, or never made)")
    return Response(_ics(store, person, lang, foods), media_type=ICS)
