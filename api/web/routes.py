"""The pages of the web screens, per role; each calls the service the API route calls.

Coordinator: waiting list, a child's ranked options, proposals (propose, confirm,
withdraw) and the batch match run. Provider: its homes (free beds, CSV import) and the
proposals to them (accept, decline). Municipality: its proximity figures and charts, and
planning for its own area (extra beds, what the last children cost, simulation).
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any, Concatenate, ParamSpec

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from api.db.uow import UnitOfWork
from api.http.deps import settings_of
from api.http.rate_limit import Taker
from api.reports.audit import (
    ReportMeta,
    cell_rows,
    chart_distances,
    chart_trend,
    chart_types,
    metrics_frame,
    municipality_names,
    page_context,
    region_name,
)
from api.schemas.children import ChildPublic, ChildStatus
from api.schemas.homes import HomeImportResult
from api.schemas.placements import PlacementPublic
from api.schemas.proposals import ProposalForProvider, ProposalPublic, ProposalStatus
from api.services import (
    children,
    homes,
    match_runs,
    options,
    placements,
    planning,
    proposals,
    proximity,
)
from api.services.access import Action, Caller, Role
from api.services.csv_formats import CSV_FORMATS, in_format
from api.services.errors import (
    ConflictError,
    FieldProblem,
    ForbiddenError,
    InvalidInputError,
    RateLimitedError,
    UnauthorizedError,
)
from api.services.history import HISTORY_ID_PREFIX, history_simulated
from api.services.home_columns import DUTCH_VALUES, HOME_COLUMNS, iso_date, template_csv
from api.services.keys import authenticate, authenticate_hash
from api.services.lifecycle import allowed_from
from api.web.core import (
    HOME_OF,
    CsrfError,
    WebContext,
    WebRoute,
    flash,
    form_of,
    local,
    posted,
    redirect,
    render,
    signed_in,
    store_of,
    texts_for,
)
from api.web.home_form import (
    FIELDS,
    LISTED,
    FormErrors,
    form_errors,
    form_problems,
    id_is_right,
)
from api.web.match_view import Comparison, compare_with_practice
from api.web.planning_view import (
    PlanningForm,
    capacity_rows,
    count,
    frontier_rows,
    parse_planning_form,
    policy_name,
    simulation_rows,
    text,
)
from api.web.session import COOKIE, PRE_COOKIE, tokens_match
from matching.audit import EndReason
from matching.explain import SPLIT_REASON_NAMES, excluded_summary, reason_code_of
from matching.model import CARE_DOMAINS, CareKind, HomeType
from matching.siblings import connected_groups
from solver.simulation import POLICIES

__all__ = ["router"]

router = APIRouter(route_class=WebRoute, include_in_schema=False)

_OPEN = [ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED]
_P = ParamSpec("_P")


def _cookie_options(request: Request) -> dict[str, Any]:
    return {
        "httponly": True,
        "samesite": "strict",
        "secure": request.url.scheme == "https",
        "path": "/",
    }


# ---------------------------------------------------------------------------------------
# Signing in and out


@router.get("/")
def start(request: Request) -> Response:
    store = store_of(request)
    session = store.get(request.cookies.get(COOKIE), request.app.state.clock.now())
    if session is None:
        return redirect("/aanmelden")
    try:
        caller = authenticate_hash(
            request.app.state.uow, session.key_hash, request.app.state.clock.now()
        )
    except UnauthorizedError:
        return redirect("/aanmelden")
    return redirect(HOME_OF.get(caller.role, "/aanmelden"))


def _sign_in_form(request: Request, status_code: int = 200, **values: Any) -> Response:
    """The sign-in form with a fresh token, in the form and in its cookie (double submit):
    every form shown can be sent, also after the last token's cookie lapsed."""
    token = secrets.token_urlsafe(32)
    response = render(request, "signin.html", None, status_code=status_code, pre=token, **values)
    response.set_cookie(PRE_COOKIE, token, max_age=1800, **_cookie_options(request))
    return response


@router.get("/aanmelden")
async def sign_in_page(request: Request) -> Response:
    return _sign_in_form(request, failed=False)


def _sign_in_again(
    request: Request, status_code: int, message: str, *, failed: bool = True
) -> Response:
    """The sign-in form again, answered ``status_code``, with the text ``message`` on it."""
    return _sign_in_form(request, status_code, failed=failed, message=texts_for(request)(message))


@router.post("/aanmelden")
async def sign_in(request: Request) -> Response:
    form = await form_of(request)
    pre = request.cookies.get(PRE_COOKIE)
    if pre is None or not tokens_match(form.get("csrf"), pre):
        return _sign_in_again(request, 403, "csrf_failed", failed=False)
    now = request.app.state.clock.now()
    key = form.get("key", "").strip()
    t = texts_for(request)
    try:
        caller = await run_in_threadpool(authenticate, request.app.state.uow, key, now)
    except UnauthorizedError:
        return _sign_in_again(request, 401, "signin_failed")
    if caller.role not in HOME_OF:
        return _sign_in_again(request, 403, "admin_no_screens")
    store = store_of(request)
    # A new id on every sign-in: an id planted before signing in is worth nothing.
    await run_in_threadpool(store.end, request.cookies.get(COOKIE))
    session_id, _ = await run_in_threadpool(partial(store.create, key, now, lang=t.lang))
    response = redirect(HOME_OF[caller.role])
    response.set_cookie(COOKIE, session_id, **_cookie_options(request))
    response.delete_cookie(PRE_COOKIE, path="/")
    return response


@router.post("/afmelden")
async def sign_out(request: Request) -> Response:
    form = await form_of(request)
    store = store_of(request)
    session_id = request.cookies.get(COOKIE)
    session = await run_in_threadpool(store.get, session_id, request.app.state.clock.now())
    if session is not None:
        # Without the session's token the cookie and the session both stay (a page of
        # another site cannot sign anyone out); the error page's own form signs out.
        # Clearing only the cookie would leave a live session behind it.
        if not tokens_match(form.get("csrf"), session.csrf):
            raise CsrfError
        await run_in_threadpool(store.end, session_id)
    response = redirect("/aanmelden")
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/taal")
async def switch_language(request: Request) -> Response:
    form = await form_of(request)
    lang = form.get("lang", "nl")
    lang = lang if lang in ("nl", "en") else "nl"
    back = form.get("back", "/")
    back = back if local(back) else "/"
    store, session_id = store_of(request), request.cookies.get(COOKIE)
    session = await run_in_threadpool(store.get, session_id, request.app.state.clock.now())
    if session_id and session is not None and tokens_match(form.get("csrf"), session.csrf):
        session.lang = lang
        await run_in_threadpool(store.save, session_id, session)
    response = redirect(back)
    response.set_cookie("taal", lang, max_age=365 * 86400, **_cookie_options(request))
    return response


# ---------------------------------------------------------------------------------------
# Coordinator


def _groups(items: list[ChildPublic]) -> list[list[ChildPublic]]:
    """Sibling groups as one line each: the engine's connected components among the listed
    (:func:`matching.siblings.connected_groups`), members by id, groups in list order."""
    by_id = {c.id: c for c in items}
    groups = connected_groups([c.id for c in items], {c.id: c.siblings for c in items})
    return [sorted((by_id[cid] for cid in g), key=lambda x: x.id) for g in groups]


def _age(child: ChildPublic, today: date) -> int:
    if child.age is not None:
        return child.age
    born = child.birth_date or today
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _all_children(ctx: WebContext, statuses: list[ChildStatus]) -> list[ChildPublic]:
    out: list[ChildPublic] = []
    while True:
        page = children.list_children(ctx.uow, ctx.caller, statuses, len(out), 500)
        out.extend(page.items)
        if len(out) >= page.total or not page.items:
            return out


def _waiting_since(child: ChildPublic) -> date:
    """Since when the child waits: as recorded (``waiting_since``), else its registration."""
    return child.waiting_since or child.created_at.date()


@router.get("/wachtlijst")
def waiting_list(request: Request, urgentie: str = "", status: str = "") -> Response:
    ctx = signed_in(request, Action.CHILD_LIST)
    statuses = (
        [ChildStatus(status)]
        if status in ("waiting", "proposed")
        else [ChildStatus.WAITING, ChildStatus.PROPOSED]
    )
    items = _all_children(ctx, statuses)
    groups = _groups(items)
    if urgentie in ("crisis", "planned"):
        groups = [g for g in groups if any(c.urgency.value == urgentie for c in g)]
    # Crisis first, then the longest wait: the order a coordinator works in.
    groups.sort(
        key=lambda g: (
            not any(c.urgency.value == "crisis" for c in g),
            min(_waiting_since(c) for c in g),
        )
    )
    rows = [_waiting_row(g, ctx.today) for g in groups]
    return render(
        request,
        "waiting_list.html",
        ctx,
        rows=rows,
        # The children on the lines shown: with a filter, not the whole list's.
        total=sum(len(g) for g in groups),
        urgentie=urgentie,
        status=status,
        # Placed children too: they are not on the list, but one of them must move.
        kept_apart_together=sorted(children.kept_apart_together(ctx.uow, ctx.caller).items()),
    )


def _take_token(request: Request, ctx: WebContext, bucket: str) -> None:
    limiter: Taker = request.app.state.rate_limiter
    wait = limiter.take(bucket, ctx.caller.key_prefix, ctx.now)
    if wait is not None:
        raise RateLimitedError(wait)


def _waiting_row(group: list[ChildPublic], today: date) -> dict[str, Any]:
    """One line of the waiting list: a child, or brothers and sisters placed together."""
    longest = min(group, key=lambda c: (_waiting_since(c), c.id))
    since = _waiting_since(longest)
    return {
        "ids": [c.id for c in group],
        "first": group[0].id,
        "ages": [_age(c, today) for c in group],
        "crisis": any(c.urgency.value == "crisis" for c in group),
        "since": since,
        "days": (today - since).days,
        # The line links to the group's first child, whose page shows its own wait: say
        # whose wait the line shows when the brothers and sisters waited apart.
        "longest": longest.id if any(_waiting_since(c) != since for c in group) else None,
        "needs": {d: max(c.needs.get(d, 0) for c in group) for c in group for d in c.needs},
        "status": sorted({c.status.value for c in group}),
    }


@router.get("/kinderen/{child_id}")
def child_page(request: Request, child_id: str) -> Response:
    ctx = signed_in(request, Action.CHILD_OPTIONS, object_id=child_id)
    return _child_page(request, ctx, child_id)


def _child_page(
    request: Request,
    ctx: WebContext,
    child_id: str,
    *,
    end_values: Mapping[str, str] | None = None,
    end_errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    """The child's page; with ``end_values`` and ``end_errors`` its end-placement form as
    it was sent, each problem at its field (answered ``status_code``)."""
    child, _ = children.get_child(ctx.uow, ctx.caller, child_id)
    settings = settings_of(request)
    every = [p for p in _all_proposals(ctx, []) if isinstance(p, ProposalPublic)]
    # The homes this child's open proposals hold places in: one of them may be no option
    # nor excluded (every place held), and is then named apart, held for this child.
    holding = {p.home_id: p for p in every if p.status in _OPEN and child_id in p.child_ids}
    doc: dict[str, Any] | None = None
    considered, held = 0, []
    # A placed child's options are where it could move to (doorplaatsing, uitstroom).
    if child.status in (ChildStatus.WAITING, ChildStatus.PROPOSED, ChildStatus.PLACED):
        _take_token(request, ctx, "options")
        doc, considered, held_ids = options.options_with_held(
            ctx.uow,
            ctx.caller,
            child_id,
            10,
            ctx.lang,
            ctx.today,
            settings.policy,
            holding,
            waiting_list=child.status is ChildStatus.WAITING,
        )
        held = [holding[h] for h in held_ids]
        if held:
            # The summary's 'of the N homes' counts the held home too, as the page does.
            counts = ((reason_code_of(c), n) for c, n in doc["excluded_counts"].items())
            summary = excluded_summary(counts, considered + len(held), ctx.lang)
            doc["excluded_summary"] = [s.model_dump(mode="json") for s in summary]
    family = children.sibling_group(ctx.uow, ctx.caller, child_id)
    group = set(doc["members"]) if doc else {child_id}
    mine = [p for p in every if group & set(p.child_ids)]
    mine.sort(key=lambda p: p.created_at, reverse=True)
    placed = (
        placements.open_placements_of(ctx.uow, ctx.caller, [c.id for c in family])
        if child.status is ChildStatus.PLACED
        else {}
    )
    placement = placed.get(child_id)
    return render(
        request,
        "child.html",
        ctx,
        child=child,
        age=_age(child, ctx.today),
        since=_waiting_since(child),
        doc=doc,
        considered=considered,
        held=held,
        # An option whose home this child's open proposal holds only some free beds of
        # (others stay free) is the same proposal: tagged as such, not offered again.
        proposed_at={
            o["home_id"]: holding[o["home_id"]] for o in doc["options"] if o["home_id"] in holding
        }
        if doc
        else {},
        proposals=mine,
        open_statuses={"proposed", "accepted"},
        placement=placement,
        placed_together=_placed_together(placement, placed),
        end_reasons=[r.value for r in _END_REASONS],
        # One recorded reason splits the whole group (matching.siblings): a sister's page
        # shows what was recorded for her brother. A coordinator's page only: a provider is
        # never told why (docs/scoring.md).
        split=[c for c in family if c.split_reason],
        split_names=SPLIT_REASON_NAMES[ctx.lang],
        wish_factor=settings.policy.wish_factor,
        end_values=end_values or {},
        end_errors=end_errors or FormErrors(),
        status_code=status_code,
    )


def _placed_together(
    placement: PlacementPublic | None, placed: dict[str, PlacementPublic]
) -> list[PlacementPublic]:
    """The open placements of the sibling group (``placed``, by child) in the home of
    ``placement`` (the child's own first), when more than one child lives there; else
    none."""
    if placement is None:
        return []
    here = [p for p in placed.values() if p.home_id == placement.home_id and p.id != placement.id]
    return [placement, *sorted(here, key=lambda p: p.child_id)] if here else []


#: The reasons a coordinator ends a placement with, in the order the form offers them.
_END_REASONS = (EndReason.BREAKDOWN, EndReason.MOVE, EndReason.RETURN_HOME, EndReason.INDEPENDENCE)


#: A date a form could not read, as the forms' hints (``end_date_hint``, ``date_hint``)
#: give their examples: ISO first, as the English form shows a date, and the day-first
#: form a Dutch reader types; the Dutch wording ("a date (" in texts.toml) names both too.
_NOT_A_DATE = "a date (2026-12-01, or day first 1-12-2026)"

#: The end-placement form's fields, in the order a reader goes down the form.
_END_FIELDS = ("scope", "reason", "end_date", "confirm")


def _end_form_problems(
    form: Mapping[str, str], placement_id: str
) -> tuple[str, date | None, list[str], list[FieldProblem]]:
    """The end-placement form read: its reason, last day (None: today), the placements it
    ends, and every problem of what was typed."""
    problems = []
    reason = form.get("reason", "")
    if reason not in {r.value for r in _END_REASONS}:
        problems.append(FieldProblem("$.reason", "choose why the placement ends"))
    end: date | None = None
    if form.get("end_date", "").strip():
        try:
            end = date.fromisoformat(iso_date(form["end_date"]))
        except ValueError:
            problems.append(FieldProblem("$.end_date", _NOT_A_DATE))
    if not form.get("confirm"):
        problems.append(FieldProblem("$.confirm", "tick the box to confirm"))
    # The whole sibling group placed together (the placements the page listed), or this
    # child's placement alone.
    ids = [placement_id]
    if form.get("scope") == "group":
        ids = [p for p in form.get("group_ids", "").split(",") if p]
        if placement_id not in ids:
            problems.append(FieldProblem("$.scope", "the group must hold this placement"))
    return reason, end, ids, problems


def _end_date_problems(ctx: WebContext, ids: list[str], end: date | None) -> list[FieldProblem]:
    """The service's rule for the last day, held against each placement to end, so that a
    day in the future is said with the form's other problems, not in a round of its own."""
    if end is None:
        return []
    for pid in ids:
        start = placements.get_placement(ctx.uow, ctx.caller, pid).start_date
        problem = placements.end_date_problem(start, end, ctx.today)
        if problem is not None:
            return [problem]
    return []


def _end_errors(ctx: WebContext, problems: Sequence[FieldProblem]) -> FormErrors:
    """Each problem at its field of the end-placement form, in the page's language."""
    errors = FormErrors()
    for p in problems:
        name = p.path.removeprefix("$.")
        errors.add([name if name in _END_FIELDS else "form"], ctx.t.reason(p.reason))
    order = {name: i for i, name in enumerate(_END_FIELDS)}
    errors.summary.sort(key=lambda item: order.get(item[0], len(order)))
    return errors


@router.post("/plaatsingen/{placement_id}/beeindigen")
async def end_placement(request: Request, placement_id: str) -> Response:
    """End a placement (a breakdown, a move, home, independence): irreversible, so the form
    asks for a reason and a ticked confirmation; a breakdown bars the home for the child.
    What is wrong is said on the child's page, every field at once, with the form as
    typed."""
    form = await form_of(request)
    ctx = await posted(request, Action.PLACEMENT_END, form, object_id=placement_id)
    # 404 for a placement the coordinator does not coordinate, before any form problem.
    placement = await run_in_threadpool(placements.get_placement, ctx.uow, ctx.caller, placement_id)
    reason, end, ids, problems = _end_form_problems(form, placement_id)
    if placement_id in ids:
        problems += await run_in_threadpool(_end_date_problems, ctx, ids, end)

    async def refused(found: Sequence[FieldProblem]) -> Response:
        return await run_in_threadpool(
            partial(
                _child_page,
                request,
                ctx,
                placement.child_id,
                end_values=form,
                end_errors=_end_errors(ctx, found),
                status_code=422,
            )
        )

    if problems:
        return await refused(problems)
    try:
        ended = await run_in_threadpool(
            placements.end_placements,
            ctx.uow,
            ctx.caller,
            ids,
            EndReason(reason),
            end,
            ctx.now,
            ctx.today,
        )
    except InvalidInputError as exc:
        # Changed since it was checked above (another tab): said at the form all the same.
        return await refused(exc.errors)
    except ConflictError as exc:
        # The placement in the way may be a brother's or a sister's: the page must not say
        # that this child's own placement ended (the English page shows whose it is).
        if len(ids) > 1 and exc.code == "already_ended":
            raise ConflictError("already_ended_group", exc.detail) from exc
        if len(ids) > 1 and exc.code == "move_open":
            raise ConflictError("move_open_group", exc.detail) from exc
        raise
    first = ended[0]
    group = "" if len(ended) == 1 else "_group"
    what = ctx.t(f"end_reason_{first.end_reason}{group}") if first.end_reason else ""
    who = ctx.t.listed([p.child_id for p in ended])
    message = ctx.t("ended" if len(ended) == 1 else "ended_group")
    await run_in_threadpool(
        flash, ctx, "ok", message.format(child=who, home=first.home_id, why=what)
    )
    return redirect(f"/kinderen/{first.child_id}")


def _all_proposals(
    ctx: WebContext, statuses: list[ProposalStatus]
) -> list[ProposalPublic | ProposalForProvider]:
    out: list[ProposalPublic | ProposalForProvider] = []
    while True:
        page = proposals.list_proposals(ctx.uow, ctx.caller, statuses, len(out), 500, ctx.today)
        out.extend(page.items)
        if len(out) >= page.total or not page.items:
            return out


@router.post("/voorstellen")
async def propose(request: Request) -> Response:
    form = await form_of(request)
    ctx = await posted(request, Action.PROPOSAL_CREATE, form)
    child_ids = [c for c in form.get("child_ids", "").split(",") if c]
    home_id = form.get("home_id", "")
    problems = []
    if not child_ids:
        problems.append(FieldProblem("$.child_ids", "choose at least one child"))
    if not home_id:
        problems.append(FieldProblem("$.home_id", "choose a home"))
    if problems:
        raise InvalidInputError(problems)
    policy = settings_of(request).policy
    await _step(ctx, "proposed", proposals.propose, child_ids, home_id, ctx.now, ctx.today, policy)
    return redirect(f"/kinderen/{child_ids[0]}")


async def _step(
    ctx: WebContext,
    what: str,
    step: Callable[Concatenate[UnitOfWork, Caller, _P], ProposalPublic | ProposalForProvider],
    *args: _P.args,
    **kwargs: _P.kwargs,
) -> None:
    """A step of a proposal, taken off the event loop for the caller and said on the next
    page: ``step(uow, caller, *args)`` answers the proposal."""
    done = await run_in_threadpool(step, ctx.uow, ctx.caller, *args, **kwargs)
    await run_in_threadpool(flash, ctx, "ok", _done(ctx, what, done.home_id))


def _done(ctx: WebContext, what: str, home_id: str) -> str:
    nl = {
        "proposed": f"Voorgesteld aan woonplek {home_id}. De bedden worden vastgehouden.",
        "confirmed": f"Bevestigd: de plaatsing in woonplek {home_id} is vastgelegd.",
        "withdrawn": f"Het voorstel aan woonplek {home_id} is ingetrokken.",
        "accepted": f"Geaccepteerd voor woonplek {home_id}. De coördinator bevestigt.",
        "declined": f"Afgewezen voor woonplek {home_id}. De bedden zijn weer vrij.",
        "beds": f"De vrije bedden van woonplek {home_id} zijn opgeslagen.",
        "part_time": f"De vrije deeltijdplaatsen van woonplek {home_id} zijn opgeslagen.",
        "registered": f"Woonplek {home_id} is geregistreerd.",
    }
    en = {
        "proposed": f"Proposed to home {home_id}. The beds are held.",
        "confirmed": f"Confirmed: the placement in home {home_id} is recorded.",
        "withdrawn": f"The proposal to home {home_id} is withdrawn.",
        "accepted": f"Accepted for home {home_id}. The coordinator confirms.",
        "declined": f"Declined for home {home_id}. The beds are free again.",
        "beds": f"The free beds of home {home_id} are saved.",
        "part_time": f"The free part-time places of home {home_id} are saved.",
        "registered": f"Home {home_id} is registered.",
    }
    return (nl if ctx.lang == "nl" else en)[what]


def _back(form: dict[str, str], default: str) -> str:
    back = form.get("back", default)
    return back if local(back) else default


@router.post("/voorstellen/{proposal_id}/bevestigen")
async def confirm(request: Request, proposal_id: str) -> Response:
    form = await form_of(request)
    ctx = await posted(request, Action.PROPOSAL_CONFIRM, form, object_id=proposal_id)
    policy = settings_of(request).policy
    await _step(ctx, "confirmed", proposals.confirm, proposal_id, None, ctx.now, ctx.today, policy)
    return redirect(_back(form, "/voorstellen"))


@router.post("/voorstellen/{proposal_id}/intrekken")
async def withdraw(request: Request, proposal_id: str) -> Response:
    form = await form_of(request)
    ctx = await posted(request, Action.PROPOSAL_WITHDRAW, form, object_id=proposal_id)
    reason = form.get("reason", "").strip() or None
    await _step(ctx, "withdrawn", proposals.withdraw, proposal_id, reason, ctx.now, ctx.today)
    return redirect(_back(form, "/voorstellen"))


def _simulated_among(ctx: WebContext, closed: list[Any]) -> bool:
    """Whether the closed proposals shown include the simulated demo history, which the
    page must then say (as the figures page does), lest it be read as real placements."""
    shown = any(p.home_id.startswith(HISTORY_ID_PREFIX) for p in closed)
    return shown and history_simulated(ctx.uow)


def _open_then_recent(items: list[Any], closed: int = 20) -> tuple[list[Any], list[Any]]:
    """Open proposals, oldest first (they expire first), and apart the latest closed ones:
    the history of a busy organisation would bury the few that need an answer."""
    open_ = sorted((p for p in items if p.status in _OPEN), key=lambda p: p.created_at)
    done = sorted((p for p in items if p.status not in _OPEN), key=lambda p: p.updated_at)
    return open_, done[::-1][:closed]


@router.get("/voorstellen")
def proposal_list(request: Request) -> Response:
    ctx = signed_in(request, Action.PROPOSAL_LIST)
    if ctx.caller.role is Role.PROVIDER:
        return redirect("/aanbod")
    items = [p for p in _all_proposals(ctx, []) if isinstance(p, ProposalPublic)]
    shown = _open_then_recent(items)
    simulated = _simulated_among(ctx, shown[1])
    return render(request, "proposals.html", ctx, proposals=shown, simulated=simulated)


@router.get("/matchronde")
def match_run_page(request: Request) -> Response:
    ctx = signed_in(request, Action.MATCH_RUN_CREATE)
    return render(request, "match_run.html", ctx, run=None, width=0, pt=partial(text, ctx.t))


@router.post("/matchronde")
async def match_run(request: Request) -> Response:
    form = await form_of(request)
    ctx = await posted(request, Action.MATCH_RUN_CREATE, form)
    # The frontier (what placing the last K children costs) only when asked for: each
    # point is one or two exact solves.
    width = parse_planning_form({"laatste": form.get("laatste") or "0"}).points
    await run_in_threadpool(_take_token, request, ctx, "match_runs")
    settings = settings_of(request)

    def run_and_compare() -> tuple[dict[str, Any], Comparison]:
        run = match_runs.create_match_run(
            ctx.uow,
            ctx.caller,
            10.0,
            ctx.now,
            ctx.today,
            settings.policy,
            lang=ctx.lang,
            frontier=width,
        ).model_dump(mode="json")
        return run, compare_with_practice(ctx.uow, ctx.caller, run, ctx.today, settings.policy)

    run, comparison = await run_in_threadpool(run_and_compare)
    # The run lists each child of an unplaced sibling group; the page shows the group once
    # but counts children, as the comparison above does ("placed 40 of 59").
    unplaced_children = len({u["child_id"] for u in run["unplaced"]})
    groups: set[tuple[str, ...]] = set()
    unplaced = []
    for u in run["unplaced"]:
        group = tuple(sorted(u.get("group") or [u["child_id"]]))
        if group not in groups:
            groups.add(group)
            unplaced.append(u)
    run["unplaced"] = unplaced
    return render(
        request,
        "match_run.html",
        ctx,
        run=run,
        comparison=comparison,
        unplaced_children=unplaced_children,
        width=width,
        frontier_table=frontier_rows(ctx.t, run) if run.get("frontier") else [],
        pt=partial(text, ctx.t),
    )


# ---------------------------------------------------------------------------------------
# Provider


@router.get("/aanbod")
def offers(request: Request) -> Response:
    ctx = signed_in(request, Action.PROPOSAL_LIST)
    if ctx.caller.role is not Role.PROVIDER:
        return redirect("/voorstellen")
    items = [p for p in _all_proposals(ctx, []) if isinstance(p, ProposalForProvider)]
    # The answers offered follow the lifecycle table: an accepted proposal can still be
    # declined (the carers change their minds before the coordinator confirms).
    shown = _open_then_recent(items)
    return render(
        request,
        "offers.html",
        ctx,
        proposals=shown,
        steps=allowed_from,
        simulated=_simulated_among(ctx, shown[1]),
    )


@router.post("/voorstellen/{proposal_id}/accepteren")
async def accept(request: Request, proposal_id: str) -> Response:
    form = await form_of(request)
    ctx = await posted(request, Action.PROPOSAL_ACCEPT, form, object_id=proposal_id)
    policy = settings_of(request).policy
    await _step(ctx, "accepted", proposals.accept, proposal_id, ctx.now, ctx.today, policy)
    return redirect("/aanbod")


@router.post("/voorstellen/{proposal_id}/afwijzen")
async def decline(request: Request, proposal_id: str) -> Response:
    form = await form_of(request)
    ctx = await posted(request, Action.PROPOSAL_DECLINE, form, object_id=proposal_id)
    reason = form.get("reason", "").strip()
    if not reason or len(reason) > 500:
        raise InvalidInputError([FieldProblem("$.reason", "give a reason of 1 to 500 characters")])
    await _step(ctx, "declined", proposals.decline, proposal_id, reason, ctx.now, ctx.today)
    return redirect("/aanbod")


def _homes_page(
    request: Request,
    ctx: WebContext,
    *,
    refused: tuple[str, str, str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The homes page; ``refused``: (home id, field, what was typed, why) of a count of
    free places refused, shown at that home's field."""
    items: list[Any] = []
    while True:
        page = homes.list_homes(ctx.uow, ctx.caller, len(items), 500)
        items.extend(page.items)
        if len(items) >= page.total or not page.items:
            break
    return render(request, "homes.html", ctx, status_code=status_code, homes=items, refused=refused)


@router.get("/woonplekken")
def home_list(request: Request) -> Response:
    ctx = signed_in(request, Action.HOME_UPDATE)
    return _homes_page(request, ctx)


class _NotACountError(ValueError):
    """A count of free places that is not a whole number from 0 to 200."""


def _places(form: Mapping[str, str], field: str, *, blank_allowed: bool) -> int | None:
    """A count of free places typed in place: a whole number from 0 to 200 (or blank, where
    blank means 'not counted apart'); :class:`_NotACountError` otherwise."""
    text = form.get(field, "").strip()
    if blank_allowed and not text:
        return None
    if not text.isdigit() or int(text) > 200:
        raise _NotACountError(text)
    return int(text)


def _held(ctx: WebContext, home_id: str, field: str) -> int:
    """What open proposals hold of a home's ``field`` (beds or part-time places)."""
    home, _ = homes.get_home(ctx.uow, ctx.caller, home_id)
    return home.beds_held if field == "beds_free" else home.part_time_held


async def _set_places(
    request: Request, home_id: str, field: str, done: str, *, blank_allowed: bool
) -> Response:
    """One count of a home's free places, typed in place on the homes page, saved. Free
    places count the held ones too (``beds_free``, docs/api.md), so a count below what
    open proposals hold is refused at the field, naming the home and the least allowed."""
    form = await form_of(request)
    ctx = await posted(request, Action.HOME_UPDATE, form, object_id=home_id)

    async def refused(why: str, status_code: int) -> Response:
        """The homes page again, the typed count at its field with why it is refused."""
        return await run_in_threadpool(
            partial(
                _homes_page,
                request,
                ctx,
                refused=(home_id, field, form.get(field, ""), why),
                status_code=status_code,
            )
        )

    try:
        value = _places(form, field, blank_allowed=blank_allowed)
    except _NotACountError:
        # At the home's field, as a count below the held ones is: with 30 homes on the
        # page, an error page naming "Vrije bedden" does not say whose.
        await run_in_threadpool(_held, ctx, home_id, field)  # 404 for another's home
        return await refused(ctx.t("places_range").format(home=home_id), 422)
    try:
        await run_in_threadpool(
            homes.update_home, ctx.uow, ctx.caller, home_id, {field: value}, ctx.now
        )
    except ConflictError as exc:
        if exc.code != "beds_held":
            raise
        # Below what open proposals hold: the service decides, the page says the least.
        held = await run_in_threadpool(_held, ctx, home_id, field)
        return await refused(ctx.t("below_held").format(home=home_id, held=held), 409)
    await run_in_threadpool(flash, ctx, "ok", _done(ctx, done, home_id))
    return redirect("/woonplekken")


@router.post("/woonplekken/{home_id}/bedden")
async def set_beds(request: Request, home_id: str) -> Response:
    return await _set_places(request, home_id, "beds_free", "beds", blank_allowed=False)


@router.post("/woonplekken/{home_id}/deeltijdplaatsen")
async def set_part_time_places(request: Request, home_id: str) -> Response:
    """The part-time places counted apart; an empty field: part-time children take beds."""
    return await _set_places(
        request, home_id, "part_time_places_free", "part_time", blank_allowed=True
    )


#: Types a provider registers by form; a network foster home names the children it knows,
#: which is done through the API or the CSV import.
_FORM_TYPES = [t.value for t in HomeType if t is not HomeType.NETWORK_FOSTER]
#: The form's plain text fields (the rest are ticked or listed).
_FORM_FIELDS = tuple(f for f in FIELDS if f not in LISTED)


@router.get("/woonplekken/nieuw")
def new_home_page(request: Request) -> Response:
    ctx = signed_in(request, Action.HOME_CREATE)
    return _new_home_form(request, ctx, {}, FormErrors(), 200)


def _new_home_form(
    request: Request, ctx: WebContext, values: Mapping[str, str], errors: FormErrors, status: int
) -> Response:
    return render(
        request,
        "new_home.html",
        ctx,
        status_code=status,
        types=_FORM_TYPES,
        domains=CARE_DOMAINS,
        kinds=[k.value for k in CareKind],
        values=values,
        errors=errors,
    )


@router.post("/woonplekken/nieuw")
async def new_home(request: Request) -> Response:
    form = await form_of(request)
    ctx = await posted(request, Action.HOME_CREATE, form)
    document: dict[str, Any] = {k: form[k].strip() for k in _FORM_FIELDS if form.get(k, "").strip()}
    document["organisation"] = ctx.caller.organisation
    document["capabilities"] = {
        d.value: form[f"cap_{d.value}"]
        for d in CARE_DOMAINS
        if form.get(f"cap_{d.value}", "0") not in ("", "0")
    }
    languages = [x for x in re.split(r"[\s,;]+", form.get("languages", "")) if x]
    if languages:
        document["languages"] = languages
    kinds = [k.value for k in CareKind if form.get(f"kind_{k.value}")]
    if kinds:
        document["care_kinds"] = kinds
    body, problems = form_problems(document)
    if body is not None:
        try:
            made = await run_in_threadpool(homes.register_home, ctx.uow, ctx.caller, body, ctx.now)
        except InvalidInputError as exc:
            problems = list(exc.errors)
        except ConflictError as exc:
            if exc.code != "id_taken":
                raise
            # At the field, with the form as typed: a dead-end page would lose it all.
            errors = FormErrors()
            errors.add(["id"], ctx.t("form_id_taken"))
            return _new_home_form(request, ctx, form, errors, 409)
        else:
            await run_in_threadpool(flash, ctx, "ok", _done(ctx, "registered", made.id))
            return redirect("/woonplekken")
    # A taken id with the other problems, not in a round of its own once they are fixed.
    taken = bool(document.get("id")) and id_is_right(problems)
    if taken:
        taken = await run_in_threadpool(homes.id_taken, ctx.uow, document["id"])
    errors = form_errors(ctx.t, problems, form, id_taken=taken)
    return _new_home_form(request, ctx, form, errors, 422)


@router.get("/woonplekken/sjabloon.csv")
def csv_template(request: Request) -> Response:
    ctx = signed_in(request, Action.HOME_IMPORT)
    return Response(
        template_csv(ctx.caller.organisation),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="woonplekken-sjabloon.csv"',
            "Cache-Control": "no-store",
        },
    )


#: The values the import accepts, from what its validator checks against (the schema's
#: enums and the engine's care domains), with the Dutch words it also reads.
_ALLOWED = {
    "type": [t.value for t in HomeType],
    "care_kinds": [k.value for k in CareKind],
    "domains": [d.value for d in CARE_DOMAINS],
    "dutch": DUTCH_VALUES,
}


def _import_page(
    request: Request,
    ctx: WebContext,
    *,
    result: HomeImportResult | None = None,
    problems: Sequence[FieldProblem] = (),
    status: int = 200,
) -> Response:
    return render(
        request,
        "import.html",
        ctx,
        status_code=status,
        result=result,
        problems=problems,
        columns=HOME_COLUMNS,
        allowed=_ALLOWED,
    )


@router.get("/woonplekken/importeren")
def import_page(request: Request) -> Response:
    return _import_page(request, signed_in(request, Action.HOME_IMPORT))


@router.post("/woonplekken/importeren")
async def import_csv(request: Request) -> Response:
    async with request.form(max_files=1, max_fields=10) as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get("file")
        data = await upload.read() if isinstance(upload, UploadFile) else b""
    ctx = await posted(request, Action.HOME_IMPORT, fields)
    if not data:
        raise InvalidInputError([FieldProblem("$.file", "choose a CSV file", "file")])
    settings = settings_of(request)
    # Its size was counted against max_import_bytes already (BodySizeLimit, api/http/app.py).
    await run_in_threadpool(_take_token, request, ctx, "imports")
    try:
        result = await run_in_threadpool(
            partial(homes.import_homes, max_rows=settings.max_import_rows),
            ctx.uow,
            ctx.caller,
            data,
            ctx.now,
        )
    except InvalidInputError as exc:
        return _import_page(request, ctx, problems=exc.errors, status=422)
    return _import_page(request, ctx, result=result)


# ---------------------------------------------------------------------------------------
# Municipality


def _period(van: str, tot: str, today: date) -> tuple[date, date]:
    """The period of the figures form: dates as a Dutch person types them (1-12-2026) or
    as ISO (2026-12-01, the links and the English form)."""
    problems = []
    try:
        end = date.fromisoformat(iso_date(tot)) if tot.strip() else today
    except ValueError:
        problems.append(FieldProblem("$.to", _NOT_A_DATE, "query"))
        end = today
    try:
        start = date.fromisoformat(iso_date(van)) if van.strip() else end - timedelta(days=365)
    except ValueError:
        problems.append(FieldProblem("$.from", _NOT_A_DATE, "query"))
        start = end
    if problems:
        raise InvalidInputError(problems)
    return start, end


def _report_for(ctx: WebContext, van: str, tot: str) -> Any:
    if ctx.caller.municipality is None:
        raise ForbiddenError("only a municipality key has its own figures")
    start, end = _period(van, tot, ctx.today)
    return proximity.proximity_report(
        ctx.uow, ctx.caller, [ctx.caller.municipality], start, end, today=ctx.today
    )


@router.get("/cijfers")
def figures(request: Request, van: str = "", tot: str = "", regio: str = "") -> Response:
    ctx = signed_in(request, Action.AUDIT_PROXIMITY)
    report = _report_for(ctx, van, tot)
    meta = ReportMeta(made_on=ctx.today, simulated=history_simulated(ctx.uow))
    page = page_context(report, ctx.lang, meta)
    # The region beside the municipality's own figures: its own region (as the API
    # answers it) unless another is asked for, which region_view refuses for a
    # municipality outside it.
    view = (
        proximity.region_view(
            ctx.uow, ctx.caller, regio, report.period_from, report.period_to, ctx.today
        )
        if regio
        else proximity.own_region_view(ctx.uow, ctx.caller, report)
    )
    own = cell_rows(report.practice, ctx.lang)
    region_cells = cell_rows(view.practice, ctx.lang) if view else []
    rows = [{**mine, "region": None, "region_hidden": False} for mine in own]
    for row, theirs in zip(rows, region_cells, strict=False):
        row["region"], row["region_hidden"] = theirs["value"], theirs["hidden"]
    query = f"van={report.period_from.isoformat()}&tot={report.period_to.isoformat()}"
    return render(
        request,
        "figures.html",
        ctx,
        page=page,
        report=report,
        rows=rows,
        region_name=region_name(view.municipalities) if view else None,
        region_towns=municipality_names(view.municipalities, {}) if view else [],
        query=query,
    )


@router.get("/cijfers/grafiek-{chart}.png")
def figure_chart(request: Request, chart: str, van: str = "", tot: str = "") -> Response:
    ctx = signed_in(request, Action.AUDIT_PROXIMITY)
    draw = {"afstand": chart_distances, "trend": chart_trend, "soort": chart_types}.get(chart)
    if draw is None:
        raise InvalidInputError([FieldProblem("$.chart", "afstand, trend or soort", "path")])
    report = _report_for(ctx, van, tot)
    return Response(
        draw(report, ctx.lang), media_type="image/png", headers={"Cache-Control": "no-store"}
    )


@router.get("/cijfers/nabijheid.csv")
def figures_csv(request: Request, van: str = "", tot: str = "", formaat: str = "csv") -> Response:
    ctx = signed_in(request, Action.AUDIT_PROXIMITY)
    if formaat not in CSV_FORMATS:
        raise InvalidInputError([FieldProblem("$.formaat", "csv or excel-nl", "query")])
    report = _report_for(ctx, van, tot)
    buffer = io.StringIO()
    metrics_frame(report, ctx.lang).to_csv(buffer, index=False)
    return Response(
        in_format(buffer.getvalue(), formaat),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="nabijheid.csv"',
            "Cache-Control": "no-store",
        },
    )


# ---------------------------------------------------------------------------------------
# Municipality: planning


def _planning_page(
    request: Request, ctx: WebContext, form: PlanningForm, **answers: Any
) -> Response:
    names = municipality_names([ctx.caller.municipality or ""], {})
    return render(
        request,
        "planning.html",
        ctx,
        p=partial(text, ctx.t),
        count=partial(count, ctx.t),
        place=names[0] if names else (ctx.caller.municipality or ""),
        form=form,
        policy_choices=[(code, policy_name(ctx.t, code)) for code in POLICIES],
        **answers,
    )


def _own_municipality(ctx: WebContext) -> str:
    if ctx.caller.municipality is None:
        raise ForbiddenError("only a municipality key plans for its own area")
    return ctx.caller.municipality


async def _planning_asked(request: Request, action: Action) -> tuple[WebContext, PlanningForm, str]:
    """A planning form posted: its context, what it asks, and the caller's municipality,
    once a token of the planning rate limit is taken."""
    form = await form_of(request)
    ctx = await posted(request, action, form)
    asked = parse_planning_form(form)
    code = _own_municipality(ctx)
    await run_in_threadpool(_take_token, request, ctx, "planning")
    return ctx, asked, code


@router.get("/planning")
def planning_page(request: Request) -> Response:
    ctx = signed_in(request, Action.PLANNING_CAPACITY)
    _own_municipality(ctx)
    return _planning_page(request, ctx, PlanningForm())


@router.get("/planning/bedden")
@router.get("/planning/simulatie")
def planning_answer_again(request: Request) -> Response:
    """An answer's URL opened again (the language switch returns to it): the page, since
    answers are computed on request and never stored."""
    signed_in(request, Action.PLANNING_CAPACITY)
    return redirect("/planning")


@router.post("/planning/bedden")
async def planning_beds(request: Request) -> Response:
    ctx, asked, code = await _planning_asked(request, Action.PLANNING_CAPACITY)
    settings = settings_of(request)

    def answer() -> tuple[dict[str, Any], dict[str, Any] | None]:
        doc = planning.capacity_answer(
            ctx.uow, ctx.caller, code, asked.beds, ctx.today, settings.policy, 20.0, ctx.lang
        )
        front = None
        if asked.points:
            front = planning.frontier_answer(
                ctx.uow, ctx.caller, code, asked.points, ctx.today, settings.policy, 20.0, ctx.lang
            )
        return doc, front

    doc, front = await run_in_threadpool(answer)
    return _planning_page(
        request,
        ctx,
        asked,
        capacity=doc,
        plan=capacity_rows(ctx.t, doc),
        frontier=front,
        frontier_table=frontier_rows(ctx.t, front) if front else [],
    )


@router.post("/planning/simulatie")
async def planning_simulation(request: Request) -> Response:
    ctx, asked, code = await _planning_asked(request, Action.PLANNING_SIMULATION)
    settings = settings_of(request)
    doc = await run_in_threadpool(
        partial(
            planning.simulation_answer,
            ctx.uow,
            ctx.caller,
            code,
            days=asked.days,
            runs=asked.runs,
            seed=1,
            policies=asked.policies,
            today=ctx.today,
            policy=settings.policy,
            scheduler=settings.dask_scheduler,
            time_limit_s=120.0,
        )
    )
    return _planning_page(request, ctx, asked, simulation=doc, sim=simulation_rows(ctx.t, doc))
