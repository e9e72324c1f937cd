"""The shape of the house: the domain stands alone, and only bootstrap chooses backends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_MODULES = sorted(p.stem for p in (ROOT / "scr" / "domain").glob("*.py") if p.stem != "__init__")


def test_the_domain_imports_neither_prefect_google_nor_jinja2():
    imports = "; ".join(f"import scr.domain.{name}" for name in DOMAIN_MODULES)
    probe = (
        f"import sys; {imports}; "
        "bad = sorted({m.split('.')[0] for m in sys.modules} & {'prefect', 'google', 'googleapiclient', "
        "'gspread', 'jinja2', 'fastapi', 'sqlalchemy'}); print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert len(DOMAIN_MODULES) >= 6
    assert result.stdout.strip() == ""


def test_only_bootstrap_names_a_backend():
    importers = [
        path.relative_to(ROOT).as_posix()
        for path in list((ROOT / "scr").rglob("*.py")) + list((ROOT / "flows").rglob("*.py"))
        if "from scr.backends" in path.read_text(encoding="utf-8") and "backends" not in path.parts
    ]
    assert importers == ["scr/bootstrap.py"]


def test_backends_do_not_reach_into_services_flows_or_entrypoints():
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "scr" / "backends").rglob("*.py")
        if any(f"from scr.{layer}" in path.read_text(encoding="utf-8") for layer in ("services", "entrypoints"))
        or "from flows" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_every_module_imports():
    import importlib
    import pkgutil

    import flows
    import scr

    names = [
        module.name
        for package in (scr, flows)
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    ]
    assert len(names) > 40
    for name in names:
        importlib.import_module(name)


def test_a_local_board_loads_no_google_library(tmp_path):
    probe = (
        "import sys; from scr.bootstrap import backend_for; from scr.demo.run import example_config; "
        "from scr.settings import Runtime; "
        f"runtime = Runtime.from_config(example_config(), store_url='sqlite:///{tmp_path}/s.db', "
        f"out_dir='{tmp_path}'); "
        "backend = backend_for(runtime); assert type(backend.mailer).__name__; "
        "import scr.backends.mail, scr.backends.csv_import; "
        "print(','.join(sorted({m.split('.')[0] for m in sys.modules} & {'google', 'googleapiclient', 'gspread'})))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
