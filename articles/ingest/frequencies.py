"""Word evidence per language: wordfreq's frequencies (Zipf scale) and a spelling dictionary, loaded once.

The spelling dictionary is pyspellchecker's English word list (about 160,000 words with their inflected forms:
"crudest", "scolding", "relocated"), shipped inside the package and read from disk: nothing is downloaded at run
time. It is held as a frozenset, so a lookup is O(1). Languages without a dictionary get an empty one (and so no
dictionary repairs).

wordfreq has lists for about 40 languages. Each language's table is read the first time a piece in that language
asks (tens of megabytes, a fraction of a second), then kept for the process; the staging workers' forkserver loads
English once for all of them (`preload.py`), any other language loads in each worker that meets it.
`has_word_list` says which languages the hyphen rules may repair at all.
"""

import gzip
import json
from functools import cache, lru_cache
from importlib.resources import files

from wordfreq import available_languages, zipf_frequency

DEFAULT_LANGUAGE = "en"

# The spelling dictionaries there are (pyspellchecker's); another language is judged on its frequencies alone.
DICTIONARY_FILES = {"en": "en.json.gz"}


@lru_cache(maxsize=262144)
def zipf(word: str, language: str = DEFAULT_LANGUAGE) -> float:
    """Return wordfreq's Zipf frequency of a lower-case word in `language` (an ISO 639-1 code with word lists:
    `has_word_list`), cached because lookups cost ~0.2 ms each."""
    return zipf_frequency(word, language)


def english_zipf(word: str) -> float:
    """Return wordfreq's English Zipf frequency of a lower-case word (cached, as `zipf`)."""
    return zipf(word, DEFAULT_LANGUAGE)


@lru_cache(maxsize=256)
def has_word_list(language: str | None) -> bool:
    """Return whether wordfreq has a word list for `language` that reads here: the hyphen rules repair only such
    languages' pieces.

    Chinese, Japanese and Korean lists need tokenizers that are not dependencies (jieba, MeCab): they count as none.
    """
    if not language or language not in available_languages(wordlist="best"):
        return False
    try:
        zipf(DEFAULT_LANGUAGE if language == DEFAULT_LANGUAGE else "a", language)
    except Exception:  # wordfreq raises ImportError (or its own errors) for a tokenizer it cannot load
        return False
    return True


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
