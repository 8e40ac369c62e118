"""People, organisations and places a piece names, read by rules and a gazetteer, for editors to accept as tags.

Pure Python over the cleaned body. A run of capitalised words (`names.name_runs`) is
- a place when the gazetteer knows it or it ends in a geographic word ("Caspian Sea"; `places.py`);
- an organisation when it has an organisation's word ("Ministry", "Bank", "Inc", "Party", "Committee", …), is an
  acronym ("EAEU"), or follows a word for one ("the Russian company Sber", "the Euractiv portal");
- a person when it is shaped like a name (two to four title-case words) and is neither; a surname used alone
  afterwards ("Tokayev") is the same person, and a person the piece quotes is one whatever their shape.
"""

import re
from collections import Counter
from dataclasses import dataclass

from articles.reading.names import FUNCTION_WORDS, HONORIFICS, index_people, name_runs
from articles.reading.places import is_place

PERSON = "person"
ORGANISATION = "organisation"
PLACE = "place"
ORGANISATION_WORDS = frozenset(
    """Ministry Bank Inc Inc. Ltd Ltd. LLC PLC Plc Party Committee Council Corporation Corp Company Union Agency
    University College School Hospital Association Consortium JSC Group Fund Commission Organization
    Organisation Institute Government Parliament Court Office Service Police Army Navy Federation Assembly Senate
    Congress Foundation Authority Bureau Department Club Post Times News Novosti Network Airlines Airways Railways
    Forces Front Alliance Movement Church Society Trust Board Exchange Media Press Portal Tribune Herald Journal
    Nations Gazette Telegraph Guardian Reuters Bloomberg Holdings Industries Partners Capital Systems
    Technologies Courier Chronicle Observer Standard Mirror Express Daily Weekly Magazine Radio Television""".split()  # noqa: SIM905
)
# Lower-case words that say the capitalised word after (or before) them names an organisation.
ORGANISATION_NOUNS = frozenset(
    "company bank firm party portal agency newspaper channel broadcaster group ministry carrier airline".split()  # noqa: SIM905
)
# A run ending in one of these names a document or an event, which is not offered as a tag.
NOT_ENTITY_WORDS = frozenset(
    "Pact Charter Treaty Agreement Accord Declaration Act Bill Law Plan Strategy Summit Conference Forum".split()  # noqa: SIM905
)
NOT_ACRONYMS = frozenset("TV IT AI OK PR CEO GDP ID PhD AM PM UTC BC AD".split())  # noqa: SIM905
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,6}$")
# "the Russian company", "a Kazakh bank": an adjective of a people before the word, not an organisation's name.
_DEMONYM = re.compile(r"(?:ian|ese|ish|ean|ic|i|kh|ch)$")
MAX_PER_PIECE = 40


@dataclass(frozen=True)
class Entity:
    """One person, organisation or place the piece names, with how often it does."""

    name: str
    kind: str
    mentions: int = 1


def classify(name: str, *, before: str = "", after: str = "") -> str | None:
    """Return the kind of the run `name` (a place, an organisation) from its words and its neighbours, or None."""
    words = name.split()
    if is_place(name):
        return PLACE
    if any(word in ORGANISATION_WORDS for word in words) or words[0] in ("Ministry", "Bank", "University"):
        return ORGANISATION
    if len(words) == 1 and _ACRONYM.match(name) and name not in NOT_ACRONYMS:
        return ORGANISATION
    last_before = before.split()[-1:]
    first_after = [word.strip(".,;:!?)”’") for word in after.split()[:1]]
    if last_before and last_before[0] in ORGANISATION_NOUNS:
        return ORGANISATION
    if first_after and first_after[0] in ORGANISATION_NOUNS and not _DEMONYM.search(name):
        return ORGANISATION
    return None


def read_entities(body: str, *, speakers: list[str] = ()) -> list[Entity]:
    """Return the people, organisations and places `body` names, the most mentioned first (at most 40).

    `speakers` are the people the piece quotes (`quotes.read_quotes`): people whatever their shape.
    """
    text = _prose(body)
    counts: Counter[tuple[str, str]] = Counter()
    known: set[str] = set()
    unclassified = []
    for run in name_runs(text):
        name = _trim(run.text)
        if not name or name.split()[-1] in NOT_ENTITY_WORDS:
            known.add(name)
            continue
        kind = classify(name, before=text[max(0, run.start - 40) : run.start], after=text[run.end : run.end + 30])
        if kind:
            counts[(name, kind)] += 1
            known.add(name)
        elif not (run.sentence_start and len(name.split()) == 1):
            unclassified.append(name)
    people = index_people(text, known=known)
    for person in {*people.people, *speakers}:
        if person and person not in known:
            counts[(person, PERSON)] += 0
    for _offset, person in people.mentions:
        if person not in known:
            counts[(person, PERSON)] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [Entity(name, kind, max(count, 1)) for (name, kind), count in ranked[:MAX_PER_PIECE]]


def _prose(body: str) -> str:
    """Return the body's paragraphs without its subheadings, one a line."""
    return "\n".join(p for p in body.split("\n\n") if p.strip() and not p.startswith("## "))


def _trim(name: str) -> str:
    words = name.split()
    while words and (words[0].lower() in FUNCTION_WORDS or words[0].lower().rstrip(".") in HONORIFICS):
        words = words[1:]
    while words and words[-1].lower() in FUNCTION_WORDS:
        words = words[:-1]
    return " ".join(words).removesuffix("’s").removesuffix("'s").strip("’'")
