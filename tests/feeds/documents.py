"""Invented RSS feeds for the feed tests, built from a few fields per item (WordPress's shape: content:encoded,
dc:creator, the footer naming the outlet)."""

from xml.sax.saxutils import escape


def item(n: int, *, prefix: str, guid: str | None = None, words: str = "") -> dict:
    return {
        "guid": guid if guid is not None else f"https://wire.example/?p={prefix}-{n}",
        "title": f"{prefix} story number {n}",
        "link": f"https://wire.example/{prefix.lower().replace(' ', '-')}/{n}/",
        "paragraphs": [
            f"The council of {prefix} met on day {n} and agreed a budget for the harbour {words}.".replace(" .", "."),
            f"Residents asked about ferry number {n * 3}, and officials promised an answer next week.",
        ],
    }


def rss(items: list[dict], *, title: str = "Wire Desk", outlet: str = "The Harbour Gazette") -> bytes:
    """An RSS 2.0 feed of `items` (from `item`), each ending with WordPress's footer naming `outlet`."""
    entries = []
    for entry in items:
        body = "".join(f"<p>{escape(paragraph)}</p>\n" for paragraph in entry["paragraphs"])
        footer = (
            f'<p>The post <a href="{entry["link"]}">{escape(entry["title"])}</a> appeared first on '
            f'<a href="https://gazette.example">{escape(outlet)}</a>.</p>'
        )
        guid = f'<guid isPermaLink="false">{escape(entry["guid"])}</guid>' if entry["guid"] else ""
        entries.append(
            f"<item><title>{escape(entry['title'])}</title><link>{entry['link']}</link>"
            "<dc:creator><![CDATA[Mira Oduya]]></dc:creator><pubDate>Tue, 01 Dec 2026 08:30:00 +0000</pubDate>"
            f"{guid}<content:encoded><![CDATA[{body}{footer}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{escape(title)}</title><link>https://wire.example/</link>"
        f"<description>Invented news for tests</description>{''.join(entries)}</channel></rss>\n"
    ).encode()
