"""Feed reading speed: microseconds per item to split, read and prepare each format, and feedparser's two ways.

    python bench/feed_formats.py [--n 2000] [--rounds 3]

Generates N items in the seed's shape (the import benchmark's generator: about 3.4 KB of body each, a subheading,
a byline, the WordPress footer) as RSS 2.0 the way WordPress writes it, RSS 1.0, Atom, JSON Feed, JSON lines and
a WordPress export, then for each format times, per item: cutting the document into raw items
(`iter_raw_items`), reading each item's fields (`read_item`) and building and cleaning the piece
(`prepare_item`). The median of `--rounds` rounds counts. For RSS it also times feedparser once over the whole
document against once per item (what `read_item` does), the choice the README explains.
"""

import argparse
import io
import json
import random
import statistics
import sys
import time
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for path in (str(REPO), str(REPO / "bench")):
    if path not in sys.path:
        sys.path.insert(0, path)

import feedparser  # noqa: E402
from import_speed import generate_piece  # noqa: E402

from articles.ingest.formats import iter_raw_items, read_item  # noqa: E402
from articles.ingest.prepare import prepare_item  # noqa: E402

NAMESPACES = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"'
)


def pieces(n: int) -> list[dict]:
    """Return N pieces as title, byline, outlet, paragraphs (a subheading marked with "## ")."""
    rng = random.Random(11)
    result = []
    for i in range(n):
        lines = generate_piece(i, rng).splitlines()
        title, byline, footer = lines[0], lines[4], lines[-1]
        outlet = footer.rsplit(" appeared first on ", 1)[1].rstrip(".")
        body = [line for line in lines[6:-2] if line and line != title]
        body = [f"## {line}" if len(line.split()) < 8 else line for line in body]
        result.append({"i": i, "title": title, "byline": byline, "outlet": outlet, "paragraphs": body})
    return result


def body_html(piece: dict) -> str:
    blocks = [
        f"<h2>{escape(p[3:])}</h2>" if p.startswith("## ") else f"<p>{escape(p)}</p>" for p in piece["paragraphs"]
    ]
    link = f"https://example.org/{piece['i']}"
    blocks.append(
        f'<p>The post <a rel="nofollow" href="{link}">{escape(piece["title"])}</a> appeared first on '
        f'<a rel="nofollow" href="https://outlet.example">{escape(piece["outlet"])}</a>.</p>'
    )
    return "\n".join(blocks)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss(items: list[dict]) -> bytes:
    out = [
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {NAMESPACES}><channel><title>Bench</title>'
        "<link>https://example.org</link>"
    ]
    for piece in items:
        teaser = escape(piece["paragraphs"][0][:200]) + " [&#8230;]"
        out.append(
            f"<item><title>{escape(piece['title'])}</title><link>https://example.org/{piece['i']}</link>"
            f"<dc:creator>{cdata(piece['byline'])}</dc:creator><pubDate>Tue, 14 May 2024 08:30:00 +0000</pubDate>"
            f'<category>{cdata("News")}</category><guid isPermaLink="false">https://example.org/?p={piece["i"]}</guid>'
            f"<description>{cdata('<p>' + teaser + '</p>')}</description>"
            f"<content:encoded>{cdata(body_html(piece))}</content:encoded></item>\n"
        )
    out.append("</channel></rss>")
    return "".join(out).encode()


def rdf(items: list[dict]) -> bytes:
    out = [
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel rdf:about="https://example.org/">'
        "<title>Bench</title><link>https://example.org/</link></channel>"
    ]
    for piece in items:
        out.append(
            f'<item rdf:about="https://example.org/{piece["i"]}"><title>{escape(piece["title"])}</title>'
            f"<link>https://example.org/{piece['i']}</link><dc:creator>{escape(piece['byline'])}</dc:creator>"
            f"<dc:date>2024-05-14T08:30:00Z</dc:date><content:encoded>{cdata(body_html(piece))}</content:encoded>"
            "</item>\n"
        )
    out.append("</rdf:RDF>")
    return "".join(out).encode()


def atom(items: list[dict]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Bench</title>'
        '<link href="https://example.org/"/><id>urn:bench</id><updated>2024-05-14T08:30:00Z</updated>'
    ]
    for piece in items:
        out.append(
            f'<entry><title>{escape(piece["title"])}</title><link href="https://example.org/{piece["i"]}"/>'
            f"<id>urn:bench:{piece['i']}</id><updated>2024-05-14T08:30:00Z</updated>"
            f"<author><name>{escape(piece['byline'])}</name></author>"
            f'<content type="html">{escape(body_html(piece))}</content></entry>\n'
        )
    out.append("</feed>")
    return "".join(out).encode()


def jsonfeed(items: list[dict]) -> bytes:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Bench",
        "items": [
            {
                "id": str(piece["i"]),
                "url": f"https://example.org/{piece['i']}",
                "title": piece["title"],
                "content_html": body_html(piece),
                "date_published": "2024-05-14T08:30:00Z",
                "authors": [{"name": piece["byline"]}],
                "tags": ["News"],
            }
            for piece in items
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def jsonl(items: list[dict]) -> bytes:
    lines = [
        json.dumps(
            {
                "title": piece["title"],
                "html": body_html(piece),
                "url": f"https://example.org/{piece['i']}",
                "published_at": "2024-05-14T08:30:00Z",
                "authors": [piece["byline"]],
                "tags": ["News"],
            },
            ensure_ascii=False,
        )
        for piece in items
    ]
    return ("\n".join(lines) + "\n").encode()


def wxr(items: list[dict]) -> bytes:
    out = [
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {NAMESPACES}><channel><title>Bench</title>'
        "<link>https://example.org</link><wp:wxr_version>1.2</wp:wxr_version>"
    ]
    for piece in items:
        stored = "\n\n".join(p if not p.startswith("## ") else f"<h2>{p[3:]}</h2>" for p in piece["paragraphs"])
        out.append(
            f"<item><title>{cdata(piece['title'])}</title><link>https://example.org/{piece['i']}</link>"
            f"<dc:creator>{cdata(piece['byline'])}</dc:creator>"
            f'<guid isPermaLink="false">https://example.org/?p={piece["i"]}</guid>'
            f"<content:encoded>{cdata(stored)}</content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>"
            "<wp:post_date_gmt>2024-05-14 08:30:00</wp:post_date_gmt><wp:status>publish</wp:status>"
            "<wp:post_type>post</wp:post_type></item>\n"
        )
    out.append("</channel></rss>")
    return "".join(out).encode()


FORMATS = {"rss": rss, "rdf": rdf, "atom": atom, "jsonfeed": jsonfeed, "jsonl": jsonl, "wxr": wxr}


def measure(data: bytes, fmt: str) -> dict[str, float]:
    """Return seconds spent splitting, reading and preparing every item of `data`, and the item count."""
    started = time.perf_counter()
    raws = list(iter_raw_items(io.BytesIO(data), fmt))
    split = time.perf_counter() - started
    started = time.perf_counter()
    fields = [read_item(raw) for raw in raws]
    read = time.perf_counter() - started
    started = time.perf_counter()
    for item in fields:
        prepare_item(item)
    prepare = time.perf_counter() - started
    return {"items": len(raws), "split": split, "read": read, "prepare": prepare}


def feedparser_whole(data: bytes) -> float:
    started = time.perf_counter()
    result = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    seconds = time.perf_counter() - started
    return seconds / len(result.entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="items per format")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    items = pieces(args.n)
    # Load what the staging workers' forkserver loads once (the word frequencies), so no format pays for it.
    prepare_item(read_item(next(iter_raw_items(io.BytesIO(rss(items[:1])), "rss"))))
    print(f"{args.n} items a format, median of {args.rounds} rounds, microseconds per item")
    print(f"{'format':<10}{'KB/item':>9}{'split':>9}{'read':>9}{'prepare':>9}{'total':>9}")
    rss_data = b""
    for fmt, build in FORMATS.items():
        data = build(items)
        rss_data = data if fmt == "rss" else rss_data
        rounds = [measure(data, fmt) for _ in range(args.rounds)]
        assert all(r["items"] == args.n for r in rounds), fmt
        median = {key: statistics.median(r[key] for r in rounds) * 1e6 / args.n for key in ("split", "read", "prepare")}
        total = sum(median.values())
        print(
            f"{fmt:<10}{len(data) / args.n / 1024:>9.1f}{median['split']:>9.0f}{median['read']:>9.0f}"
            f"{median['prepare']:>9.0f}{total:>9.0f}"
        )
    whole = statistics.median(feedparser_whole(rss_data) for _ in range(args.rounds)) * 1e6
    raws = list(iter_raw_items(io.BytesIO(rss_data), "rss"))
    per_item = (
        statistics.median(_timed(lambda: [read_item(raw) for raw in raws]) / len(raws) for _ in range(args.rounds))
        * 1e6
    )
    print(
        f"\nRSS through feedparser: whole document {whole:.0f} µs/item, one item at a time (read) {per_item:.0f}"
        f" µs/item ({per_item / whole:.2f}x)"
    )
    return 0


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
