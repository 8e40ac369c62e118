"""Direct quotations in a piece and who said them, read from the cleaned body.

Pure Python. A quotation is text between quote marks (curly “…”, guillemets «…», low „…“ or straight "…") that
stands as speech: it starts a sentence or follows a colon or a speech verb, and is not a term in quote marks
inside a sentence ("do not recognise “the situation”"). Its speaker comes from, in order:
1. the clause after it: `“…,” X said`, `“…,” said X`, `“…,” the president explained`, `“…,” according to X`;
2. the sentence that introduces it: `X said: “…”`, `The minister, X, sounds mild: “…”`, `According to X, “…”`;
3. the quotation before it in the same paragraph (a quote continued over sentences), or the paragraph before
   when a quote runs on over paragraphs (a paragraph left open whose next one opens with a quote mark);
4. a sentence just before it in the paragraph that names a person with a speech or opinion verb
   (`X believes that … “…”`).
A speaker named by role ("the president") is the person the piece names in that role ("the head of the republic,
Kassym-Zhomart Tokayev"), and a role the piece gives nobody stays as written ("the minister"); a pronoun ("he
said") is the last named speaker; a surname alone is the person the piece first named in full with it.

Quote marks that do not pair (an odd number) never take more than the paragraph they open in, and a stray mark
inside a quotation ("70 “% of goods") is passed over.
"""

import re
from dataclasses import dataclass

from articles.reading.entities import classify
from articles.reading.names import ROLE_SYNONYMS, PeopleIndex, index_people, name_runs

OPENERS = "“«„"
CLOSERS = "”»“"  # „…“: the low opener's closer is the English opener
MARKS = frozenset(OPENERS + CLOSERS + '"')
SPEECH_VERBS = (
    "said|says|say|told|tells|explained|explains|added|adds|noted|notes|stated|states|stressed|stresses|argued|"
    "argues|insisted|insists|warned|warns|wrote|writes|recalled|recalls|replied|replies|answered|answers|asked|"
    "asks|continued|continues|commented|comments|admitted|admits|announced|announces|observed|observes|"
    "emphasi[sz]ed|emphasi[sz]es|declared|declares|remarked|remarks|concluded|concludes|claimed|claims|"
    "suggested|suggests|believes|believed|thinks|thought|maintains|maintained|agreed|agrees|added|"
    "according to|in the words of"
)
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.IGNORECASE)
_OPINION = re.compile(rf"\b(?:{SPEECH_VERBS}|draws attention|pointed out|points out|is sure|is convinced)\b")
_CLAUSE_END = re.compile(r"[.!?;](?=\s|$)|[:“«„\"]")
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "him", "her"})
MAX_ATTRIBUTION_WORDS = 16
MIN_WORDS = 3


@dataclass(frozen=True)
class FoundQuote:
    """One quotation: its text, its speaker ("" when the piece does not say) and its offset in the body."""

    text: str
    speaker: str
    offset: int


@dataclass
class _Span:
    offset: int  # of the text inside the marks, in the body
    text: str
    before: str  # the paragraph up to the opening mark
    after: str  # the paragraph after the closing mark ("" when the quote runs to the paragraph's end)
    paragraph: int
    open_ended: bool = False  # no closing mark in its paragraph
    runs_on: bool = False  # open-ended, and the next paragraph opens with a quote mark: the same quote


def read_quotes(body: str) -> list[FoundQuote]:
    """Return the direct quotations in `body` (paragraphs separated by blank lines), in order, with speakers."""
    paragraphs = _paragraphs(body)
    people = _people(body)
    quotes: list[FoundQuote] = []
    last_speaker = ""
    previous: _Span | None = None
    previous_speaker = ""
    for index, (offset, paragraph) in enumerate(paragraphs):
        next_paragraph = paragraphs[index + 1][1] if index + 1 < len(paragraphs) else ""
        for span in _spans(paragraph, offset, index, next_paragraph):
            continues = bool(previous and previous.runs_on and previous.paragraph == index - 1 and not span.before)
            if not continues and not _is_speech(span):
                continue
            speaker = _speaker(span, people, body, last_speaker)
            if not speaker and previous is not None and (continues or previous.paragraph == index):
                speaker = previous_speaker
            if not speaker:
                speaker = _introducing_sentence(span, people, body)
            if continues and quotes:
                merged = quotes.pop()
                speaker = merged.speaker or speaker
                quotes.append(FoundQuote(f"{merged.text}\n\n{_tidy(span.text)}", speaker, merged.offset))
            else:
                quotes.append(FoundQuote(_tidy(span.text), speaker, span.offset))
            previous, previous_speaker = span, speaker
            last_speaker = speaker or last_speaker
    return [quote for quote in quotes if quote.text]


def _paragraphs(body: str) -> list[tuple[int, str]]:
    result, offset = [], 0
    for paragraph in body.split("\n\n"):
        if paragraph.strip() and not paragraph.startswith("## "):
            result.append((offset, paragraph))
        offset += len(paragraph) + 2
    return result


def _people(body: str) -> PeopleIndex:
    known = {run.text for run in name_runs(body) if classify(run.text)}
    return index_people(body, known=known)


def _spans(paragraph: str, offset: int, index: int, next_paragraph: str) -> list[_Span]:
    """Pair the paragraph's quote marks into spans; an opener left unpaired runs to the paragraph's end."""
    spans: list[_Span] = []
    opened: int | None = None
    for position, char in enumerate(paragraph):
        if char not in MARKS:
            continue
        role = _mark_role(paragraph, position)
        if role == "open" and opened is None:
            opened = position
        elif role == "open" and _after_sentence_end(paragraph, position) and _word_follows(paragraph, position):
            # A new quotation opens after a full stop: the one before was never closed.
            spans.append(_span(paragraph, offset, index, opened, position, open_ended=True))
            opened = position
        elif role == "close" and opened is not None and position > opened + 1:
            spans.append(_span(paragraph, offset, index, opened, position))
            opened = None
        # Any other mark is stray: a closer with nothing open, an opener inside a quotation ("70 “%").
    if opened is not None:
        span = _span(paragraph, offset, index, opened, len(paragraph), open_ended=True)
        span.runs_on = next_paragraph[:1] in OPENERS or next_paragraph[:1] == '"'
        spans.append(span)
    return spans


def _span(paragraph, offset, index, opened, closed, *, open_ended=False) -> _Span:
    return _Span(
        offset=offset + opened + 1,
        text=paragraph[opened + 1 : closed],
        before=paragraph[:opened],
        after=paragraph[closed + 1 :] if not open_ended else "",
        paragraph=index,
        open_ended=open_ended,
    )


def _mark_role(text: str, position: int) -> str:
    char = text[position]
    previous = text[position - 1] if position else " "
    following = text[position + 1] if position + 1 < len(text) else " "
    if char == "“" and (position == 0 or previous.isspace() or previous in "([—–-"):
        return "open"
    if char in "«„":
        return "open"
    if char in "”»“":
        return "close"
    # A straight mark opens after a space (or at the start) before a word, and closes otherwise.
    if (position == 0 or previous.isspace() or previous in "([—–") and not following.isspace():
        return "open"
    return "close"


def _after_sentence_end(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return bool(before) and before[-1] in ".!?…"


def _word_follows(text: str, position: int) -> bool:
    following = text[position + 1 : position + 2]
    return bool(following) and following.isalnum()


def _is_speech(span: _Span) -> bool:
    """Return whether a span is a quotation of speech rather than a term in quote marks."""
    words = span.text.split()
    if not words or not any(ch.isalpha() for ch in span.text):
        return False
    before = span.before.rstrip()
    starts = not before or before[-1] in ".!?…:—–" or before[-1] in CLOSERS + '"'
    if not starts and before.endswith(","):
        starts = bool(_VERB.search(before[-60:]))
    attributed = bool(_attribution_after(span))
    if span.open_ended and not starts:
        return False
    return starts and (len(words) >= MIN_WORDS or attributed)


def _attribution_after(span: _Span) -> str:
    """Return the clause after the quotation when it attributes it (`, X said`; `said X`; `according to X`)."""
    after = span.after
    if not after.strip():
        return ""
    end = _CLAUSE_END.search(after)
    clause = after[: end.start()] if end else after
    if end and end.group() in ':“«„"' and span.text.rstrip()[-1:] in ".!?…":
        return ""  # a new sentence that introduces the next quotation ("However, X answers: “…”")
    if len(clause.split()) > MAX_ATTRIBUTION_WORDS + 8:
        clause = " ".join(clause.split()[: MAX_ATTRIBUTION_WORDS + 8])
    clause = clause.strip(" ,–—-")
    verb = _VERB.search(clause)
    if not verb or len(clause[: verb.start()].split()) > MAX_ATTRIBUTION_WORDS:
        return ""
    return clause


def _speaker(span: _Span, people: PeopleIndex, body: str, last_speaker: str) -> str:
    clause = _attribution_after(span)
    at = span.offset
    if clause:
        verb = _VERB.search(clause)
        subject, rest = clause[: verb.start()].strip(" ,"), clause[verb.end() :].strip(" ,")
        if verb.group().lower() in ("according to", "in the words of"):
            subject = ""
        return _resolve(subject or rest, people, at, last_speaker)
    before = span.before.rstrip()
    if before.endswith(":") or (before.endswith(",") and _VERB.search(before[-80:])):
        sentence_start = max(before.rfind(". "), before.rfind("” "), -1) + 1
        intro = before[sentence_start:-1]
        intro_offset = span.offset - 1 - len(span.before) + sentence_start
        named = people.last_person_before(intro_offset + len(intro) + 1, since=intro_offset)
        if named:
            return named
        verb = _VERB.search(intro)
        if verb:
            subject = intro[: verb.start()].strip(" ,") if verb.group().lower() != "according to" else ""
            return _resolve(subject or intro[verb.end() :], people, at, last_speaker)
    return ""


def _introducing_sentence(span: _Span, people: PeopleIndex, body: str) -> str:
    """Return the person named, with a speech or opinion verb, by the sentence just before the quotation."""
    before = span.before.rstrip()
    if not before or before[-1] not in ".!?…":
        return ""
    sentence_start = max(before.rfind(". ", 0, len(before) - 1), before.rfind("” ", 0, len(before) - 1), -1) + 1
    sentence = before[sentence_start:]
    if not _OPINION.search(sentence):
        return ""
    paragraph_start = span.offset - 1 - len(span.before)
    return people.last_person_before(paragraph_start + len(before), since=paragraph_start + sentence_start) or ""


def _resolve(phrase: str, people: PeopleIndex, at: int, last_speaker: str) -> str:
    """Return who `phrase` (the words naming the speaker) means: a name, a role, or a pronoun."""
    chunk = phrase.split(",")[0].strip()
    runs = [run for run in name_runs(chunk) if not classify(run.text)]
    candidates = [run.text for run in runs if len(run.words) > 1 or run.text in people.by_surname]
    if not candidates and runs and chunk.endswith(runs[-1].text):
        candidates = [runs[-1].text]  # a name the piece gives nowhere in full ("…,” Smith said)
    if candidates:
        return people.resolve(candidates[-1])
    words = chunk.lower().split()
    if words and words[0] in PRONOUNS:
        return last_speaker or people.last_person_before(at) or ""
    role = _role_in(chunk.lower())
    if role:
        # A role the piece gives nobody by name stays the role ("the minister"), never someone else's name.
        return people.person_in_role(role, before=at) or chunk
    return ""


def _role_in(words: str) -> str | None:
    found = [(match.start(), role) for role in ROLE_SYNONYMS for match in re.finditer(rf"\b{role}\b", words)]
    if not found:
        return None
    # The head noun is the last role named ("the deputy minister" is a minister); the longer wins at a tie.
    found.sort(key=lambda item: (item[0] + len(item[1]), len(item[1])))
    return found[-1][1]


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    return text.rstrip(",").strip()
