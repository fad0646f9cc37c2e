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
    databases = metadata.get("databases", {})
    if METADATA_DATABASE in databases:
        databases[Path(db_path).stem] = databases.pop(METADATA_DATABASE)
    return metadata


def write_templates(db_path: Path, folder: Path) -> Path:
    """The package's page templates, named for the database as Datasette names it.

    Datasette looks for ``row-<database>-<table>.html``; the database is named
    after the file, so the names are made here, for each file served.
    """
    from datasette.utils import to_css_class

    target = folder / "templates"
    target.mkdir(exist_ok=True)
    database = to_css_class(Path(db_path).stem)
    for template in resources.files("quotetrack").joinpath("templates").iterdir():
        if template.name.startswith("row-") and template.name.endswith(".html"):
            table = template.name[len("row-"):]
            (target / f"row-{database}-{table}").write_text(template.read_text("utf-8"), "utf-8")
    return target


def datasette_args(db_path: Path, metadata_file: Path, host: str, port: int, writable: bool,
                   template_dir: Path | None = None) -> list[str]:
    """Arguments for ``datasette serve``: immutable unless asked, bound to ``host``."""
    args = ["serve", "--metadata", str(metadata_file), "--host", host, "--port", str(port)]
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
