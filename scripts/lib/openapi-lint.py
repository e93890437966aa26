"""List every problem openapi-spec-validator finds in an OpenAPI document (scripts/test-api-contract).

    python openapi-lint.py DOCUMENT.json

The validator's command line stops at the first unresolvable `$ref`; this lists the dangling
references with where they are used, then stubs them and prints all the validator's other errors
(undeclared path parameters, duplicate operationIds, …), one a line. Exit 1 if there is any.
"""

from __future__ import annotations

import json
import sys

from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator


def refs(node, where, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.setdefault(value, []).append(where)
            else:
                refs(value, where + [key], found)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            refs(value, where + [str(i)], found)


def resolves(spec, ref: str) -> bool:
    if not ref.startswith("#/"):
        return True  # external references: the validator's business
    node = spec
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def main(argv: list[str]) -> int:
    spec = json.load(open(argv[1], encoding="utf-8"))
    problems = 0
    found: dict[str, list[list[str]]] = {}
    refs(spec, [], found)
    for ref, uses in sorted(found.items()):
        if resolves(spec, ref):
            continue
        problems += 1
        places = sorted({f"{u[2].upper()} {u[1]}" if len(u) > 2 and u[0] == "paths" else "/".join(u) for u in uses})
        print(f"dangling $ref {ref}, used by: {'; '.join(places)}")
        if ref.startswith("#/components/schemas/"):
            spec.setdefault("components", {}).setdefault("schemas", {})[ref.rsplit("/", 1)[1]] = {}
    version = str(spec.get("openapi", ""))
    validator = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    for error in validator(SchemaPath.from_dict(spec)).iter_errors():
        problems += 1
        print(str(error).splitlines()[0])
    print(f"{problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
