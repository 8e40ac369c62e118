"""Quotations and their speakers, read from cleaned bodies: the seed's, and cases of each kind the reader handles."""

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest.prepare import prepare_piece
from articles.reading.quotes import read_quotes
from tests.conftest import SHARED_SAMPLES

SEED_QUOTES = [
    ("Timur Suleimenov", "Of course, Russia would like us to be more on their side"),
    ("Timur Suleimenov", "We will comply with the sanctions."),
    ("Alibek Kuantirov", "Trade with Russia will continue"),
    ("Islam Kuraev", "Kazakhstan will not refuse cooperation with Russia"),
    ("Ilya Grashchenkov", "Moreover, I don’t think"),
    ("Kassym-Zhomart Tokayev", "Kazakhstan and Russia, as states with the longest border"),
]


def speakers_of(body: str) -> list[tuple[str, str]]:
    return [(quote.speaker, quote.text) for quote in read_quotes(body)]


@pytest.mark.shared_samples
def test_the_seed_s_quotes_have_their_speakers(tmp_path):
    copy = tmp_path / "seed.txt"
    shutil.copyfile(SHARED_SAMPLES / "seed.txt", copy)
    found = speakers_of(prepare_piece(copy.read_text(encoding="utf-8")).body)
    for speaker, start in SEED_QUOTES:
        assert any(who == speaker and text.startswith(start) for who, text in found), (speaker, start, found)


@pytest.mark.shared_samples
def test_the_seed_s_terms_in_quote_marks_are_not_quotations(tmp_path):
    copy = tmp_path / "seed.txt"
    shutil.copyfile(SHARED_SAMPLES / "seed.txt", copy)
    texts = [text for _speaker, text in speakers_of(prepare_piece(copy.read_text(encoding="utf-8")).body)]
    for term in ("accordance with the UN charter", "Z", "anti-Russian", "On the East-West", "neither the situation"):
        assert not any(text.startswith(term) for text in texts), term


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "“The harbour will stay open,” Tom Okafor said.",
            [("Tom Okafor", "The harbour will stay open")],
            id="curly-name-said",
        ),
        pytest.param(
            '"The harbour will stay open," said harbour master Tom Okafor.',
            [("Tom Okafor", "The harbour will stay open")],
            id="straight-said-name",
        ),
        pytest.param(
            "“Fees rise in May,” Okafor explained, “and again in June.”",
            [("Okafor", "Fees rise in May"), ("Okafor", "and again in June.")],
            id="name-explained-with-the-quote-resumed",
        ),
        pytest.param(
            "“Prices will fall next year,” according to economist Li Wei.",
            [("Li Wei", "Prices will fall next year")],
            id="according-to",
        ),
        pytest.param(
            "According to Li Wei, “prices will fall next year and rise after.”",
            [("Li Wei", "prices will fall next year and rise after.")],
            id="according-to-before",
        ),
        pytest.param(
            "Ruth Mensah, a teacher at the school, said: “The classes are too big.”",
            [("Ruth Mensah", "The classes are too big.")],
            id="name-said-colon",
        ),
        pytest.param(
            "Prime Minister Jane Doe opened the plant. “We will build three more,” the prime minister explained.",
            [("Jane Doe", "We will build three more")],
            id="role-by-title",
        ),
        pytest.param(
            "The head of state, Ana Silva, flew in on Monday.\n\n“The army is ready,” the president said.",
            [("Ana Silva", "The army is ready")],
            id="role-by-another-name",
        ),
        pytest.param(
            "“The roof leaks,” said Maria Lopez. The deputy head, Ivo Marin, agreed. “We need money,” she added.",
            [("Maria Lopez", "The roof leaks"), ("Maria Lopez", "We need money")],
            id="pronoun-is-the-last-named-speaker",
        ),
        pytest.param(
            "“The first part of a long statement.\n\n“And its second paragraph,” said Omar Haddad.",
            [("Omar Haddad", "The first part of a long statement.\n\nAnd its second paragraph")],
            id="quote-continued-over-paragraphs",
        ),
        pytest.param(
            "“The first sentence. And the second one, on the same theme,” Ken Adams said. “And a third.”",
            [
                ("Ken Adams", "The first sentence. And the second one, on the same theme"),
                ("Ken Adams", "And a third."),
            ],
            id="quote-continued-over-sentences",
        ),
        pytest.param(
            "Ken Adams believes that the plan will fail. “Nobody has asked the drivers what they think.”",
            [("Ken Adams", "Nobody has asked the drivers what they think.")],
            id="introduced-by-the-sentence-before",
        ),
        pytest.param(
            "“Nobody asked the drivers at all,” a source close to the board said.",
            [("", "Nobody asked the drivers at all")],
            id="unnamed-speaker",
        ),
        pytest.param(
            "He used the word “unacceptable” twice, and officials called it a “temporary measure”.",
            [],
            id="terms-in-quote-marks",
        ),
    ],
)
def test_quotes_and_their_speakers(body, expected):
    assert speakers_of(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "An odd mark “ here and there, and “another one that never ends.",
        "” A stray closer first, then nothing.",
        '"',
        "“",
        "”“”“",
        'He said "yes" and "no" and then " again.',
        "“" * 500 + "text" + "”" * 3,
    ],
)
def test_unpaired_quote_marks_never_crash(body):
    for quote in read_quotes(body):
        assert quote.text in body.replace("\n\n", " ") or "\n\n" in quote.text


def test_an_unclosed_quote_ends_with_its_paragraph():
    body = "“This quotation never closes and goes on,” nobody says.\n\n“Neither does this one, ever\n\nPlain text."
    found = read_quotes(body)
    assert all("Plain text" not in quote.text for quote in found)
    assert found[-1].text == "Neither does this one, ever"


def test_a_stray_mark_inside_a_quotation_is_passed_over():
    found = speakers_of("“About 70 “% of goods go through Russia,” Islam Kuraev said.")
    assert found == [("Islam Kuraev", "About 70 “% of goods go through Russia")]


def test_a_whole_body_of_quote_marks_is_never_one_quotation():
    paragraphs = [f"“Paragraph {n} opens a quote and says {n} things" for n in range(50)]
    found = read_quotes("\n\n".join(paragraphs))
    assert max(len(quote.text) for quote in found) < 100 * 50


PARTS = [*'“”"«»„ .,:;', "\n\n", " Ann Lee", " said", " the president", " he", " Lee", " words"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PARTS), max_size=60).map("".join))
def test_any_text_reads_without_error_and_quotes_come_from_it(body):
    flat = " ".join(body.split())
    for quote in read_quotes(body):
        assert all(part in flat for part in quote.text.split("\n\n"))
