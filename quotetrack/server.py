"""Start Datasette on a quotetrack database with the project's metadata."""

from __future__ import annotations

import json
import tempfile
from importlib import resources
from pathlib import Path

import yaml

METADATA_DATABASE = "quotetrack"  # the database name metadata.yml describes


def metadata_path() -> Path:
    """``metadata.yml``: packaged in the wheel, or at the top of a source checkout."""
    packaged = resources.files("quotetrack").joinpath("metadata.yml")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "metadata.yml"


def metadata_for(db_path: Path) -> dict:
    """The project's metadata, applied to the database as Datasette will name it (the file stem)."""
    metadata = yaml.safe_load(metadata_path().read_text("utf-8"))
    stem = Path(db_path).stem
    databases = metadata.get("databases", {})
    if METADATA_DATABASE in databases:
        databases[stem] = databases.pop(METADATA_DATABASE)
    for dashboard in metadata.get("plugins", {}).get("datasette-dashboards", {}).values():
        for chart in dashboard.get("charts", {}).values():
            if chart.get("db") == METADATA_DATABASE:
                chart["db"] = stem
    return metadata


def write_templates(db_path: Path, folder: Path) -> Path:
    """The package's templates, named for the database as Datasette names it.

    Datasette looks for ``row-<database>-<table>.html`` and
    ``query-<database>-<query>.html``; the database is named after the file,
    so the names (and ``__DATABASE__`` in custom pages) are made here.
    """
    from datasette.utils import to_css_class

    target = folder / "templates"
    (target / "pages").mkdir(parents=True, exist_ok=True)
    stem = Path(db_path).stem
    database = to_css_class(stem)
    source = resources.files("quotetrack").joinpath("templates")
    for template in source.iterdir():
        if template.name.startswith("_") and template.name.endswith(".html"):  # included pieces
            (target / template.name).write_text(template.read_text("utf-8"), "utf-8")
        for kind in ("row-", "query-"):
            if template.name.startswith(kind) and template.name.endswith(".html"):
                name = f"{kind}{database}-{template.name[len(kind):]}"
                (target / name).write_text(template.read_text("utf-8"), "utf-8")
    for page in source.joinpath("pages").iterdir():
        if page.name.endswith(".html"):
            (target / "pages" / page.name).write_text(page.read_text("utf-8").replace("__DATABASE__", stem), "utf-8")
    return target


def write_bundle(db_path: Path, folder: Path) -> dict[str, Path]:
    """Everything Datasette needs to show ``db_path`` as ``quotetrack serve`` does, for
    ``datasette publish`` or ``datasette package``: metadata, templates and the page filters."""
    folder.mkdir(parents=True, exist_ok=True)
    metadata_file = folder / "metadata.json"
    metadata_file.write_text(json.dumps(metadata_for(db_path), indent=2), "utf-8")
    plugins = folder / "plugins"
    plugins.mkdir(exist_ok=True)
    plugin = resources.files("quotetrack").joinpath("datasette_plugin.py").read_text("utf-8")
    (plugins / "quotetrack_pages.py").write_text(plugin, "utf-8")
    return {"metadata": metadata_file, "templates": write_templates(db_path, folder), "plugins": plugins}


def datasette_args(db_path: Path, metadata_file: Path, host: str, port: int, writable: bool,
                   template_dir: Path | None = None) -> list[str]:
    """Arguments for ``datasette serve``: immutable unless asked, bound to ``host``."""
    # Suggested facets try every column of the table or view on every page: over a million quotes
    # that took seconds per search; the useful facets are configured in metadata.yml.
    args = ["serve", "--metadata", str(metadata_file), "--host", host, "--port", str(port),
            "--setting", "suggest_facets", "off"]
    if template_dir is not None:
        args += ["--template-dir", str(template_dir)]
    args += [str(db_path)] if writable else ["-i", str(db_path)]
    return args


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001, writable: bool = False) -> None:
    from datasette.cli import cli

    with tempfile.TemporaryDirectory(prefix="quotetrack-") as folder:
        metadata_file = Path(folder) / "metadata.json"
        metadata_file.write_text(json.dumps(metadata_for(db_path)), "utf-8")
        templates = write_templates(db_path, Path(folder))
        cli.main(datasette_args(db_path, metadata_file, host, port, writable, templates), prog_name="datasette")
