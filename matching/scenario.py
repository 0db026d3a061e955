"""Loading and validating a scenario (``dichtbij.scenario/1``) into domain objects.

Every problem is collected, not just the first: each names the object (by id where it
has one), the field and the reason, so that a coordinator can fix a file in one pass.
The same schemas (:class:`HomeIn`, :class:`ChildIn`) validate the HTTP API's bodies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from matching.errors import CrossFieldError, InputProblem, ScenarioError, error_location
from matching.geo import PostcodeError, parse_postcode, postcode_table
from matching.model import (
    CARE_DOMAINS,
    DEFAULT_CARE_KINDS,
    WISH_CRITERIA,
    CareKind,
    Child,
    HistoryEvent,
    HistoryKind,
    Home,
    HomeType,
    Postcode,
    ResidentialReason,
    Scenario,
    SplitReason,
    Urgency,
    Wishes,
)
from matching.policy import Policy
from matching.siblings import sibling_problems

__all__ = [
    "FORMAT",
    "ID_PATTERN",
    "MAX_HISTORY",
    "REFERENCE_DATES",
    "ChildIn",
    "HistoryEventIn",
    "HomeIn",
    "InputProblem",
    "IsoDate",
    "ScenarioError",
    "ScenarioIn",
    "WishesIn",
    "age_on",
    "child_from_schema",
    "home_from_schema",
    "load_scenario",
    "parse_scenario",
]

FORMAT = "dichtbij.scenario/1"

#: Every object id (home, child, and the ids that name them): letters, digits, ``-``, ``_``
#: and ``.``, 1-64 characters, starting with a letter or a digit. Such an id is one URL
#: path segment as it stands (no ``/``, no ``%``, not ``.`` or ``..``), so whatever is
#: stored can be read, changed and erased again.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN)]
#: An organisation is a name, not an object id: the looser rule API keys are issued with.
OrganisationName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^\S+$")
]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
PostcodeText = Annotated[str, StringConstraints(min_length=4, max_length=7)]
# Numbers are JSON numbers and dates ISO dates: ``"age": true`` or ``"age": "5"`` must not
# quietly become 1 or 5. Strict ints refuse booleans, text and fractions; a reader of text
# (the CSV import) validates with ``strict=False`` and gets the lax reading back.
Level = Annotated[int, Strict(), Field(ge=0, le=3)]
Age = Annotated[int, Strict(), Field(ge=0, le=23)]
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_date(value: object) -> object:
    if isinstance(value, datetime) or not isinstance(value, (date, str)):
        raise ValueError("must be a date as text, YYYY-MM-DD")
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


#: A calendar date: ``"2026-11-23"`` (or a :class:`datetime.date`), nothing else.
IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def _quoted(text: str) -> str:
    """``text`` fit to quote in a validation message: a lone surrogate ("\\ud800" in JSON),
    which pydantic lets through as a key or a plain ``str``, escaped; pydantic would raise
    UnicodeEncodeError on the message instead of reporting it."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_domains(value: Mapping[str, int]) -> Mapping[str, int]:
    unknown = sorted(set(value) - set(CARE_DOMAINS))
    if unknown:
        known = ", ".join(CARE_DOMAINS)
        raise ValueError(f"unknown care domain '{_quoted(unknown[0])}' (known: {known})")
    return value


def _twice(items: Iterable[object] | None) -> bool:
    """Whether a list that stands for a set (languages, kinds, children) names one item
    twice: a typo that would be stored and shown twice."""
    listed = list(items or ())
    return len(set(listed)) != len(listed)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Note = Annotated[str, StringConstraints(max_length=2000)]


def _check_wish_criteria(value: list[str]) -> list[str]:
    for name in value:
        if name not in WISH_CRITERIA:
            known = ", ".join(WISH_CRITERIA)
            raise ValueError(f"unknown wish criterion '{_quoted(name)}' (known: {known})")
    if len(set(value)) != len(value):
        raise ValueError("a criterion is named more than once")
    return value


#: The most history events a child may carry: a bound against oversized input, set far
#: above what a child could gather (the service records a decline for every home that
#: says no, and recorded events cannot be removed; 200 could be reached by a child hard to
#: place over years, and then no edit of its history would go through).
MAX_HISTORY = 2000


class HistoryEventIn(_In):
    """One event between the child and a home: a decline or a placement that broke down."""

    home_id: Id
    event: HistoryKind
    date: IsoDate
    reason: Note | None = None


class WishesIn(_In):
    """The child's own voice (UN Convention art. 12): what matters most, and when heard."""

    priorities: list[str] = Field(default_factory=list, max_length=len(WISH_CRITERIA))
    note: Note | None = None
    heard_on: IsoDate | None = None

    _criteria = field_validator("priorities")(_check_wish_criteria)


class HomeIn(_In):
    """A home as the scenario file and the API accept it."""

    id: Id
    organisation: OrganisationName
    type: HomeType
    postcode: PostcodeText
    beds_free: StrictInt = Field(ge=0, le=200)
    age_min: Age = 0
    age_max: Age = 23
    max_siblings: StrictInt | None = Field(default=None, ge=1, le=200)
    capabilities: dict[str, Level] = Field(default_factory=dict)
    religion: Code | None = None
    languages: list[Language] = Field(default_factory=list, max_length=20)
    available_from: IsoDate | None = None
    available_until: IsoDate | None = None
    known_to: list[Id] = Field(default_factory=list, max_length=50)
    care_kinds: list[CareKind] | None = Field(default=None, min_length=1, max_length=4)
    part_time_places_free: StrictInt | None = Field(default=None, ge=0, le=200)

    _domains = field_validator("capabilities")(_check_domains)

    #: A scenario's network home names the children it is for; the API registers it first
    #: and says whom it is for afterwards (``PUT /v1/children/{id}/network/{home_id}``).
    known_to_required: ClassVar[bool] = True

    @model_validator(mode="after")
    def _consistent(self) -> HomeIn:
        if self.age_min > self.age_max:
            raise CrossFieldError(
                "age_max", f"age_min {self.age_min} is above age_max {self.age_max}"
            )
        if (
            self.available_from is not None
            and self.available_until is not None
            and self.available_from > self.available_until
        ):
            raise CrossFieldError("available_until", "available_from is after available_until")
        if self.type is HomeType.NETWORK_FOSTER and not self.known_to and self.known_to_required:
            raise CrossFieldError(
                "known_to", "a network_foster home needs known_to: the children it is for"
            )
        if self.type is not HomeType.NETWORK_FOSTER and self.known_to:
            raise CrossFieldError("known_to", "known_to is only for network_foster homes")
        if _twice(self.care_kinds):
            raise CrossFieldError("care_kinds", "care_kinds names a kind more than once")
        if _twice(self.languages):
            raise CrossFieldError("languages", "languages names a language more than once")
        if _twice(self.known_to):
            raise CrossFieldError("known_to", "known_to names a child more than once")
        if self.part_time_places_free is not None and CareKind.PART_TIME not in (
            self.care_kinds or ()
        ):
            raise CrossFieldError(
                "part_time_places_free",
                "part_time_places_free is only for a home whose care_kinds include part_time",
            )
        return self


class ChildIn(_In):
    """A waiting child as the scenario file and the API accept it."""

    id: Id
    birth_date: IsoDate | None = None
    age: Age | None = None
    parents_postcode: PostcodeText
    school_postcode: PostcodeText | None = None
    siblings: list[Id] = Field(default_factory=list, max_length=20)
    split_reason: SplitReason | None = None
    split_note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    keep_apart: list[Id] = Field(default_factory=list, max_length=50)
    needs: dict[str, Level] = Field(default_factory=dict)
    urgency: Urgency = Urgency.PLANNED
    min_distance_from_parents_km: StrictFloat | None = Field(default=None, gt=0, le=300)
    religion: Code | None = None
    languages: list[Language] = Field(default_factory=list, max_length=20)
    current_home: Id | None = None
    care_kind: CareKind | None = None
    waiting_since: IsoDate | None = None
    history: list[HistoryEventIn] = Field(default_factory=list, max_length=MAX_HISTORY)
    wishes: WishesIn | None = None
    residential_reason: ResidentialReason | None = None
    residential_note: Note | None = None

    _domains = field_validator("needs")(_check_domains)

    @model_validator(mode="after")
    def _consistent(self) -> ChildIn:
        if self.birth_date is None and self.age is None:
            raise CrossFieldError("birth_date", "one of birth_date or age is required")
        if self.split_reason is SplitReason.OTHER and not (self.split_note or "").strip():
            raise CrossFieldError("split_note", "split_reason 'other' requires a split_note")
        if self.id in self.siblings:
            raise CrossFieldError("siblings", "a child cannot be its own sibling")
        if self.id in self.keep_apart:
            raise CrossFieldError("keep_apart", "a child cannot be kept apart from itself")
        if _twice(self.siblings):
            raise CrossFieldError("siblings", "siblings names a child more than once")
        if _twice(self.keep_apart):
            raise CrossFieldError("keep_apart", "keep_apart names a child more than once")
        if _twice(self.languages):
            raise CrossFieldError("languages", "languages names a language more than once")
        if (
            self.residential_reason is ResidentialReason.OTHER
            and not (self.residential_note or "").strip()
        ):
            raise CrossFieldError(
                "residential_note", "residential_reason 'other' requires a residential_note"
            )
        return self


#: The days a scenario can be evaluated on. The engine's rules (the Youth Act of 2015) and
#: its postcode table describe the present, and dates are computed from the reference date
#: (``decline_memory_days`` before it): year 1 or 9999 is a typo, and would overflow.
REFERENCE_DATES = (date(2000, 1, 1), date(2099, 12, 31))


class ScenarioIn(_In):
    format: Literal["dichtbij.scenario/1"]
    reference_date: IsoDate = Field(ge=REFERENCE_DATES[0], le=REFERENCE_DATES[1])
    policy: dict[str, Any] = Field(default_factory=dict)
    homes: list[dict[str, Any]] = Field(max_length=200_000)
    children: list[dict[str, Any]] = Field(max_length=100_000)


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _loc(path: Iterable[int | str]) -> str:
    return ".".join(str(p) for p in path) or "(object)"


def _pydantic_problems(error: ValidationError, obj: str, prefix: str = "") -> list[InputProblem]:
    problems = []
    for e in error.errors():
        field = _loc(error_location(e))
        reason = e["msg"].removeprefix("Value error, ")
        problems.append(InputProblem(obj, prefix + field, reason))
    return problems


def _postcode(
    raw: str | None, obj: str, field: str, problems: list[InputProblem]
) -> Postcode | None:
    if raw is None:
        return None
    try:
        pc = parse_postcode(raw)
        postcode_table().locate(pc)
    except PostcodeError as exc:
        problems.append(InputProblem(obj, field, str(exc)))
        return None
    return pc


def home_from_schema(h: HomeIn, problems: list[InputProblem]) -> Home | None:
    """Map a validated home body onto the domain; postcode problems go to ``problems``."""
    obj = f"home {h.id}"
    pc = _postcode(h.postcode, obj, "postcode", problems)
    if pc is None:
        return None
    return Home(
        id=h.id,
        organisation=h.organisation,
        type=h.type,
        postcode=pc,
        beds_free=h.beds_free,
        age_min=h.age_min,
        age_max=h.age_max,
        max_siblings=h.max_siblings,
        capabilities={k: v for k, v in h.capabilities.items() if v > 0},
        religion=h.religion,
        languages=tuple(h.languages),
        available_from=h.available_from,
        available_until=h.available_until,
        known_to=frozenset(h.known_to),
        care_kinds=frozenset(h.care_kinds) if h.care_kinds is not None else DEFAULT_CARE_KINDS,
        part_time_places_free=h.part_time_places_free,
    )


def child_from_schema(
    c: ChildIn, reference_date: date, problems: list[InputProblem]
) -> Child | None:
    """Map a validated child body onto the domain, with its age on ``reference_date``."""
    obj = f"child {c.id}"
    before = len(problems)
    parents = _postcode(c.parents_postcode, obj, "parents_postcode", problems)
    school = _postcode(c.school_postcode, obj, "school_postcode", problems)
    age = c.age
    if c.birth_date is not None:
        if c.birth_date > reference_date:
            problems.append(InputProblem(obj, "birth_date", "is after the reference date"))
        else:
            from_birth = age_on(c.birth_date, reference_date)
            if age is not None and age != from_birth:
                problems.append(
                    InputProblem(obj, "age", f"{age} contradicts birth_date (age {from_birth})")
                )
            elif from_birth > 23:
                problems.append(InputProblem(obj, "birth_date", "child is older than 23"))
            age = from_birth
    # Dates the child's file reports as past cannot lie after the day it is evaluated on.
    if c.waiting_since is not None and c.waiting_since > reference_date:
        problems.append(InputProblem(obj, "waiting_since", "is after the reference date"))
    for i, e in enumerate(c.history):
        if e.date > reference_date:
            problems.append(
                InputProblem(
                    obj, f"history.{i}.date", "is in the future (after the reference date)"
                )
            )
    if (
        c.wishes is not None
        and c.wishes.heard_on is not None
        and c.wishes.heard_on > reference_date
    ):
        problems.append(InputProblem(obj, "wishes.heard_on", "is after the reference date"))
    if len(problems) > before or parents is None or age is None:
        return None
    return Child(
        id=c.id,
        age=age,
        birth_date=c.birth_date,
        parents_postcode=parents,
        school_postcode=school,
        siblings=frozenset(c.siblings),
        split_reason=c.split_reason,
        split_note=c.split_note,
        keep_apart=frozenset(c.keep_apart),
        needs={k: v for k, v in c.needs.items() if v > 0},
        urgency=c.urgency,
        min_distance_from_parents_km=c.min_distance_from_parents_km,
        religion=c.religion,
        languages=tuple(c.languages),
        current_home=c.current_home,
        care_kind=c.care_kind,
        waiting_since=c.waiting_since,
        history=tuple(HistoryEvent(e.home_id, e.event, e.date, e.reason) for e in c.history),
        wishes=(
            Wishes(tuple(c.wishes.priorities), c.wishes.note, c.wishes.heard_on)
            if c.wishes is not None
            else None
        ),
        residential_reason=c.residential_reason,
        residential_note=c.residential_note,
    )


def _raw_id(raw: Mapping[str, Any]) -> str | None:
    """A raw object's id as it will be used: trimmed, as :data:`Id` trims it. Anything but
    text (a list, an object) is no id; its schema names that problem."""
    rid = raw.get("id")
    return (rid.strip() or None) if isinstance(rid, str) else None


def _duplicates(ids: Iterable[str | None]) -> set[str]:
    seen: set[str] = set()
    dup: set[str] = set()
    for i in ids:
        if i is not None:
            (dup if i in seen else seen).add(i)
    return dup


def _object_name(kind: str, index: int, raw: Mapping[str, Any]) -> str:
    rid = _raw_id(raw)
    return f"{kind} {rid}" if rid is not None else f"{kind}[{index}]"


def _references(scenario: Scenario) -> list[InputProblem]:
    problems: list[InputProblem] = []
    children, homes = scenario.child_by_id, scenario.home_by_id
    # Membership tests against the mapping itself: a set of every child id per home or
    # child would make validation quadratic in the size of the scenario.
    for h in scenario.homes:
        for cid in sorted(cid for cid in h.known_to if cid not in children):
            problems.append(InputProblem(f"home {h.id}", "known_to", f"unknown child id '{cid}'"))
    for c in scenario.children:
        obj = f"child {c.id}"
        for cid in sorted(cid for cid in c.keep_apart if cid not in children):
            problems.append(InputProblem(obj, "keep_apart", f"unknown child id '{cid}'"))
        if c.current_home is not None and c.current_home not in homes:
            problems.append(
                InputProblem(obj, "current_home", f"unknown home id '{c.current_home}'")
            )
    problems.extend(sibling_problems(scenario.children))
    return problems


_Body = TypeVar("_Body", bound=BaseModel)
_Object = TypeVar("_Object")


def _objects(
    kind: str,
    raws: list[dict[str, Any]],
    schema: type[_Body],
    domain: Callable[[_Body, list[InputProblem]], _Object | None],
    problems: list[InputProblem],
) -> list[_Object]:
    """Each raw object validated by ``schema`` and mapped onto the domain by ``domain``;
    what is wrong with one goes to ``problems`` and leaves it out."""
    out: list[_Object] = []
    for i, raw in enumerate(raws):
        try:
            body = schema.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, _object_name(kind, i, raw)))
            continue
        obj = domain(body, problems)
        if obj is not None:
            out.append(obj)
    return out


def parse_scenario(document: Any) -> Scenario:
    """Validate a decoded JSON document; raise :class:`ScenarioError` listing every problem."""
    if not isinstance(document, dict):
        raise ScenarioError([InputProblem("scenario", "(document)", "must be a JSON object")])
    try:
        head = ScenarioIn.model_validate(document)
    except ValidationError as exc:
        raise ScenarioError(_pydantic_problems(exc, "scenario")) from None

    problems: list[InputProblem] = []
    try:
        policy = Policy.model_validate(head.policy)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, "scenario", "policy."))
        policy = Policy()

    homes = _objects("home", head.homes, HomeIn, home_from_schema, problems)
    children = _objects(
        "child",
        head.children,
        ChildIn,
        lambda c, found: child_from_schema(c, head.reference_date, found),
        problems,
    )

    # On the ids as they will be used: "H-1" and "H-1 " are one home, and two of them would
    # let the match fill one home's beds twice.
    for dup in sorted(_duplicates(_raw_id(h) for h in head.homes)):
        problems.append(InputProblem(f"home {dup}", "id", "is not unique within the scenario"))
    for dup in sorted(_duplicates(_raw_id(c) for c in head.children)):
        problems.append(InputProblem(f"child {dup}", "id", "is not unique within the scenario"))
    if problems:
        raise ScenarioError(problems)

    scenario = Scenario.of(head.reference_date, policy, tuple(homes), tuple(children))
    problems.extend(_references(scenario))
    if problems:
        raise ScenarioError(problems)
    return scenario


def _document_problem(reason: str) -> ScenarioError:
    return ScenarioError([InputProblem("scenario", "(document)", reason)])


class _NotAJSONNumberError(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python's decoder takes them, JSON has none."""


def _not_a_json_number(name: str) -> Any:
    # Taken as floats they would reach the fields' bounds and be refused for the wrong
    # reason ('NaN' as 'at most 400'), or as a score pass as no limit at all.
    raise _NotAJSONNumberError(name)


def load_scenario(text: str | bytes) -> Scenario:
    """Parse scenario JSON text; bytes must be UTF-8, with or without a byte order mark."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _document_problem(
                f"not UTF-8 text: byte 0x{text[exc.start]:02x} at offset {exc.start}"
            ) from None
    # Windows editors save "UTF-8 with BOM"; JSON (RFC 8259, 8.1) lets a reader ignore it,
    # and the decoder otherwise refuses the whole file for its first character.
    text = text.removeprefix("\ufeff")
    try:
        document = json.loads(text, parse_constant=_not_a_json_number)
    except _NotAJSONNumberError as exc:
        raise _document_problem(f"not valid JSON: {exc} is not a JSON number") from None
    except json.JSONDecodeError as exc:
        raise _document_problem(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        # The decoder recurses once per level: a file of 50,000 "[" would end the program.
        raise _document_problem("not usable JSON: arrays or objects nested too deeply") from None
    return parse_scenario(document)
