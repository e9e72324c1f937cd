"""Commission a Serious Case Review well (SCR quality marker 6, "Commissioning").

The package is split by responsibility:

- ``scr.domain``: plain models and pure functions (no Prefect, Google or Jinja2 imports);
- ``scr.ports``: the small interfaces the services need from the outside world;
- ``scr.backends``: one module per outside system, implementing the ports;
- ``scr.rendering``: the only place that builds a Jinja2 environment;
- ``scr.services``: the steps of the commissioning workflow, taking their adapters as parameters;
- ``scr.entrypoints``: the ``scr`` command line and the local web app.
"""

__version__ = "0.1.0"
