"""Build a labelled folder of stories at run time: real pieces and copies of them made the ways aggregators make them.

    python bench/make_story_corpus.py OUT [--seed 1] [--samples ../shared/samples] [--lookalikes 12]

The bases are the seed and the real pieces of `../shared/samples/` (read there, never copied into the repository:
generate into a temporary folder) and `--lookalikes` invented daily market wraps of one outlet (one template, one
vocabulary, other figures and calls each day: different stories that look alike). Each base gets 0 to 5 copies, each
made by one to three of: another outlet's footer or a trailer after it, a cut after a few paragraphs (or sentences)
with a "Read more URL" trailer, a new headline, light edits (words changed, a sentence dropped, two swapped), new
damage (hyphen splits, spaces before punctuation, stray quotes), an RSS excerpt of 300 to 600 characters. The real
Forex Crunch outlooks (013, 016, 019) and the two Bitcoin price analyses (004, 010) are look-alikes of the samples
themselves: one outlet or one subject, different stories.

Writes OUT/*.txt and OUT/stories.json ({file name: story key}). The same --seed gives the same folder; another seed
draws other copies (other kinds, cuts, edits, damage, outlets) and other look-alikes: a held-out draw.
"""

import argparse
import json
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "samples"

OUTLETS = [
    "Daily Trust Aggregator",
    "NewsNow Digest",
    "Pulse Wire",
    "Global Headlines Hub",
    "Eastern Monitor",
    "Morning Brief Online",
    "The Reader's Desk",
    "Latest Nigeria News",
]
TRAILERS = ["Source link", "Read More", "Continue reading", "Source: {url}"]
NEW_HEADLINES = [
    "What we know so far: {words}",
    "Explained: {words}",
    "Breaking: {words}",
    "{words} – full report",
    "Analysis: {words}",
]
SWAPS = {
    "said": "stated",
    "says": "claims",
    "the": "this",
    "and": "as well as",
    "has": "had",
    "more": "further",
    "also": "too",
    "but": "however",
    "will": "would",
    "new": "fresh",
}
KINDS = ("footer", "cut", "headline", "edits", "damage", "excerpt")
FOOTER_RE = re.compile(r"\s*The post (?P<title>.+?) appeared first on (?P<source>[^.\n]+(?:\.[a-z]+)?)\.\s*\Z", re.S)


def bases(samples: Path) -> list[tuple[str, str]]:
    """Return (key, text) of the seed and every real piece."""
    found = [("seed", (samples / "seed.txt").read_text(encoding="utf-8"))]
    for path in sorted((samples / "pieces").glob("*.txt")):
        found.append((f"piece-{path.stem}", path.read_text(encoding="utf-8")))
    return found


def split(text: str) -> tuple[str, str | None, str | None]:
    """Return the text without its footer, the footer's title and its outlet (None when there is no footer)."""
    match = FOOTER_RE.search(text)
    if not match:
        return text.rstrip(), None, None
    return text[: match.start()].rstrip(), match["title"], match["source"]


def sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", paragraph) if s]


def head_and_body(text: str, title: str | None) -> tuple[list[str], list[str]]:
    """Split the lines before the body (title lines, byline, category and date lines: short, or the title) from the
    body's paragraphs."""
    lines = [line for line in text.splitlines() if line.strip()]
    head = []
    while len(lines) > 1 and len(head) < 4:
        line = lines[0].strip()
        if not (len(line) < 90 or line == title or line == lines[1].strip() or line in head):
            break
        head.append(lines.pop(0).strip())
    return head, lines


def cut(body: list[str], rng: random.Random) -> list[str]:
    if len(body) >= 4:
        return body[: rng.randint(2, max(2, len(body) // 2))]
    flat = [s for p in body for s in sentences(p)]
    if len(flat) < 3:
        return body
    return [" ".join(flat[: rng.randint((len(flat) + 1) // 2, max(2, len(flat) * 2 // 3))])]


def edit(body: list[str], rng: random.Random) -> list[str]:
    out = []
    for paragraph in body:
        words = paragraph.split(" ")
        for _ in range(max(1, len(words) // 40)):
            i = rng.randrange(len(words))
            words[i] = SWAPS.get(words[i], words[i])
        parts = sentences(" ".join(words))
        if len(parts) > 3 and rng.random() < 0.5:
            del parts[rng.randrange(len(parts))]
        if len(parts) > 2 and rng.random() < 0.4:
            i = rng.randrange(len(parts) - 1)
            parts[i], parts[i + 1] = parts[i + 1], parts[i]
        out.append(" ".join(parts))
    return out


def damage(body: list[str], rng: random.Random) -> list[str]:
    out = []
    for paragraph in body:
        words = paragraph.split(" ")
        for i, word in enumerate(words):
            roll = rng.random()
            if roll < 0.04 and len(word) > 6 and word.isalpha():
                at = rng.randint(2, len(word) - 3)
                words[i] = word[:at] + rng.choice(["-", "- "]) + word[at:]
            elif roll < 0.07 and len(word) > 1 and word[-1] in ",.;:":
                words[i] = word[:-1] + " " + word[-1]
            elif roll < 0.08:
                words[i] = rng.choice(["“", "”", '"']) + word
        out.append(" ".join(words))
    return out


def excerpt(body: list[str], rng: random.Random) -> list[str]:
    flat = " ".join(body)
    limit = rng.randint(300, 600)
    if len(flat) <= limit:
        return body
    return [flat[:limit].rsplit(" ", 1)[0] + " […]"]


DATE_RE = re.compile(r"\A\s*date \d{4}-\d{2}-\d{2}\s+")


def make_copy(text: str, kinds: list[str], rng: random.Random, serial: int) -> str:
    dated = DATE_RE.match(text)
    prefix, text = (dated[0].strip() + " ", text[dated.end() :]) if dated else ("", text)  # the date stays first
    rest, title, source = split(text)
    head, body = head_and_body(rest, title)
    url = f"https://{rng.choice(['example.com', 'news.example.org', 'aggregator.example.net'])}/story/{serial}"
    if "headline" in kinds:
        words = " ".join((title or body[0]).split()[: rng.randint(4, 7)])
        new = rng.choice(NEW_HEADLINES).format(words=words)
        head = [new if line.strip() == title else line for line in head]
        if new not in head:
            head.insert(0, new)
        title = new
    if "cut" in kinds:
        body = [*cut(body, rng), f"Read more {url}"]
    if "excerpt" in kinds:
        body = excerpt(body, rng)
    if "edits" in kinds:
        body = edit(body, rng)
    if "damage" in kinds:
        body = damage(body, rng)
    lines = [*head, *body]
    if title and ("footer" in kinds or source is None or rng.random() < 0.5):
        outlet = rng.choice(OUTLETS)
        lines.append(f"The post {title} appeared first on {outlet}.")
        if "footer" in kinds and rng.random() < 0.5:
            lines.append(rng.choice(TRAILERS).format(url=url))
    elif title and source:
        lines.append(f"The post {title} appeared first on {source}.")  # the aggregator kept the original's footer
    elif "footer" in kinds:
        lines.append(f"This post was syndicated from {rng.choice(OUTLETS)}. {rng.choice(TRAILERS).format(url=url)}")
    return prefix + "\n\n".join(lines) + "\n"


PAIRS = ["EUR/USD", "GBP/USD", "USD/JPY", "USD/NGN", "Gold", "Brent crude"]
CALLS = ["extend its gains", "slip back", "stay in a narrow range", "test the upper band", "retreat towards support"]
DRIVERS = [
    "the central bank's rate decision",
    "fresh inflation figures",
    "weak factory orders",
    "a rebound in oil prices",
    "profit-taking before the weekend",
    "comments from the finance minister",
    "a surprise in the jobs report",
]


def lookalike(day: int, rng: random.Random) -> str:
    """One day's market wrap of one outlet: the same frame and vocabulary every day, other figures and calls."""
    title = f"Market wrap, day {day}: {rng.choice(PAIRS)} to {rng.choice(CALLS)}"
    body = [
        f"Markets opened {rng.choice(['higher', 'lower', 'flat'])} on day {day} as traders weighed "
        f"{rng.choice(DRIVERS)} and {rng.choice(DRIVERS)}."
    ]
    for pair in rng.sample(PAIRS, 4):
        level = rng.randint(100, 9999) / 100
        body.append(
            f"{pair} traded at {level:.2f} in the morning session and could {rng.choice(CALLS)} after "
            f"{rng.choice(DRIVERS)}. Support is seen at {level * 0.98:.2f} and resistance at {level * 1.02:.2f}, "
            f"analysts said, with volumes {rng.choice(['thin', 'heavy', 'average'])} for the time of year."
        )
    body.append("This wrap is for information only and is not investment advice.")
    return "\n\n".join(
        [title, title, "Markets Desk", *body, f"The post {title} appeared first on Lagos Markets Daily."]
    )


def generate(out: Path, *, seed: int = 1, samples: Path = SAMPLES, lookalikes: int = 12) -> dict[str, str]:
    """Write the labelled folder into `out` and return its labels ({file name: story key})."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    labels: dict[str, str] = {}
    found = bases(samples)
    first_day = rng.randint(1, 300)
    found += [(f"wrap-{day}", lookalike(day, rng)) for day in range(first_day, first_day + lookalikes)]
    serial = 0
    for key, text in found:
        labels[f"{key}.txt"] = key
        (out / f"{key}.txt").write_text(text, encoding="utf-8")
        for n in range(rng.choice([0, 1, 2, 2, 3, 3, 4, 5])):
            kinds = sorted(rng.sample(KINDS, rng.choice([1, 1, 2, 3])))
            serial += 1
            name = f"{key}__{'+'.join(kinds)}__{n}.txt"
            (out / name).write_text(make_copy(text, kinds, rng, serial), encoding="utf-8")
            labels[name] = key
    (out / "stories.json").write_text(json.dumps(labels, indent=1, sort_keys=True), encoding="utf-8")
    return labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="The folder to write (outside the repository).")
    parser.add_argument("--seed", type=int, default=1, help="The random seed of the draw (1).")
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="The samples folder (../shared/samples).")
    parser.add_argument("--lookalikes", type=int, default=12, help="Invented look-alike daily wraps of one outlet.")
    args = parser.parse_args()
    labels = generate(args.out, seed=args.seed, samples=args.samples, lookalikes=args.lookalikes)
    print(f"{len(labels)} files, {len(set(labels.values()))} stories in {args.out}")


if __name__ == "__main__":
    main()
