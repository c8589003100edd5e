"""oas.py: reading data/openapi.json in the service's tests: its
operations, its $refs, and its schemas as JSON Schema Draft 4 for
jsonschema (OpenAPI 3.0's subset: nullable becomes a type list)."""

import json
import os

import jsonschema

METHODS = ("get", "post", "put", "patch", "delete")


def srcdir():
    """The source tree: $HW_SRCDIR (make check sets it), else the
    folder above tests/."""
    d = os.environ.get("HW_SRCDIR")
    if d:
        return d
    return os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))


def testdata():
    d = os.environ.get("HW_TESTDATA")
    return d if d else os.path.join(srcdir(), "tests", "data")


def load():
    """data/openapi.json, parsed."""
    d = os.environ.get("HIGHWATER_DATADIR") or os.path.join(srcdir(), "data")
    with open(os.path.join(d, "openapi.json"), encoding="utf-8") as f:
        return json.load(f)


def operations(doc):
    """(METHOD, path, operation) for each documented operation."""
    for path, item in doc["paths"].items():
        for m in METHODS:
            if m in item:
                yield m.upper(), path, item[m]


def refs(node, out=None):
    """Every $ref value in node."""
    if out is None:
        out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                out.append(v)
            else:
                refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)
    return out


def resolve(doc, ref):
    """The value a local $ref ("#/a/b") names, or None."""
    if not ref.startswith("#/"):
        return None
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def deref(doc, node):
    """node, or what its $ref names."""
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(doc, node["$ref"])
    return node


# OpenAPI keywords JSON Schema does not know (jsonschema ignores unknown
# keywords, but format "binary" and the like are dropped to be plain).
_DROP = ("nullable", "format", "example", "discriminator", "readOnly",
         "writeOnly", "xml", "externalDocs", "deprecated")


def to_jsonschema(node):
    """An OpenAPI 3.0 schema as Draft 4: nullable true adds null to the
    type (and to an enum); a nullable allOf/$ref becomes anyOf null."""
    if isinstance(node, list):
        return [to_jsonschema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_jsonschema(v) for k, v in node.items() if k not in _DROP}
    if node.get("nullable") is True:
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = list(out["enum"]) + [None]
        elif "allOf" in out or "$ref" in out or "anyOf" in out:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


class Schemas:
    """The document's schemas as one Draft 4 validator root."""

    def __init__(self, doc):
        self.doc = doc
        self.root = {"components": to_jsonschema(doc["components"])}

    def validator(self, schema):
        s = dict(self.root)
        s.update(to_jsonschema(schema))
        return jsonschema.Draft4Validator(s)

    def errors(self, schema, value):
        """Up to three lines saying where value breaks schema; [] when
        it conforms."""
        v = self.validator(schema)
        out = []
        for e in sorted(v.iter_errors(value), key=lambda e: list(e.path)):
            out.append("%s: %s" % ("/".join(str(p) for p in e.path) or ".",
                                   e.message[:200]))
            if len(out) == 3:
                break
        return out
