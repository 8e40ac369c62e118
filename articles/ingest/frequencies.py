"""Word frequencies (wordfreq's Zipf scale) per language, cached: the hyphen rules and the byline reader ask often.

wordfreq has lists for about 40 languages. Each language's table is read the first time a piece in that language
asks (tens of megabytes, a fraction of a second), then kept for the process; the staging workers' forkserver loads
English once for all of them (`preload.py`), any other language loads in each worker that meets it.
"""

from functools import lru_cache

from wordfreq import available_languages, zipf_frequency

DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=262144)
def zipf(word: str, language: str = DEFAULT_LANGUAGE) -> float:
    """Return wordfreq's Zipf frequency of a lower-case word in `language` (an ISO 639-1 code with word lists:
    `has_word_list`), cached because lookups cost ~0.2 ms each."""
    return zipf_frequency(word, language)


def english_zipf(word: str) -> float:
    """Return wordfreq's English Zipf frequency of a lower-case word (cached, as `zipf`)."""
    return zipf(word, DEFAULT_LANGUAGE)


@lru_cache(maxsize=256)
def has_word_list(language: str) -> bool:
    """Return whether wordfreq has a word list for `language` that reads here.

    Chinese, Japanese and Korean lists need tokenizers that are not dependencies (jieba, MeCab): they count as none.
    """
    if language not in available_languages(wordlist="best"):
        return False
    try:
        zipf(DEFAULT_LANGUAGE if language == DEFAULT_LANGUAGE else "a", language)
    except Exception:  # wordfreq raises ImportError (or its own errors) for a tokenizer it cannot load
        return False
    return True
