import pytest

from articles.ingest.bylines import AuthorName, looks_like_byline, parse_byline, starts_like_byline

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


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Renée Müller", [("Renée Müller", P)]),
        ("By Renée Müller", [("Renée Müller", P)]),
        ("Алена Казакова", [("Алена Казакова", P)]),
        ("By José Álvarez and Zoë Brontë", [("José Álvarez", P), ("Zoë Brontë", P)]),
        ("José Álvarez and Zoë Brontë", [("José Álvarez", P), ("Zoë Brontë", P)]),
        ("Γιώργος Παπαδόπουλος", [("Γιώργος Παπαδόπουλος", P)]),
        ("Марʼяна Коваль", [("Марʼяна Коваль", P)]),
        ("Rene\u0301e Mu\u0308ller", [("Rene\u0301e Mu\u0308ller", P)]),  # accents as combining marks
        ("By Renée Müller in Zürich", [("Renée Müller", P)]),
        ("By محمد علي", [("محمد علي", P)]),
        ("By 王小明", [("王小明", P)]),
        ("By राहुल शर्मा", [("राहुल शर्मा", P)]),
        ("Par Jean Dupont", [("Jean Dupont", P)]),
        ("Por Ana López y Juan Pérez", [("Ana López", P), ("Juan Pérez", P)]),
        ("Von Anna Müller und Jörg Weiß", [("Anna Müller", P), ("Jörg Weiß", P)]),
        ("Di Maria Rossi e Luca Bianchi", [("Maria Rossi", P), ("Luca Bianchi", P)]),
        ("Автор: Алена Казакова и Марат Беков", [("Алена Казакова", P), ("Марат Беков", P)]),
        ("Von der Leyen", [("Von der Leyen", P)]),  # a name, not "by der Leyen"
        ("Di Stefano", [("Di Stefano", P)]),
    ],
)
def test_names_in_any_script_are_read_as_names(line, expected):
    assert looks_like_byline(line)
    assert parse_byline(line) == [AuthorName(name, kind) for name, kind in expected]


def test_a_long_byline_of_many_names_is_read_whole():
    names = [
        "Ada Obi",
        "Bola Ade",
        "Chidi Eze",
        "Dana Orlova",
        "Emeka Nwosu",
        "Fatima Bello",
        "Gustavo Lima",
        "Hana Sato",
    ]
    names += ["Ivan Petrov", "Júlia Gonçalves", "Kwame Mensah", "Lena Schröder"]
    line = "By " + ", ".join(names[:-1]) + " and " + names[-1]
    assert len(line) > 150
    assert looks_like_byline(line)
    assert parse_byline(line) == [AuthorName(name, P) for name in names]


@pytest.mark.parametrize(
    "line",
    [
        "Новости дня",  # sentence case: a heading
        "راهول",  # a script without case reads as a name only after "By"
        "Renée Müller said.",
        "By Renée Müller.",
        "Zürich Überblick 2024",
    ],
)
def test_non_ascii_headings_and_sentences_are_not_bylines(line):
    assert not looks_like_byline(line)


@pytest.mark.parametrize(
    ("line", "starts"),
    [
        ("By JOHN SMITH", True),
        ("By Ada Obi.", True),
        ("By Ada Obi and Bola Ade in Abuja.", True),
        ("By the numbers", False),
        ("By Monday, prices had doubled.", False),
        ("Ada Obi", False),
    ],
)
def test_a_line_that_opens_like_a_byline_is_told_from_a_sentence(line, starts):
    assert starts_like_byline(line) is starts
