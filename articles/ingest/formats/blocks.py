"""The blocks a body is made of once its HTML is read: paragraphs, `## ` subheadings and lists of `- ` items."""

from dataclasses import dataclass

HEADING, PARAGRAPH, LIST = "heading", "paragraph", "list"


@dataclass
class HtmlBlock:
    """One paragraph, subheading or list of the body, with the texts of the links inside it."""

    kind: str
    text: str
    links: tuple[str, ...] = ()
