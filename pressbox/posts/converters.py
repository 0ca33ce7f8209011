from django.urls import register_converter


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return f"{int(value):02d}"


class Year:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return f"{int(value):04d}"


class Slug:
    """A WordPress slug: lower-case letters of any script, digits, hyphens, %-escapes."""

    # NUL never reaches the database: PostgreSQL rejects it in text and would answer 500.
    regex = "[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CategoryPath(Slug):
    """`parent/child/grandchild`, as WordPress nests category URLs."""

    regex = "[^\x00]+?"


register_converter(TwoDigits, "mm")
register_converter(CategoryPath, "catpath")
register_converter(Year, "yyyy")
register_converter(Slug, "wpslug")
