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
@click.option(
    "--example",
    is_flag=True,
    help="Write an example log (six weeks) into the store first, if the store is empty.",
)
@click.option(
    "--multi-user",
    is_flag=True,
    help="Server mode: accounts, sign-in and consent (MAGWISE_MODE=server; docs/deployment.md).",
)
@click.option(
    "--forwarded-allow-ips",
    metavar="IPS",
    default=None,
    help="Trust X-Forwarded-For/-Proto from these proxies only, e.g. 127.0.0.1 (default: none).",
)
def serve(  # noqa: PLR0917 (one parameter per option)
    host: str | None,
    port: int | None,
    get_path: str | None,
    example: bool,
    multi_user: bool = False,
    forwarded_allow_ips: str | None = None,
) -> None:
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
    if multi_user:
        overrides["mode"] = "server"
    if forwarded_allow_ips is not None:
        overrides["forwarded_allow_ips"] = forwarded_allow_ips
    settings = Settings(**overrides)  # type: ignore[arg-type]
    if example and settings.mode == "server":
        from magwise.errors import InputError

        raise InputError("--example", "writes a local log; it cannot be used with --multi-user")
    if example:
        _seed_example(settings.database_url)
    if get_path is not None:
        from magwise.web.inprocess import request
        from magwise.web.people import close_store

        app = create_app(settings.model_copy(update={"warm_up": False}))
        try:
            answer = request(app, "GET", get_path)
        finally:
            close_store(app)
        sys.stdout.write(answer.body.decode("utf-8", errors="replace"))
        if answer.body and not answer.body.endswith(b"\n"):
            sys.stdout.write("\n")
        if answer.status >= 400:
            click.echo(f"magwise: GET {get_path} answered {answer.status}", err=True)
            sys.exit(1)
        return
    import uvicorn

    if settings.mode == "local" and settings.host.strip("[]") in ("0.0.0.0", "::", ""):
        click.echo(
            "magwise: warning: local mode has no sign-in, and --host "
            f"{settings.host} serves every network address: anyone on the network can "
            "read and change the log. Serve on 127.0.0.1, or use --multi-user "
            "(accounts; docs/deployment.md).",
            err=True,
        )
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
        proxy_headers=settings.forwarded_allow_ips is not None,
        forwarded_allow_ips=settings.forwarded_allow_ips or "",
    )


def _seed_example(url: str | None) -> None:
    """The example log in the local store, written only when the store is empty."""
    from magwise.examples.diary import seed_example
    from magwise.store import Store

    with Store.open(url) as store:
        if seed_example(store, store.local_person()):
            click.echo("magwise: wrote the example log (every page offers to remove it)", err=True)
