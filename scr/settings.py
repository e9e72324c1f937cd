"""Runtime settings: where a review's store, documents and web app are. Serialisable flow parameters."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scr.config import Config, GoogleConfig, SmtpConfig
from scr.errors import ScrError


class Runtime(BaseModel):
    """How to reach a review's backends. Passed to the flow, so it holds paths and URLs, never secrets."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    backend: str = "local"
    store_url: str
    store_url_env: str | None = Field(None, description="read the store's URL from this variable instead")
    out_dir: str
    base_url: str = Field(description="where people reach the web app, for the links in messages")
    poll_seconds: float = Field(60.0, gt=0, description="how often a waiting review is checked")
    clock_speed: float = Field(1.0, gt=0, description="1 for real time; the demo runs days in seconds")
    forms_dir: str | None = Field(None, description="a folder of form definitions; None: the product's own")
    templates_dir: str | None = Field(None, description="a folder of templates; None: the product's own")
    google: GoogleConfig | None = None
    mail: str = "outbox"
    smtp: SmtpConfig | None = None

    @field_validator("store_url")
    @classmethod
    def _no_password_in_parameters(cls, value: str) -> str:
        from sqlalchemy.engine import make_url

        if make_url(value).password:
            raise ValueError("a store URL with a password would be kept in Prefect as a flow parameter; "
                             "put it in an environment variable named by local.store_url_env")
        return value

    @classmethod
    def from_config(cls, config: Config, **overrides) -> Runtime:
        local = config.local
        data_dir = Path(local.data_dir).resolve()
        base_url = local.public_url or f"http://{local.web_host}:{local.web_port}"
        values = dict(
            backend=config.backend,
            store_url=f"sqlite:///{data_dir / 'scr.sqlite3'}",
            store_url_env=local.store_url_env,
            out_dir=str(Path(local.out_dir).resolve()),
            base_url=base_url.rstrip("/"),
            google=config.google,
            mail=config.google.mail if config.backend == "google" and config.google else config.local.mail,
            smtp=config.smtp,
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @classmethod
    def from_board_config(cls, board_config: str) -> Runtime:
        """A flow's settings read from the board configuration file on the machine that runs it (how a
        deployment on a work pool names its board: see prefect.yaml)."""
        if not board_config or "{{" in board_config:  # prefect.yaml's "{{ $SCR_BOARD_CONFIG }}", left unfilled
            raise ScrError("The deployment names no board: its `board_config` parameter should be the path of the "
                           "board configuration file on the worker's machine. Set SCR_BOARD_CONFIG to that path "
                           "and run `prefect deploy --all` again (or give board_config in the Run dialog).")
        from scr.config import load_board_config

        return cls.from_config(load_board_config(board_config))

    def resolved_store_url(self) -> str:
        """The store's URL; one held in an environment variable never enters flow parameters or logs."""
        if not self.store_url_env:
            return self.store_url
        url = os.environ.get(self.store_url_env)
        if not url:
            raise ScrError(f"local.store_url_env names {self.store_url_env}, which is not set: set it to the "
                           "database URL (e.g. postgresql+psycopg://user:password@host/db) before running scr.")
        return url

    def review_dir(self, review_id: str) -> Path:
        return Path(self.out_dir) / review_id
