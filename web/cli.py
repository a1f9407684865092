"""`izde serve`: the web front end under waitress, a production WSGI server. The `izde` command is the search
package's click group with this command added, so `search/` never imports `web/`."""

from __future__ import annotations

from pathlib import Path

import click

from index.build import IndexUnavailable, default_index_dir, open_index
from search.cli import main

from . import MAX_HEADER_BYTES, MAX_REQUEST_BYTES, create_app, server


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="IZDE_HOST", help="Адрес.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), envvar="IZDE_PORT",
              help="Порт.")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), default=None,
              help="Индекстин папкасы (демейки: IZDE_INDEX же ./var/index).")
@click.option("--threads", default=server.DEFAULT_THREADS, show_default=True, type=click.IntRange(1, 64),
              help="Ар бир процесстин агымдары / threads per process.")
@click.option("--workers", default=None, type=click.IntRange(1, 64), envvar="IZDE_WORKERS",
              show_default=f"бир ядрого бирден, {server.MAX_DEFAULT_WORKERS} чейин / one per core, at most "
                           f"{server.MAX_DEFAULT_WORKERS}",
              help="Процесстер / processes: each counts rate limits for itself.")
def serve(host: str, port: int, index_dir: Path | None, threads: int, workers: int | None) -> None:
    """Izde'нин веб-барагын иштетүү (waitress).

    Settings also come from IZDE_INDEX, IZDE_HOST, IZDE_PORT, IZDE_WORKERS and IZDE_CORS_ORIGINS.

    Example: izde serve --port 8000 --index var/index --workers 2
    """
    path = index_dir or default_index_dir()
    workers = workers or server.default_workers()
    try:
        open_index(path).close()
    except IndexUnavailable as exc:
        click.echo(f"эскертүү: {exc}", err=True)
    click.echo(f"Izde: http://{host}:{port}/  (индекс: {path}"
               + (f"; {workers} процесс / processes)" if workers > 1 else ")"))
    # Bounded requests. Izde itself answers a long URL (414) or a body (413) in the client's form; waitress
    # refuses only what is far beyond that.
    try:
        status = server.serve(lambda: create_app({"INDEX": str(path)}), host, port, workers, threads=threads,
                              ident="izde", max_request_header_size=MAX_HEADER_BYTES,
                              max_request_body_size=MAX_REQUEST_BYTES)
    except OSError as exc:
        raise click.ClickException(f"{host}:{port} дареги алынбады / the address is not available: {exc}") from None
    if status:
        raise SystemExit(status)


__all__ = ["main"]
