"""Board configuration: what a board writes in YAML, validated with pydantic.

``load_board_config(path)`` is the one way in; any problem becomes a ``ConfigError`` naming the
file, the field and what is wrong, so the command line can print it and exit with status 2.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from scr.config_regime import RapidReviewConfig, StatutoryPartnersConfig, regime_problem, regime_warnings
from scr.domain.email import EmailAddress
from scr.domain.model import DocumentStyle, LeadReviewer, Member, Review, Vocabulary
from scr.domain.pseudonyms import looks_like_a_name
from scr.domain.regime import RapidReview, StatutoryPartners, regime_for
from scr.domain.schedule import Schedule
from scr.errors import ConfigError

REVIEW_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{2,39}$"

Text = Annotated[str, Field(min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Person(_Strict):
    name: Text = Field(description="full name, without the title: Helen Okafor")
    email: EmailStr
    title: str = Field("", max_length=30, description="Dr, DCI, Ms ...: emails greet 'Dear <title> <surname>'")
    surname: str = Field("", max_length=100, description="if not the last word of the name")

    def person(self) -> LeadReviewer:
        return LeadReviewer(self.name, self.email, self.title, self.surname)


class MemberConfig(Person):
    agency: Text
    role: Text


class CaseConfig(_Strict):
    review_id: str = Field(pattern=REVIEW_ID_PATTERN, description="e.g. SCR-2026-014; used in file names")
    child_pseudonym: str = Field(min_length=2, max_length=40)
    background: str = Field(min_length=20, max_length=2000)
    decision_date: dt.date
    criteria: Literal["statutory", "discretionary"] = "statutory"
    rapid_review: RapidReviewConfig | None = None
    pseudonym_confirmed: bool = Field(False, description="the board agreed this pseudonym, though it looks like a name")

    @field_validator("child_pseudonym")
    @classmethod
    def _looks_like_a_pseudonym(cls, value: str) -> str:
        if len(value.split()) > 3:
            raise ValueError(
                "use a short pseudonym such as 'Child T' (at most three words); never the child's name"
            )
        return value

    @model_validator(mode="after")
    def _not_a_persons_name(self) -> CaseConfig:
        if not self.pseudonym_confirmed and looks_like_a_name(self.child_pseudonym):
            raise ValueError(
                "child_pseudonym: this looks like a person's name (it holds a first name or surname from "
                "common name lists); never the child's name: use the usual form, such as 'Child T' or 'Child Q', "
                "or, if the board agreed this pseudonym, add pseudonym_confirmed: true under case"
            )
        return self


class DeadlinesConfig(_Strict):
    response_working_days: int = Field(Schedule.response_working_days, ge=1, le=60)
    reminder_working_days: list[int] = Field(default_factory=lambda: list(Schedule.reminder_working_days))
    reviewer_working_days: int = Field(Schedule.reviewer_working_days, ge=1, le=60)
    holidays: list[dt.date] = Field(default_factory=list)
    end_of_day: dt.time = Field(Schedule.end_of_day, description="deadlines fall at this time of their day")
    timezone: str = Field(Schedule.timezone, description="the board's time zone, for deadlines: Europe/London")

    @field_validator("timezone")
    @classmethod
    def _a_known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone name; use one such as Europe/London") from None
        return value

    def schedule(self) -> Schedule:
        """A new review's schedule: these working days and holidays, nothing fixed yet."""
        return Schedule(
            response_working_days=self.response_working_days,
            reminder_working_days=tuple(self.reminder_working_days),
            reviewer_working_days=self.reviewer_working_days,
            holidays=tuple(self.holidays),
            end_of_day=self.end_of_day,
            timezone=self.timezone,
        )

    @model_validator(mode="after")
    def _reminders_fall_inside_the_window(self) -> DeadlinesConfig:
        days = self.reminder_working_days
        if days != sorted(set(days)):  # out of order, a later reminder would never be sent
            raise ValueError(f"reminder_working_days: give each day once, in increasing order: "
                             f"{sorted(set(days))}, not {days}")
        for day in days:
            if not 1 <= day < self.response_working_days:
                raise ValueError(
                    f"reminder_working_days: {day} must be between 1 and "
                    f"{self.response_working_days - 1} (inside the response window)"
                )
        return self


class SmtpConfig(_Strict):
    """An SMTP relay for invitations and notices, with STARTTLS; the password is read from an environment variable."""

    host: str = Field(min_length=1)
    port: int = Field(587, ge=1, le=65535)
    username: str = Field(min_length=1)
    password_env: str = Field("SCR_SMTP_PASSWORD", pattern=r"^[A-Z_][A-Z0-9_]*$")
    ca_file: Path | None = Field(None, description="a CA certificate to trust, for a relay with a private CA")


class LocalConfig(_Strict):
    data_dir: Path = Path("scr-data")
    store_url_env: str | None = Field(
        None, pattern=r"^[A-Z_][A-Z0-9_]*$",
        description="an environment variable holding a database URL (PostgreSQL) to use instead of data_dir",
    )
    out_dir: Path = Path("OUT")
    web_host: str = "127.0.0.1"
    web_port: int = Field(8765, ge=1, le=65535)
    public_url: str | None = Field(None, description="base URL people reach the web app on, if not host:port")
    mail: Literal["outbox", "smtp"] = Field("outbox", description="write .eml files, or send through smtp")


class GoogleConfig(_Strict):
    """Where the review lives in Google Workspace, and how the tool signs in."""

    credentials: str = Field(
        description="path to a service account key or OAuth token JSON, or env:VARIABLE holding the JSON; "
        "never the key itself"
    )
    subject: EmailStr | None = Field(None, description="with domain-wide delegation, the user the tool acts as")
    shared_drive: bool = Field(False, description="the folder is on a shared drive (needed by a service account "
                               "without subject; `scr google-check` confirms it)")
    drive_folder_id: str = Field(min_length=5, description="the review documents' Drive folder")
    templates: dict[Literal["factor-summary", "terms-of-reference", "qm6-evidence"], str] = Field(
        default_factory=dict, description="Google Docs to copy for house style, by document"
    )
    roster_sheet_id: str | None = Field(None, description="a Sheet with columns name, email, agency, role")
    tracker_sheet_id: str | None = Field(None, description="a Sheet where each review gets a status tab")
    mail: Literal["gmail", "outbox", "smtp"] = "gmail"
    completion_keyword: str = Field("COMPLETE", pattern=r"^[A-Za-z]{3,20}$")
    api_root: str | None = Field(
        None, description="send API calls here instead of Google (a loopback server that speaks Google's APIs)"
    )
    retry_seconds: float = Field(1.0, gt=0, le=60, description="first wait before retrying a failed call")

    @field_validator("credentials")
    @classmethod
    def _a_path_or_variable_not_the_key(cls, value: str) -> str:
        if value.lstrip().startswith("{") or "\n" in value or "private_key" in value or len(value) > 500:
            raise ValueError("this looks like the key itself: save the key in a file (readable only by you) and "
                             "give its path here, or put it in an environment variable and write env:VARIABLE")
        return value

    @model_validator(mode="after")
    def _anonymous_only_for_a_loopback_server(self) -> GoogleConfig:
        if self.credentials == "anonymous" and not self.api_root:
            raise ValueError("credentials: 'anonymous' works only with api_root (a test server), never with Google")
        return self


class BoardConfig(_Strict):
    name: Text
    regime: Literal["lscb", "partnership"] | None = Field(
        None, validation_alias=AliasChoices("regime", "vocabulary"),
        description="lscb (Serious Case Review) or partnership (LCSPR); by default from case.decision_date",
    )
    business_manager: Person
    statutory_partners: StatutoryPartnersConfig | None = None
    protective_marking: str = Field("OFFICIAL-SENSITIVE", pattern=r"^[A-Z][A-Z0-9 :/-]{1,59}$",
                                    description="in every document's header and every email's subject")
    word_template: Path | None = Field(None, description="a .docx whose styles, header and logo documents take")

    @field_validator("word_template")
    @classmethod
    def _a_word_file(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        if value.suffix.lower() != ".docx":
            raise ValueError(f"{value} is not a .docx file; save the board's template as a Word document (.docx)")
        if not value.is_file():
            raise ValueError(f"{value}: no such file (a relative path is read from where scr runs)")
        return value.resolve()


class Config(_Strict):
    board: BoardConfig
    members: list[MemberConfig] = Field(default_factory=list, description="or google.roster_sheet_id")
    lead_reviewers: list[Person] = Field(min_length=1, max_length=3)
    case: CaseConfig
    deadlines: DeadlinesConfig = DeadlinesConfig()
    backend: Literal["local", "google"] = "local"
    local: LocalConfig = LocalConfig()
    google: GoogleConfig | None = None
    smtp: SmtpConfig | None = None

    @model_validator(mode="after")
    def _google_backend_is_configured(self) -> Config:
        if self.backend == "google" and self.google is None:
            raise ValueError("backend is google: add a google section (credentials, drive_folder_id)")
        mail = self.google.mail if self.backend == "google" and self.google else self.local.mail
        if mail == "smtp" and self.smtp is None:
            raise ValueError("mail is smtp: add an smtp section (host, port, username, password_env)")
        if not self.members and not (self.google and self.google.roster_sheet_id):
            raise ValueError("members: list the board's members here, or name a roster sheet in "
                             "google.roster_sheet_id (columns name, email, agency, role)")
        return self

    @model_validator(mode="after")
    def _people_are_unique(self) -> Config:
        seen: set[EmailAddress] = set()
        for person in [*self.members, *self.lead_reviewers]:
            email = EmailAddress(person.email)
            if email in seen:
                raise ValueError(
                    f"{person.email} appears twice among members and lead reviewers; "
                    "each person needs their own address (a lead reviewer must be independent of the board)"
                )
            seen.add(email)
        return self

    @model_validator(mode="after")
    def _each_agency_is_spelt_one_way(self) -> Config:
        for index, problem in agency_spelling_problems([m.agency for m in self.members])[:1]:
            raise ValueError(f"members.{index}.agency: {problem}")
        return self

    @model_validator(mode="after")
    def _regime_is_complete(self) -> Config:
        if problem := regime_problem(self):
            raise ValueError(problem)
        return self

    @property
    def regime(self) -> str:
        """``lscb`` or ``partnership``: as configured, or by the decision date (partners after 29 September 2019)."""
        return self.board.regime or regime_for(self.case.decision_date)

    def warnings(self) -> list[str]:
        """What `scr check` points out without refusing the file."""
        return regime_warnings(self)

    def rapid_review(self) -> RapidReview | None:
        """The notification and rapid review as configured, counted in the board's working days."""
        given = self.case.rapid_review
        return given.rapid_review(self.deadlines.holidays) if given else None

    @property
    def agencies(self) -> list[str]:
        """The board's agencies, in the order they first appear in the member list."""
        return list(dict.fromkeys(m.agency for m in self.members))


def load_board_config(path: str | Path) -> Config:
    """Read and validate a board configuration file."""
    path = Path(path)
    source = str(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_BoardLoader)
    except FileNotFoundError:
        raise ConfigError(source, [("(file)", "no such file; give the path to a board configuration YAML")]) from None
    except IsADirectoryError:
        raise ConfigError(source, [("(file)", "a folder; give the path to a board configuration YAML")]) from None
    except OSError as exc:
        raise ConfigError(source, [("(file)", f"cannot be read ({exc.strerror or type(exc).__name__})")]) from None
    except UnicodeDecodeError:
        raise ConfigError(source, [("(file)", "not UTF-8 text; save the file as UTF-8")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise ConfigError(source, [(where, f"not valid YAML ({getattr(exc, 'problem', exc)})")]) from None
    if not isinstance(raw, dict):
        raise ConfigError(source, [("(file)", "expected a mapping with board, members, lead_reviewers, case")])
    return parse_config(raw, source)


def agency_spelling_problems(agencies: list[str]) -> list[tuple[int, str]]:
    """(index, problem) for each agency spelt otherwise than an earlier one of the same name, setting aside
    case, punctuation and spacing: "Northshire police." and "Northshire Police" would split one agency's
    members in the summary, which counts them by agency."""
    first: dict[str, str] = {}
    problems = []
    for index, agency in enumerate(agencies):
        key = " ".join(re.sub(r"[^\w\s]", " ", agency.casefold()).split())
        known = first.setdefault(key, agency)
        if known != agency:
            problems.append((index, f"{agency!r} and {known!r} look like one agency spelt two ways; spell it "
                                    "the same way for every member (the summary counts members by agency)"))
    return problems


class _BoardLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a key given twice in one mapping is an error, not a silent overwrite
    (a second ``members:`` would otherwise drop every member listed under the first)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # an unhashable key: the base class reports it
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is given twice in one mapping (first on line {seen[key] + 1}); "
                    "keep one and merge what was under the other into it", key_node.start_mark)
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def parse_config(raw: dict, source: str = "<config>") -> Config:
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(source, [_describe(err) for err in exc.errors(include_input=False)]) from None


def _describe(err: dict) -> tuple[str, str]:
    field = ".".join(str(part) for part in err["loc"]) or "(top level)"
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        message = "unknown field; check its spelling against config/example-board.yaml"
    elif err["type"] == "missing":
        message = "required field is missing"
    message = re.sub(r"^Value error, ", "", message)
    return field, message


def review_from_config(config: Config, members: list[MemberConfig] | None = None) -> Review:
    """The review as configured at its start: the board's people and the case, in the board's words.

    ``members`` replaces the configured list (a board whose members live in a roster sheet).
    """
    board, partners = config.board, config.board.statutory_partners
    return Review(
        review_id=config.case.review_id,
        board_name=board.name,
        vocabulary=Vocabulary.named(config.regime),
        business_manager=board.business_manager.person(),
        members=tuple(Member(m.name, m.email, m.agency, m.role, m.title, m.surname)
                      for m in (members or config.members)),
        lead_reviewers=tuple(r.person() for r in config.lead_reviewers),
        child_pseudonym=config.case.child_pseudonym,
        background=config.case.background,
        decision_date=config.case.decision_date,
        criteria=config.case.criteria,
        partners=StatutoryPartners(**partners.model_dump()) if partners and config.regime == "partnership" else None,
        rapid_review=config.rapid_review(),
        style=DocumentStyle(board.protective_marking,
                            str(board.word_template) if board.word_template else None),
    )
