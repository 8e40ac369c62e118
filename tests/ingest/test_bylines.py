import pytest

from articles.ingest.bylines import AuthorName, looks_like_byline, parse_byline

P, D, A = "person", "desk", "agency"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Alena Kazakova", [("Alena Kazakova", P)]),
        ("By Alena Kazakova", [("Alena Kazakova", P)]),
        ("BY Tom Reed", [("Tom Reed", P)]),
        ("Ada Obi and Bola Ade", [("Ada Obi", P), ("Bola Ade", P)]),
        ("Ada Obi, Bola Ade and Chidi Eze", [("Ada Obi", P), ("Bola Ade", P), ("Chidi Eze", P)]),
        ("Ada Obi & Bola Ade", [("Ada Obi", P), ("Bola Ade", P)]),
        ("Imran Qadir | Daily Courier", [("Imran Qadir", P)]),
        ("By Amir Wasim in Islamabad", [("Amir Wasim", P)]),
        ("Web Desk", [("Web Desk", D)]),
        ("News Desk", [("News Desk", D)]),
        ("Staff Report", [("Staff Report", D)]),
        ("Monitoring Desk", [("Monitoring Desk", D)]),
        ("Our Correspondent", [("Our Correspondent", D)]),
        ("APP", [("APP", A)]),
        ("AFP", [("AFP", A)]),
        ("Reuters", [("Reuters", A)]),
        ("AP", [("AP", A)]),
        ("PTI", [("PTI", A)]),
        ("Xinhua", [("Xinhua", A)]),
        ("Anadolu", [("Anadolu", A)]),
        ("Web Desk and APP", [("Web Desk", D), ("APP", A)]),
        ("Reuters/AFP", [("Reuters", A), ("AFP", A)]),
        ("", []),
    ],
)
def test_bylines_become_ordered_authors_of_the_right_kind(line, expected):
    assert parse_byline(line) == [AuthorName(name, kind) for name, kind in expected]


@pytest.mark.parametrize(
    "line",
    [
        "Alena Kazakova",
        "John Smith",
        "By Alena Kazakova",
        "Ada Obi and Bola Ade",
        "Web Desk",
        "APP",
        "Reuters",
        "Imran Qadir | Daily",
    ],
)
def test_name_lines_look_like_bylines(line):
    assert looks_like_byline(line)


@pytest.mark.parametrize(
    "line",
    [
        "Diplomatic confusion",
        "Got up at a crossroads",
        "Friendship is friendship, but business apart",
        "Key Points",
        "ABUJA",
        "Bitcoin Cash Price Decline",
        "The minister resigned.",
        "Alena Kazakova said.",
        "Vanguardngr | 24-01-2026 08:34pm |",
        "",
    ],
)
def test_headings_titles_and_sentences_are_not_bylines(line):
    assert not looks_like_byline(line)
