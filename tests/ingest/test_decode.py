import codecs

import pytest

from articles.ingest.decode import DecodedText, DecodeError, decode_bytes

LIMIT = 10_000


def test_plain_utf8_is_read_as_utf8():
    assert decode_bytes("Nur-Sultan “said”".encode(), max_bytes=LIMIT) == DecodedText("Nur-Sultan “said”", "utf-8")


def test_a_utf8_bom_is_stripped_and_recorded():
    decoded = decode_bytes(codecs.BOM_UTF8 + b"Title\nBody.", max_bytes=LIMIT)
    assert decoded.text == "Title\nBody."
    assert decoded.encoding == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_read(encoding):
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    decoded = decode_bytes(bom + "Héllo wörld".encode(encoding), max_bytes=LIMIT)
    assert decoded.text == "Héllo wörld"
    assert decoded.encoding == "utf-16"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a\r\nb\r\n", "a\nb\n"), ("a\rb", "a\nb"), ("a\nb", "a\nb")],
)
def test_line_endings_become_newlines(raw, expected):
    assert decode_bytes(raw.encode(), max_bytes=LIMIT).text == expected


def test_cp1252_curly_quotes_are_read_as_cp1252():
    text = "The minister said “no” – and left. Café prices rose."
    decoded = decode_bytes(text.encode("cp1252"), max_bytes=LIMIT)
    assert decoded == DecodedText(text, "cp1252")


def test_cyrillic_in_cp1251_is_read_as_cp1251():
    text = "Казахстан и Россия подписали соглашение о сотрудничестве."
    decoded = decode_bytes(text.encode("cp1251"), max_bytes=LIMIT)
    assert decoded == DecodedText(text, "cp1251")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n\t \r\n", "whitespace"),
        (b"x" * (LIMIT + 1), f"{LIMIT + 1:,} bytes"),
        (b"PK\x03\x04\x00\x00binary\x00", "binary"),
        (bytes(range(1, 32)) * 20 + b"some text", "binary"),
    ],
)
def test_unreadable_input_raises_a_clear_error(data, words):
    with pytest.raises(DecodeError, match=words):
        decode_bytes(data, max_bytes=LIMIT)


def test_the_size_error_names_the_limit():
    with pytest.raises(DecodeError, match=f"limit of {LIMIT:,} bytes"):
        decode_bytes(b"y" * (LIMIT + 5), max_bytes=LIMIT)


def test_decode_error_is_a_value_error():
    assert issubclass(DecodeError, ValueError)


def test_utf8_cut_inside_its_last_character_keeps_the_rest_and_warns():
    decoded = decode_bytes("Títle\nBody – cut".encode()[:-1] + "é".encode()[:1], max_bytes=1000)
    assert decoded.encoding == "utf-8" and decoded.text == "Títle\nBody – cu"
    assert decoded.warnings and "cut off" in decoded.warnings[0]
