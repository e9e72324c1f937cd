"""Settings for every test process: with `make test`'s two workers (pytest-xdist), each keeps its own Prefect
home, so no two processes share Prefect's SQLite database."""

import os

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("PREFECT_HOME"):
    os.environ["PREFECT_HOME"] = os.path.join(os.environ["PREFECT_HOME"], _worker)
    os.makedirs(os.environ["PREFECT_HOME"], exist_ok=True)
