"""`python -m logsync`: the command line, or one line saying what is missing when the package is
run from a source tree whose dependencies are not installed."""

import sys

try:
    import dateutil  # noqa: F401
    import rich  # noqa: F401
    import typer  # noqa: F401
except ModuleNotFoundError as missing:
    sys.stderr.write(
        f"logsync: error: {missing.name} is not installed: install logsync with its "
        "dependencies (pip install .) and run it as `logsync`\n"
    )
    sys.exit(2)

from .cli import main

main()
