"""The certification workflow: an application's states, who may move it, and when.

An operator applies for a subject (a scenic area or venue) and a period; the assigned
verifier reviews the application and approves or rejects it; the district programme (the
admin) issues the certificate and later suspends, reinstates, revokes or expires it::

    draft ──────────────────────────── withdraw ───────────────────────┐
      │ submit                                                         │
      ▼                                                                │
    submitted ──────────────────────── withdraw ───────────────────────┤
      │ start_review                                                   │
      ▼                                                                ▼
    in_review ── request_changes ──▶ changes_requested ── withdraw ──▶ withdrawn
      │   │                            │       ▲
      │   │                   resubmit │       │ request_changes
      │   │                            ▼       │
      │   │                          resubmitted
      │   │                            │     │
      │   └───── reject ───────────────┼─────┴──▶ rejected
      │                                │
      └───── approve ──────────────────┴────────▶ approved

                          ┌─────────── reinstate ────────────────────┐
                          ▼                                          │
    approved ── issue ──▶ issued ─────── suspend ───────────────▶ suspended
                          │ │ │                                     │ │
                          │ │ └── revoke ──▶ revoked ◀── revoke ────┘ │
                          │ └─── expire ──▶ expired ◀── expire ───────┘
                          └ renew ⟲         └ renew ⟲

Who: the operator (the applicant's organisation) submits, resubmits, withdraws and
renews; the verifier — only the one assigned, and never for their own organisation —
starts the review, requests changes, approves and rejects; the admin issues, suspends,
reinstates, revokes and expires. What each needs (`Requirement`): a reason to request
changes, reject, suspend or revoke; every judgement criterion recorded and every
automatic criterion passing to approve; the verifier's signature to issue.

Renewal starts a new application (in `RENEWAL_STATE`, linked to the old one) for the
next period; the old application stays where it is, so `transition` reports renewal
as ``Transition.renew`` and leaves ``after == before`` for the caller to act on.

`TABLE` is the whole state machine, as data. `transition` checks, in order: the action
is in the table for the state (else `IllegalTransition`, 409 upstream); the role may do
it and the actor's relation to the application allows it (else `Forbidden`, 403); the
requirements are met (else `RequirementsUnmet`, an `IllegalTransition`). Nothing here
changes anything: a refused transition leaves the caller's state as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    ISSUED = "issued"
    """The certificate is issued and current."""
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    REQUEST_CHANGES = "request_changes"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    REJECT = "reject"
    ISSUE = "issue"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"
    EXPIRE = "expire"
    RENEW = "renew"
    WITHDRAW = "withdraw"


class Role(StrEnum):
    """The same values as the accounts' roles, so a user's role string can be passed."""

    OPERATOR = "operator"
    VERIFIER = "verifier"
    ADMIN = "admin"


class Requirement(StrEnum):
    """A precondition of a transition; each value names the `Facts` field it reads."""

    REASON = "reason"
    JUDGEMENTS_COMPLETE = "judgements_complete"
    AUTOMATIC_PASS = "automatic_pass"
    SIGNED = "signed"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Requirement.REASON: "a reason is required",
    Requirement.JUDGEMENTS_COMPLETE: "every judgement criterion must be recorded",
    Requirement.AUTOMATIC_PASS: "every automatic criterion must pass",
    Requirement.SIGNED: "the verifier's signature must be present",
}

RENEWAL_STATE = State.DRAFT
"""Where the new application that a renewal starts begins."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What the caller knows about the actor and the application, for `transition`.

    ``own_organisation``: the application belongs to the actor's organisation (operators
    must act on their own; verifiers never may). ``is_assigned_verifier``: the actor is
    the verifier assigned to this application. Everything defaults to "no", so a fact the
    caller forgets to supply refuses rather than allows.
    """

    reason: str | None = None
    judgements_complete: bool = False
    automatic_pass: bool = False
    signed: bool = False
    is_assigned_verifier: bool = False
    own_organisation: bool = False

    def meets(self, requirement: Requirement) -> bool:
        if requirement is Requirement.REASON:
            return bool(self.reason and self.reason.strip())
        return bool(getattr(self, requirement.value))


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the table: ``action`` from ``before`` leads to ``after``."""

    before: State
    action: Action
    after: State
    roles: frozenset[Role]
    requires: frozenset[Requirement] = frozenset()
    renew: bool = False


@dataclass(frozen=True, slots=True)
class Transition:
    """An allowed transition; with ``renew`` the caller starts a new linked draft."""

    before: State
    after: State
    action: Action
    renew: bool = False


class WorkflowError(Exception):
    """A transition was refused; ``message`` says why, for the actor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IllegalTransition(WorkflowError):
    """The action is not possible in this state (409 upstream); nothing changes."""

    def __init__(self, before: State, action: Action, message: str) -> None:
        super().__init__(message)
        self.before = before
        self.action = action


class RequirementsUnmet(IllegalTransition):
    """The action is possible in this state, but ``missing`` are not yet met."""

    def __init__(self, before: State, action: Action, missing: tuple[Requirement, ...]) -> None:
        reasons = "; ".join(r.description for r in missing)
        super().__init__(
            before, action, f"cannot {action} an application in state {before}: {reasons}"
        )
        self.missing = missing


class Forbidden(WorkflowError):
    """The actor may not take this action on this application (403 upstream)."""


_OPERATOR = frozenset({Role.OPERATOR})
_VERIFIER = frozenset({Role.VERIFIER})
_ADMIN = frozenset({Role.ADMIN})
_REASON = frozenset({Requirement.REASON})
_APPROVAL = frozenset({Requirement.JUDGEMENTS_COMPLETE, Requirement.AUTOMATIC_PASS})

_RULES = (
    Rule(State.DRAFT, Action.SUBMIT, State.SUBMITTED, _OPERATOR),
    Rule(State.DRAFT, Action.WITHDRAW, State.WITHDRAWN, _OPERATOR),
    Rule(State.SUBMITTED, Action.START_REVIEW, State.IN_REVIEW, _VERIFIER),
    Rule(State.SUBMITTED, Action.WITHDRAW, State.WITHDRAWN, _OPERATOR),
    Rule(State.IN_REVIEW, Action.REQUEST_CHANGES, State.CHANGES_REQUESTED, _VERIFIER, _REASON),
    Rule(State.IN_REVIEW, Action.APPROVE, State.APPROVED, _VERIFIER, _APPROVAL),
    Rule(State.IN_REVIEW, Action.REJECT, State.REJECTED, _VERIFIER, _REASON),
    Rule(State.CHANGES_REQUESTED, Action.RESUBMIT, State.RESUBMITTED, _OPERATOR),
    Rule(State.CHANGES_REQUESTED, Action.WITHDRAW, State.WITHDRAWN, _OPERATOR),
    Rule(State.RESUBMITTED, Action.REQUEST_CHANGES, State.CHANGES_REQUESTED, _VERIFIER, _REASON),
    Rule(State.RESUBMITTED, Action.APPROVE, State.APPROVED, _VERIFIER, _APPROVAL),
    Rule(State.RESUBMITTED, Action.REJECT, State.REJECTED, _VERIFIER, _REASON),
    Rule(State.APPROVED, Action.ISSUE, State.ISSUED, _ADMIN, frozenset({Requirement.SIGNED})),
    Rule(State.ISSUED, Action.SUSPEND, State.SUSPENDED, _ADMIN, _REASON),
    Rule(State.ISSUED, Action.REVOKE, State.REVOKED, _ADMIN, _REASON),
    Rule(State.ISSUED, Action.EXPIRE, State.EXPIRED, _ADMIN),
    Rule(State.ISSUED, Action.RENEW, State.ISSUED, _OPERATOR, renew=True),
    Rule(State.SUSPENDED, Action.REINSTATE, State.ISSUED, _ADMIN),
    Rule(State.SUSPENDED, Action.REVOKE, State.REVOKED, _ADMIN, _REASON),
    Rule(State.SUSPENDED, Action.EXPIRE, State.EXPIRED, _ADMIN),
    Rule(State.EXPIRED, Action.RENEW, State.EXPIRED, _OPERATOR, renew=True),
)

TABLE: Mapping[tuple[State, Action], Rule] = MappingProxyType(
    {(rule.before, rule.action): rule for rule in _RULES}
)
"""The state machine: every allowed (state, action) and what it leads to; nothing else is."""
assert len(TABLE) == len(_RULES), "two rules for the same state and action"


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise Forbidden(f"role {role!r} may not act on applications") from None


def _check_actor(role: Role, action: Action, facts: Facts) -> None:
    """Raise `Forbidden` if the actor's relation to the application rules them out."""
    if role is Role.OPERATOR and not facts.own_organisation:
        raise Forbidden(f"an operator may {action} only its own organisation's applications")
    if role is Role.VERIFIER:
        if not facts.is_assigned_verifier:
            raise Forbidden(f"only the verifier assigned to this application may {action} it")
        if facts.own_organisation:
            raise Forbidden(f"a verifier may not {action} an application of their own organisation")


def transition(
    state: State | str, action: Action | str, role: Role | str, facts: Facts
) -> Transition:
    """The transition ``role`` makes by taking ``action`` in ``state``, given ``facts``.

    Raises `IllegalTransition` if the table has no such action in that state,
    `Forbidden` if the role or this actor may not take it, and `RequirementsUnmet` if
    the action's requirements are not met (see the module docstring for the order).
    An unknown role is `Forbidden`; an unknown state or action is a `ValueError`.
    """
    state, action = State(state), Action(action)
    rule = TABLE.get((state, action))
    if rule is None:
        raise IllegalTransition(state, action, f"cannot {action} an application in state {state}")
    who = _role(role)
    if who not in rule.roles:
        allowed = " or ".join(sorted(rule.roles))
        raise Forbidden(f"only the {allowed} may {action} an application in state {state}")
    _check_actor(who, action, facts)
    missing = tuple(r for r in Requirement if r in rule.requires and not facts.meets(r))
    if missing:
        raise RequirementsUnmet(state, action, missing)
    return Transition(before=state, after=rule.after, action=action, renew=rule.renew)


def allowed_actions(state: State | str, role: Role | str) -> tuple[Action, ...]:
    """What ``role`` may do in ``state`` by the table, in `Action` order (for a UI).

    Facts are not considered: an action listed may still be refused by `transition`
    (another verifier's application, a missing reason, an unsigned certificate...).
    """
    state = State(state)
    try:
        who = Role(role)
    except ValueError:
        return ()
    return tuple(a for a in Action if (rule := TABLE.get((state, a))) and who in rule.roles)
