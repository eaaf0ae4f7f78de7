"""The certification workflow: every row of the table, every pair outside it, who and what."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import certify.core.workflow as workflow
from certify.core.workflow import (
    RENEWAL_STATE,
    TABLE,
    Action,
    Facts,
    Forbidden,
    IllegalTransition,
    Requirement,
    RequirementsUnmet,
    Role,
    Rule,
    State,
    Transition,
    allowed_actions,
    transition,
)


def reachable(start: State = State.DRAFT) -> frozenset[State]:
    """Every state some sequence of allowed actions leads to from ``start`` (itself too)."""
    seen, todo = {start}, [start]
    while todo:
        current = todo.pop()
        for rule in TABLE.values():
            if rule.before is current and rule.after not in seen:
                seen.add(rule.after)
                todo.append(rule.after)
    return frozenset(seen)


EVERYTHING = Facts(
    reason="Inventory boundary omits the cable car.",
    judgements_complete=True,
    automatic_pass=True,
    signed=True,
)
"""Every requirement met; the actor's relation to the application is set per role."""
ACTOR = {
    Role.OPERATOR: Facts(own_organisation=True),
    Role.VERIFIER: Facts(is_assigned_verifier=True, own_organisation=False),
    Role.ADMIN: Facts(),
}


def facts_for(role: Role, **changes) -> Facts:
    """Facts under which ``role`` may take any action its rules allow it."""
    actor = ACTOR[role]
    relation = {
        "is_assigned_verifier": actor.is_assigned_verifier,
        "own_organisation": actor.own_organisation,
    }
    return dataclasses.replace(EVERYTHING, **(relation | changes))


RULES = sorted(TABLE.values(), key=lambda r: (list(State).index(r.before), r.action))
ALLOWED = [(rule, role) for rule in RULES for role in sorted(rule.roles)]
DENIED = [(rule, role) for rule in RULES for role in Role if role not in rule.roles]
OUTSIDE = [
    (state, action)
    for state, action in itertools.product(State, Action)
    if (state, action) not in TABLE
]


def name(value: object) -> str:
    if isinstance(value, Rule):
        return f"{value.before}-{value.action}"
    return str(value)


# --- the table ---------------------------------------------------------------------


@pytest.mark.parametrize(("rule", "role"), ALLOWED, ids=name)
def test_every_rule_of_the_table_succeeds_for_its_role(rule, role):
    assert transition(rule.before, rule.action, role, facts_for(role)) == Transition(
        before=rule.before, after=rule.after, action=rule.action, renew=rule.renew
    )


@pytest.mark.parametrize(("rule", "role"), DENIED, ids=name)
def test_every_rule_of_the_table_is_forbidden_to_the_other_roles(rule, role):
    with pytest.raises(Forbidden, match=f"only the .* may {rule.action}"):
        transition(rule.before, rule.action, role, facts_for(role))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("state", "action"), OUTSIDE, ids=name)
def test_every_state_and_action_outside_the_table_is_an_illegal_transition(state, action, role):
    with pytest.raises(IllegalTransition) as raised:
        transition(state, action, role, facts_for(role))
    assert type(raised.value) is IllegalTransition
    assert (raised.value.before, raised.value.action) == (state, action)
    assert raised.value.message == f"cannot {action} an application in state {state}"


def test_the_table_and_the_pairs_outside_it_cover_every_state_and_action():
    assert len(TABLE) + len(OUTSIDE) == len(State) * len(Action)
    assert len(TABLE) == 21


def test_approving_a_draft_is_an_illegal_transition():
    with pytest.raises(IllegalTransition, match="cannot approve an application in state draft"):
        transition(State.DRAFT, Action.APPROVE, Role.VERIFIER, facts_for(Role.VERIFIER))


def test_issuing_without_approval_is_an_illegal_transition():
    for state in (State.SUBMITTED, State.IN_REVIEW, State.RESUBMITTED, State.REJECTED):
        with pytest.raises(IllegalTransition):
            transition(state, Action.ISSUE, Role.ADMIN, facts_for(Role.ADMIN))


def test_states_and_actions_may_be_given_as_their_strings():
    done = transition("draft", "submit", "operator", facts_for(Role.OPERATOR))
    assert done == Transition(State.DRAFT, State.SUBMITTED, Action.SUBMIT)


def test_an_unknown_state_or_action_is_a_value_error():
    with pytest.raises(ValueError):
        transition("archived", Action.SUBMIT, Role.OPERATOR, facts_for(Role.OPERATOR))
    with pytest.raises(ValueError):
        transition(State.DRAFT, "publish", Role.OPERATOR, facts_for(Role.OPERATOR))


def test_an_unknown_role_is_forbidden_everything():
    with pytest.raises(Forbidden, match="role 'auditor'"):
        transition(State.DRAFT, Action.SUBMIT, "auditor", EVERYTHING)
    assert allowed_actions(State.DRAFT, "auditor") == ()


def test_an_illegal_transition_is_reported_before_the_role_is_considered():
    with pytest.raises(IllegalTransition):
        transition(State.DRAFT, Action.REVOKE, Role.OPERATOR, Facts())


# --- who -----------------------------------------------------------------------------


VERIFIER_RULES = [rule for rule in RULES if Role.VERIFIER in rule.roles]
OPERATOR_RULES = [rule for rule in RULES if Role.OPERATOR in rule.roles]


@pytest.mark.parametrize("rule", VERIFIER_RULES, ids=name)
def test_a_verifier_acting_on_their_own_organisation_is_forbidden(rule):
    with pytest.raises(Forbidden, match="own organisation"):
        transition(
            rule.before, rule.action, Role.VERIFIER, facts_for(Role.VERIFIER, own_organisation=True)
        )


@pytest.mark.parametrize("rule", VERIFIER_RULES, ids=name)
def test_a_verifier_not_assigned_to_the_application_is_forbidden(rule):
    with pytest.raises(Forbidden, match="only the verifier assigned"):
        transition(
            rule.before,
            rule.action,
            Role.VERIFIER,
            facts_for(Role.VERIFIER, is_assigned_verifier=False),
        )


@pytest.mark.parametrize("rule", OPERATOR_RULES, ids=name)
def test_an_operator_acting_on_another_organisations_application_is_forbidden(rule):
    with pytest.raises(Forbidden, match="only its own organisation"):
        transition(
            rule.before,
            rule.action,
            Role.OPERATOR,
            facts_for(Role.OPERATOR, own_organisation=False),
        )


def test_the_admin_acts_whatever_their_relation_to_the_application():
    for own, assigned in itertools.product((False, True), repeat=2):
        facts = dataclasses.replace(EVERYTHING, own_organisation=own, is_assigned_verifier=assigned)
        assert transition(State.APPROVED, Action.ISSUE, Role.ADMIN, facts).after is State.ISSUED


def test_facts_default_to_refusing():
    with pytest.raises(Forbidden):
        transition(State.DRAFT, Action.SUBMIT, Role.OPERATOR, Facts())
    with pytest.raises(Forbidden):
        transition(State.SUBMITTED, Action.START_REVIEW, Role.VERIFIER, Facts())


def test_a_forbidden_actor_learns_nothing_of_the_requirements():
    with pytest.raises(Forbidden):
        transition(State.IN_REVIEW, Action.REJECT, Role.OPERATOR, Facts(own_organisation=True))


# --- what each action needs ----------------------------------------------------------


REASONED = [rule for rule in RULES if Requirement.REASON in rule.requires]


def test_a_reason_is_required_exactly_to_request_changes_reject_suspend_and_revoke():
    assert {rule.action for rule in REASONED} == {
        Action.REQUEST_CHANGES,
        Action.REJECT,
        Action.SUSPEND,
        Action.REVOKE,
    }


@pytest.mark.parametrize("reason", [None, "", "   \n"])
@pytest.mark.parametrize("rule", REASONED, ids=name)
def test_a_missing_or_blank_reason_is_an_unmet_requirement(rule, reason):
    role = next(iter(rule.roles))
    with pytest.raises(RequirementsUnmet, match="a reason is required") as raised:
        transition(rule.before, rule.action, role, facts_for(role, reason=reason))
    assert raised.value.missing == (Requirement.REASON,)
    assert isinstance(raised.value, IllegalTransition)


@pytest.mark.parametrize("state", [State.IN_REVIEW, State.RESUBMITTED])
@pytest.mark.parametrize(
    ("judgements", "automatic", "missing"),
    [
        (False, True, (Requirement.JUDGEMENTS_COMPLETE,)),
        (True, False, (Requirement.AUTOMATIC_PASS,)),
        (False, False, (Requirement.JUDGEMENTS_COMPLETE, Requirement.AUTOMATIC_PASS)),
    ],
)
def test_approving_needs_every_judgement_recorded_and_every_automatic_criterion_passing(
    state, judgements, automatic, missing
):
    facts = facts_for(Role.VERIFIER, judgements_complete=judgements, automatic_pass=automatic)
    with pytest.raises(RequirementsUnmet) as raised:
        transition(state, Action.APPROVE, Role.VERIFIER, facts)
    assert raised.value.missing == missing


def test_approving_needs_no_reason_nor_signature():
    facts = facts_for(Role.VERIFIER, reason=None, signed=False)
    assert transition(State.IN_REVIEW, Action.APPROVE, Role.VERIFIER, facts).after is (
        State.APPROVED
    )


def test_issuing_needs_the_verifiers_signature():
    with pytest.raises(RequirementsUnmet, match="signature") as raised:
        transition(State.APPROVED, Action.ISSUE, Role.ADMIN, facts_for(Role.ADMIN, signed=False))
    assert raised.value.missing == (Requirement.SIGNED,)


def test_every_requirement_names_the_fact_it_reads():
    fields = {f.name for f in dataclasses.fields(Facts)}
    assert {r.value for r in Requirement} <= fields
    assert all(r.description for r in Requirement)


# --- renewal -------------------------------------------------------------------------


@pytest.mark.parametrize("state", [State.ISSUED, State.EXPIRED])
def test_renewing_flags_a_new_draft_and_leaves_the_old_application_as_it_is(state):
    done = transition(state, Action.RENEW, Role.OPERATOR, facts_for(Role.OPERATOR))
    assert done == Transition(before=state, after=state, action=Action.RENEW, renew=True)
    assert RENEWAL_STATE is State.DRAFT


def test_only_renewal_flags_a_new_application():
    assert {rule.action for rule in RULES if rule.renew} == {Action.RENEW}


@pytest.mark.parametrize("state", [State.SUSPENDED, State.REVOKED, State.APPROVED])
def test_renewing_a_certificate_not_current_or_expired_is_an_illegal_transition(state):
    with pytest.raises(IllegalTransition):
        transition(state, Action.RENEW, Role.OPERATOR, facts_for(Role.OPERATOR))


# --- allowed actions and the shape of the machine ------------------------------------


@pytest.mark.parametrize(
    ("state", "role", "actions"),
    [
        (State.DRAFT, Role.OPERATOR, (Action.SUBMIT, Action.WITHDRAW)),
        (State.DRAFT, Role.VERIFIER, ()),
        (State.SUBMITTED, Role.VERIFIER, (Action.START_REVIEW,)),
        (State.IN_REVIEW, Role.VERIFIER, (Action.REQUEST_CHANGES, Action.APPROVE, Action.REJECT)),
        (State.CHANGES_REQUESTED, Role.OPERATOR, (Action.RESUBMIT, Action.WITHDRAW)),
        (State.RESUBMITTED, Role.VERIFIER, (Action.REQUEST_CHANGES, Action.APPROVE, Action.REJECT)),
        (State.RESUBMITTED, Role.OPERATOR, ()),
        (State.APPROVED, Role.ADMIN, (Action.ISSUE,)),
        (State.ISSUED, Role.ADMIN, (Action.SUSPEND, Action.REVOKE, Action.EXPIRE)),
        (State.ISSUED, Role.OPERATOR, (Action.RENEW,)),
        (State.SUSPENDED, Role.ADMIN, (Action.REINSTATE, Action.REVOKE, Action.EXPIRE)),
        (State.EXPIRED, Role.OPERATOR, (Action.RENEW,)),
    ],
)
def test_allowed_actions_lists_what_the_role_may_do_in_the_state(state, role, actions):
    assert allowed_actions(state, role) == actions
    assert allowed_actions(str(state), str(role)) == actions


def test_allowed_actions_agree_with_the_table_for_every_state_and_role():
    for state, role in itertools.product(State, Role):
        listed = set(allowed_actions(state, role))
        assert listed == {
            a for a in Action if (state, a) in TABLE and role in TABLE[state, a].roles
        }


@pytest.mark.parametrize("state", [State.REJECTED, State.REVOKED, State.WITHDRAWN])
def test_rejected_revoked_and_withdrawn_applications_are_final(state):
    assert all(allowed_actions(state, role) == () for role in Role)


def test_every_state_is_reachable_from_a_draft_and_none_leads_back_to_it():
    assert reachable() == frozenset(State)
    assert all(rule.after is not State.DRAFT for rule in RULES)
    assert reachable(State.REJECTED) == {State.REJECTED}
    assert reachable(State.ISSUED) == {State.ISSUED, State.SUSPENDED, State.REVOKED, State.EXPIRED}


def test_the_module_docstring_draws_every_state_and_action():
    doc = workflow.__doc__
    assert doc is not None
    assert all(str(state) in doc for state in State)
    assert all(str(action) in doc for action in Action)


# --- properties ----------------------------------------------------------------------

FACTS = st.builds(
    Facts,
    reason=st.none() | st.sampled_from(["", " ", "Baseline unclear."]),
    judgements_complete=st.booleans(),
    automatic_pass=st.booleans(),
    signed=st.booleans(),
    is_assigned_verifier=st.booleans(),
    own_organisation=st.booleans(),
)


@pytest.mark.slow
@given(st.data())
def test_random_actions_stay_in_the_table_and_never_issue_without_approval(data):
    """A walk from a draft: any action by anyone, tilted toward the table so it gets far."""
    states = reachable()
    state, approved = State.DRAFT, False
    for _ in range(data.draw(st.integers(0, 40), label="steps")):
        onward = [a for a in Action if (state, a) in TABLE and a is not Action.WITHDRAW]
        anything = st.sampled_from(Action)
        action = data.draw(st.sampled_from(onward) | anything if onward else anything)
        rule = TABLE.get((state, action))
        roles = st.sampled_from(Role)
        role = data.draw(st.sampled_from(sorted(rule.roles)) | roles if rule else roles)
        facts = data.draw(st.just(facts_for(role)) | FACTS)
        try:
            done = transition(state, action, role, facts)
        except (IllegalTransition, Forbidden):
            continue  # refused: nothing changes
        rule = TABLE[state, action]
        assert role in rule.roles
        assert all(facts.meets(r) for r in rule.requires)
        assert (done.before, done.after, done.renew) == (state, rule.after, rule.renew)
        approved = approved or done.after is State.APPROVED
        if done.after is State.ISSUED:
            assert approved, "issued without approval"
        state = done.after
        assert state in states
    event(f"ended {state}")


@given(st.sampled_from(State), st.sampled_from(Action), st.sampled_from(Role), FACTS)
def test_a_transition_either_follows_its_rule_or_raises(state, action, role, facts):
    try:
        done = transition(state, action, role, facts)
    except RequirementsUnmet as refused:
        assert (state, action) in TABLE
        assert refused.missing and not any(facts.meets(r) for r in refused.missing)
    except IllegalTransition:
        assert (state, action) not in TABLE
    except Forbidden:
        assert (state, action) in TABLE
    else:
        assert done.after is TABLE[state, action].after
