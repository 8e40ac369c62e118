"""The places gazetteer: `places.txt` (countries, capitals, large cities, regions, seas), and, when pycountry is
installed (it is optional), every country and subdivision it names."""

from functools import cache
from pathlib import Path

PLACES_FILE = Path(__file__).with_name("places.txt")
# A run ending in one of these words names a place whether or not the gazetteer lists it ("Caspian Sea").
PLACE_WORDS = frozenset(
    """Sea Ocean River Lake Mountains Mountain Valley Strait Gulf Bay Island Islands Peninsula Province Region
    Oblast District County State Street Square Avenue Road Bridge Airport Corridor Canal Desert Basin Coast""".split()  # noqa: SIM905
)


@cache
def place_names() -> frozenset[str]:
    """Return every place name the gazetteer knows."""
    names = set()
    for line in PLACES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names.update(name.strip() for name in line.split("|"))
    try:
        import pycountry
    except ImportError:
        return frozenset(names)
    for country in pycountry.countries:
        names.update(getattr(country, attr) for attr in ("name", "common_name") if hasattr(country, attr))
    names.update(subdivision.name for subdivision in pycountry.subdivisions)
    return frozenset(names)


def is_place(name: str) -> bool:
    """Return whether `name` is a place: in the gazetteer, or ending in a geographic word ("Caspian Sea")."""
    words = name.split()
    return name in place_names() or (len(words) > 1 and words[-1] in PLACE_WORDS)
