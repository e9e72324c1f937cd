"""Packaging beyond what pyproject.toml can say: the top-level forms/, templates/ and config/ folders ship
inside the wheel as package data under scr/_assets/, where scr.assets reads them with importlib.resources.

Everything else (metadata, dependencies, the `scr` command) is in pyproject.toml.
"""

from setuptools import find_packages, setup

ASSETS = {f"scr._assets.{folder}": folder for folder in ("forms", "templates", "config")}

setup(
    packages=find_packages(include=["scr", "scr.*", "flows", "flows.*"]) + list(ASSETS),
    package_dir=ASSETS,
    package_data={package: ["**/*"] for package in ASSETS},
)
