import os

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="package")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture(scope="package")
def demo_run(prefect_harness, tmp_path_factory):
    """One whole demo review, run once for the module's assertions."""
    from scr.demo.run import run_demo

    out = tmp_path_factory.mktemp("demo")
    result = run_demo(out)
    return out, result
