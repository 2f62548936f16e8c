"""Spreadsheets in: competitor, judge and delegation lists and WorldSkills-style marking
schemes (.xlsx or .csv) → the competition file; and the blank workbooks to fill in.

- ``sheet`` finds a table in a sheet by its headers and reads typed cells;
- ``competitors``, ``judges``, ``delegations``, ``marking_scheme`` turn rows into the file's
  tables and merge them into a document (pure: no files);
- ``document`` reads the competition file, checks a document with the real loader and writes it
  atomically; ``toml_text`` writes TOML;
- ``templates`` builds the blank workbooks; ``commands`` is ``scorecast import`` / ``template``.

Every problem names the workbook, sheet, row and column (``problems.Problem``).
"""
