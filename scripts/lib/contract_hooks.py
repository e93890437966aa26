"""Schemathesis hooks of scripts/test-api-contract (loaded with SCHEMATHESIS_HOOKS=contract_hooks).

The run's own account must keep working until the run ends: a county admin's token may manage
users, and PATCH /api/v1/users/{id} (disable, reset the password, move, change the role) or
DELETE /api/v1/users/{id}/sessions aimed at the caller's own id would end the session the token
belongs to, after which every request tests only the 401. So those two operations never target
the ids in XUNJIAN_CONTRACT_PROTECTED_USERS (comma-separated): such a request goes to an id that
does not exist instead (a 404, which the document must declare as well). Every other request,
and these two operations against every other account, are sent as generated.
"""

from __future__ import annotations

import os

import schemathesis

PROTECTED = {value.strip() for value in os.environ.get("XUNJIAN_CONTRACT_PROTECTED_USERS", "").split(",") if value.strip()}
GUARDED = {("PATCH", "/api/v1/users/{id}"), ("DELETE", "/api/v1/users/{id}/sessions")}
NOBODY = "00000000-0000-4000-8000-000000000000"


@schemathesis.hook
def before_call(context, case, kwargs):
    if not PROTECTED or (case.method.upper(), case.operation.path) not in GUARDED:
        return
    params = case.path_parameters or {}
    if str(params.get("id", "")).strip().lower() in PROTECTED:
        case.path_parameters = {**params, "id": NOBODY}


# --- POST /api/v1/sync/push: a schema-invalid op is refused on its own ------------------------------
#
# A push is a batch: the server reads each op and answers each with its own outcome, so that one bad op
# (text that breaks the text rule, a number out of range, an unknown id, …) never blocks the phone's
# others (docs/sync.md). An op that breaks the Operation schema in its *values* is answered 200 with that
# op `rejected`, not with a 4xx for the whole push; an op whose *shape* cannot be read is a 400 for the
# whole push. Schemathesis's negative_data_rejection expects a 4xx for any schema-invalid request, so:
#
# - `push_refuses_each_invalid_op` checks every 2xx push (positive or negative): the envelope
#   (protocol, device_id, ops as an array) is valid; there is one result per op, echoing its op_id and
#   seq unchanged; every op that breaks the Operation schema is answered `rejected`.
# - `filter_failure` drops a negative_data_rejection failure of a push only when that same condition
#   holds and at least one op is invalid — the request was refused, op by op. Every other failure of
#   the check, on this operation or another, stays. Schemathesis prints how many it dropped.

PUSH = ("POST", "/api/v1/sync/push")
_validators: dict[int, tuple] = {}


def _push_validators(document):
    key = id(document)
    if key not in _validators:
        from jsonschema import Draft202012Validator, FormatChecker
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        base = "urn:xunjian:openapi"
        registry = Registry().with_resource(base, Resource(document, specification=DRAFT202012))

        def make(name):
            schema = {"$ref": f"{base}#/components/schemas/{name}"}
            return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())

        _validators[key] = (make("PushRequest"), make("Operation"))
    return _validators[key]


def _first_error(validator, value):
    error = next(iter(validator.iter_errors(value)), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"{where}: {error.message[:200]}"


def _push_verdict(case, response):
    """For a 2xx push: (problem or None, how many ops break the Operation schema)."""
    envelope_validator, op_validator = _push_validators(case.operation.schema.raw_schema)
    body = case.body
    if not isinstance(body, dict) or not isinstance(body.get("ops"), list):
        return "a push whose body is not an object with an `ops` array was answered 2xx", 0
    problem = _first_error(envelope_validator, {**body, "ops": []})
    if problem:
        return f"a push with an invalid envelope was answered 2xx: {problem}", 0
    try:
        results = response.json().get("results")
    except ValueError:
        return "a 2xx push answer is not JSON", 0
    if not isinstance(results, list) or len(results) != len(body["ops"]):
        return f"{len(body['ops'])} ops pushed, results: {str(results)[:200]}", 0
    invalid = 0
    for i, (op, result) in enumerate(zip(body["ops"], results)):
        if isinstance(op, dict) and (result.get("op_id"), result.get("seq")) != (op.get("op_id"), op.get("seq")):
            return f"ops[{i}] sent as op_id {op.get('op_id')}, seq {op.get('seq')} is answered as {result.get('op_id')}, seq {result.get('seq')}", invalid
        problem = _first_error(op_validator, op)
        status = (result.get("outcome") or {}).get("status")
        if problem:
            invalid += 1
            if status != "rejected":
                return f"ops[{i}] breaks the Operation schema ({problem}) but was answered `{status}`, not `rejected`", invalid
    return None, invalid


def _is_push(case):
    return (case.method.upper(), case.operation.path) == PUSH


@schemathesis.check
def push_refuses_each_invalid_op(ctx, response, case):
    """A 2xx push has a valid envelope, echoes each op, and answers every schema-invalid op `rejected`."""
    if not _is_push(case) or not 200 <= response.status_code < 300:
        return None
    problem, _ = _push_verdict(case, response)
    if problem:
        raise AssertionError(problem)
    return None


@schemathesis.hook
def filter_failure(context, failure, case, response):
    from schemathesis.core.failures import AcceptedNegativeData

    if not isinstance(failure, AcceptedNegativeData) or not _is_push(case) or not 200 <= response.status_code < 300:
        return True
    problem, invalid = _push_verdict(case, response)
    return problem is not None or invalid == 0
