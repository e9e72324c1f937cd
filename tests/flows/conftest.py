import os

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# A process that starts Prefect's temporary server (`scr start`, `scr demo`) gives up after 20 s by default;
# on a busy machine it takes longer. The processes these tests start inherit this generous limit.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "240")


@pytest.fixture(scope="package")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=240):  # generous: a busy machine starts it slowly
        yield


@pytest.fixture(scope="package")
def demo_run(prefect_harness, tmp_path_factory):
    """One whole demo review, run once for the module's assertions."""
    from scr.demo.run import run_demo

    out = tmp_path_factory.mktemp("demo")
    result = run_demo(out)
    return out, result


@pytest.fixture
def local_review(tmp_path):
    """The example board's review created in a fresh store on the local backend: (runtime, backend, review)."""
    from scr.bootstrap import backend_for
    from scr.config import review_from_config
    from scr.demo.run import example_config
    from scr.settings import Runtime

    config = example_config()
    runtime = Runtime.from_config(config, store_url=f"sqlite:///{tmp_path / 'scr.sqlite3'}", out_dir=str(tmp_path),
                                  base_url="http://127.0.0.1:9", poll_seconds=0.01)
    backend = backend_for(runtime)
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.schedule())
    return runtime, backend, review
