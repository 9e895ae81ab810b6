"""The README's examples run: its plugin examples as a user's tests, its curl session."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from support import FakeClient

pytest_plugins = ["pytester"]

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_plugin_examples_pass_as_a_users_tests(pytester):
    blocks = python_blocks(section("Using the pytest plugin"))
    assert len(blocks) == 3
    for number, block in enumerate(blocks):
        pytester.makepyfile(**{f"test_readme_{number}": block})
    pytester.runpytest().assert_outcomes(passed=3)


def test_quickstart_curl_session_gives_the_shown_answer():
    quickstart = section("Quickstart")
    command, answer = re.search(r"\$ (curl .*?)\n(\{.*?\})\n```", quickstart, flags=re.S).groups()
    words = shlex.split(command.replace("\\\n", " "))
    url = next(word for word in words if word.startswith("localhost:9200"))
    body = words[words.index("-d") + 1]
    response = FakeClient().put(url.removeprefix("localhost:9200"), raw=body)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == answer
    assert json.loads(body)["service"] == "elser"


def test_security_example_is_a_valid_configuration():
    from fake_es.security.realm import SecurityRealm

    [block] = re.findall(r"```json\n(.*?)```", section("What it answers"), flags=re.S)
    SecurityRealm(json.loads(block))
