"""The search query language, parsed into a small tree that each database's backend renders its own way.

The language (the README's table): words must all be found; `OR` between two terms finds either; `-word` (or
`-"a phrase"`, `-(...)`) excludes; `"a phrase"` finds the words next to each other, in order; `harb*` finds words
that start with `harb`; parentheses group. Anything else is a word separator, so no input is an error: an unclosed
quote or parenthesis closes at the end, a lone `-`, `*` or `OR` is ignored.

Words are what both databases' tokenizers take as words: runs of letters and digits (`_` and punctuation separate
them). A term that holds several such runs (`e-mail`, `pipeline_deal`, `U.S.`) is searched as a phrase of them, as
the index holds them side by side.

Negation only narrows: a group with nothing but exclusions (`-solar`, or the `-solar` of `ferry OR -solar`) has
nothing to narrow and is dropped, so a query of exclusions alone finds nothing (rather than nearly everything, which
neither index can answer cheaply). The parser is pure: no database, no settings.
"""

import re
from dataclasses import dataclass

# Letters and digits, as FTS5's unicode61 tokenizer and PostgreSQL's parser read words (`\w` alone keeps `_`).
WORD_RE = re.compile(r"[^\W_]+")
# The parser's tokens: a quoted phrase (its closing quote optional), a parenthesis, or a run of anything else
# that is not a space.
_TOKEN_RE = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<paren>[()])|(?P<term>[^\s"()]+)')
MAX_DEPTH = 16  # deeper parentheses are read as separators: no query needs them, and recursion stays bounded


@dataclass(frozen=True)
class Word:
    """A word that must occur; `prefix`: any word starting with it."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must occur next to each other, in this order."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    """What must not occur; only ever a part of an `All` that has something to find."""

    term: "Node"


@dataclass(frozen=True)
class All:
    """Every part must match (`Not` parts must not); at least one part is not a `Not`."""

    parts: tuple["Node", ...]


@dataclass(frozen=True)
class Any:
    """At least one part must match; at least two parts."""

    parts: tuple["Node", ...]


Node = Word | Phrase | Not | All | Any


def parse(text: str) -> Node | None:
    """Return the tree of the query `text`, or None when it asks for nothing that can be found."""
    return _Parser(list(_TOKEN_RE.finditer(text or ""))).alternatives(depth=0)


class _Parser:
    """A recursive-descent reader of the token list: alternatives of sequences of (possibly negated) terms."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.position = 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def alternatives(self, depth: int) -> Node | None:
        options = []
        while True:
            options.append(self.sequence(depth))
            token = self.peek()
            if token is None or token["paren"] == ")":
                break
            # only an `OR` token stops a sequence
            self.position += 1
        found = [option for option in options if option is not None]
        if not found:
            return None
        return found[0] if len(found) == 1 else Any(tuple(found))

    def sequence(self, depth: int) -> Node | None:
        parts = []
        while (token := self.peek()) is not None:
            if token["paren"] == ")":
                if depth > 0:
                    break
                self.position += 1  # a stray closing parenthesis separates words
                continue
            if token["term"] == "OR":
                break
            self.position += 1
            part = self.term(token, depth)
            if part is not None:
                parts.append(part)
        if not any(not isinstance(part, Not) for part in parts):
            return None  # nothing to find: exclusions alone narrow nothing
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def term(self, token, depth: int) -> Node | None:
        if token["paren"] == "(":
            if depth >= MAX_DEPTH:
                return None
            group = self.alternatives(depth + 1)
            if self.peek() is not None:
                self.position += 1  # the closing parenthesis (an unclosed group closes at the end)
            return group
        if token["phrase"] is not None:
            return _phrase(WORD_RE.findall(token["phrase"]))
        raw = token["term"]
        if raw.startswith("-"):
            rest = raw.lstrip("-")
            excluded = _word(rest) if rest else self.attached(token, depth)
            return Not(excluded) if excluded is not None else None
        return _word(raw)

    def attached(self, dash, depth: int) -> Node | None:
        """Return the phrase or group written right after a lone `-` (`-"solar farm"`), or None (a `-` alone)."""
        token = self.peek()
        if token is None or token.start() != dash.end() or token["term"] is not None or token["paren"] == ")":
            return None
        self.position += 1
        return self.term(token, depth)


def _word(raw: str) -> Node | None:
    words = WORD_RE.findall(raw)
    if len(words) == 1:
        return Word(words[0], prefix=raw.endswith("*"))
    return _phrase(words)


def _phrase(words: list[str]) -> Node | None:
    if not words:
        return None
    return Word(words[0]) if len(words) == 1 else Phrase(tuple(words))
