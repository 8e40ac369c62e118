"""Article bodies as HTML.

Bodies are stored as plain text with three conventions (blank lines between paragraphs, `## ` subheadings, `- `
bullets). Every piece of text is escaped before it is wrapped in a tag, so the output contains no markup that was
not put there by this module: it is safe to embed without further sanitising.
"""

from html import escape


def render_body_html(body: str) -> str:
    """Return `body` as HTML: `<p>` paragraphs, `<h2>` subheadings and `<ul><li>` lists, all text escaped."""
    blocks: list[str] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(f"<p>{escape(' '.join(paragraph))}</p>")
            paragraph.clear()
        if bullets:
            blocks.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in bullets) + "</ul>")
            bullets.clear()

    for raw_line in (body or "").splitlines():
        line = raw_line.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(f"<h2>{escape(line[3:].strip())}</h2>")
        elif line.startswith("- "):
            if paragraph:
                flush()
            bullets.append(line[2:].strip())
        else:
            if bullets:
                flush()
            paragraph.append(line)
    flush()
    return "\n".join(blocks)
