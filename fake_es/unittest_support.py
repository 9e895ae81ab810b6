"""A ``unittest.TestCase`` with a running fake, clean for every test.

    class MyTest(FakeEsTestCase):
        fake_es_version = "8.19"

        def test_create(self) -> None:
            requests.put(f"{self.fake_es.url}/_inference/...", ...)

One server per class (started in ``setUpClass``), reset before each test;
a crash inside the fake fails the test that caused it.
"""

from __future__ import annotations

import unittest
from contextlib import ExitStack
from typing import Any, ClassVar

from fake_es.handle import FakeEs
from fake_es.serving import serve
from fake_es.versions import DEFAULT_VERSION


class FakeEsTestCase(unittest.TestCase):
    fake_es_version: ClassVar[str] = DEFAULT_VERSION
    fake_es_security: ClassVar[dict[str, Any] | str | None] = None
    fake_es_eis: ClassVar[bool] = False
    fake_es: ClassVar[FakeEs]
    _fake_es_stack: ClassVar[ExitStack]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls._fake_es_stack = ExitStack()
        cls.fake_es = cls._fake_es_stack.enter_context(
            serve(
                cls.fake_es_version,
                security=cls.fake_es_security,
                check_responses=True,
                eis=cls.fake_es_eis,
            )
        )

    @classmethod
    def tearDownClass(cls) -> None:
        cls._fake_es_stack.close()
        super().tearDownClass()

    def setUp(self) -> None:
        super().setUp()
        self.fake_es.reset()
        self.addCleanup(self.fake_es.check)
