"""Stories: copies of one piece from many outlets (near-copies included) recognised as one story.

`signatures.py` turns a cleaned body into MinHash band keys (pure, run in the staging workers); `matching.py`
verifies candidates by Jaccard similarity and containment; `assign.py` gives every new article its story inside the
import's transaction; `models.py` holds the story, its band rows and the editors' queue.
"""
