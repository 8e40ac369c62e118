"""Legacy encodings: how often the importer's decoder reads a non-UTF-8 file right, against charset-normalizer.

    python bench/legacy_encodings.py [--repeat 20]

A measured set of files made here from texts written for it (invented, short and long, in the languages each
code page serves): cp1252, cp1251, koi8-r, cp1250, iso-8859-15 and latin-1, plus UTF-8 read once as cp1252 and
saved again (double-encoded UTF-8, in cp1252 and in UTF-8). A reading is right when it gives back exactly the text
the file was made from (for the double-encoded file in UTF-8: the mojibake it holds, which the cleaner repairs).
Compared: `articles.ingest.decode.decode_bytes` (strict UTF-8, then each legacy code page scored by how much the
reading looks like writing) and charset-normalizer's best guess, unrestricted and limited to the decoder's own
code pages. charset-normalizer is not a dependency of the project (this measurement is why): install it into the
virtualenv to run the comparison (`.venv/bin/pip install charset-normalizer==3.5.2`); without it only the
decoder is measured.
"""

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WESTERN = [
    "Le conseil municipal a voté mercredi la réouverture du marché couvert, fermé depuis l'été dernier.",
    "Die Fähre über den Fluss fährt ab Montag wieder stündlich, teilte der Betreiber mit; Preise bleiben gleich.",
    "El ayuntamiento aprobó el presupuesto para la biblioteca: más horas los sábados y una sala para niños.",
    "Les élèves du lycée ont planté quarante arbres près de la gare, malgré la pluie et un vent glacé.",
    "Der Bäckermeister verkauft das Brot vom Vortag zum halben Preis, statt es wegzuwerfen.",
    "La cooperativa de pescadores pidió más control en el puerto después de la tormenta de marzo.",
]
CURLY = "“Wir sind zufrieden”, sagte die Bürgermeisterin – die Stadt spart 12 000 € im Jahr… ‘vorerst’."
EURO = "Le ticket coûte désormais 2 € ; la mairie espère 15 % de voyageurs en plus."
CYRILLIC = [
    "Городской совет в среду одобрил ремонт старого моста через реку, работы начнутся весной.",
    "Паром между берегами снова ходит каждый час, сообщил перевозчик; цены не изменились.",
    "Библиотека будет открыта по субботам, а в читальном зале появится уголок для детей.",
    "Ученики школы посадили сорок деревьев у вокзала, несмотря на дождь и холодный ветер.",
    "Пекарня продаёт вчерашний хлеб за полцены, вместо того чтобы его выбрасывать.",
]
CENTRAL = [
    "Rada miasta zatwierdziła w środę remont starego mostu; prace zaczną się wiosną przyszłego roku.",
    "Prom między brzegami znów kursuje co godzinę, poinformował przewoźnik; ceny się nie zmieniły.",
    "Městská knihovna bude otevřena i v sobotu a v čítárně vznikne koutek pro děti.",
    "Žáci školy vysadili čtyřicet stromů u nádraží, přestože pršelo a foukal studený vítr.",
    "Piekarnia sprzedaje wczorajszy chleb za pół ceny, zamiast go wyrzucać.",
]


def piece(title: str, paragraphs: list[str], repeat: int) -> str:
    """Return a piece in the seed's shape: title, title again, then the paragraphs (`repeat` rounds of them)."""
    return "\n".join([title, "", title, "", *(paragraphs * repeat)]) + "\n"


def measured_set() -> list[tuple[str, bytes, str]]:
    """Return (label, file bytes, the text they were made from) for every file of the set."""
    files = []

    def add(label, text, encoding):
        files.append((label, text.encode(encoding), text))

    for size, repeat in (("short", 0), ("long", 6)):
        for encoding, paragraphs in (
            ("cp1252", [*WESTERN, CURLY]),
            ("latin-1", WESTERN),
            ("iso-8859-15", [*WESTERN, EURO]),
            ("cp1251", CYRILLIC),
            ("koi8-r", CYRILLIC),
            ("cp1250", CENTRAL),
        ):
            if repeat:
                add(f"{encoding} {size}", piece(paragraphs[0][:40], paragraphs, repeat), encoding)
            else:  # one line each: a title or a teaser, the hardest to guess
                for number, line in enumerate(paragraphs):
                    add(f"{encoding} {size} #{number + 1}", line + "\n", encoding)
        # UTF-8 read as cp1252 ("votÃ©"): saved as cp1252 again, the bytes are the UTF-8 of the text, and the right
        # reading is that text; saved as UTF-8, the file holds the mojibake itself, which the cleaner repairs later.
        text = piece(WESTERN[0][:40], WESTERN, repeat) if repeat else WESTERN[0] + "\n"
        mojibake = text.encode("utf-8").decode("cp1252")
        files.append((f"double-encoded UTF-8 saved as cp1252 {size}", mojibake.encode("cp1252"), text))
        add(f"double-encoded UTF-8 saved as UTF-8 {size}", mojibake, "utf-8")
    return files


def read_with_decoder(data: bytes) -> str:
    from articles.ingest.decode import decode_bytes

    return decode_bytes(data, max_bytes=10 * 1024 * 1024).text


def read_with_charset_normalizer(data: bytes, candidates=None) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=candidates).best()
    return str(best).replace("\r\n", "\n") if best is not None else ""


def measure(readers, files, repeat: int) -> None:
    for name, read in readers:
        right, misses, seconds = 0, [], []
        for label, data, text in files:
            try:
                ok = read(data) == text
            except Exception as error:  # a reader that fails on a file is a miss, with the reason shown
                ok, label = False, f"{label} ({type(error).__name__})"
            right += ok
            if not ok:
                misses.append(label)
            started = time.perf_counter()
            for _ in range(repeat):
                with contextlib.suppress(Exception):  # timed as it is; counted as a miss above
                    read(data)
            seconds.append((time.perf_counter() - started) / repeat)
        print(f"{name}: {right}/{len(files)} right, median {statistics.median(seconds) * 1e6:,.0f} µs a file")
        for label in misses:
            print(f"    wrong: {label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="Readings per file for the timing.")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    files = measured_set()
    print(f"{len(files)} files, {sum(len(d) for _, d, _ in files):,} bytes")
    readers = [("decode_bytes", read_with_decoder)]
    try:
        import charset_normalizer
    except ImportError:
        print("charset-normalizer is not installed: measuring the decoder alone.")
    else:
        from articles.ingest.decode import LEGACY_ENCODINGS

        version = charset_normalizer.__version__
        readers += [
            (f"charset-normalizer {version}", read_with_charset_normalizer),
            (
                f"charset-normalizer {version}, the decoder's code pages only",
                lambda data: read_with_charset_normalizer(data, [e.replace("-", "_") for e in LEGACY_ENCODINGS]),
            ),
        ]
    measure(readers, files, args.repeat)


if __name__ == "__main__":
    main()
