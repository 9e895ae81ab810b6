"""``make bench``: fake-es measured beside a baseline, in one run, as a table.

- in-process requests per second for each route, through the WSGI app, against a
  WSGI app that returns a fixed JSON body;
- over HTTP with keep-alive, 1 and 8 concurrent clients: requests per second and
  p50/p99 latency, against pytest-httpserver answering the same request with a
  canned JSON body (both servers threaded werkzeug, each in its own process);
- session start of the server, per-test reset, ``import fake_es``;
- resident memory idle and with 100,000 models; PUT and GET latency with 100 and
  with 100,000 models;
- large inputs: POST inference of 1 MB and 10 MB of text, and parsing a 10 MB body.

Every figure is the median of several rounds. Targets are checked at the end.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from soak import soak  # bench/ is the script directory
from werkzeug.test import EnvironBuilder

from fake_es import FakeState, create_app
from fake_es.in_process import IN_PROCESS_URL, node_classes
from fake_es.inference.registry import InferenceEndpoint
from fake_es.rest.json_body import parse_json_object
from fake_es.server import FakeServer

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5
SEED: dict[str, Any] = {
    "service": "elser",
    "service_settings": {"num_allocations": 1, "num_threads": 1},
    "task_settings": {},
}
FIXED_BODY = json.dumps({**SEED, "model_id": "bench", "task_type": "sparse_embedding"}).encode()
rows: list[tuple[str, str, str, str]] = []
checks: list[tuple[str, bool, str]] = []


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def row(what: str, fake: str, baseline: str = "", ratio: str = "") -> None:
    rows.append((what, fake, baseline, ratio))
    print(f"  {what:<46} {fake:>14} {baseline:>14} {ratio:>8}", flush=True)


def check(target: str, ok: bool, measured: str) -> None:
    checks.append((target, ok, measured))


# --- in process --------------------------------------------------------------------------


def baseline_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    environ["wsgi.input"].read()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("X-elastic-product", "Elasticsearch")]
    )
    return [FIXED_BODY]


def environ_for(method: str, path: str, body: Any = None) -> dict[str, Any]:
    data = json.dumps(body).encode() if body is not None else None
    builder = EnvironBuilder(
        path=path, method=method, data=data, content_type="application/json" if data else None
    )
    environ = builder.get_environ()
    environ["bench.data"] = data or b""
    return environ


def call(app: Callable[..., Any], template: dict[str, Any], path: str | None = None) -> None:
    environ = dict(template)
    environ["wsgi.input"] = io.BytesIO(template["bench.data"])
    if path is not None:
        environ["PATH_INFO"] = environ["REQUEST_URI"] = environ["RAW_URI"] = path
    for chunk in app(environ, lambda status, headers, exc_info=None: None):
        del chunk


def per_second(run: Callable[[int], None], count: int) -> float:
    start = time.perf_counter()
    run(count)
    return count / (time.perf_counter() - start)


def in_process() -> None:
    print("In-process (WSGI), requests per second, one thread:")
    count = 3000
    routes = {
        "GET /": ("GET", "/", None),
        "PUT /_inference/{task_type}/{id}": ("PUT", None, SEED),
        "GET /_inference/{task_type}/{id}": ("GET", "/_inference/sparse_embedding/bench", None),
        "POST /_inference/{task_type}/{id}": (
            "POST",
            "/_inference/sparse_embedding/bench",
            {"input": "the sky above the port"},
        ),
        "DELETE /_inference/{task_type}/{id}": (
            "DELETE",
            "/_inference/sparse_embedding/gone",
            None,
        ),
    }
    for name, (method, path, body) in routes.items():
        template = environ_for(method, path or "/_inference/sparse_embedding/x", body)
        fake_rates, base_rates = [], []
        for round_number in range(ROUNDS):
            state = FakeState()
            app = create_app(state)
            state.endpoints.store(
                InferenceEndpoint(
                    "bench", "sparse_embedding", "elser", dict(SEED["service_settings"]), {}
                )
            )

            def run_fake(
                n: int,
                app: Any = app,
                round_number: int = round_number,
                template: dict[str, Any] = template,
                path: str | None = path,
            ) -> None:
                for i in range(n):
                    unique = f"/_inference/sparse_embedding/m{round_number}-{i}"
                    call(app, template, unique if path is None else None)

            def run_base(
                n: int, template: dict[str, Any] = template, path: str | None = path
            ) -> None:
                for i in range(n):
                    call(
                        baseline_app,
                        template,
                        f"/_inference/sparse_embedding/m{i}" if path is None else None,
                    )

            fake_rates.append(per_second(run_fake, count))
            base_rates.append(per_second(run_base, count))
        fake, base = median(fake_rates), median(base_rates)
        row(name, f"{fake:,.0f}/s", f"{base:,.0f}/s", f"{fake / base:.2f}")
        if name.startswith("PUT"):
            check("in-process PUT >= 5,000/s on one core", fake >= 5000, f"{fake:,.0f}/s")


# --- over HTTP ---------------------------------------------------------------------------


def start_server(kind: str) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "serve.py"), kind], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    return process, int(process.stdout.readline())


def load(port: int, clients: int, per_client: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        barrier.wait()
        for _ in range(per_client):
            started = time.perf_counter()
            connection.request("GET", "/_inference/sparse_embedding/bench")
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            assert response.status == 200
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return clients * per_client / (time.perf_counter() - started), latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def over_http() -> None:
    print("Over HTTP, keep-alive, GET of a stored model:")
    servers = {kind: start_server(kind) for kind in ("fake", "baseline")}
    try:
        for clients in (1, 8):
            per_client = 2000 // clients
            results: dict[str, list[tuple[float, float, float]]] = {"fake": [], "baseline": []}
            for _ in range(ROUNDS):
                for kind, (_, port) in servers.items():
                    rate, latencies = load(port, clients, per_client)
                    results[kind].append(
                        (rate, percentile(latencies, 0.5), percentile(latencies, 0.99))
                    )
            fake = [median(r[i] for r in results["fake"]) for i in range(3)]
            base = [median(r[i] for r in results["baseline"]) for i in range(3)]
            row(
                f"{clients} client(s): requests/s",
                f"{fake[0]:,.0f}/s",
                f"{base[0]:,.0f}/s",
                f"{fake[0] / base[0]:.2f}",
            )
            row(
                f"{clients} client(s): p50 latency",
                f"{fake[1] * 1e3:.3f} ms",
                f"{base[1] * 1e3:.3f} ms",
                f"{fake[1] / base[1]:.2f}",
            )
            row(
                f"{clients} client(s): p99 latency",
                f"{fake[2] * 1e3:.3f} ms",
                f"{base[2] * 1e3:.3f} ms",
                f"{fake[2] / base[2]:.2f}",
            )
            check(
                f"HTTP, {clients} client(s): >= 0.8 of the baseline's throughput",
                fake[0] >= 0.8 * base[0],
                f"{fake[0] / base[0]:.2f}",
            )
    finally:
        for process, _ in servers.values():
            process.kill()
            process.wait()


# --- the official client: in process against over HTTP -----------------------------------


def client_paths() -> None:
    """GET and PUT through the official 8.19 client: its in-process node against HTTP."""
    print("Official client (elasticsearch8), requests per second, one thread:")
    import warnings

    from fake_es.handle import FakeEs

    # A warning costs the client a stack inspection; E5 endpoints are created without one.
    warnings.simplefilter("ignore")
    e5 = {
        "service": "elasticsearch",
        "service_settings": {
            "model_id": ".multilingual-e5-small",
            "num_allocations": 1,
            "num_threads": 1,
        },
    }
    server = FakeServer(create_app())
    server.start()
    try:
        from elasticsearch8 import Elasticsearch

        handle = FakeEs(server.app, server.url)
        over_http = Elasticsearch(server.url)
        handle_client = handle.client(module="elasticsearch8")
        client_alone = Elasticsearch(IN_PROCESS_URL, node_class=_replaying_node(server.app))
        handle.models.create("sparse_embedding", "bench", SEED)
        for what in ("GET", "PUT"):
            rates = {}
            clients = (("in process", handle_client), ("HTTP", over_http), ("alone", client_alone))
            for name, es in clients:
                counter = iter(range(10**9))

                def one(
                    es: Any = es,
                    what: str = what,
                    name: str = name,
                    counter: Iterator[int] = counter,
                ) -> None:
                    if what == "GET":
                        es.inference.get(inference_id="bench")
                    else:
                        n = next(counter)
                        es.inference.put(
                            task_type="text_embedding",
                            inference_id=f"{name[0].lower()}{n}",
                            body=e5,
                        )

                def run(n: int, one: Callable[[], None] = one) -> None:
                    for _ in range(n):
                        one()

                rates[name] = median(per_second(run, 300) for _ in range(ROUNDS))
            row(
                f"{what} /_inference/..., in process vs HTTP",
                f"{rates['in process']:,.0f}/s",
                f"{rates['HTTP']:,.0f}/s",
                f"{rates['in process'] / rates['HTTP']:.1f}",
            )
            row(
                f"{what}: the client alone (answers replayed) vs HTTP",
                f"{rates['alone']:,.0f}/s",
                f"{rates['HTTP']:,.0f}/s",
                f"{rates['alone'] / rates['HTTP']:.1f}",
            )
            check(
                f"in-process client {what} >= 10x its HTTP throughput",
                rates["in process"] >= 10 * rates["HTTP"],
                f"{rates['in process'] / rates['HTTP']:.1f}x",
            )
    finally:
        server.stop()


def _replaying_node(app: Any) -> Any:
    """The in-process node, answering each method's first request from the app and every
    later one with that answer again: what is left is the client's own cost per request,
    the most an in-process client could reach."""
    node_class, _ = node_classes(app)

    class ReplayingNode(node_class):  # type: ignore[misc, valid-type]
        answers: ClassVar[dict[str, Any]] = {}

        def perform_request(self, method: str, target: str, *args: Any, **kwargs: Any) -> Any:
            answer = self.answers.get(method)
            if answer is None:
                answer = self.answers[method] = super().perform_request(
                    method, target, *args, **kwargs
                )
            return answer

    return ReplayingNode


# --- start, reset, import ----------------------------------------------------------------


def large_bodies() -> None:
    """A 10 MB body parsed (the C fast path) and a 1 MB inference input embedded."""
    print("Large bodies:")
    from fake_es.inference.embeddings import sparse_embedding
    from fake_es.rest.json_body import parse_json_object

    items = b",".join(b'{"id":%d,"text":"some text","v":1.5}' % i for i in range(260_000))
    body = b'{"docs":[' + items + b"]}"
    started = time.perf_counter()
    parse_json_object(body)
    parse_seconds = time.perf_counter() - started
    row(f"parse a {len(body) // 1_000_000} MB JSON body", f"{parse_seconds:.2f} s")
    check("a 10 MB body parses in < 3 s", parse_seconds < 3.0, f"{parse_seconds:.2f} s")
    text = "the quick brown fox jumps over the lazy dog " * 23_000
    started = time.perf_counter()
    sparse_embedding(text)
    embed_seconds = time.perf_counter() - started
    row(f"sparse embedding of a {len(text) // 1_000_000} MB input", f"{embed_seconds:.2f} s")
    check("a 1 MB inference input embeds in < 2 s", embed_seconds < 2.0, f"{embed_seconds:.2f} s")


def lifecycle() -> None:
    print("Start, reset, import:")
    starts = []
    for _ in range(ROUNDS * 4):
        started = time.perf_counter()
        server = FakeServer(create_app(check_responses=True))
        server.start()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.connect()
        starts.append(time.perf_counter() - started)
        connection.close()
        server.stop()
    start = median(starts)
    row("server start (session fixture), until accepting", f"{start * 1e3:.2f} ms")
    check("server start < 50 ms", start < 0.05, f"{start * 1e3:.2f} ms")

    state = FakeState()
    app = create_app(state)
    template = environ_for("PUT", "/_inference/sparse_embedding/x", SEED)
    resets = []
    for round_number in range(ROUNDS * 20):
        for i in range(10):
            call(app, template, f"/_inference/sparse_embedding/r{round_number}-{i}")
        state.faults.clear()
        started = time.perf_counter()
        state.reset()
        resets.append(time.perf_counter() - started)
    reset = median(resets)
    row("per-test reset (10 models, journal of 10)", f"{reset * 1e6:.1f} us")
    check("reset < 1 ms", reset < 0.001, f"{reset * 1e6:.1f} us")

    code = "import time; t = time.perf_counter(); import fake_es; print(time.perf_counter() - t)"
    imports = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(ROUNDS)
    ]
    row("import fake_es (fresh interpreter)", f"{median(imports) * 1e3:.1f} ms")


# --- memory and scale --------------------------------------------------------------------

MEMORY_PROBE = """
import sys
from fake_es import FakeState, create_app
from fake_es.rest.json_body import parse_json_object
from fake_es.inference.registry import InferenceEndpoint
state = FakeState()
app = create_app(state)
for i in range(int(sys.argv[1])):
    state.endpoints.store(InferenceEndpoint(f"model-{i}", "sparse_embedding", "elser",
                                      {"num_allocations": 1, "num_threads": 1}, {}))
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmRSS")))
"""


def rss_kib(models: int) -> int:
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(models)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def latency_at(models: int) -> tuple[float, float]:
    state = FakeState()
    app = create_app(state)
    for i in range(models):
        state.endpoints.store(
            InferenceEndpoint(
                f"model-{i}",
                "sparse_embedding",
                "elser",
                {"num_allocations": 1, "num_threads": 1},
                {},
            )
        )
    put = environ_for("PUT", "/_inference/sparse_embedding/x", SEED)
    get = environ_for("GET", f"/_inference/sparse_embedding/model-{models // 2}")
    put_times, get_times = [], []
    for i in range(2000):
        started = time.perf_counter()
        call(app, put, f"/_inference/sparse_embedding/new-{i}")
        put_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        call(app, get)
        get_times.append(time.perf_counter() - started)
    return median(put_times), median(get_times)


def scale() -> None:
    print("Memory and scale:")
    idle, full = rss_kib(0), rss_kib(100_000)
    row("resident memory, idle", f"{idle / 1024:.1f} MiB")
    row(
        "resident memory, 100,000 models",
        f"{full / 1024:.1f} MiB",
        "",
        f"{(full - idle) * 1024 / 100_000:.0f} B/model",
    )
    small, large = latency_at(100), latency_at(100_000)
    row(
        "PUT latency, 100 / 100,000 models",
        f"{small[0] * 1e6:.0f} us",
        f"{large[0] * 1e6:.0f} us",
        f"{large[0] / small[0]:.2f}",
    )
    row(
        "GET latency, 100 / 100,000 models",
        f"{small[1] * 1e6:.0f} us",
        f"{large[1] * 1e6:.0f} us",
        f"{large[1] / small[1]:.2f}",
    )
    flat = large[0] / small[0] < 1.5 and large[1] / small[1] < 1.5
    check(
        "PUT/GET latency does not grow with the model count (< 1.5x)",
        flat,
        f"{large[0] / small[0]:.2f} / {large[1] / small[1]:.2f}",
    )


# --- large inputs ------------------------------------------------------------------------


def text_of(size: int) -> str:
    """Distinct words, ``size`` characters in all."""
    parts: list[str] = []
    length = 0
    for i in range(size):
        if length >= size:
            break
        parts.append(f"word{i}")
        length += len(parts[-1]) + 1
    return " ".join(parts)[:size]


def infer_seconds(size: int) -> float:
    state = FakeState()
    app = create_app(state)
    state.endpoints.store(
        InferenceEndpoint("bench", "sparse_embedding", "elser", dict(SEED["service_settings"]), {})
    )
    template = environ_for("POST", "/_inference/sparse_embedding/bench", {"input": text_of(size)})
    times = []
    for _ in range(3):
        started = time.perf_counter()
        call(app, template)
        times.append(time.perf_counter() - started)
    return median(times)


def large_inputs() -> None:
    print("Large inputs:")
    small, large = infer_seconds(1_000_000), infer_seconds(10_000_000)
    row(
        "POST inference, 1 MB / 10 MB of input",
        f"{small:.2f} s",
        f"{large:.2f} s",
        f"{large / small:.1f}",
    )
    check("POST inference of 10 MB < 5 s", large < 5.0, f"{large:.2f} s")
    check(
        "POST inference time linear in the input (10 MB / 1 MB < 15)",
        large / small < 15,
        f"{large / small:.1f}",
    )
    items = b",".join(
        b'{"id":%d,"text":"some text \\u00e9","v":1.5,"ok":true}' % i for i in range(180_000)
    )
    body = b'{"docs":[' + items + b"]}"
    parses = []
    for _ in range(3):
        started = time.perf_counter()
        parse_json_object(body)
        parses.append(time.perf_counter() - started)
    parse = median(parses)
    row(f"parse a {len(body) / 1e6:.1f} MB JSON body", f"{parse:.2f} s")
    check("10 MB body parses in < 3 s", parse < 3.0, f"{parse:.2f} s")


def main() -> int:
    print(
        f"fake-es benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"median of {ROUNDS} rounds"
    )
    print(f"  {'measure':<46} {'fake-es':>14} {'baseline':>14} {'ratio':>8}")
    in_process()
    over_http()
    client_paths()
    large_bodies()
    lifecycle()
    scale()
    large_inputs()
    checks.extend(soak())
    print("Targets:")
    for target, ok, measured in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {target}: {measured}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
