"""Reading a whole object from a token stream, as ``XContentParser.mapOrdered()`` does.

Shared by the YAML and CBOR token streams; the JSON one reads objects itself
(iteratively, to Jackson's depth).
"""

from __future__ import annotations

from typing import Any


class TokenTree:
    """A token stream's ``map_ordered``: subclasses give ``next_token``, ``current_name``
    and ``scalar`` (the current value token's value)."""

    current_name: str

    def next_token(self) -> str | None:
        raise NotImplementedError

    def scalar(self) -> Any:
        raise NotImplementedError

    def map_ordered(self) -> dict[str, Any]:
        """The object starting at the current START_OBJECT, fields in body order."""
        result: dict[str, Any] = {}
        while self.next_token() == "FIELD_NAME":
            name = self.current_name
            result[name] = self._value_here(self.next_token())
        return result

    def _value_here(self, token: str | None) -> Any:
        if token == "START_OBJECT":
            return self.map_ordered()
        if token == "START_ARRAY":
            items = []
            while (item := self.next_token()) != "END_ARRAY":
                items.append(self._value_here(item))
            return items
        return self.scalar()
