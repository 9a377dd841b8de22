"""`logsync completion SHELL`: the shell's completion script, for the shell named rather than
the one that runs the command (`sh -c 'logsync completion bash > ...'` in a package's build)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import UsageError
from .application import command

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _shells(incomplete: str) -> list[str]:
    return [shell for shell in SHELLS if shell.startswith(incomplete)]


@command(
    "SHELL",
    short_help="Print the shell completion script of a shell.",
    epilog="""Examples:

  logsync completion bash > logsync.bash && source logsync.bash

  logsync completion zsh > _logsync

  logsync completion fish > logsync.fish
""",
)
def completion(
    shell: Annotated[
        str,
        typer.Argument(
            metavar="SHELL", help=f"{', '.join(SHELLS[:-1])} or {SHELLS[-1]}.",
            autocompletion=_shells, show_default=False,
        ),
    ],
) -> None:
    """Print the completion script of SHELL, to save where that shell loads completions from:
    ~/.local/share/bash-completion/completions/logsync (bash), a folder of $fpath as _logsync
    (zsh), ~/.config/fish/completions/logsync.fish (fish), or your PowerShell profile.

    `logsync --install-completion` installs it for the shell that runs logsync its own way
    (bash: ~/.bash_completions/logsync.sh, sourced from ~/.bashrc); either way works.
    """
    from typer._completion_shared import get_completion_script  # (typer's own scripts)

    name = shell.strip().lower()
    if name not in SHELLS:
        raise UsageError(f"completion: {shell!r} is not a shell it knows ({', '.join(SHELLS)})")
    script = get_completion_script(
        prog_name="logsync", complete_var="_LOGSYNC_COMPLETE", shell=name
    )
    typer.echo(script)
