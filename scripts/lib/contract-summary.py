"""Summarise one Schemathesis run of scripts/test-api-contract.

    python contract-summary.py RUN_DIR

Reads RUN_DIR/events.ndjson (the NDJSON report), RUN_DIR/report.json and the terminal output
RUN_DIR.log. Prints an overview (each check with the operations it failed on), then every distinct
failure class, by check and operation: how often it was seen, the distinct messages, and one
example request with the response's status, content type and the start of its body; then the
errors (operations Schemathesis could not test) and the run's warnings. Writes the failure classes
as JSON to RUN_DIR/failures.json. Exit code 0 unless the files cannot be read (the run's own exit
code decides pass or fail).
"""

from __future__ import annotations

import base64
import json
import sys
from collections import OrderedDict
from pathlib import Path

BODY_EXCERPT = 300
MAX_MESSAGES = 6
NOBODY = "00000000-0000-4000-8000-000000000000"  # the id contract_hooks.py sends instead of the caller's


def decode(payload) -> str:
    if payload is None:
        return ""
    if isinstance(payload, dict) and "$base64" in payload:
        raw = base64.b64decode(payload["$base64"])
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return f"<{len(raw)} bytes, not UTF-8>"
    if isinstance(payload, str):
        return payload
    return json.dumps(payload, ensure_ascii=False)


def excerpt(text: str, limit: int = BODY_EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} chars)"


def header(headers: dict, name: str) -> str:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value[0] if isinstance(value, list) and value else str(value)
    return ""


def first_line(message: str) -> str:
    lines = [line.strip() for line in (message or "").strip().splitlines() if line.strip()]
    return excerpt(" | ".join(lines[:3]), 240) if lines else ""


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    run_dir = Path(argv[1])
    path = run_dir / "events.ndjson"
    groups: OrderedDict[tuple[str, str, str], dict] = OrderedDict()
    errors: OrderedDict[tuple[str, str], int] = OrderedDict()
    with path.open(encoding="utf-8") as events:
        for line in events:
            line = line.strip()
            if not line:
                continue
            event = json.loads(line)
            if "NonFatalError" in event:
                e = event["NonFatalError"]
                value = e.get("value") or {}
                key = (e.get("label", "?"), first_line(f"{value.get('type', '')}: {value.get('message', '')}"))
                errors[key] = errors.get(key, 0) + 1
                continue
            if "ScenarioFinished" not in event:
                continue
            scenario = event["ScenarioFinished"]
            phase = scenario.get("phase", "")
            if isinstance(phase, dict):
                phase = phase.get("name", "")
            recorder = scenario.get("recorder") or {}
            interactions = recorder.get("interactions") or {}
            cases = recorder.get("cases") or {}
            for case_id, checks in (recorder.get("checks") or {}).items():
                for check in checks:
                    info = check.get("failure_info")
                    if not info:
                        continue
                    failure = info.get("failure") or {}
                    operation = failure.get("operation") or recorder.get("label", "?")
                    key = (check.get("name", "?"), operation, failure.get("title", ""))
                    group = groups.setdefault(
                        key, {"count": 0, "messages": OrderedDict(), "example": None, "phases": set()}
                    )
                    group["count"] += 1
                    group["phases"].add(str(phase))
                    message = first_line(failure.get("message", ""))
                    group["messages"][message] = group["messages"].get(message, 0) + 1
                    interaction = interactions.get(failure.get("case_id") or case_id) or interactions.get(case_id)
                    # Prefer an example the guard hook did not redirect (contract_hooks.py).
                    if interaction and (group["example"] is None or (
                            NOBODY in str(group["example"][0].get("request", {}).get("uri", ""))
                            and NOBODY not in str((interaction.get("request") or {}).get("uri", "")))):
                        group["example"] = (interaction, cases.get(case_id))

    summary = []
    by_check: OrderedDict[str, list[str]] = OrderedDict()
    for check, operation, _title in groups:
        if operation not in by_check.setdefault(check, []):
            by_check[check].append(operation)
    print(f"overview: {len(groups)} distinct failure classes (check, operation, title) in {len(by_check)} checks")
    for check, operations in sorted(by_check.items(), key=lambda item: -len(item[1])):
        print(f"  {check}: {len(operations)} operations: {', '.join(sorted(operations))}")
    print()
    print("failure classes:")
    for (check, operation, title), group in groups.items():
        print()
        print(f"* {check} — {operation} — {title}  [{group['count']}×; phases: {', '.join(sorted(group['phases']))}]")
        messages = list(group["messages"].items())
        for message, count in messages[:MAX_MESSAGES]:
            print(f"    message ({count}×): {message}")
        if len(messages) > MAX_MESSAGES:
            print(f"    … {len(messages) - MAX_MESSAGES} more distinct messages")
        item = {"check": check, "operation": operation, "title": title, "count": group["count"],
                "messages": [m for m, _ in messages]}
        if group["example"]:
            interaction, _case = group["example"]
            request = interaction.get("request") or {}
            response = interaction.get("response") or {}
            body = decode(request.get("body"))
            print(f"    request:  {request.get('method', '?')} {request.get('uri', '?')}"
                  + (f"  body: {excerpt(body, 200)}" if body else ""))
            if response:
                headers = response.get("headers") or {}
                content = decode(response.get("content"))
                print(f"    response: {response.get('status_code')} {header(headers, 'content-type') or '(no content-type)'}"
                      f"  {excerpt(content)}")
                item["example"] = {
                    "request": {"method": request.get("method"), "uri": request.get("uri"), "body": body},
                    "response": {"status": response.get("status_code"), "content_type": header(headers, "content-type"),
                                 "body": content[:2000]},
                }
            else:
                print("    response: none (network error)")
        summary.append(item)

    if errors:
        print()
        print(f"{len(errors)} distinct errors (operations or steps Schemathesis could not run)")
        for (label, message), count in errors.items():
            print(f"* {label}  [{count}×]: {message}")

    report = path.with_name("report.json")
    if report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
        print()
        ops = data.get("operations") or {}
        cases = data.get("test_cases") or {}
        print(f"report: stop {data.get('stop_reason')}, {data.get('running_time')} s; operations {ops.get('tested')}/"
              f"{ops.get('selected')} tested, {ops.get('errored')} errored; test cases {cases.get('generated')} generated,"
              f" {cases.get('with_failures')} with failures, {cases.get('unique_failures')} unique failures")
        phases = data.get("phases") or {}
        if phases:
            print("phases: " + ", ".join(f"{name} {p.get('status')}" + (f" ({p['skip_reason']})" if p.get("skip_reason") else "")
                                         for name, p in phases.items()))
    log = run_dir.with_name(run_dir.name + ".log")
    if log.exists():
        # The terminal's own list of warnings (the JSON report names only their kinds).
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        if "Warnings:" in [line.strip() for line in lines]:
            start = [line.strip() for line in lines].index("Warnings:") + 1
            for line in lines[start:]:
                if not line.strip():
                    break
                print(f"warning: {line.strip()}")

    (run_dir / "failures.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
