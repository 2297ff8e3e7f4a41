#!/usr/bin/env python3
"""Checks PDF files with an independent PDF/UA-1 checker (pdfua) and QPDF's
syntax check (pikepdf), and prints one JSON report for tests/accessibility.rs.

Usage: check.py FILE.pdf [FILE.pdf ...]

For each file: pdfua's findings (rule, severity, message, where), the rules
it skipped and why, how many rules it ran, and QPDF's problems. The Rust test
decides what passes; this script only reports.

One shim: pdfua 0.1.3 asks every object for `is_integer` to tell a marked
content id from an array, and pikepdf (8 and later) answers an array with a
ValueError rather than an AttributeError, so its rule UA-14-001 ("heading
elements are not empty") is skipped on any heading whose /K is an array.
`as_integer` below answers None for anything that is not a number, which is
what pdfua's own function means, so that its rule runs as written.
"""

import json
import sys

import pikepdf
import pdfua.document
import pdfua.rules.structure
from pdfua.validator import Validator

_original_as_integer = pdfua.document.as_integer


def _as_integer(value):
    if isinstance(value, (pikepdf.Array, pikepdf.Dictionary, pikepdf.Stream)):
        return None
    return _original_as_integer(value)


pdfua.document.as_integer = _as_integer
pdfua.rules.structure.as_integer = _as_integer


def report(path):
    result = Validator().validate(path)
    findings = []
    skipped = []
    ran = 0
    for outcome in result.outcomes:
        if outcome.skipped_reason is not None:
            skipped.append({"rule": outcome.rule_id, "reason": outcome.skipped_reason})
            continue
        ran += 1
        for f in outcome.findings:
            findings.append(
                {
                    "rule": f.rule_id,
                    "severity": f.severity.name.lower(),
                    "message": f.message,
                    "where": str(f.location),
                }
            )
    with pikepdf.open(path) as pdf:
        syntax = [str(p) for p in pdf.check_pdf_syntax()]
        pages = len(pdf.pages)
    return {
        "file": path,
        "pages": pages,
        "rules_run": ran,
        "findings": findings,
        "skipped": skipped,
        "qpdf": syntax,
    }


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps({"files": [report(p) for p in paths]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
