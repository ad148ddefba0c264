"""``magwise serve``: the web app and the REST API on this computer."""

from __future__ import annotations

import sys

import click


@click.command()
@click.option(
    "--host",
    default=None,
    help="Address to listen on (default 127.0.0.1: only this computer; MAGWISE_HOST).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="Port (default 8000).")
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Run one GET request through the app in-process, print the answer and exit.",
)
def serve(host: str | None, port: int | None, get_path: str | None) -> None:
    """Serve the web app: a questionnaire, your assessment, and the API at /api/v1.

    Open http://127.0.0.1:8000/ in a browser. The API is described at /docs and
    /openapi.json. With --get /api/v1/health, no server starts: the request runs
    in-process and its body is printed (exit status 1 if it fails).
    """
    from magwise.web import Settings, create_app

    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    settings = Settings(**overrides)  # type: ignore[arg-type]
    if get_path is not None:
        from magwise.web.inprocess import request

        answer = request(
            create_app(settings.model_copy(update={"warm_up": False})), "GET", get_path
        )
        sys.stdout.write(answer.body.decode("utf-8", errors="replace"))
        if answer.body and not answer.body.endswith(b"\n"):
            sys.stdout.write("\n")
        if answer.status >= 400:
            click.echo(f"magwise: GET {get_path} answered {answer.status}", err=True)
            sys.exit(1)
        return
    import uvicorn

    click.echo(
        f"magwise: serving on http://{settings.host}:{settings.port}/ (Ctrl+C stops it)",
        err=True,
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
    )
