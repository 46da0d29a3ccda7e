"""``python -m fiscalkit`` is the ``fiscalkit`` command."""

from fiscalkit.cli import main

raise SystemExit(main())
