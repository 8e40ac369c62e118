"""English word frequencies (wordfreq's Zipf scale), cached: the hyphen rules and the byline reader ask often."""

from functools import lru_cache

from wordfreq import zipf_frequency


@lru_cache(maxsize=131072)
def english_zipf(word: str) -> float:
    """Return wordfreq's English Zipf frequency of a lower-case word, cached because lookups cost ~0.2 ms each."""
    return zipf_frequency(word, "en")
