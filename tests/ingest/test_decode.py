import codecs
import importlib.util
from pathlib import Path

import pytest

from articles.ingest.decode import DecodedText, DecodeError, decode_bytes

LIMIT = 10_000
BENCH = Path(__file__).resolve().parents[2] / "bench"


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
    "text",
    [
        "Паром между берегами снова ходит каждый час.",
        "Городской совет одобрил ремонт моста.\n\nРаботы начнутся весной, сообщил перевозчик.\n" * 20,
    ],
)
def test_cyrillic_in_koi8_r_is_read_as_koi8_r_not_as_cp1251(text):
    assert decode_bytes(text.encode("koi8_r"), max_bytes=LIMIT) == DecodedText(text, "koi8_r")


@pytest.mark.parametrize("text", ["Le ticket coûte 2 € ; le cœur du marché.", "Ein Preis von 12 € pro Tag."])
def test_latin_9_with_its_euro_sign_and_ligatures_is_read_as_latin_9(text):
    assert decode_bytes(text.encode("iso-8859-15"), max_bytes=LIMIT).text == text


def test_the_measured_set_of_legacy_files_reads_right_but_for_czech_one_liners():
    """The set `bench/legacy_encodings.py` measures, read by the decoder: every file gives back its text, except
    two one-line Czech teasers in cp1250 that read as plausible accented Latin in cp1252 (known, measured)."""
    bench = importlib.util.spec_from_file_location("legacy_encodings", BENCH / "legacy_encodings.py")
    module = importlib.util.module_from_spec(bench)
    bench.loader.exec_module(module)
    wrong = [label for label, data, text in module.measured_set() if decode_bytes(data, max_bytes=LIMIT).text != text]
    assert wrong == ["cp1250 short #3", "cp1250 short #4"]


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
