"""``python -m api.cli``: the same as the ``dichtbij`` console script."""

from api.cli import main

raise SystemExit(main())
