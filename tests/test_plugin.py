"""The pytest plugin, as a user's test suite sees it (pytester runs a fresh pytest)."""

from __future__ import annotations

import os
import socket

import pytest

pytest_plugins = ["pytester"]

HELPERS = """
import json
import urllib.error
import urllib.request

SEED = {"service": "elser", "service_settings": {"num_allocations": 1, "num_threads": 1}}


def put(url, model_id, body=SEED, task_type="sparse_embedding"):
    request = urllib.request.Request(
        f"{url}/_inference/{task_type}/{model_id}", data=json.dumps(body).encode(),
        method="PUT", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
"""


@pytest.fixture
def suite(pytester):
    pytester.makepyfile(helpers=HELPERS)
    return pytester


def test_fixture_is_there_without_any_conftest(suite):
    suite.makepyfile(
        """
        from helpers import put

        def test_create(fake_es):
            assert fake_es.url.startswith("http://127.0.0.1:")
            status, body = put(fake_es.url, "m")
            # The newest release by default: an `elser` create is an elasticsearch endpoint.
            assert status == 200 and body["inference_id"] == "m"
            assert fake_es.models.get("m")["service"] == "elasticsearch"
            assert fake_es.app.profile.number == "9.5.0"
        """
    )
    result = suite.runpytest()
    result.assert_outcomes(passed=1)
    assert not list(suite.path.glob("conftest.py"))


def test_each_test_starts_empty_on_the_same_server(suite):
    suite.makepyfile(
        """
        from helpers import put
        urls = []

        def test_first(fake_es):
            urls.append(fake_es.url)
            assert put(fake_es.url, "m")[0] == 200
            fake_es.fail("/nothing")

        def test_second(fake_es):
            urls.append(fake_es.url)
            assert fake_es.models.list() == []
            assert fake_es.requests == []
            assert fake_es.state.faults.pending() == []
            assert put(fake_es.url, "m")[0] == 200
            assert urls[0] == urls[1]
        """
    )
    suite.runpytest().assert_outcomes(passed=2)


def test_marker_seeds_models_through_the_api_validation(suite):
    suite.makepyfile(
        """
        import pytest
        from helpers import put

        @pytest.mark.fake_es_model("sparse_embedding", "seeded")
        @pytest.mark.fake_es_model("SPARSE_EMBEDDING", "two",
            {"service": "elser", "service_settings": {"num_allocations": 2, "num_threads": 4}})
        def test_seeded(fake_es):
            assert [m["inference_id"] for m in fake_es.models.list()] == ["seeded", "two"]
            assert fake_es.models.get("two")["service_settings"]["num_threads"] == 4
            status, body = put(fake_es.url, "seeded")
            assert status == 400
            assert body["error"]["type"] == "resource_already_exists_exception"

        @pytest.mark.fake_es_model("text_embedding", "bad")
        def test_bad_seed(fake_es):
            pass
        """
    )
    result = suite.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "fake_es_model('text_embedding', 'bad'): 400 status_exception: "
            "The [elasticsearch] service does not support task type [text_embedding]"
        ]
    )


def test_a_marker_the_fake_es_fixture_never_applies_warns(suite):
    suite.makepyfile(
        """
        import pytest

        @pytest.fixture
        def fake(fake_es):
            return fake_es

        @pytest.mark.fake_es_model("sparse_embedding", "m1")
        def test_unused(make_fake_es):
            assert make_fake_es().models.get("m1") is None

        @pytest.mark.fake_es_model("sparse_embedding", "m1")
        def test_through_a_fixture(fake):
            assert fake.models.get("m1") is not None

        @pytest.mark.fake_es_model("sparse_embedding", "m1")
        def test_asked_for_while_running(request):
            assert request.getfixturevalue("fake_es").models.get("m1") is not None

        @pytest.mark.fake_es_model("sparse_embedding", "m1")
        def test_mounted(fake_es_httpserver):
            assert fake_es_httpserver.models.get("m1") is not None

        def test_no_marker():
            pass
        """
    )
    result = suite.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=5, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "test_a_marker_the_fake_es_fixture_never_applies_warns.py::test_unused",
            "  *: FakeEsMarkerWarning: fake_es_model('sparse_embedding', 'm1') was not applied: "
            "the test does not use the fake_es fixture (directly or through another fixture), "
            "which creates the marker's models",
        ]
    )
    # The class is exported, so the warning can be made an error by name.
    strict = suite.runpytest(
        "-p", "no:randomly", "-W", "error::fake_es.FakeEsMarkerWarning", "-k", "unused"
    )
    strict.assert_outcomes(passed=1, errors=1, deselected=4)
    strict.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_unused*",
            "E   fake_es.pytest_plugin.FakeEsMarkerWarning: fake_es_model('sparse_embedding', "
            "'m1') was not applied: the test does not use the fake_es fixture (directly or "
            "through another fixture), which creates the marker's models",
        ]
    )
    assert "PluggyTeardownRaisedWarning" not in strict.stdout.str()


def test_a_bad_marker_fails_the_setup_with_a_readable_reason(suite):
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.fake_es_model("text_embedding", "m1", config={"service": "nope"})
        def test_unknown_service(fake_es):
            pass

        @pytest.mark.fake_es_model("bogus", "m1")
        def test_unknown_task_type(fake_es):
            pass

        @pytest.mark.fake_es_model("sparse_embedding", "Bad Id")
        def test_bad_id(fake_es):
            pass

        @pytest.mark.fake_es_model("sparse_embedding")
        def test_no_model_id(fake_es):
            pass

        @pytest.mark.fake_es_model("sparse_embedding", "m1", None, "extra")
        def test_extra_argument(fake_es):
            pass

        @pytest.mark.fake_es_model("sparse_embedding", "m1", settings={})
        def test_unknown_keyword(fake_es):
            pass

        @pytest.mark.fake_es_model("sparse_embedding", 7)
        def test_model_id_not_a_string(fake_es):
            pass

        @pytest.mark.fake_es_model("sparse_embedding", "m1", ["elser"])
        def test_config_not_a_dict(fake_es):
            pass

        @pytest.mark.fake_es_model("sparse_embedding", "m1", {"service": {"elser"}})
        def test_config_not_json(fake_es):
            pass
        """
    )
    result = suite.runpytest("-p", "no:randomly")
    result.assert_outcomes(errors=9)
    usage = "usage: @pytest.mark.fake_es_model(task_type, model_id, config=None)"
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_unknown_service*",
            "fake_es_model('text_embedding', 'm1', config={'service': 'nope'}): "
            "400 status_exception: Unknown service [nope]",
            "*ERROR at setup of test_unknown_task_type*",
            "fake_es_model('bogus', 'm1'): 400 status_exception: Unknown task_type [bogus]",
            "*ERROR at setup of test_bad_id*",
            "fake_es_model('sparse_embedding', 'Bad Id'): 400 action_request_validation_exception: "
            "Validation Failed: 1: Invalid inference_id; 'Bad Id' can contain lowercase "
            "alphanumeric (a-z and 0-9), hyphens or underscores; must start and end with "
            "alphanumeric;",
            "*ERROR at setup of test_no_model_id*",
            "fake_es_model('sparse_embedding'): missing a required argument: 'model_id'",
            usage,
            "*ERROR at setup of test_extra_argument*",
            "fake_es_model('sparse_embedding', 'm1', None, 'extra'): too many positional arguments",
            usage,
            "*ERROR at setup of test_unknown_keyword*",
            "fake_es_model('sparse_embedding', 'm1', settings={}): got an unexpected keyword "
            "argument 'settings'",
            usage,
            "*ERROR at setup of test_model_id_not_a_string*",
            "fake_es_model('sparse_embedding', 7): model_id must be a str, not int",
            usage,
            "*ERROR at setup of test_config_not_a_dict*",
            "fake_es_model('sparse_embedding', 'm1', ['elser']): config must be a dict or None, "
            "not list",
            usage,
            "*ERROR at setup of test_config_not_json*",
            "fake_es_model('sparse_embedding', 'm1', {'service': {'elser'}}): config is not "
            "JSON: Object of type set is not JSON serializable",
        ]
    )
    # The reason alone, not the plugin's traceback.
    assert "EsError" not in result.stdout.str()
    assert "pytest_plugin.py" not in result.stdout.str()
    assert "During handling" not in result.stdout.str()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_command_line_port_and_ini_version(suite):
    port = free_port()
    suite.makeini("[pytest]\nfake_es_version = 8.11\n")
    suite.makepyfile(
        f"""
        def test_port(fake_es, fake_es_version):
            assert fake_es.url == "http://127.0.0.1:{port}"
            assert fake_es_version == "8.11"
            assert fake_es.app.profile.number == "8.11.0"
        """
    )
    suite.runpytest(f"--fake-es-port={port}").assert_outcomes(passed=1)


def test_unknown_version_is_an_error_a_user_can_act_on(suite):
    suite.makepyfile("def test_v(fake_es):\n    pass\n")
    result = suite.runpytest("--fake-es-version=7.17")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert (
        "fake-es has no profile for Elasticsearch '7.17'; known releases: 8.11, 8.12, 8.13, "
        "8.14, 8.15, 8.16, 8.17, 8.18, 8.19, 9.0, 9.1, 9.2, 9.3, 9.4, 9.5 (X.Y or X.Y.Z)"
    ) in result.stderr.str()


def test_marker_serves_a_test_from_a_fake_of_another_release(suite):
    suite.makepyfile(
        """
        import pytest
        from helpers import put

        seen = {}

        @pytest.mark.fake_es(version="8.11")
        def test_old(fake_es):
            seen["old"] = fake_es.url
            status, body = put(fake_es.url, "m")
            assert (status, body["model_id"], body["service"]) == (200, "m", "elser")

        @pytest.mark.fake_es(version="8.19.2")
        def test_middle(fake_es):
            status, body = put(fake_es.url, "m")
            assert (status, body["inference_id"], body["service"]) == (200, "m", "elasticsearch")
            assert fake_es.app.profile.number == "8.19.0"

        def test_default(fake_es):
            assert fake_es.url != seen["old"]
            assert fake_es.models.list() == []
            assert fake_es.app.profile.number == "9.5.0"

        @pytest.mark.fake_es(version="8.11")
        def test_old_again_is_the_same_fake_cleared(fake_es):
            assert fake_es.url == seen["old"]
            assert fake_es.models.list() == []
        """
    )
    suite.runpytest("-p", "no:randomly").assert_outcomes(passed=4)


def test_listen_address_fixture_can_be_overridden(suite):
    port = free_port()
    suite.makeconftest(
        f"""
        import pytest

        @pytest.fixture(scope="session")
        def fake_es_listen_address():
            return ("127.0.0.1", {port})
        """
    )
    suite.makepyfile(f"def test_port(fake_es):\n    assert fake_es.url.endswith(':{port}')\n")
    suite.runpytest().assert_outcomes(passed=1)


def test_journal_assertion_fails_with_a_readable_difference(suite):
    suite.makepyfile(
        """
        from helpers import put

        def test_journal(fake_es):
            put(fake_es.url, "my-model")
            fake_es.assert_request_made("PUT", "/_inference/sparse_embedding/my-model", count=1)
            fake_es.assert_request_made(
                "PUT", "/_inference/sparse_embedding/my-model",
                json={"service": "elser",
                      "service_settings": {"num_allocations": 2, "num_threads": 1}})
        """
    )
    result = suite.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*expected at least 1 request(s) PUT /_inference/sparse_embedding/my-model with JSON*",
            "*requests made (1):",
            "*1. PUT /_inference/sparse_embedding/my-model -> 200",
            "*closest request differs:",
            "*JSON body (- made, + wanted):",
            '*-    "num_allocations": 1,',
            '*+    "num_allocations": 2,',
        ]
    )


def shown_error(result) -> str:
    """The assertion message as pytest shows it under the failing test (its ``E`` lines)."""
    lines = [line[8:] for line in result.outlines if line.startswith("E       ")]
    return "\n".join(lines).removeprefix("AssertionError: ")


ELSER_2 = {
    "service": "elasticsearch",
    "service_settings": {"model_id": ".elser_model_2", "num_allocations": 1, "num_threads": 1},
}


def test_a_partial_body_query_and_header_failure_as_a_user_sees_it(suite):
    suite.makepyfile(
        test_partial=f"""
        import urllib.request
        from helpers import put

        def test_partial(fake_es):
            put(fake_es.url, "m", {ELSER_2!r})
            request = urllib.request.Request(fake_es.url + "/_inference?pretty",
                                             headers={{"X-Opaque-Id": "job-7"}})
            urllib.request.urlopen(request).read()
            fake_es.assert_request_made(
                "PUT", json_contains={{"service_settings": {{"model_id": ".elser_model_2"}}}})
            fake_es.assert_request_made("GET", query={{"pretty": ""}},
                                        headers={{"x-opaque-id": "job-7"}}, count=1)
            fake_es.assert_request_made(
                "PUT", "/_inference/*/m",
                json_contains={{"service_settings": {{"model_id": ".elser_model_1"}}}})
        """
    )
    result = suite.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    assert shown_error(result) == (
        "expected at least 1 request(s) PUT /_inference/*/m with JSON body containing "
        '{{"service_settings": {{"model_id": ".elser_model_1"}}}}, found 0\n'
        "requests made (2):\n"
        "  1. PUT /_inference/sparse_embedding/m -> 200\n"
        "  2. GET /_inference?pretty= -> 200\n"
        "closest request differs:\n"
        "  PUT /_inference/sparse_embedding/m -> 200:\n"
        "    service_settings.model_id: expected '.elser_model_1', got '.elser_model_2'\n"
        "    JSON body, the keys wanted (- made, + wanted):\n"
        "    @@ -2,3 +2,3 @@\n"
        '       "service_settings": {{\n'
        '    -    "model_id": ".elser_model_2"\n'
        '    +    "model_id": ".elser_model_1"\n'
        "       }}"
    ).replace("{{", "{").replace("}}", "}")
    # The failure points at the test's own line, not inside the handle.
    result.stdout.fnmatch_lines(["test_partial.py:13: AssertionError"])


def test_requests_out_of_order_as_a_user_sees_it(suite):
    suite.makepyfile(
        test_order="""
        from fake_es import Expect
        from helpers import put

        def test_order(fake_es):
            put(fake_es.url, "a")
            put(fake_es.url, "b")
            put(fake_es.url, "c")
            fake_es.assert_requests_in_order("PUT /_inference/*/a", "PUT /_inference/*/c")
            fake_es.assert_requests_in_order(
                "PUT /_inference/*/b",
                Expect("PUT", "/_inference/*/a", json_contains={"service": "elser"}),
            )
        """
    )
    result = suite.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    assert shown_error(result) == (
        "expectation 2 of 2 not found after request 2: PUT /_inference/*/a with JSON body "
        'containing {"service": "elser"}\n'
        "matched in order:\n"
        "  1. PUT /_inference/*/b -> request 2\n"
        "it matches only earlier request(s): 1\n"
        "requests made (3):\n"
        "  1. PUT /_inference/sparse_embedding/a -> 200\n"
        "  2. PUT /_inference/sparse_embedding/b -> 200\n"
        "  3. PUT /_inference/sparse_embedding/c -> 200\n"
        "closest request differs:\n"
        "  PUT /_inference/sparse_embedding/c -> 200:\n"
        "    path: /_inference/sparse_embedding/c does not match /_inference/*/a"
    )
    result.stdout.fnmatch_lines(["test_order.py:9: AssertionError"])


def test_no_requests_except(suite):
    suite.makepyfile(
        """
        import urllib.request
        from helpers import put

        def test_only_inference(fake_es):
            put(fake_es.url, "m")
            urllib.request.urlopen(fake_es.url + "/").read()
            fake_es.assert_no_requests_except("PUT /_inference/*")
        """
    )
    result = suite.runpytest()
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "1 request(s) outside ['PUT /_inference/*']:" in output
    assert "GET / -> 200" in output


def test_a_crash_inside_the_fake_fails_the_test_with_its_traceback(suite):
    suite.makepyfile(
        """
        from helpers import put

        def test_crash(fake_es, monkeypatch):
            def broken(model):
                raise RuntimeError("registry exploded")
            monkeypatch.setattr(fake_es.state.endpoints, "store", broken)
            status, body = put(fake_es.url, "m")
            assert status == 500
        """
    )
    result = suite.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_crash*",
            "*fake-es crashed while serving PUT /_inference/sparse_embedding/m*",
            "*RuntimeError: registry exploded*",
        ]
    )


def test_factory_starts_independent_fakes(suite):
    suite.makepyfile(
        """
        from helpers import put

        def test_two(fake_es, fake_es_factory):
            other = fake_es_factory()
            assert other.url != fake_es.url
            put(other.url, "only-there")
            assert fake_es.models.list() == []
            assert other.models.get("only-there") is not None
        """
    )
    suite.runpytest().assert_outcomes(passed=1)


def test_mounted_into_pytest_httpserver_beside_own_expectations(suite):
    suite.makepyfile(
        """
        import json, urllib.request
        from helpers import put

        def test_mount(fake_es_httpserver, httpserver):
            httpserver.expect_request("/my-app/health").respond_with_json({"ok": True})
            status, body = put(httpserver.url_for("").rstrip("/"), "m")
            assert status == 200 and body["inference_id"] == "m"
            with urllib.request.urlopen(httpserver.url_for("/my-app/health")) as response:
                assert json.loads(response.read()) == {"ok": True}
            assert fake_es_httpserver.models.get("m") is not None
            fake_es_httpserver.assert_request_made("PUT", "/_inference/*/m", count=1)
            # Clients ping and read the banner at start-up: GET / and HEAD / are the fake's.
            with urllib.request.urlopen(httpserver.url_for("/")) as response:
                assert json.loads(response.read())["version"]["number"] == "9.5.0"
            ping = urllib.request.Request(httpserver.url_for("/"), method="HEAD")
            with urllib.request.urlopen(ping) as response:
                assert (response.status, response.read()) == (200, b"")
        """
    )
    suite.runpytest().assert_outcomes(passed=1)


def test_each_xdist_worker_has_its_own_server(suite):
    suite.makepyfile(
        """
        import os, pytest
        from helpers import put

        @pytest.mark.parametrize("n", range(6))
        def test_worker(fake_es, n):
            assert put(fake_es.url, "same-id")[0] == 200
            with open(f"urls-{os.environ['PYTEST_XDIST_WORKER']}.txt", "a") as out:
                out.write(fake_es.url + " ")
        """
    )
    result = suite.runpytest_subprocess("-n", "2", "-p", "xdist")
    result.assert_outcomes(passed=6)
    urls = {path.name: set(path.read_text().split()) for path in suite.path.glob("urls-*.txt")}
    assert sorted(urls) == ["urls-gw0.txt", "urls-gw1.txt"]
    assert all(len(seen) == 1 for seen in urls.values())
    assert urls["urls-gw0.txt"] != urls["urls-gw1.txt"]


def test_security_config_option_secures_the_session_fake(suite):
    suite.path.joinpath("security.json").write_text(
        '{"users": {"elastic": {"password": "pw", "roles": ["superuser"]}}}'
    )
    suite.makepyfile(
        """
        import urllib.error, urllib.request

        def test_secured(fake_es):
            try:
                urllib.request.urlopen(fake_es.url + "/")
            except urllib.error.HTTPError as error:
                assert error.code == 401
            else:
                raise AssertionError("answered without credentials")
            request = urllib.request.Request(
                fake_es.url + "/", headers={"Authorization": "Basic ZWxhc3RpYzpwdw=="})
            assert urllib.request.urlopen(request).status == 200
        """
    )
    suite.runpytest("--fake-es-security-config=security.json").assert_outcomes(passed=1)


def test_a_request_still_in_flight_cannot_leak_into_the_next_test(suite):
    suite.makepyfile(
        """
        import socket, time
        import pytest
        from helpers import put

        def test_gives_up_on_a_slow_create(fake_es):
            fake_es.delay(0.5, "/_inference/*")
            with pytest.raises((TimeoutError, socket.timeout, OSError)):
                import json, urllib.request
                request = urllib.request.Request(
                    fake_es.url + "/_inference/sparse_embedding/late",
                    data=json.dumps({"service": "elser", "service_settings": {
                        "num_allocations": 1, "num_threads": 1}}).encode(),
                    method="PUT", headers={"Content-Type": "application/json"})
                urllib.request.urlopen(request, timeout=0.1)

        def test_starts_clean(fake_es):
            time.sleep(0.6)
            assert fake_es.models.list() == []
            assert fake_es.requests == []
        """
    )
    suite.runpytest().assert_outcomes(passed=2)


@pytest.mark.parametrize(
    "how",
    [["--fake-es-protect-control-api"], ["-o", "fake_es_protect_control_api=true"]],
)
def test_the_control_api_can_be_protected(suite, how):
    suite.path.joinpath("security.json").write_text(
        '{"users": {"elastic": {"password": "pw", "roles": ["superuser"]}}}'
    )
    suite.makepyfile(
        """
        import urllib.error, urllib.request

        def test_protected(fake_es):
            try:
                urllib.request.urlopen(fake_es.url + "/_fake_es/journal")
            except urllib.error.HTTPError as error:
                assert error.code == 401
            else:
                raise AssertionError("answered without credentials")
            request = urllib.request.Request(
                fake_es.url + "/_fake_es/journal",
                headers={"Authorization": "Basic ZWxhc3RpYzpwdw=="})
            assert urllib.request.urlopen(request).status == 200
            fake_es.reset()  # the Python handle needs no HTTP
        """
    )
    suite.runpytest("--fake-es-security-config=security.json", *how).assert_outcomes(passed=1)


def two_free_ports() -> int:
    """A port P such that P and P+1 are both free on 127.0.0.1 right now."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
                return port
    raise AssertionError("no two consecutive free ports")


def test_a_fixed_port_under_xdist_gives_each_worker_its_own(suite):
    port = two_free_ports()
    suite.makepyfile(
        """
        import os
        import pytest
        from helpers import put

        @pytest.mark.parametrize("n", range(6))
        def test_worker(fake_es, n):
            assert put(fake_es.url, "same-id")[0] == 200
            with open(f"urls-{os.environ['PYTEST_XDIST_WORKER']}.txt", "a") as out:
                out.write(fake_es.url + " ")
        """
    )
    result = suite.runpytest_subprocess("-n", "2", "-p", "xdist", f"--fake-es-port={port}")
    result.assert_outcomes(passed=6)
    urls = {path.name: set(path.read_text().split()) for path in suite.path.glob("urls-*.txt")}
    assert urls == {
        "urls-gw0.txt": {f"http://127.0.0.1:{port}"},
        "urls-gw1.txt": {f"http://127.0.0.1:{port + 1}"},
    }


def test_make_fake_es_fakes_live_one_test_and_get_the_crash_check(suite):
    suite.makepyfile(
        """
        import urllib.request
        from helpers import put

        urls = []

        def test_crashes(make_fake_es, monkeypatch):
            fake = make_fake_es(version="8.19")
            urls.append(fake.url)
            assert fake.app.profile.number == "8.19.0"
            def broken(model):
                raise RuntimeError("registry exploded")
            monkeypatch.setattr(fake.state.endpoints, "store", broken)
            assert put(fake.url, "m")[0] == 500

        def test_the_fake_of_the_last_test_is_stopped():
            try:
                urllib.request.urlopen(urls[0] + "/", timeout=5)
            except OSError as error:
                assert "Connection refused" in str(error)
            else:
                raise AssertionError("the last test's fake still answers")
        """
    )
    result = suite.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*ERROR at teardown of test_crashes*", "*RuntimeError: registry exploded*"]
    )


@pytest.mark.parametrize("how", ["option", "ini"])
def test_strict_faults_fail_a_test_whose_fault_never_matched(suite, how):
    suite.makepyfile(
        """
        from helpers import put

        def test_typo(fake_es):
            fake_es.fail("/inference/*", status=429)
            assert put(fake_es.url, "m")[0] == 200

        def test_matched(fake_es):
            fake_es.fail("/_inference/*", status=429, times=2)
            assert put(fake_es.url, "m")[0] == 429

        def test_cleared(fake_es):
            fake_es.fail("/never")
            fake_es.clear_faults()
        """
    )
    if how == "ini":
        suite.makeini("[pytest]\nfake_es_strict_faults = true\n")
        result = suite.runpytest()
    else:
        result = suite.runpytest("--fake-es-strict-faults")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_typo*",
            "E*AssertionError: 1 fault(s) never matched a request:",
            "E*  * /inference/*: 429",
            "E*requests made (1):",
        ]
    )


def test_without_strict_faults_an_unmatched_fault_passes(suite):
    suite.makepyfile(
        """
        def test_typo(fake_es):
            fake_es.fail("/inference/*", status=429)
        """
    )
    suite.runpytest().assert_outcomes(passed=1)


def test_module_scoped_set_up_with_snapshot_and_restore(suite):
    suite.makepyfile(
        """
        import pytest
        from helpers import put

        @pytest.fixture(scope="module")
        def seeded(fake_es_session):
            fake_es_session.reset()
            fake_es_session.models.create("sparse_embedding", "shared")
            fake_es_session.models.use_in_pipeline("shared", "p")
            fake_es_session.providers.answer("*", "canned")
            return fake_es_session.snapshot()

        @pytest.fixture
        def fake(fake_es, seeded):
            fake_es.restore(seeded)
            return fake_es

        def test_changes_it(fake):
            assert [m["inference_id"] for m in fake.models.list()] == ["shared"]
            put(fake.url, "mine")
            fake.models.delete("shared")

        def test_sees_the_set_up_again(fake):
            assert [m["inference_id"] for m in fake.models.list()] == ["shared"]
            assert fake.state.references.pipelines("shared") == {"p"}
            assert fake.state.providers.answers() == {"*": "canned"}
            assert fake.requests == []
        """
    )
    suite.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_a_project_with_its_own_conftest_plugin_module_keeps_the_fixtures(suite):
    # The plugin used to be the top-level module `conftest_plugin`; `python -m pytest`
    # puts the project's root first on sys.path, where this one would have shadowed it.
    suite.makepyfile(conftest_plugin="MINE = True\n")
    suite.makepyfile(
        """
        import conftest_plugin

        def test_both(fake_es):
            assert conftest_plugin.MINE
            assert fake_es.models.list() == []
        """
    )
    suite.runpytest_subprocess().assert_outcomes(passed=1)


def test_a_suite_that_never_asks_for_a_fake_loads_only_the_plugin_module(suite):
    suite.makepyfile(
        """
        import sys

        def test_modules():
            loaded = sorted(name for name in sys.modules if name.split(".")[0] == "fake_es")
            assert loaded == ["fake_es", "fake_es.pytest_plugin"]
            for heavy in ("jsonschema", "yaml", "cbor2"):
                assert heavy not in sys.modules
        """
    )
    suite.runpytest_subprocess("-p", "no:xdist", "-p", "no:randomly").assert_outcomes(passed=1)


def test_eis_by_marker_option_and_factory(suite):
    suite.makepyfile(
        """
        import json
        import urllib.request

        import pytest

        def services(fake):
            with urllib.request.urlopen(fake.url + "/_inference/_services") as answer:
                return [entry["service"] for entry in json.load(answer)]

        @pytest.mark.fake_es(eis=True)
        def test_marker(fake_es):
            assert "elastic" in services(fake_es)

        @pytest.mark.fake_es(eis=False)
        def test_marker_off(fake_es):
            assert "elastic" not in services(fake_es)

        def test_session(fake_es, fake_es_eis):
            assert fake_es_eis is True
            assert "elastic" in services(fake_es)

        def test_factory(make_fake_es):
            assert "elastic" in services(make_fake_es())
            assert "elastic" not in services(make_fake_es(eis=False))
        """
    )
    suite.runpytest("--fake-es-eis", "-p", "no:randomly").assert_outcomes(passed=4)
    suite.runpytest("-p", "no:randomly", "-k", "test_marker").assert_outcomes(passed=2)


def test_an_ini_security_config_is_read_beside_the_ini_file(suite):
    suite.path.joinpath("security.json").write_text(
        '{"users": {"elastic": {"password": "pw", "roles": ["superuser"]}}}'
    )
    suite.makeini("[pytest]\nfake_es_security_config = security.json\n")
    suite.mkdir("sub").joinpath("test_secured.py").write_text(
        "import urllib.error, urllib.request\n"
        "def test_secured(fake_es):\n"
        "    try:\n"
        "        urllib.request.urlopen(fake_es.url + '/')\n"
        "    except urllib.error.HTTPError as error:\n"
        "        assert error.code == 401\n"
        "    else:\n"
        "        raise AssertionError('answered without credentials')\n"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(suite.path / "sub")
        suite.runpytest_subprocess("-p", "no:randomly", "-p", "no:xdist").assert_outcomes(passed=1)


def test_an_ssl_context_fixture_makes_the_session_fake_serve_https(suite):
    suite.makeconftest(
        """
        import ssl

        import pytest
        import trustme


        @pytest.fixture(scope="session")
        def tls_ca():
            return trustme.CA()


        @pytest.fixture(scope="session")
        def fake_es_ssl_context(tls_ca):
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls_ca.issue_cert("127.0.0.1").configure_cert(context)
            return context


        @pytest.fixture
        def es(fake_es, tls_ca):
            from elasticsearch8 import Elasticsearch

            trusted = ssl.create_default_context()
            tls_ca.configure_trust(trusted)
            with Elasticsearch(fake_es.url, ssl_context=trusted, request_timeout=10) as client:
                yield client
        """
    )
    suite.makepyfile(
        """
        import pytest

        SEED = {"service": "elser", "service_settings": {"num_allocations": 1, "num_threads": 1}}


        def test_session_fake(fake_es, es):
            assert fake_es.url.startswith("https://127.0.0.1:")
            created = es.inference.put(
                task_type="sparse_embedding", inference_id="m", inference_config=SEED
            )
            assert (created["inference_id"], created["service"]) == ("m", "elasticsearch")
            fetched = es.inference.get(inference_id="m")
            assert [e["inference_id"] for e in fetched["endpoints"]] == ["m"]
            assert [entry.describe() for entry in fake_es.requests] == [
                "PUT /_inference/sparse_embedding/m -> 200",
                "GET /_inference/m -> 200",
            ]


        @pytest.mark.fake_es(version="8.11")
        def test_marker_fake(fake_es, es):
            assert fake_es.url.startswith("https://127.0.0.1:")
            assert es.info()["version"]["number"] == "8.11.0"


        def test_more_fakes_serve_plain_http_unless_asked(make_fake_es, fake_es_ssl_context):
            assert make_fake_es().url.startswith("http://127.0.0.1:")
            fake = make_fake_es(ssl_context=fake_es_ssl_context)
            assert fake.url.startswith("https://127.0.0.1:")
        """
    )
    suite.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


def test_the_ssl_context_fixture_is_none_by_default(suite):
    suite.makepyfile(
        """
        def test_default(fake_es, fake_es_ssl_context):
            assert fake_es_ssl_context is None
            assert fake_es.url.startswith("http://127.0.0.1:")
        """
    )
    suite.runpytest().assert_outcomes(passed=1)


CLIENT_TESTS = """
import asyncio

import pytest

SEED = {"service": "elser", "service_settings": {"num_allocations": 1, "num_threads": 1}}
left_open = []


def test_sync(fake_es, fake_es_client):
    assert type(fake_es_client).__module__.split(".")[0] == "elasticsearch8"
    created = fake_es_client.inference.put(
        task_type="sparse_embedding", inference_id="m", inference_config=SEED
    )
    assert (created["inference_id"], created["service"]) == ("m", "elasticsearch")
    fetched = fake_es_client.inference.get(inference_id="m")
    assert [e["inference_id"] for e in fetched["endpoints"]] == ["m"]
    assert fake_es_client.info()["version"]["number"] == "9.5.0"
    assert [node.base_url for node in fake_es_client.transport.node_pool.all()] == [fake_es.url]
    assert [entry.describe() for entry in fake_es.requests] == [
        "PUT /_inference/sparse_embedding/m -> 200",
        "GET /_inference/m -> 200",
        "GET / -> 200",
    ]


@pytest.mark.fake_es(version="8.11")
def test_marker(fake_es, fake_es_client):
    assert fake_es_client.info()["version"]["number"] == "8.11.0"
    created = fake_es_client.inference.put(
        task_type="sparse_embedding", inference_id="m", inference_config=SEED
    )
    assert (created["model_id"], created["service"]) == ("m", "elser")
    assert fake_es.models.get("m")["model_id"] == "m"


def test_async(fake_es_async_client):
    async def cycle():
        await fake_es_async_client.inference.put(
            task_type="sparse_embedding", inference_id="m", inference_config=SEED
        )
        return await fake_es_async_client.inference.get(inference_id="m")

    assert [e["inference_id"] for e in asyncio.run(cycle())["endpoints"]] == ["m"]
    # Its connections closed as the loop that used them shut down...
    assert [node.session for node in fake_es_async_client.transport.node_pool.all()] == [None]
    # ...and a second loop gets its own.
    assert asyncio.run(fake_es_async_client.info())["version"]["number"] == "9.5.0"


def test_async_in_a_loop_left_open(fake_es_async_client):
    loop = asyncio.new_event_loop()
    left_open.append((loop, fake_es_async_client))
    assert loop.run_until_complete(fake_es_async_client.info())["cluster_name"] == "elasticsearch"


def test_the_open_loop_closed_it_at_teardown():
    loop, client = left_open[0]
    assert [node.session for node in client.transport.node_pool.all()] == [None]
    loop.close()
"""


def test_client_fixtures_are_official_clients_of_the_tests_fake_over_http(suite):
    suite.makepyfile(CLIENT_TESTS)
    result = suite.runpytest("-p", "no:randomly", "-W", "error::ResourceWarning")
    result.assert_outcomes(passed=5)


SECURED = {
    "users": {
        "reader": {"password": "r3ad", "roles": []},
        "admin": {"password": "adm1n", "roles": ["superuser"]},
    },
    "api_keys": {"k1": {"key": "s3cret", "owner": "reader"}},
}


def test_with_security_on_the_client_fixtures_carry_the_first_superusers_credentials(suite):
    suite.makepyfile(
        f"""
        import asyncio

        import pytest

        SECURED = {SECURED!r}


        @pytest.mark.fake_es(version="8.19", security=SECURED)
        def test_sync(fake_es, fake_es_client):
            fake_es.models.create("sparse_embedding", "m")
            fetched = fake_es_client.inference.get(inference_id="m")
            assert [e["inference_id"] for e in fetched["endpoints"]] == ["m"]
            # GET / needs cluster:monitor/main: the reader, first in the config, lacks it.
            assert fake_es_client.info()["version"]["number"] == "8.19.0"
            assert [entry.status for entry in fake_es.requests] == [200, 200]


        @pytest.mark.fake_es(security=SECURED)
        def test_async(fake_es_async_client):
            info = asyncio.run(fake_es_async_client.info())
            assert info["version"]["number"] == "9.5.0"
        """
    )
    suite.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_client_kwargs_fixture_gives_the_clients_more_arguments(suite):
    suite.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="session")
        def fake_es_client_kwargs():
            return {"api_key": ("k1", "s3cret"), "headers": {"X-Opaque-Id": "suite"}}
        """
    )
    suite.makepyfile(
        f"""
        import pytest
        from elasticsearch8 import AuthorizationException

        SECURED = {SECURED!r}


        @pytest.mark.fake_es(security=SECURED)
        def test_own_credentials(fake_es, fake_es_client):
            # The reader's key replaces the superuser's credentials: GET / is refused.
            with pytest.raises(AuthorizationException) as refused:
                fake_es_client.info()
            assert refused.value.meta.status == 403
            assert refused.value.body["error"]["type"] == "security_exception"
            assert fake_es.requests[0].headers["X-Opaque-Id"] == "suite"


        def test_security_off(fake_es_client):
            assert fake_es_client.info()["version"]["number"] == "9.5.0"
        """
    )
    suite.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_the_client_fixtures_pick_the_client_of_the_releases_line(monkeypatch):
    import sys
    import types

    from fake_es.clients import release_client_module

    nine = types.ModuleType("elasticsearch9")
    nine.__version__ = (9, 1, 0)
    monkeypatch.setitem(sys.modules, "elasticsearch9", nine)
    assert release_client_module(9) is nine
    assert release_client_module(8).__name__ == "elasticsearch8"
    # Without a 9.x client, a 9.x release takes an 8.x one, as it accepts them.
    monkeypatch.setitem(sys.modules, "elasticsearch9", None)
    assert release_client_module(9).__name__ == "elasticsearch8"
    # An 8.x release never takes a 9.x client, which it refuses.
    plain_nine = types.ModuleType("elasticsearch")
    plain_nine.__version__ = (9, 0, 0)
    monkeypatch.setitem(sys.modules, "elasticsearch", plain_nine)
    monkeypatch.setitem(sys.modules, "elasticsearch8", None)
    assert release_client_module(9) is plain_nine
    with pytest.raises(ImportError) as missing:
        release_client_module(8)
    assert str(missing.value) == (
        "no official Elasticsearch client for Elasticsearch 8.x is installed: install "
        "elasticsearch8 (or elasticsearch>=8,<9)"
    )


def test_fake_es_env_points_the_named_variables_at_the_tests_fake(suite, monkeypatch):
    monkeypatch.setenv("ES_URL", "http://localhost:9200")
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    monkeypatch.delenv("OTHER_URL", raising=False)
    suite.makeini("[pytest]\nfake_es_env = ELASTICSEARCH_URL ES_URL\n")
    suite.makepyfile(
        """
        import os

        import pytest


        def test_with_the_fake(fake_es):
            assert os.environ["ELASTICSEARCH_URL"] == fake_es.url
            assert os.environ["ES_URL"] == fake_es.url


        @pytest.mark.fake_es(version="8.11")
        def test_with_a_markers_fake(fake_es, fake_es_session):
            assert fake_es.url != fake_es_session.url
            assert os.environ["ELASTICSEARCH_URL"] == fake_es.url


        def test_without_the_fake():
            assert "ELASTICSEARCH_URL" not in os.environ
            assert os.environ["ES_URL"] == "http://localhost:9200"
            assert "OTHER_URL" not in os.environ


        def test_option(fake_es):
            assert os.environ["OTHER_URL"] == fake_es.url
            assert os.environ["ES_URL"] == "http://localhost:9200"
        """
    )
    suite.runpytest("-p", "no:randomly", "-k", "not option").assert_outcomes(passed=3)
    suite.runpytest("-p", "no:randomly", "--fake-es-env=OTHER_URL").assert_outcomes(
        passed=2, failed=2
    )
    assert os.environ["ES_URL"] == "http://localhost:9200"
    assert "ELASTICSEARCH_URL" not in os.environ and "OTHER_URL" not in os.environ
