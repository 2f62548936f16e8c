"""Build a ``Competition`` from a competition file's data (docs/competition-format.md).

The caller parses the file (TOML or JSON) and passes the resulting dict: this
package does no I/O. Every problem found is collected and reported at once,
each naming its field path (list items by their id) and the fix, e.g.
``programs[cook].criteria[B].aspects sum to 19.50, criterion max is 20.00``;
``locate`` follows such a path into the data (for the line of the field).

One module per part of the file, each reading its tables with ``reader.Reader``:

- ``competition``     the file as a whole: format, delegations, programs, judges
- ``programs``        one program, its parts checked against each other
- ``marking_scheme``  criteria, their maxima, weighted components
- ``aspects``         one aspect: entry range and step, panel, agreement
- ``ranking_rules``   rounding stage, ranking keys, standardisation
- ``award_rules``     award rules and the minimum field
- ``people``          delegations, competitors, judges and their assignments
- ``panels``          every panel can be filled, conflict of interest included
"""

from __future__ import annotations

from ..numbers import is_multiple
from .aspects import ASPECT_FIELDS
from .award_rules import AWARD_TYPES
from .competition import FORMAT_VERSION, load_competition
from .people import COMPETITOR_FIELDS
from .programs import PROGRAM_FIELDS
from .ranking_rules import StageName
from .reader import MAX_PLACES, locate

_StageName = StageName  # the name tests/realdata/test_format_doc.py reads

__all__ = [
    "ASPECT_FIELDS",
    "AWARD_TYPES",
    "COMPETITOR_FIELDS",
    "FORMAT_VERSION",
    "MAX_PLACES",
    "PROGRAM_FIELDS",
    "StageName",
    "is_multiple",
    "load_competition",
    "locate",
]
