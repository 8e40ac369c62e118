"""Record numbers typed by clients: ids in addresses, filters, the desk's `#123` search, page numbers.

`str.isdigit()` is true for characters `int()` refuses (superscripts such as `²`, other scripts' digits), and `int()`
turns any run of digits into a number no database column holds. A number a client typed is therefore read here:
ASCII digits only, within the range it is used in.
"""

MAX_ID = 2**63 - 1  # the largest value of a 64-bit primary key


def parse_whole_number(text, maximum: int) -> int | None:
    """Return `text` (ASCII digits only) as a number from 1 to `maximum`, or None when it is anything else."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if 1 <= number <= maximum else None


def parse_id(value) -> int | None:
    """Return `value` as a primary key (1 to MAX_ID) when it is one, as an int or in ASCII digits; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    return parse_whole_number(value, MAX_ID)
