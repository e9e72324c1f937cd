"""Entry points: the ``scr`` command line and the local web app."""
