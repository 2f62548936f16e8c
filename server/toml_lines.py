"""Where things are in a TOML text: the line of each key and list item, and what is wrong
with a text that is not TOML, in words.

``tomllib`` gives values, not positions, and its errors name the parser's expectation
(``Illegal character '\\n'``). This scanner walks the same structure (tables, arrays of
tables, dotted keys, inline tables and arrays, every kind of string) without converting
values: ``lines(text)`` maps each key path, as in the parsed data
(``("programs", 0, "competitors", 2, "bib")``), to its line; ``explain(text)`` says, for a
text ``tomllib`` refuses, the line and what to do, or None when it finds nothing wrong.
"""

from __future__ import annotations

import bisect
import re

Keys = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^\s,\]\}#]+(?:[ T]\d\d:\d\d[^\s,\]\}#]*)?")
_NUMBER = re.compile(
    r"[+-]?(?:inf|nan|0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|"
    r"\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d[\d_]*)?)"
)
_DATE = re.compile(r"\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d:\d\d)?")
_TIME = re.compile(r"\d\d:\d\d:\d\d(?:\.\d+)?")


class TomlProblem(Exception):
    def __init__(self, line: int, words: str) -> None:
        super().__init__(f"line {line}: {words}")
        self.line = line
        self.words = words


def lines(text: str) -> dict[Keys, int]:
    """The line of every key and list item of a valid TOML text (as far as it can tell)."""
    scan = _Scan(text)
    try:
        scan.document()
    except (TomlProblem, IndexError, ValueError):
        pass  # what was found so far is right; the rest has no line
    return scan.lines


def explain(text: str) -> TomlProblem | None:
    """What is wrong with a text ``tomllib`` refuses: the line and, in words, the fix."""
    try:
        _Scan(text).document()
    except TomlProblem as e:
        return e
    except (IndexError, ValueError):
        return None
    return None


class _Scan:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.lines: dict[Keys, int] = {}
        self.arrays: dict[Keys, int] = {}  # array of tables → its length so far
        self.defined: set[Keys] = set()  # keys given a value, tables declared by a header

    def line(self, i: int | None = None) -> int:
        return bisect.bisect_left(self.newlines, self.i if i is None else i) + 1

    def fail(self, words: str, at: int | None = None) -> TomlProblem:
        return TomlProblem(self.line(at), words)

    def peek(self, n: int = 1) -> str:
        return self.s[self.i : self.i + n]

    # -- statements ----------------------------------------------------------------------

    def document(self) -> None:
        table: Keys = ()
        while True:
            self.blank(newlines=True)
            if self.i >= len(self.s):
                return
            if self.peek() == "[":
                table = self.header()
            else:
                self.keyval(table, inline=False)
            self.end_of_line()

    def header(self) -> Keys:
        start = self.i
        many = self.peek(2) == "[["
        self.i += 2 if many else 1
        self.blank()
        names = self.key()
        self.blank()
        close = "]]" if many else "]"
        if self.peek(len(close)) != close:
            shown = f"[[{'.'.join(names)}" if many else f"[{'.'.join(names)}"
            raise self.fail(f"the header {shown} is not closed: end it with {close}")
        self.i += len(close)
        if many:
            parent = self.concrete(names[:-1])
            at = (*parent, names[-1])
            n = self.arrays.get(at, 0)
            self.arrays[at] = n + 1
            self.lines.setdefault(at, self.line(start))
            table: Keys = (*at, n)
        else:
            table = self.concrete(names)
            if table in self.defined:
                raise self.fail(f"the table [{'.'.join(names)}] is declared twice; merge the two")
            self.defined.add(table)
        self.lines[table] = self.line(start)
        return table

    def concrete(self, names: list[str]) -> Keys:
        """The keys of a header's table: each array of tables on the way is its last item."""
        keys: list[str | int] = []
        for name in names:
            keys.append(name)
            n = self.arrays.get(tuple(keys))
            if n is not None:
                keys.append(n - 1)
        return tuple(keys)

    def keyval(self, table: Keys, inline: bool) -> None:
        start = self.i
        if self.peek() in ("=", ""):
            raise self.fail("a line must start with a key: write key = value")
        names = self.key()
        self.blank()
        if self.peek() != "=":
            raise self.fail(
                f"the key {'.'.join(names)} must be followed by = and a value "
                '(text in quotes: key = "text")'
            )
        self.i += 1
        self.blank()
        at = (*table, *names)
        if at in self.defined:
            raise self.fail(f"{'.'.join(names)} is given twice; keep one of them", start)
        self.defined.add(at)
        self.lines.setdefault(at, self.line(start))
        self.value(at)

    def end_of_line(self) -> None:
        self.blank()
        if self.peek() == "#":
            self.comment()
        if self.i < len(self.s) and self.peek() not in ("\n", "\r"):
            raise self.fail(
                "something follows the value on the same line: one key = value per line "
                "(a value with spaces goes in quotes)"
            )

    # -- keys and values -----------------------------------------------------------------

    def key(self) -> list[str]:
        names = []
        while True:
            self.blank()
            c = self.peek()
            if c in ('"', "'"):
                names.append(self.string(key=True))
            else:
                m = _BARE.match(self.s, self.i)
                if m is None:
                    raise self.fail(
                        "expected a key (letters, digits, _ and -, or a name in quotes)"
                    )
                names.append(m[0])
                self.i = m.end()
            self.blank()
            if self.peek() != ".":
                return names
            self.i += 1

    def value(self, at: Keys) -> None:
        c = self.peek()
        if c in ('"', "'"):
            self.string()
        elif c == "[":
            self.array(at)
        elif c == "{":
            self.inline_table(at)
        elif c in ("", "\n", "\r", "#"):
            raise self.fail("the value is missing after =")
        else:
            self.scalar()

    def scalar(self) -> None:
        m = _SCALAR.match(self.s, self.i)
        word = m[0] if m else self.peek()
        if not any(p.fullmatch(word) for p in (_NUMBER, _DATE, _TIME)) and word not in (
            "true",
            "false",
        ):
            raise self.fail(
                f'{word} is not a value: put text in quotes ("{word}"); numbers are '
                'best written as strings ("9.50"); true and false are lower case'
            )
        self.i += len(word)

    def array(self, at: Keys) -> None:
        start = self.i
        self.i += 1
        n = 0
        while True:
            self.blank(newlines=True, comments=True)
            if self.i >= len(self.s):
                raise self.fail(
                    f"the list opened on line {self.line(start)} is not closed: end it with ]",
                    start,
                )
            if self.peek() == "]":
                self.i += 1
                return
            self.lines.setdefault((*at, n), self.line())
            self.value((*at, n))
            n += 1
            self.blank(newlines=True, comments=True)
            if self.peek() == ",":
                self.i += 1
            elif self.peek() != "]":
                raise self.fail(
                    f"the list opened on line {self.line(start)} needs a comma between its "
                    "items, and ] at its end"
                )

    def inline_table(self, at: Keys) -> None:
        start = self.i
        self.i += 1
        self.blank()
        if self.peek() == "}":
            self.i += 1
            return
        while True:
            self.keyval(at, inline=True)
            self.blank()
            if self.peek() == ",":
                self.i += 1
                self.blank()
            elif self.peek() == "}":
                self.i += 1
                return
            else:
                raise self.fail(
                    "the table { … } opened here is not closed: separate its fields with "
                    "commas and end it with } on the same line",
                    start,
                )

    def string(self, key: bool = False) -> str:
        start = self.i
        q = self.peek()
        if self.peek(3) == q * 3 and not key:
            end = self.s.find(q * 3, self.i + 3)
            if end < 0:
                raise self.fail(f"the text opened with {q * 3} is never closed with {q * 3}", start)
            while self.s.startswith(q, end + 3):  # up to two quotes may end the text
                end += 1
            self.i = end + 3
            return ""
        j = self.i + 1
        while j < len(self.s) and self.s[j] not in (q, "\n"):
            j += 2 if q == '"' and self.s[j] == "\\" else 1
        if j >= len(self.s) or self.s[j] == "\n":
            raise self.fail(
                f"the text in quotes that starts at column {start - self._line_start(start) + 1} "
                f"is not closed: end it with {q} on the same line (text over several lines "
                f"goes between {q * 3} and {q * 3})",
                start,
            )
        self.i = j + 1
        return self.s[start + 1 : j]

    def _line_start(self, i: int) -> int:
        return self.s.rfind("\n", 0, i) + 1

    # -- what lies between ---------------------------------------------------------------

    def blank(self, newlines: bool = False, comments: bool = False) -> None:
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.i += 1
            elif c == "#" and (newlines or comments):
                self.comment()
            else:
                return

    def comment(self) -> None:
        end = self.s.find("\n", self.i)
        self.i = len(self.s) if end < 0 else end
