"""Reads a DXF file with ezdxf (an independent DXF library) and prints what a CAD user would
see, as JSON: the version, units, audit errors and fixes, layers, and entities per layer.

Usage: python ezdxf_audit.py FILE.dxf
Used only by tests (crates/plan/tests/export_dxf.rs)."""

import json
import sys
from collections import Counter

import ezdxf
from ezdxf import recover


def main(path):
    doc, auditor = recover.readfile(path)
    audit = doc.audit()
    msp = doc.modelspace()
    per_layer = Counter()
    closed_polylines = Counter()
    texts = []
    for e in msp:
        per_layer[f"{e.dxf.layer}:{e.dxftype()}"] += 1
        if e.dxftype() == "LWPOLYLINE" and e.closed:
            closed_polylines[e.dxf.layer] += 1
        if e.dxftype() == "TEXT":
            texts.append(e.dxf.text)
    print(json.dumps({
        "version": doc.dxfversion,
        "insunits": doc.header.get("$INSUNITS", 0),
        "recover_errors": len(auditor.errors),
        "audit_errors": len(audit.errors),
        "audit_fixes": len(audit.fixes),
        "layers": sorted(layer.dxf.name for layer in doc.layers),
        "entities": dict(per_layer),
        "closed_polylines": dict(closed_polylines),
        "texts": texts,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
