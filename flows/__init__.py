"""Prefect orchestration only: flows and tasks that read like the board's business process."""
