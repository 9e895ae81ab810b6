"""``python -m fake_es``: the dev server."""

from fake_es.cli import main

raise SystemExit(main())
