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


HTTPS = "### Serving HTTPS\n"


def https_subsection() -> str:
    text = section("Using the pytest plugin")
    start = text.index(HTTPS)
    end = text.find("\n### ", start + 1)
    return text[start : end if end != -1 else None]


def test_plugin_examples_pass_as_a_users_tests(pytester):
    # The HTTPS example's conftest would serve every other example over HTTPS: it runs alone.
    plugin = section("Using the pytest plugin").replace(https_subsection(), "")
    blocks = python_blocks(plugin)
    assert len(blocks) == 10
    for number, block in enumerate(blocks):
        pytester.makepyfile(**{f"test_readme_{number}": block})
    # The fake_es_env example's ini file, which the example after it needs.
    [ini] = re.findall(r"```ini\n(.*?)```", plugin, flags=re.S)
    pytester.makeini(ini)
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=12)


def test_the_https_example_passes_as_a_users_conftest_and_test(pytester):
    conftest, test = python_blocks(https_subsection())
    assert conftest.startswith("# conftest.py\n")
    pytester.makeconftest(conftest)
    pytester.makepyfile(test_readme_https=test)
    pytester.runpytest().assert_outcomes(passed=1)


def test_provider_examples_pass_as_a_users_tests(pytester):
    [block] = python_blocks(section("What it answers"))
    pytester.makepyfile(test_readme_providers=block)
    pytester.runpytest().assert_outcomes(passed=2)


def test_quickstart_curl_sessions_give_the_shown_answers():
    """The first as `make serve` answers (the newest release), the second as 8.11 does."""
    quickstart = section("Quickstart")
    sessions = re.findall(r"\$ (curl .*?)\n(\{.*?\})\n```", quickstart, flags=re.S)
    assert len(sessions) == 2
    for version, (command, answer) in zip(("9.5", "8.11"), sessions, strict=True):
        words = shlex.split(command.replace("\\\n", " "))
        url = next(word for word in words if word.startswith("localhost:9200"))
        body = words[words.index("-d") + 1]
        response = FakeClient(version).put(url.removeprefix("localhost:9200"), raw=body)
        assert response.status_code == 200
        assert response.get_data(as_text=True) == answer
        assert json.loads(body)["service"] == "elser"


def test_every_release_is_listed_where_the_readme_says_how_to_pick_one():
    from fake_es.versions import known_versions

    text = section("Picking a release")
    listed = re.search(r"Every release from 8.11 to 9.5 is known: (.*?)\.\s", text, re.S)
    assert listed is not None
    names = re.findall(r"\d+\.\d+", listed.group(1))
    assert names == known_versions()


def test_security_example_is_a_valid_configuration():
    from fake_es.security.realm import SecurityRealm

    [block] = re.findall(r"```json\n(.*?)```", section("What it answers"), flags=re.S)
    SecurityRealm(json.loads(block))


def services_table() -> str:
    """The README's table of services, generated from the service schemas."""
    from fake_es.inference.services import all_services

    lines = ["| Service | From | Task types |", "|---|---|---|"]
    for name in sorted(all_services()):
        facts = all_services()[name].schema["x-es-service"]
        since = " / ".join(facts["since"])
        kinds = []
        for task_type, arrived in facts["task_types"].items():
            later = arrived != facts["since"]
            kinds.append(f"{task_type} ({' / '.join(arrived)})" if later else task_type)
        lines.append(f"| `{name}` | {since} | {', '.join(kinds)} |")
    return "\n".join(lines)


def test_the_services_table_is_the_schemas():
    start = "<!-- services table: start -->\n"
    table = README[README.index(start) + len(start) : README.index("<!-- services table: end -->")]
    assert table.strip() == services_table(), "regenerate the table:\n" + services_table()


def test_the_without_pytest_example_runs(tmp_path):
    import subprocess
    import sys

    first = python_blocks(section("Without pytest, and without a socket"))[0]
    script = tmp_path / "example.py"
    script.write_text(first)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_every_control_route_is_in_the_control_api_table():
    from fake_es.control.routes import control_routes

    table = section("Control API")
    for route in control_routes():
        path = re.sub(r"<segment:(\w+)>", r"{\1}", route.path)
        for method in route.endpoints:
            assert f"{method} {path}" in table, f"{method} {path}"


def test_every_handle_method_is_in_the_handle_table():
    from fake_es.handle import FakeEs, Models, Providers

    table = section("Using the pytest plugin")
    for cls, prefix in ((FakeEs, ""), (Models, "models."), (Providers, "providers.")):
        for name in vars(cls):
            if not name.startswith("_"):
                assert re.search(rf"`({re.escape(prefix)})?{name}\b", table), prefix + name


def test_every_option_and_ini_key_is_in_the_readme():
    from fake_es.cli import ENVIRONMENT, _parser

    plugin = section("Using the pytest plugin")
    for name in ("host", "port", "version", "security-config", "protect-control-api",
                 "strict-faults", "env"):  # fmt: skip
        assert f"`--fake-es-{name}`" in plugin
        assert f"`fake_es_{name.replace('-', '_')}`" in plugin
    quickstart = section("Quickstart")
    for action in _parser()._actions:
        for flag in action.option_strings:
            if flag.startswith("--"):
                assert f"`{flag}" in quickstart, flag
    for variable in ENVIRONMENT.values():
        assert f"| `{variable}`" in quickstart or f", `{variable}`" in quickstart, variable


def test_the_journal_assertion_failure_shown_is_the_one_a_user_gets(pytester):
    text = section("Using the pytest plugin")
    [example] = [block for block in python_blocks(text) if "assert_requests_in_order" in block]
    shown = re.search(r"would fail with:\n\n```text\n(.*?)\n```", text, flags=re.S)
    assert shown is not None
    other = '"model_id": ".elser_model_2_linux-x86_64", "num_allocations"'
    sent = example.replace('"model_id": ".elser_model_2", "num_allocations"', other)
    assert sent != example
    pytester.makepyfile(test_readme_journal=sent)
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    lines = [line[8:] for line in result.outlines if line.startswith("E       ")]
    assert "\n".join(lines).removeprefix("AssertionError: ") == shown.group(1)
