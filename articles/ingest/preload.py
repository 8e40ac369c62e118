"""What the staging workers' forkserver loads before forking them: the staging code and the English word
frequencies (a 0.15 s load and tens of megabytes), so that each worker starts with both in memory, shared."""

from articles.ingest import staging  # noqa: F401
from articles.ingest.frequencies import english_zipf

english_zipf("the")  # loads the whole frequency table, which every later lookup reuses
