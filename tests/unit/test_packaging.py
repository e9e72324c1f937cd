"""Everything ships: the wheel carries every module, form definition, template and the example configuration,
and the installed package finds them through importlib.resources (scr.assets), not the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scr import assets

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    (path,) = out.glob("scr_commissioning-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def tracked(folder: str) -> list[str]:
    listed = subprocess.run(["git", "ls-files", folder], capture_output=True, text=True, cwd=ROOT, check=True)
    return [line for line in listed.stdout.splitlines() if line]


@pytest.mark.parametrize("folder", assets.FOLDERS)
def test_every_data_file_ships_as_package_data(wheel, folder):
    files = tracked(folder)
    assert files, f"nothing tracked in {folder}/"
    names = set(wheel.namelist())
    assert [f for f in files if f"scr/_assets/{f}" not in names] == []


def test_every_package_ships_and_no_test_does(wheel):
    names = set(wheel.namelist())
    packages = [p.parent for p in [*ROOT.glob("scr/**/__init__.py"), *ROOT.glob("flows/**/__init__.py")]]
    assert [str(p) for p in packages if f"{p.relative_to(ROOT).as_posix()}/__init__.py" not in names] == []
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/"))]


def test_no_module_finds_the_products_files_beside_its_own_source():
    """Only scr.assets knows where forms/, templates/ and config/ are: a path built from a module's own
    location works in a checkout and breaks in an installed wheel."""
    offenders = [str(p.relative_to(ROOT)) for p in [*ROOT.glob("scr/**/*.py"), *ROOT.glob("flows/**/*.py")]
                 if p.name != "assets.py" and "Path(__file__)" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_a_checkout_reads_the_top_level_folders_where_they_are_written():
    assert assets.forms_dir() == ROOT / "forms"
    assert assets.templates_dir() == ROOT / "templates"
    assert assets.example_config_path() == ROOT / "config" / "example-board.yaml"


def test_installed_files_are_read_from_the_package(tmp_path, monkeypatch):
    """As in a wheel: scr/_assets/<folder> beside the modules wins over any source tree."""
    fake = tmp_path / "scr"
    (fake / "_assets" / "templates").mkdir(parents=True)
    monkeypatch.setattr(assets, "files", lambda package: fake)
    assert assets.templates_dir() == fake / "_assets" / "templates"


def test_a_missing_folder_is_called_a_packaging_fault_not_a_configuration_problem(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "files", lambda package: tmp_path)
    monkeypatch.setattr(assets, "__file__", str(tmp_path / "site-packages" / "scr" / "assets.py"))
    with pytest.raises(assets.InstallationError, match="Reinstall the package") as missing:
        assets.forms_dir()
    assert "configuration" in str(missing.value) and "not affected" in str(missing.value)
