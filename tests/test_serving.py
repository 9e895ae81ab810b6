"""fake-es without pytest: ``fake_es.serve()`` and ``FakeEsTestCase``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import urllib.request

import fake_es


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_serve_is_a_fake_on_a_free_port_for_a_block():
    with fake_es.serve("8.19") as fake:
        assert fake.url.startswith("http://127.0.0.1:")
        assert get_json(fake.url + "/")["version"]["number"] == "8.19.0"
        fake.models.create("sparse_embedding", "m")
        assert [m["inference_id"] for m in fake.models.list()] == ["m"]
        assert fake.client(module="elasticsearch8").inference.get(inference_id="m")["endpoints"]
        url = fake.url
    try:
        urllib.request.urlopen(url + "/", timeout=2)
        raise AssertionError("the server still answers after the block")
    except OSError:
        pass


def test_serve_with_security_and_a_data_dir(tmp_path):
    config = {"users": {"elastic": {"password": "changeme", "roles": ["superuser"]}}}
    with fake_es.serve(security=config, data_dir=tmp_path) as fake:
        fake.models.create("sparse_embedding", "kept")
        try:
            urllib.request.urlopen(fake.url + "/", timeout=5)
            raise AssertionError("security is off")
        except urllib.error.HTTPError as error:
            assert error.code == 401
    with fake_es.serve(data_dir=tmp_path) as again:
        assert [m["inference_id"] for m in again.models.list()] == ["kept"]


def test_the_unittest_base_class(tmp_path):
    module = tmp_path / "test_with_unittest.py"
    module.write_text(
        textwrap.dedent(
            """
            import json, urllib.request
            from fake_es.unittest_support import FakeEsTestCase

            class Cycle(FakeEsTestCase):
                fake_es_version = "8.15"

                def test_first(self):
                    self.fake_es.models.create("sparse_embedding", "m")
                    with urllib.request.urlopen(self.fake_es.url + "/_inference/m") as r:
                        self.assertEqual(json.loads(r.read())["endpoints"][0]["inference_id"], "m")

                def test_second_starts_clean(self):
                    self.assertEqual(self.fake_es.models.list(), [])
            """
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "unittest", "-v", "test_with_unittest"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Ran 2 tests" in done.stderr


def test_the_public_names():
    assert set(fake_es.__all__) >= {"FakeEs", "FakeEsCrashed", "JournalEntry", "serve", "EsError"}


def test_serving_imports_no_test_tools():
    # The dev server and fake_es.serve() run where pytest is not installed.
    probe = (
        "import sys, fake_es, fake_es.cli\n"
        "with fake_es.serve() as fake:\n"
        "    fake.client(module='elasticsearch8').info()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pytest', '_pytest', "
        "'pytest_httpserver'}))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert shown.stdout == "[]\n"


def test_serve_with_eis():
    services = "/_inference/_services/chat_completion"
    with fake_es.serve(eis=True) as fake, urllib.request.urlopen(fake.url + services) as answer:
        assert "elastic" in [entry["service"] for entry in json.load(answer)]
    with fake_es.serve() as fake, urllib.request.urlopen(fake.url + services) as answer:
        assert "elastic" not in [entry["service"] for entry in json.load(answer)]
