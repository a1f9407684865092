"""`izde serve`: the web front end under waitress, a production WSGI server. The `izde` command is the search
package's click group with this command added, so `search/` never imports `web/`."""

from __future__ import annotations

from pathlib import Path

import click

from index.build import IndexUnavailable, default_index_dir, open_index
from search.cli import main

from . import MAX_HEADER_BYTES, MAX_REQUEST_BYTES, create_app


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="IZDE_HOST", help="Адрес.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), envvar="IZDE_PORT",
              help="Порт.")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), default=None,
              help="Индекстин папкасы (демейки: IZDE_INDEX же ./var/index).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Агымдар.")
def serve(host: str, port: int, index_dir: Path | None, threads: int) -> None:
    """Izde'нин веб-барагын иштетүү (waitress).

    Settings also come from IZDE_INDEX, IZDE_HOST, IZDE_PORT and IZDE_CORS_ORIGINS.

    Example: izde serve --port 8000 --index var/index
    """
    import waitress

    path = index_dir or default_index_dir()
    try:
        open_index(path).close()
    except IndexUnavailable as exc:
        click.echo(f"эскертүү: {exc}", err=True)
    app = create_app({"INDEX": str(path)})
    click.echo(f"Izde: http://{host}:{port}/  (индекс: {path})")
    # Bounded requests. Izde itself answers a long URL (414) or a body (413) in the client's form; waitress
    # refuses only what is far beyond that.
    waitress.serve(app, host=host, port=port, threads=threads, ident="izde",
                   max_request_header_size=MAX_HEADER_BYTES, max_request_body_size=MAX_REQUEST_BYTES)


__all__ = ["main"]
