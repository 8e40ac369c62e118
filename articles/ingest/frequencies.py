"""Word evidence per language: wordfreq's frequencies (Zipf scale) and a spelling dictionary, loaded once.

The spelling dictionary is pyspellchecker's English word list (about 160,000 words with their inflected forms:
"crudest", "scolding", "relocated"), shipped inside the package and read from disk: nothing is downloaded at run
time. It is held as a frozenset, so a lookup is O(1). Languages without a dictionary get an empty one (and so no
dictionary repairs); `has_word_lists` says which languages the hyphen rules may repair at all.
"""

import gzip
import json
from functools import cache, lru_cache
from importlib.resources import files

from wordfreq import zipf_frequency

# The languages whose hyphen repairs the rules were written and measured for; another language's pieces are left
# as they are. wordfreq covers more, but the thresholds and the prefix and suffix lists are English.
DICTIONARY_FILES = {"en": "en.json.gz"}


@lru_cache(maxsize=131072)
def english_zipf(word: str) -> float:
    """Return wordfreq's English Zipf frequency of a lower-case word, cached because lookups cost ~0.2 ms each."""
    return zipf_frequency(word, "en")


def has_word_lists(language: str) -> bool:
    """Return whether the hyphen rules have word lists for `language` (an ISO 639-1 code such as "en")."""
    return language in DICTIONARY_FILES


@cache
def dictionary_words(language: str = "en") -> frozenset[str]:
    """Return the spelling dictionary of `language`: lower-case words, inflected forms included; empty if none."""
    name = DICTIONARY_FILES.get(language)
    if name is None:
        return frozenset()
    data = files("spellchecker").joinpath("resources", name).read_bytes()
    return frozenset(json.loads(gzip.decompress(data)))


def in_dictionary(word: str, language: str = "en") -> bool:
    """Return whether the lower-case `word` is spelt right in `language`'s dictionary."""
    return word in dictionary_words(language)
