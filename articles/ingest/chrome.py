"""Trailers and page chrome: the lines an aggregator or a site's theme puts around a piece, which are never its title
and never its body text (`Read more https://...`, `Source link`, `Click here to ...`, a bare address, `Related
Articles`, a comment form).

Only whole short lines are chrome: a trailer is a line of its own, a few words long. A sentence that merely starts
with the same words ("Click here" in a paragraph, "Read more about it in the report.") is text and stays. The parser
drops what `is_chrome_line` accepts and logs each drop as an edit (rule `page-chrome`), so an editor sees what went.
"""

import re

PAGE_CHROME = "page-chrome"
# A trailer is a line of at most this many words; longer lines are prose, whatever their first words.
MAX_TRAILER_WORDS = 12
# Lines after a theme's section heading ("Related Articles") are its list of other pieces' titles while they are
# short lines that do not end as a sentence ends.
MAX_RELATED_TITLE_WORDS = 20

_URL = r"(?:https?://|www\.)\S+"
# The words every kind of chrome line below starts with: one match that fails at once for nearly every line of
# text, so that the parser pays for the full rules only on the few lines that may be chrome.
_CHROME_START_RE = re.compile(
    r"(?:read|source|continue|click|tap|stay|don|subscribe|follow|join|advert|sponsored|share|like|loading|http|www"
    r"|leave|cancel|post|your|required|save|you|related|recommended|trending|also|see|\d|id|home)",
    re.IGNORECASE,
)
_END = r"[\s.:!…»›>|→-]*"
_TRAILER_RE = re.compile(
    "^(?:"
    # "Read more", "Read more: https://...", "Read more at Vanguard News", "Read Full Story", "Read the full article"
    r"read (?:more|the full (?:story|article|report)|full (?:story|article|report))"
    r"(?:\s+(?:at|on|from|here)\b[^.!?]*?)?"
    rf"{_END}(?:{_URL})?{_END}"
    rf"|source(?: link)?{_END}(?:{_URL}){_END}|source link{_END}"
    rf"|continue(?:d| reading)\b[^.!?]*?{_END}(?:{_URL})?{_END}"
    rf"|click here\b.*|tap here\b.*"
    rf"|stay updated\b.*|don[’']?t miss out\b.*|subscribe to our newsletter\b.*|follow us on\b.*"
    rf"|join our (?:whatsapp|telegram)\b.*"
    rf"|advertisement|sponsored|share this(?: article| story)?:?|like this:?|like loading\.\.\.|loading\.\.\."
    rf"|{_URL}"
    ")$",
    re.IGNORECASE,
)
# A comment form and the lines of a theme's footer.
_THEME_LINE_RE = re.compile(
    r"^(?:leave a (?:reply|comment)|cancel reply|post comment|"
    r"your email address will not be published\.?(?: required fields are marked \*)?|required fields are marked \*|"
    r"save my name, email, and website in this browser for the next time i comment\.?|"
    r"you must be logged in to post a comment\.?)$",
    re.IGNORECASE,
)
# The comment form's field labels: chrome only inside a section a "Leave a Reply" line opens.
_FORM_LABEL_RE = re.compile(r"^(?:comment|name|email|e-mail|website|url)\s*\*?$", re.IGNORECASE)
# A theme's section of other pieces: its heading, then their titles.
_RELATED_HEADING_RE = re.compile(
    r"^(?:related (?:articles|posts|stories|news)|you may also like|you might also like|more stories|"
    r"recommended for you|trending now|also read|read also|see also|"
    r"leave a (?:reply|comment)|\d+ (?:comments?|responses?|thoughts? on .{1,100}))\s*:?$",
    re.IGNORECASE,
)
# "READ ALSO: Title of another piece": a link to another piece, on a line of its own inside the body.
_SEE_ALSO_RE = re.compile(r"^(?:read also|also read|see also|related|recommended)\s*:\s*\S.*$", re.IGNORECASE)


def may_be_chrome(line: str) -> bool:
    """Return whether `line` starts as some chrome line does: False for nearly every line of text, at once."""
    return _CHROME_START_RE.match(line) is not None


def is_chrome_line(line: str) -> bool:
    """Return whether `line` (stripped) is a trailer or a line of page chrome rather than the piece's text."""
    if not _CHROME_START_RE.match(line):
        return False
    words = len(line.split())
    if not words:
        return False
    if _THEME_LINE_RE.match(line):  # whole lines of a comment form, written out: nothing else reads the same
        return True
    short = words <= MAX_TRAILER_WORDS and not _has_sentence_inside(line)
    if short and (_TRAILER_RE.match(line) or _RELATED_HEADING_RE.match(line)):
        return True
    return words <= MAX_RELATED_TITLE_WORDS and bool(_SEE_ALSO_RE.match(line))


def opens_theme_section(line: str) -> bool:
    """Return whether `line` is a theme's heading over a list of other pieces ("Related Articles") or over its
    comment form ("Leave a Reply")."""
    if not _CHROME_START_RE.match(line):
        return False
    return len(line.split()) <= MAX_TRAILER_WORDS and bool(_RELATED_HEADING_RE.match(line))


def in_theme_section(line: str) -> bool:
    """Return whether `line`, under a theme's section heading, is still that section: chrome, a field of the comment
    form, or another piece's title (short, and not ending as a sentence ends)."""
    if is_chrome_line(line) or _FORM_LABEL_RE.match(line):
        return True
    stripped = line.rstrip("\"'”’)] ")
    words = len(line.split())
    return 1 <= words <= MAX_RELATED_TITLE_WORDS and bool(stripped) and stripped[-1] not in ".!?…:;,"


_SENTENCE_INSIDE_RE = re.compile(r"[.!?](?:\s+)[\"“‘'(]?[A-Z]")


def _has_sentence_inside(line: str) -> bool:
    """Return whether a sentence ends inside `line` and another begins: "Click here. The council said ..." is text."""
    return bool(_SENTENCE_INSIDE_RE.search(line))
