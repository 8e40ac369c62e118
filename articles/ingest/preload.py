"""What the staging workers' forkserver loads before forking them: the staging code, the English word frequencies
and the English spelling dictionary (together about 0.4 s and tens of megabytes), so that each worker starts with
them in memory, shared."""

from articles.ingest import staging  # noqa: F401
from articles.ingest.frequencies import dictionary_words, english_zipf

english_zipf("the")  # loads the whole frequency table, which every later lookup reuses
dictionary_words("en")
