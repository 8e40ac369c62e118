"""Names in a piece's text: runs of capitalised words, the people among them, and the roles the piece gives them.

Pure Python over the cleaned body; the quote reader (`quotes.py`) and the entity reader (`entities.py`) share it.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

# A capitalised word: an upper-case letter first, then letters, digits, apostrophes or inner hyphens
# ("Kassym-Zhomart", "O'Neill", "al-Sadr" is taken by its capitalised half).
_WORD = r"[^\W\d_][\w’']*(?:-[\w’']+)*"
WORD_RE = re.compile(_WORD)
# Small words that may join the capitalised words of one name ("Ministry of Economy", "Bank of England").
CONNECTORS = frozenset({"of", "the", "and", "for", "de", "da", "van", "von", "bin", "al", "del", "la", "le", "du"})
PARTICLES = frozenset({"de", "da", "van", "von", "bin", "al", "del", "la", "le", "du"})
# Capitalised words that start a sentence or a clause without naming anything.
FUNCTION_WORDS = frozenset(
    """a an the this that these those there their they them it its he she his her him we our us you your i me my
    in on at to of for from by with within without into onto over under after before since until during while
    when where whether why how what which who whom whose if then than though although because as so but and or
    nor yet also however moreover meanwhile besides still such both either neither each every all any some many
    most much more less few several other another no not none nothing one two three four five six seven eight
    nine ten first second third last next now today yesterday tomorrow here according against among between
    despite like unlike through throughout toward towards upon via about above below beyond near otherwise
    instead thus hence therefore indeed perhaps probably certainly of course yes mr mrs ms dr prof sir
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december got prev approx ed later earlier finally eventually recently
    previously currently initially afterwards again once soon already sometimes often usually only even just almost
    clearly fortunately unfortunately surprisingly ultimately overall elsewhere asked speaking writing""".split()  # noqa: SIM905
)
HONORIFICS = frozenset(
    """mr mrs ms miss dr prof professor sir dame lord lady president prime minister premier chancellor senator
    governor mayor judge general colonel captain sheikh king queen prince princess pope archbishop bishop
    ambassador secretary spokesman spokeswoman spokesperson chairman chairwoman deputy""".split()  # noqa: SIM905
)
# What a person may be called instead of their name ("the president explained"), and what else the piece may call
# the holder of that role ("the head of the republic, Kassym-Zhomart Tokayev").
ROLE_SYNONYMS = {
    "president": ("president", "head of state", "head of the republic", "head of the country", "leader"),
    "prime minister": ("prime minister", "premier", "head of government", "head of the government"),
    "minister": ("minister",),
    "chancellor": ("chancellor",),
    "mayor": ("mayor",),
    "governor": ("governor",),
    "spokesman": ("spokesman", "spokeswoman", "spokesperson", "press secretary", "spokes"),
    "spokeswoman": ("spokeswoman", "spokesman", "spokesperson", "press secretary"),
    "spokesperson": ("spokesperson", "spokesman", "spokeswoman", "press secretary"),
    "expert": ("expert", "political scientist", "analyst", "economist", "scientist", "researcher", "professor"),
    "analyst": ("analyst", "expert", "political scientist", "economist"),
    "economist": ("economist", "analyst", "expert"),
    "political scientist": ("political scientist", "expert", "analyst"),
    "scientist": ("scientist", "researcher", "expert"),
    "researcher": ("researcher", "scientist", "expert"),
    "professor": ("professor", "expert", "researcher"),
    "official": ("official", "minister", "deputy head", "head of"),
    "chairman": ("chairman", "chair", "head of"),
    "chief executive": ("chief executive", "ceo", "head of"),
    "director": ("director", "head of"),
    "ambassador": ("ambassador", "envoy"),
    "senator": ("senator",),
    "judge": ("judge",),
    "lawyer": ("lawyer", "attorney"),
    "police": ("police chief", "police spokesman", "police"),
    "mother": ("mother",),
    "father": ("father",),
    "author": ("author", "writer"),
    "head": ("head of",),
    "leader": ("leader", "head of state", "head of the republic", "president"),
}
ROLE_NOUNS = frozenset(ROLE_SYNONYMS) | frozenset({"chief", "leader", "head", "officer", "manager", "founder"})
ROLE_WORDS = ROLE_NOUNS | {synonym for synonyms in ROLE_SYNONYMS.values() for synonym in synonyms} | HONORIFICS
_SUBORDINATE_ROLE = re.compile(r"\b(?:deputy|vice|former|ex|assistant|acting)\b[\s-]*$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’)]?\s+(?=[“\"‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class NameRun:
    """A run of capitalised words in the text, with where it starts and ends and what comes either side."""

    text: str
    start: int
    end: int
    sentence_start: bool

    @property
    def words(self) -> list[str]:
        return self.text.split()


def sentences(text: str) -> list[tuple[int, str]]:
    """Return the text's sentences as (offset, sentence) pairs; a naive split that is good enough for names."""
    result, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        result.append((start, text[start : match.start()]))
        start = match.end()
    if start < len(text):
        result.append((start, text[start:]))
    return result


def name_runs(text: str) -> list[NameRun]:
    """Return every run of capitalised words in `text`, joined across small connectors ("Bank of England").

    A capitalised function word that only starts a sentence ("While", "However") is not part of a run.
    """
    runs: list[NameRun] = []
    words = list(WORD_RE.finditer(text))
    index = 0
    while index < len(words):
        match = words[index]
        word = match.group()
        if not _capitalised(word) or word.lower().strip("’'") in FUNCTION_WORDS:
            index += 1
            continue
        start, end, last = match.start(), match.end(), index
        probe, pending = index + 1, 0
        while probe < len(words):
            if text[words[probe - 1].end() : words[probe].start()] not in (" ", "\u00a0"):
                break
            candidate = words[probe].group()
            if _capitalised(candidate) and candidate.lower() not in FUNCTION_WORDS:
                end, last, pending = words[probe].end(), probe, 0
            elif candidate.lower() in CONNECTORS and pending < 2:
                pending += 1
            else:
                break
            probe += 1
        runs.append(NameRun(text[start:end], start, end, _starts_sentence(text, start)))
        index = last + 1
    return runs


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def _starts_sentence(text: str, offset: int) -> bool:
    before = text[:offset].rstrip(' “"‘(«')
    return not before or before[-1] in ".!?…:\n–—"


def is_person_shaped(run: NameRun) -> bool:
    """Return whether a run could be a person's name: two to four title-case words, no connector but a particle."""
    words = run.words
    if not 2 <= len(words) <= 4:
        return False
    for word in words:
        if word.lower() in CONNECTORS:
            if word.lower() not in PARTICLES:
                return False
            continue
        if word.isupper() or not word[0].isupper() or any(ch.isdigit() for ch in word):
            return False
    return True


@dataclass
class PeopleIndex:
    """The people a piece names in full, the surnames it later uses for them, and the roles it gives them."""

    text: str
    people: list[str] = field(default_factory=list)
    mentions: list[tuple[int, str]] = field(default_factory=list)  # (offset, full name), in text order
    roles: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, role words, full name)

    @cached_property
    def by_surname(self) -> dict[str, str]:
        surnames: dict[str, str] = {}
        for person in self.people:
            surnames.setdefault(person.split()[-1], person)
        return surnames

    def resolve(self, name: str) -> str:
        """Return the full name the piece uses for `name` (a surname alone gives the first person with it)."""
        name = " ".join(name.split())
        if name in self.people:
            return name
        words = [w for w in name.split() if w.lower().rstrip(".") not in HONORIFICS]
        if not words:
            return name
        if len(words) == 1 or " ".join(words) not in self.people:
            return self.by_surname.get(words[-1], " ".join(words))
        return " ".join(words)

    def person_in_role(self, role: str, before: int) -> str | None:
        """Return the person the piece names in `role` ("president"), the nearest mention before `before` first."""
        wanted = ROLE_SYNONYMS.get(role, (role,))
        matches = [
            (offset, person)
            for offset, words, person in self.roles
            if any(_names_role(words, synonym) for synonym in wanted)
        ]
        if not matches:
            return None
        earlier = [m for m in matches if m[0] < before]
        return (earlier[-1] if earlier else matches[0])[1]

    def last_person_before(self, offset: int, *, since: int = 0) -> str | None:
        """Return the last person named in full or by surname between `since` and `offset`."""
        named = [person for at, person in self.mentions if since <= at < offset]
        return named[-1] if named else None


def _names_role(words: str, role: str) -> bool:
    for match in re.finditer(rf"\b{re.escape(role)}\b", words):
        if not _SUBORDINATE_ROLE.search(words[: match.start()]):
            return True
    return False


# "<role words>, Name" / "<role words> Name" before the name; "Name, <role words>," after it.
_ROLE_BEFORE = re.compile(r"(?<!\S)((?:[\w’'-]+\s){0,6}?(?:[a-z][\w’'-]*))(,?)\s$")
_ROLE_AFTER = re.compile(r"^,\s((?:the\s|a\s|an\s)?[a-z][^,.;:“”\"]{2,80}?)\s?(?=,|\s(?:said|says|told|explained))")


def index_people(text: str, *, known: set[str] | frozenset[str] = frozenset()) -> PeopleIndex:
    """Return the people `text` names: person-shaped runs not known as places or organisations, and the roles given
    them by the words around each mention ("the minister of economy, Alibek Kuantirov"; "X, deputy head of ...").

    `known` holds runs already told apart as something else (places, organisations), which are not people.
    """
    index = PeopleIndex(text)
    runs = name_runs(text)
    for run in runs:
        name = _strip_honorific(run.text)
        if name in known or not is_person_shaped(NameRun(name, run.start, run.end, run.sentence_start)):
            continue
        if name not in index.people:
            index.people.append(name)
    for run in runs:
        name = _strip_honorific(run.text)
        words = name.split()
        if not words:
            continue
        full = name if name in index.people else None
        if full is None and len(words) == 1 and words[0] in index.by_surname:
            full = index.by_surname[words[0]]
        if full is None:
            continue
        index.mentions.append((run.start, full))
        honorific = run.text[: len(run.text) - len(name)].strip()
        if honorific:
            index.roles.append((run.start, honorific.lower(), full))
        sentence_start = max(text.rfind(". ", 0, run.start), text.rfind("\n", 0, run.start), 0)
        before = _ROLE_BEFORE.search(text[sentence_start : run.start])
        if before and _has_role(before.group(1)):
            index.roles.append((run.start, before.group(1).lower(), full))
        after = _ROLE_AFTER.match(text[run.end : run.end + 120])
        if after and _has_role(after.group(1)):
            index.roles.append((run.start, after.group(1).lower(), full))
    return index


def _has_role(words: str) -> bool:
    words = words.lower()
    return any(re.search(rf"\b{re.escape(role)}\b", words) for role in ROLE_WORDS)


def _strip_honorific(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words)
