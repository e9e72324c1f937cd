"""Where the product's own data is: form definitions, templates and the example board configuration.

They are written in the repository's top-level ``forms/``, ``templates/`` and ``config/`` folders. A wheel
carries them as package data under ``scr/_assets/`` (``setup.py`` maps the folders there), and they are
read through ``importlib.resources``; in a source checkout (an editable install, or the tests) the
top-level folders are read where they are written. Nothing else in the product knows where they live.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from scr.errors import ScrError

FOLDERS = ("forms", "templates", "config")
EXAMPLE_CONFIG = "example-board.yaml"


class InstallationError(ScrError):
    """The product's own files are missing: a packaging fault, never the board's configuration."""


def asset_dir(folder: str) -> Path:
    """The product's ``forms``, ``templates`` or ``config`` folder, installed or in a checkout."""
    if folder not in FOLDERS:
        raise ValueError(f"no asset folder {folder!r}; one of {', '.join(FOLDERS)}")
    packaged = files("scr") / "_assets" / folder
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[1] / folder
    if checkout.is_dir():
        return checkout
    raise InstallationError(
        f"This installation of scr lacks its {folder}/ folder (looked in {packaged} and {checkout}). "
        "Reinstall the package (pip install --force-reinstall scr-commissioning); your board's "
        "configuration and data are not affected."
    )


def forms_dir() -> Path:
    return asset_dir("forms")


def templates_dir() -> Path:
    return asset_dir("templates")


def example_config_path(name: str = EXAMPLE_CONFIG) -> Path:
    """A shipped example board configuration (``scr init`` copies it for a new board)."""
    return asset_dir("config") / name
