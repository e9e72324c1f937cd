"""Plain models and pure functions of quality marker 6 commissioning. No Prefect, Google or Jinja2."""
