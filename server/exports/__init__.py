"""Organizers' documents out of the record (issue 16): the official results as XLSX and PDF,
certificates with a verification code, honours candidates, the talent list.

``record_index`` reads the ledger (what made each program official, and at which seq and
hash), ``results`` turns a board into printable tables, ``workbook`` and ``pdf`` write them,
``codes`` derives the verification codes, ``commands`` is ``scorecast export``.
"""
