"""Validates bills of materials that license-drift wrote, offline, with validators nobody
here wrote, against the official schemas vendored in tests/schemas (see its README):

* CycloneDX documents: check-jsonschema against the CycloneDX 1.6 JSON schema (its
  references to spdx.schema.json and jsf-0.82.schema.json resolved to the vendored files);
* SPDX 3 documents: check-jsonschema against the SPDX 3.0.1 JSON schema, then
  spdx3-validate's SHACL check (pySHACL) against the SPDX 3.0.1 model, the document read as
  RDF with the vendored JSON-LD context.

Usage: python validate-sbom.py SCHEMAS_DIR FILE...  (the kind of each file is read from it).
Any attempt to reach the network is an error: nothing is fetched.
"""

import json
import pathlib
import socket
import subprocess
import sys


def no_network(*args, **kwargs):
    raise RuntimeError("validate-sbom: a validator tried to reach the network")


socket.create_connection = no_network
socket.socket.connect = no_network

import rdflib  # noqa: E402
from spdx3_validate.core import check_graph  # noqa: E402
from spdx3_validate.spdx_versions import find_version  # noqa: E402

schemas = pathlib.Path(sys.argv[1]).resolve()
cdx, spdx = [], []
for f in sys.argv[2:]:
    doc = json.loads(pathlib.Path(f).read_text(encoding="utf-8"))
    if doc.get("bomFormat") == "CycloneDX":
        cdx.append(f)
    elif "@context" in doc:
        spdx.append(f)
    else:
        sys.exit(f"validate-sbom: {f} is neither a CycloneDX nor an SPDX 3 document")


def check_jsonschema(schema, files, base_uri=None):
    cmd = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema)]
    if base_uri:
        cmd += ["--base-uri", base_uri]
    if subprocess.run(cmd + files).returncode != 0:
        sys.exit(f"validate-sbom: {schema.name} rejects one of {files}")


if cdx:
    schema = schemas / "cyclonedx-1.6" / "bom-1.6.schema.json"
    check_jsonschema(schema, cdx, schema.as_uri())
if spdx:
    check_jsonschema(schemas / "spdx-3.0.1" / "spdx-json-schema.json", spdx)
    context = json.loads((schemas / "spdx-3.0.1" / "spdx-context.jsonld").read_text(encoding="utf-8"))
    shapes = rdflib.Graph().parse(schemas / "spdx-3.0.1" / "spdx-model.ttl", format="turtle")
    failed = False
    for f in spdx:
        doc = json.loads(pathlib.Path(f).read_text(encoding="utf-8"))
        version = find_version(doc["@context"])
        if version is None or version.pretty != "3.0.1":
            sys.exit(f"validate-sbom: {f} names the context {doc['@context']!r}, not SPDX 3.0.1's")
        doc["@context"] = context["@context"]
        graph = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
        errors = check_graph(graph, shapes, version, True)
        for e in errors:
            print(f"{f}: SHACL: {e}")
        failed |= bool(errors)
        print(f"SHACL ok -- {f} ({len(graph)} triples)" if not errors else f"SHACL failed -- {f}")
    if failed:
        sys.exit("validate-sbom: SHACL validation failed")
print(f"validate-sbom: {len(cdx)} CycloneDX 1.6 and {len(spdx)} SPDX 3.0.1 document(s) valid")
