"""``python -m liveness lint [PATH...] [--format text|json|sarif] [--config FILE]``.

The ``liveness lint`` of the ``liveness`` binary (crate ``liveness-lint``), run by the wheel's native
module: the same engine, rules and output. Exit status: 0 no findings, 1 findings, 2 usage or config
error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from liveness import _native


def main(argv: Sequence[str] | None = None) -> int:
    code, out, err = _native.lint_main(list(sys.argv[1:] if argv is None else argv))
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


if __name__ == "__main__":
    sys.exit(main())
