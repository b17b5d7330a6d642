#!/usr/bin/env python3
"""Validates a JSON document against a JSON Schema (draft 2020-12) with Debian's python3-jsonschema.

usage: validate_json_schema.py SCHEMA DOCUMENT
Exit 0 when valid; 1 with one line per error (path: message) when not; 2 when the schema itself is invalid.
"""
import json
import sys

import jsonschema


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        document = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        print(f"invalid schema: {error.message}")
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    for error in errors:
        print("/".join(str(p) for p in error.path) + ": " + error.message)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
