"""The small runtime shared by every generated client: errors and code catalogs, HTTP plumbing,
the pydantic base model and JSON envelope (JSON providers), SOAP envelopes, strict XML and
Jalali date-times (SOAP providers).

This folder is its source: ordinary Python that ruff, mypy and ``duplicates`` read here. codegen
copies it verbatim, under a DO-NOT-EDIT header, into ``payamak_gen/_runtime/``, so that the
generated package carries the exact runtime it was generated and checked against (the drift check
covers it byte for byte) and imports nothing hand-written from elsewhere.
"""
