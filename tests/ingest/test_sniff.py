import codecs

import pytest

from articles.ingest.formats import sniff_format
from tests.ingest.test_formats import FEEDS, ITEM_DOCUMENTS


@pytest.mark.parametrize(
    ("name", "expected"),
    [*ITEM_DOCUMENTS, ("page.html", "html"), ("empty.xml", "rss")],
)
def test_each_fixture_is_recognised_by_its_content(name, expected):
    assert sniff_format((FEEDS / name).read_bytes()) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Harbour fees to rise\n\nThe port authority will raise its fees.", "text"),
        (b"", "text"),
        (b"   \n\t", "text"),
        (codecs.BOM_UTF8 + b'\n  <?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', "rss"),
        (b"<!-- made --><?xml-stylesheet href='s.xsl'?>\n<!-- a -->\n<feed xmlns='urn:a'/>", "atom"),
        (b'<?xml version="1.0"?><atom:feed xmlns:atom="http://www.w3.org/2005/Atom"/>', "atom"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "rdf"),
        (b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd"><rss version="0.91"/>', "rss"),
        (b'<!DOCTYPE rss [<!ENTITY nbsp "&#160;">]><rss version="2.0"/>', "rss"),
        (b"<!doctype html><html><body>home</body></html>", "html"),
        (b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">\n<html>', "html"),
        (b"\n\n<html lang='en'><head><title>Site</title></head></html>", "html"),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"></html>', "html"),
        (b"<p>Just a paragraph of HTML.</p>", "html"),
        (b'<?xml version="1.0"?><opml version="2.0"/>', "unknown"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": []}', "jsonfeed"),
        (b'{\n  "version": "https://jsonfeed.org/version/1",\n  "items": []\n}', "jsonfeed"),
        (b'{"title": "A", "body": "x"}\n{"title": "B", "body": "y"}\n', "jsonl"),
        (b'{"title": "only one line"}', "jsonl"),
        (b'{"title": "broken\n{"title": "B", "body": "y"}\n', "jsonl"),
        (b"[1, 2, 3]", "unknown"),
        (b'{\n  "not": "a feed"\n}', "unknown"),
        (b"<< Breaking >> a text piece that opens with angle quotes", "text"),
        (codecs.BOM_UTF16_LE + '<?xml version="1.0" encoding="UTF-16"?><rss/>'.encode("utf-16-le"), "rss"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_sniffing_looks_past_marks_declarations_and_comments(data, expected):
    assert sniff_format(data) == expected


def test_a_wordpress_feed_is_rss_and_only_an_export_is_wxr():
    feed = b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item/></channel></rss>'
    export = (
        b'<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2'
        b"</wp:wxr_version><item><wp:post_type>post</wp:post_type></item></channel></rss>"
    )
    assert sniff_format(feed) == "rss"
    assert sniff_format(export) == "wxr"
