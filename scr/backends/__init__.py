"""Backends: one package per outside system, each implementing the ports in ``scr.ports``."""
