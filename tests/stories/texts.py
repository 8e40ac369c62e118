"""Invented pieces for story tests, and copies of them made the ways aggregators make them.

Each text is generated from a seed: sentences drawn from small invented word lists, so that two seeds give two
different stories and the same seed gives the same story. The copies (another outlet's footer, a cut copy, a new
headline, light edits, damage) and the look-alikes (one outlet's template daily outlooks) are made from them.
"""

import random

from tests.importing.conftest import piece_text

SUBJECTS = [
    "The council",
    "A regional court",
    "The port authority",
    "Farmers near the river",
    "The water board",
    "A group of nurses",
    "The city's mayor",
    "Two rival unions",
    "The rail operator",
    "A local brewery",
]
VERBS = [
    "approved",
    "rejected",
    "postponed",
    "questioned",
    "defended",
    "announced",
    "delayed",
    "reviewed",
    "welcomed",
    "challenged",
]
OBJECTS = [
    "a plan for new tram lines",
    "the budget for flood defences",
    "a ban on night deliveries",
    "the sale of the old shipyard",
    "a pay offer for hospital staff",
    "new rules for street markets",
    "the closure of two branch libraries",
    "a study of the harbour's silt",
    "the grain export quota",
    "an inquiry into the power cuts",
]
TAILS = [
    "on Monday, officials said",
    "after a long debate",
    "despite protests outside",
    "in a vote that surprised observers",
    "citing the cost of materials",
    "ahead of the winter season",
    "according to minutes seen by reporters",
    "with little explanation",
    "for the third time this year",
    "after months of talks",
]


def paragraphs(seed: int, count: int = 8) -> list[str]:
    """Return `count` invented paragraphs of three sentences each, the same for the same seed."""
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        sentences = [
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}, "
            f"and {rng.randint(2, 990)} residents {rng.choice(['wrote in', 'signed a letter', 'came to listen'])}."
            for _ in range(3)
        ]
        found.append(" ".join(sentences))
    return found


def piece(seed: int, *, title: str | None = None, source: str = "Harbour Times", body: list[str] | None = None) -> str:
    return piece_text(
        title or f"Story number {seed} for the record", source=source, paragraphs=body or paragraphs(seed)
    )


def cut_copy(seed: int, *, keep: int = 5, source: str = "Daily Courier") -> str:
    """The first `keep` paragraphs of the piece and a "Read more" trailer, under another outlet."""
    return piece(seed, source=source, body=[*paragraphs(seed)[:keep], "Read more on the original site."])


def lightly_edited(seed: int, *, source: str = "Steppe Review") -> str:
    """A few words changed in every other paragraph and one sentence dropped."""
    body = paragraphs(seed)
    body = [
        p.replace("officials said", "a spokesman said").replace(" and ", " while ", 1) if i % 2 else p
        for i, p in enumerate(body)
    ]
    body[3] = body[3].split(". ", 1)[-1]
    return piece(seed, source=source, body=body)


def damaged(seed: int, *, source: str = "Valley Post") -> str:
    """Mojibake and broken line-end hyphens the cleaner repairs."""
    body = [p.replace("council", "coun- cil").replace("'", "â€™") for p in paragraphs(seed)]
    body = [p.replace(", and", " â€” and", 1) for p in body]
    return piece(seed, source=source, body=body)


MOODS = ["momentum is weak", "momentum is strong", "volumes are thin", "the trend is intact"]
EVENTS = ["the jobs report", "the central bank minutes", "the inflation data", "a quiet week"]


def daily_outlook(day: int, *, source: str = "Forex Desk") -> str:
    """One outlet's template daily forex outlook: the same frame, vocabulary and topic every day, other figures and
    other calls."""
    rng = random.Random(1000 + day)
    pairs = ["EUR/USD", "GBP/USD", "USD/JPY", "AUD/USD", "USD/CHF"]
    body = ["Daily forex outlook. Here is what traders are watching in today's session."]
    for pair in pairs:
        level, move = rng.randint(1000, 1999) / 1000, rng.choice(["rise", "fall", "hold", "test resistance"])
        body.append(
            f"{pair} opened at {level:.4f} and may {move} towards {level + rng.randint(-90, 90) / 10000:.4f}. "
            f"Support sits near {level - rng.randint(10, 90) / 10000:.4f}, resistance near "
            f"{level + rng.randint(10, 90) / 10000:.4f}; {rng.choice(MOODS)} after {rng.choice(EVENTS)}."
        )
    body.append("This outlook is not investment advice. Trading carries risk.")
    return piece_text(f"Daily forex outlook for day {day}", source=source, paragraphs=body)
