"""A server for the HTTP benchmark, in its own process: the fake, or the baseline.

``python bench/serve.py fake`` serves fake-es (as the pytest plugin does: threaded
werkzeug, no request log) with one model stored; ``python bench/serve.py baseline``
serves pytest-httpserver, threaded, answering the same path with a canned JSON body.
Each prints its port and serves until killed.
"""

from __future__ import annotations

import logging
import sys
import threading

from pytest_httpserver import HTTPServer

from fake_es import create_app
from fake_es.handle import FakeEs
from fake_es.server import FakeServer

MODEL_PATH = "/_inference/sparse_embedding/bench"


def main(kind: str) -> None:
    # Neither server logs requests: werkzeug's own log would slow the baseline down.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    if kind == "fake":
        server = FakeServer(create_app())
        server.start()
        FakeEs(server.app, server.url).models.create("sparse_embedding", "bench")
        port = server.port
    else:
        baseline = HTTPServer(threaded=True)
        baseline.expect_request(MODEL_PATH).respond_with_json(
            {
                "model_id": "bench",
                "task_type": "sparse_embedding",
                "service": "elser",
                "service_settings": {"num_allocations": 1, "num_threads": 1},
                "task_settings": {},
            },
            headers={"X-elastic-product": "Elasticsearch"},
        )
        baseline.start()
        port = baseline.port
    print(port, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1])
