"""The ``quotetrack`` command line: parses options and calls the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from sqlite_utils import Database

from . import __version__
from .db import DatabaseBusy, busy_timeout, is_busy
from .export import write_json_array
from .ingest import DUPLICATE, ERROR, STDIN, ReadOptions, read_inputs, total_bytes
from .pipeline import BATCH_SIZE, run_extract
from .shards import SHARD_SIZE, ShardError, load_shards, write_shards
from .workers import Workers, WorkersError, workers
from .queries import QueryError, list_speakers, list_statements, search_quotes

app = typer.Typer(
    help="Find quoted statements in news articles, who said them and through whom, in one SQLite file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# No emoji codes and no wrapping: file names, ids and quotes are printed exactly as they are.
err = Console(stderr=True, highlight=False, emoji=False)
out = Console(highlight=False, soft_wrap=True, emoji=False)

DbArg = Annotated[Path, typer.Argument(help="SQLite database file.", show_default=False)]


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"
    html = "html"
    warc = "warc"


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]Error:[/red] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code)


def _existing_db(path: Path) -> Database:
    if not path.is_file():
        _fail(f"no database at {path}")
    db = Database(path)
    try:
        db.execute("select count(*) from sqlite_master").fetchone()
    except Exception as error:  # not an SQLite file
        if type(error).__name__ in ("DatabaseError", "OperationalError"):
            _fail(f"{path}: {error}")
        raise
    return db


def _version(value: bool) -> None:
    if value:
        print(f"quotetrack {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """quotetrack: quotes and speakers from news, in SQLite, explored with Datasette."""


@app.command()
def extract(
    db_path: DbArg,
    paths: Annotated[list[str], typer.Argument(
        help="Files (.txt, .md, .html, .htm, .warc, .warc.gz, .jsonl, .jsonl.gz), directories "
             "(read recursively) or - for standard input.",
        show_default=False)],
    input_format: Annotated[InputFormat, typer.Option(
        "--format", help="How to read the inputs: by file extension (auto; standard input by its first "
                         "bytes), or all as text, jsonl, html or warc.")
    ] = InputFormat.auto,
    text_field: Annotated[Optional[str], typer.Option(
        help="JSON Lines: the field that holds the article text (default: text, maintext, content or body).",
        show_default=False)] = None,
    id_field: Annotated[Optional[str], typer.Option(
        help="JSON Lines: the field that holds the article id (default: id; without it, FILE#LINE).",
        show_default=False)] = None,
    strict: Annotated[bool, typer.Option(
        help="Exit with code 1 when any input could not be read (duplicates and non-article WARC records "
             "do not count).")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, help="Extraction processes (default: the number of cores; 1: this process "
                                    "only). With --engine dask: workers of the local cluster.",
        show_default=False)] = None,
    engine: Annotated[Engine, typer.Option(
        help="Where extraction runs: local processes, or a Dask cluster (pip install 'quotetrack[dask]').")
    ] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option(
        help="With --engine dask: the address of a running Dask scheduler (tcp://host:8786); "
             "default: a local cluster of --jobs workers.", show_default=False)] = None,
    batch_size: Annotated[int, typer.Option(
        min=1, help="Articles per transaction: a run killed midway keeps every complete batch.")
    ] = BATCH_SIZE,
) -> None:
    """Extract quotes and speakers from articles into DB (created if needed)."""
    _check_inputs(paths, engine, scheduler)
    _check_db_path(db_path)
    options = ReadOptions(text_field=text_field, id_field=id_field)
    with _writing(db_path) as db, _workers(engine.value, jobs, scheduler) as pool, _progress(paths) as progress:
        summary = run_extract(db, paths, input_format.value, _warn, progress, batch_size, options, pool)
    _report(summary, strict)


@app.command()
def shard(
    folder: Annotated[Path, typer.Argument(help="Folder for the shards (created if needed; must hold none yet).",
                                           show_default=False)],
    paths: Annotated[list[str], typer.Argument(help="Inputs, as for extract.", show_default=False)],
    input_format: Annotated[InputFormat, typer.Option("--format", help="As for extract.")] = InputFormat.auto,
    text_field: Annotated[Optional[str], typer.Option(help="As for extract.", show_default=False)] = None,
    id_field: Annotated[Optional[str], typer.Option(help="As for extract.", show_default=False)] = None,
    strict: Annotated[bool, typer.Option(help="Exit with code 1 when any input could not be read.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="As for extract.",
                                                show_default=False)] = None,
    engine: Annotated[Engine, typer.Option(help="As for extract.")] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option(help="As for extract.", show_default=False)] = None,
    shard_size: Annotated[int, typer.Option(min=1, help="Articles per shard file.")] = SHARD_SIZE,
) -> None:
    """Extract articles into shard files in FOLDER, for `quotetrack load` to write into a database later
    (runs too large for one writer: extract on many machines, load once)."""
    _check_inputs(paths, engine, scheduler)
    options = ReadOptions(text_field=text_field, id_field=id_field)
    try:
        with _workers(engine.value, jobs, scheduler) as pool, _progress(paths) as progress:
            summary = write_shards(folder, read_inputs(paths, input_format.value, options), pool, _warn, progress,
                                   shard_size)
    except ShardError as error:
        _fail(str(error))
    except OSError as error:  # the folder cannot be made or written
        _fail(f"{folder}: {error.strerror or error}")
    except KeyboardInterrupt:
        _fail("interrupted; the complete shards are kept (the last one, unfinished, ends in .partial)", 130)
    _report(summary, strict)


@app.command()
def load(
    db_path: DbArg,
    shards: Annotated[list[str], typer.Argument(help="Shard files, or folders holding them (*.shard.jsonl.gz).",
                                                show_default=False)],
    strict: Annotated[bool, typer.Option(help="Exit with code 1 when any shard record could not be read.")] = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per transaction.")] = BATCH_SIZE,
) -> None:
    """Write the articles of shards (from `quotetrack shard`) into DB, as extract would have, without
    extracting again; loading a shard twice changes nothing."""
    _check_exist(shards)
    _check_db_path(db_path)
    with _writing(db_path) as db:
        summary = load_shards(db, shards, _warn, batch_size)
    _report(summary, strict)


def _check_exist(paths: list[str]) -> None:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        _fail(f"no such file or directory: {', '.join(missing)}")


def _check_inputs(paths: list[str], engine: Engine, scheduler: str | None) -> None:
    _check_exist([p for p in paths if p != STDIN])
    if paths.count(STDIN) > 1:
        _fail("standard input (-) can be read only once")
    if scheduler and engine != Engine.dask:
        _fail("--scheduler needs --engine dask")


def _check_db_path(db_path: Path) -> None:
    if not db_path.parent.exists():
        _fail(f"cannot create {db_path}: folder {db_path.parent} does not exist")
    if db_path.is_dir():
        _fail(f"{db_path} is a directory, not a database file")


def _warn(problem) -> None:
    if problem.kind == ERROR:
        err.print(f"[yellow]Warning:[/yellow] {escape(str(problem))}", soft_wrap=True)
    elif problem.kind == DUPLICATE:
        err.print(f"Duplicate: {escape(str(problem))}", soft_wrap=True)
    # WARC records that are no article (images, errors) are only counted: an archive holds thousands


@contextmanager
def _progress(paths: list[str]) -> Iterator[Callable[[int], None] | None]:
    """A progress bar over the bytes of the inputs, on a terminal: the callback to advance it."""
    total = total_bytes(paths) if err.is_terminal else None
    if not total:
        yield None
        return
    columns = (TextColumn("extracting"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("extract", total=total)
        yield lambda done: progress.update(task, completed=done)


@contextmanager
def _writing(db_path: Path) -> Iterator[Database]:
    """The database a job writes, with its failures as clear messages: what was stored is kept."""
    db = None
    try:
        db = Database(db_path)
        yield db
    except KeyboardInterrupt:
        _fail("interrupted; the articles stored so far are kept: run the same command again to finish", 130)
    except Exception as error:  # a database that is not SQLite, a full disk, another writer, ...
        if is_busy(error):
            _fail_busy(str(db_path), ": what was stored so far is kept")
        if type(error).__name__ in ("DatabaseError", "OperationalError"):
            _fail(f"{db_path}: {error}")
        raise
    finally:
        if db is not None:
            db.close()


def _report(summary, strict: bool) -> None:
    out.print(summary.line())
    if strict and summary.problems:
        err.print(f"[red]{len(summary.problems)} input(s) skipped (--strict)[/red]")
        raise typer.Exit(1)


@app.command()
def search(
    db_path: DbArg,
    query: Annotated[str, typer.Argument(help="Words to find in the quotes.", show_default=False)],
    speaker: Annotated[Optional[str], typer.Option(help="Only quotes of speakers whose name contains this.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many quotes at most.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Full-text search over the quotes in DB."""
    db = _existing_db(db_path)
    try:
        rows = search_quotes(db, query, speaker=speaker, limit=limit)
    except QueryError as error:
        _fail(str(error))
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        err.print("No quotes found.")
        return
    for row in rows:
        who = row["speaker"] or "(unknown speaker)"
        out.print(f"[bold]{escape(who)}[/bold]: “{escape(row['quote'])}”")
        out.print(f"    [dim]{escape(row['article'] or row['doc_id'])}[/dim]")


@app.command()
def speakers(
    db_path: DbArg,
    limit: Annotated[Optional[int], typer.Option(min=1, help="How many speakers at most (default: all).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Speakers in DB with kind, title, organisation, counts and aliases, most quoted first."""
    rows = list_speakers(_existing_db(db_path), limit)
    if as_json:
        write_json_array(rows, sys.stdout)
        return
    for row in rows:
        facts = ", ".join(v for v in (row["rank"], row["role"], row["organization"]) if v)
        described = f" ({facts})" if facts else f" ({row['title']})" if row["title"] else ""
        others = [a for a in row["aliases"] if a != row["name"]][:4]
        also = f"; also {'; '.join(others)}" if others else ""
        who = f"{row['quotes']:>6}  {row['name']}{described}"
        counted = f"{row['kind']}, {row['articles']} article(s){also}"
        if out.is_terminal:
            out.print(f"{escape(who)}  [dim]{escape(counted)}[/dim]")
        else:  # the same text without styles: rich took 90 s to print 600,000 speakers into a pipe
            sys.stdout.write(f"{who}  {counted}\n")


def _workers(engine: str, jobs: int | None, scheduler: str | None) -> Workers:
    try:
        return workers(engine, jobs, scheduler)
    except WorkersError as error:
        _fail(str(error))


def _fail_busy(what: str, kept: str = "") -> NoReturn:
    _fail(f"{what} is being written by another process (waited {busy_timeout():g}s for it); "
          f"run this again when it has finished{kept}", 3)


def _curate(action, *args) -> dict:
    from .curation import CurationError

    try:
        return action(*args)
    except CurationError as error:
        _fail(str(error))
        raise  # unreachable: _fail exits
    except DatabaseBusy:
        _fail_busy("the database")
        raise


@app.command(name="statements")
def list_statements_command(
    db_path: DbArg,
    speaker: Annotated[Optional[str], typer.Option(help="Only statements of speakers whose name or alias contains this.")]
    = None,
    limit: Annotated[int, typer.Option(min=1, help="How many statements at most.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """The most repeated statements: the same words of one speaker across articles."""
    rows = list_statements(_existing_db(db_path), speaker=speaker, limit=limit)
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        since = f", first seen {row['first_seen']}" if row["first_seen"] else ""
        out.print(f"{row['article_count']:>4} article(s), {row['quote_count']} quote(s){escape(since)}: "
                  f"[bold]{escape(row['speaker'] or '(unknown speaker)')}[/bold]: “{escape(row['text'])}”")
        if len(row["variants"]) > 1:
            out.print(f"      [dim]{len(row['variants'])} wordings[/dim]")


@app.command()
def bundle(
    db_path: DbArg,
    folder: Annotated[Path, typer.Argument(help="Folder to write metadata.json, templates/ and plugins/ to.",
                                           show_default=False)],
) -> None:
    """Write what `datasette publish` or `datasette package` needs to show DB as `serve` does."""
    from .server import write_bundle

    _existing_db(db_path)
    paths = write_bundle(db_path, folder)
    out.print(f"Wrote {escape(str(folder))}. Publish with, for example:")
    out.print(escape(f"  datasette publish cloudrun {db_path} --metadata {paths['metadata']} "
                     f"--template-dir {paths['templates']} --plugins-dir {paths['plugins']} "
                     "--install datasette-template-sql --install datasette-dashboards"))


@app.command()
def merge(
    db_path: DbArg,
    keep: Annotated[str, typer.Argument(help="The speaker to keep (name, alias or id).", show_default=False)],
    drop: Annotated[list[str], typer.Argument(help="Speakers to merge into KEEP.", show_default=False)],
) -> None:
    """Merge speakers: their quotes and aliases move to KEEP, now and in later runs."""
    from .curation import merge as merge_speakers

    result = _curate(merge_speakers, _existing_db(db_path), keep, drop)
    out.print(f"{result['quotes_moved']} quote(s) moved to {escape(result['speaker'])}")


@app.command(name="split")
def split_speaker(
    db_path: DbArg,
    speaker: Annotated[str, typer.Argument(help="A speaker others were merged into.", show_default=False)],
) -> None:
    """Undo merges into SPEAKER (also available as `unmerge`)."""
    from .curation import split

    result = _curate(split, _existing_db(db_path), speaker)
    out.print(f"{result['quotes_restored']} quote(s) given back from {escape(result['speaker'])}")


app.command(name="unmerge", help="Undo merges into SPEAKER (same as `split`).")(split_speaker)


@app.command()
def alias(
    db_path: DbArg,
    name: Annotated[str, typer.Argument(help="The speaker (name, alias or id).", show_default=False)],
    aliases: Annotated[list[str], typer.Argument(help="Other names of this speaker.", show_default=False)],
) -> None:
    """Record names a speaker is also known by; they join this speaker now and in later runs."""
    from .curation import add_aliases

    result = _curate(add_aliases, _existing_db(db_path), name, aliases)
    out.print(f"{escape(result['speaker'])} is also known as {escape(', '.join(result['aliases']))}")


curation_app = typer.Typer(help="Export or import speaker curation (merges, aliases) as YAML.", no_args_is_help=True)
app.add_typer(curation_app, name="curation")


@curation_app.command("export")
def curation_export(db_path: DbArg, path: Annotated[Path, typer.Argument(help="YAML file to write.")]) -> None:
    """Write the merges and aliases recorded in DB to a YAML file."""
    from .curation import export_curation

    count = _curate(export_curation, _existing_db(db_path), path)
    out.print(f"{count} decision(s) written to {escape(str(path))}")


@curation_app.command("import")
def curation_import(db_path: DbArg, path: Annotated[Path, typer.Argument(help="YAML file to read.")]) -> None:
    """Apply merges and aliases from a YAML file written by `curation export`."""
    from .curation import import_curation

    if not path.is_file():
        _fail(f"no such file: {path}")
    count = _curate(import_curation, _existing_db(db_path), path)
    out.print(f"{count} decision(s) applied from {escape(str(path))}")


@app.command()
def serve(
    db_path: DbArg,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
    host: Annotated[str, typer.Option(help="Address to bind; 0.0.0.0 makes it reachable from other machines.")]
    = "127.0.0.1",
    writable: Annotated[bool, typer.Option(help="Open the file read-write instead of immutable.")] = False,
) -> None:
    """Explore DB in Datasette, with quotetrack's metadata."""
    from .server import serve as run_server

    _existing_db(db_path)
    url = f"http://{host}:{port}/"
    out.print(f"Serving {db_path} at {url} (Ctrl+C to stop)")
    sys.stdout.flush()
    run_server(db_path, host=host, port=port, writable=writable)


@app.command(name="eval")
def evaluate_gold(
    gold: Annotated[Path, typer.Argument(help="Gold quotes in the qtgold v1 JSON Lines format.", show_default=False)],
    errors: Annotated[int, typer.Option(min=0, help="Print this many misses, false positives and wrong speakers.")]
    = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Measure quotation and speaker accuracy against a gold file."""
    from .evaluate import evaluate, format_errors, format_report

    if not gold.is_file():
        _fail(f"no such file: {gold}")
    try:
        result = evaluate(gold)
    except ValueError as error:
        _fail(str(error))
    report = result.report()
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        print(format_report(report))
    if errors:
        print(format_errors(result.articles, errors), file=sys.stderr if as_json else sys.stdout)


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


@app.command(name="export")
def export_quotes(
    db_path: DbArg,
    export_format: Annotated[Optional[ExportFormat], typer.Option(
        "--format", help="csv (with a header row), json (one array) or jsonl (one object a line); "
                         "default: from the --output file's extension, else csv.", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="File to write (replaced if it exists); default: standard output.",
        show_default=False)] = None,
) -> None:
    """Write every quote with its speaker and article as CSV, JSON or JSON Lines, for use without Datasette."""
    from .export import FORMATS, ExportError, export_file, export_quotes as write_quotes

    db = _existing_db(db_path)
    if export_format is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        export_format = ExportFormat(suffix if suffix in FORMATS else "csv")
    if output is not None:
        if output.is_dir():
            _fail(f"{output} is a directory, not a file")
        if not output.parent.exists():
            _fail(f"cannot write {output}: folder {output.parent} does not exist")
        if output.exists() and output.resolve() == db_path.resolve():
            _fail(f"{output} is the database itself; choose another file")
    try:
        if output is None:
            count = write_quotes(db, export_format.value, sys.stdout)
            sys.stdout.flush()
        else:
            count = export_file(db, export_format.value, output)
    except ExportError as error:
        _fail(str(error))
    except BrokenPipeError:  # `quotetrack export ... | head`: the reader has seen enough
        _quiet_stdout()
        raise typer.Exit(1)
    except Exception as error:  # a database that is not SQLite, a full disk, ...
        if type(error).__name__ in ("DatabaseError", "OperationalError"):
            _fail(f"{db_path}: {error}")
        raise
    if output is not None:
        out.print(f"{count} quote(s) written to {escape(str(output))}")


def _quiet_stdout() -> None:
    """Point standard output at /dev/null so that Python's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
