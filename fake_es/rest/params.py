"""Query parameters every route takes, and the refusal of those nobody read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fake_es.rest.errors import EsError

# Read by the REST channel and controller for every request, so never "unrecognized".
RESPONSE_PARAMS = ("format", "filter_path", "pretty", "human", "error_trace")


def unrecognized_params_message(path: str, unread: Iterable[str], candidates: Iterable[str]) -> str:
    """``BaseRestHandler.unrecognized``: sorted names, each with its "did you mean"."""
    unread = sorted(unread)
    plural = "s" if len(unread) > 1 else ""
    parts = []
    for name in unread:
        close = suggestions(name, candidates)
        part = f"[{name}]"
        if len(close) == 1:
            part += f" -> did you mean [{close[0]}]?"
        elif close:
            part += f" -> did you mean any of [{', '.join(close)}]?"
        parts.append(part)
    return f"request [{path}] contains unrecognized parameter{plural}: " + ", ".join(parts)


def suggestions(name: str, candidates: Iterable[str]) -> list[str]:
    """Candidates more than half similar to ``name``, closest first, then by name."""
    scored = sorted(
        ((similarity(name, candidate), candidate) for candidate in set(candidates)),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return [candidate for score, candidate in scored if score > 0.5]


def similarity(target: str, other: str) -> float:
    """Lucene's ``LevenshteinDistance.getDistance``: 1 - edits / longer length."""
    if not target or not other:
        return 1.0 if target == other else 0.0
    previous = list(range(len(target) + 1))
    for j, other_char in enumerate(other, start=1):
        current = [j] + [0] * len(target)
        for i, target_char in enumerate(target, start=1):
            cost = 0 if target_char == other_char else 1
            current[i] = min(current[i - 1] + 1, previous[i] + 1, previous[i - 1] + cost)
        previous = current
    return 1.0 - previous[len(target)] / max(len(target), len(other))


def param_as_boolean(params: Mapping[str, str], name: str) -> bool:
    """``RestRequest.paramAsBoolean``: absent false, empty true, else exactly true/false."""
    value = params.get(name)
    if value is None or value == "false":
        return False
    if value in ("", "true"):
        return True
    # Booleans.parseBoolean's IllegalArgumentException.
    raise EsError(
        400,
        "illegal_argument_exception",
        f"Failed to parse value [{value}] as only [true] or [false] are allowed.",
        elasticsearch_exception=False,
    )
