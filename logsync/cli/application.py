"""The application: the typer app, the command decorator, the process's streams, and the
entry point that turns errors, Ctrl-C and a closed pipe into exit codes."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable
from typing import IO, Annotated, Any, NamedTuple, NoReturn

import typer
from typer.core import TyperCommand

from .. import __version__
from ..accel import native
from ..errors import ExitCode, UsageError
from ..safety import visible

HELP = """Analyze Configuration Manager's CloudUserSync.log: which users are stuck, why, and when
each will sync again on its own.

A user that fails with `reason UserNotFound` is not retried by delta syncs: it waits for its own
24 h timer (or an SMS Executive restart, which forces a full sync). logsync tracks every user
through the log and says when each will recover.
"""

EXAMPLES = """Examples:

  logsync report CloudUserSync.log

  logsync check --junit logsync.xml CloudUserSync.log

  logsync timeline bob@contoso.com CloudUserSync.log

  logsync summary 'D:\\SMS\\Logs'

Run `logsync COMMAND --help` for a command's options and more examples.
"""


def as_written(epilog: str) -> str:
    """An epilog whose indented paragraphs (the examples) are printed as written, never
    re-wrapped to the terminal's width (a re-wrapped command line no longer pastes)."""
    paragraphs = epilog.strip("\n").split("\n\n")
    return "\n\n".join(f"\b\n{part}" if part.startswith("  ") else part for part in paragraphs)


app = typer.Typer(
    name="logsync",
    help=HELP,
    epilog=as_written(EXAMPLES),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def command(
    arguments: str = "[PATHS]...", **settings: Any
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command whose usage and input errors end as one stderr line and exit 2.

    `arguments` is how its usage line shows the positional arguments (`UPN [PATHS]...`).
    """

    class Usage(TyperCommand):
        def collect_usage_pieces(self, ctx: Any) -> list[str]:
            return [self.options_metavar or "[OPTIONS]", arguments]

    if "epilog" in settings:
        settings["epilog"] = as_written(settings["epilog"])

    def register(body: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(body)
        def run(*args: Any, **kwargs: Any) -> None:
            RUNNING[0] = settings.get("name") or body.__name__
            try:
                body(*args, **kwargs)
                sys.stdout.flush()
            except UsageError as exc:
                sys.stderr.write(f"logsync: error: {visible(exc.message)}\n")
                raise typer.Exit(ExitCode.USAGE) from None
            except BrokenPipeError:
                raise _PipeClosed from None  # past the framework, which would exit 1

        return app.command(cls=Usage, **settings)(run)

    return register


# -- environment ----------------------------------------------------------------------------


class Env(NamedTuple):
    """The process's streams and their terminal flags; tests swap them through CliRunner."""

    stdout: IO[str]
    stderr: IO[str]
    stdout_isatty: bool
    stderr_isatty: bool
    stdin_is_pipe: bool

    @classmethod
    def current(cls) -> Env:
        stderr_isatty = _isatty(sys.stderr)
        stderr: IO[str] = sys.stderr
        if stderr_isatty:  # notes fit the terminal, broken between words
            from ..render import notes_to_width

            stderr = notes_to_width(sys.stderr)
        return cls(
            stdout=sys.stdout,
            stderr=stderr,
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=stderr_isatty,
            stdin_is_pipe=not _isatty(sys.stdin),
        )


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


# -- shared options, declared once ----------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        from ..accel import description
        from ..render import version_line

        typer.echo(version_line(__version__, description, sys.version.split()[0]))
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version, and whether the native scanner reads the logs, and exit.",
        ),
    ] = False,
) -> None:
    """Analyze CloudUserSync.log: who is stuck, why, and exactly when each will recover."""


# -- entry point ----------------------------------------------------------------------------


class _Interrupted(BaseException):
    """Ctrl-C, raised past the CLI framework so that it can end quietly."""


class _PipeClosed(BaseException):
    """The reader of stdout went away (`| head`), raised past the CLI framework."""


_INTERRUPTED: list[int] = []
"""The Ctrl-C met, if any: where it met a finalizer, which cannot raise it (see `_unraisable`),
the command ends with 130 all the same once it has run (`final_code`)."""


def _on_interrupt(signum: int, frame: object) -> None:
    _INTERRUPTED.append(signum)
    raise _Interrupted


def _unraisable(info: Any) -> None:
    """`sys.unraisablehook`: Ctrl-C raised in a finalizer (a generator closed as it is freed)
    cannot end the command, and is no "Exception ignored" on stderr; the rest as Python says."""
    if not isinstance(info.exc_value, _Interrupted):
        sys.__unraisablehook__(info)


def final_code(code: int) -> int:
    """The exit code a command that ran to its end leaves with: 130 where Ctrl-C met it."""
    return 130 if _INTERRUPTED else code


def _on_terminate(signum: int, frame: object) -> NoReturn:
    """SIGTERM (`kill`, a CI job's timeout) or SIGHUP (the terminal closed): end as the signal
    would (exit 143, 129), after removing the unpacked copies of packed inputs, which the
    signal's own end would leave behind."""
    _remove_copies()
    os._exit(128 + signum)


def _remove_copies() -> None:
    unpacked = sys.modules.get("logsync.unpacked")
    if unpacked is not None:
        unpacked.remove_copies()


_CLICK_ERROR: type[Exception] = next(
    base for base in typer.BadParameter.__mro__ if base.__name__ == "ClickException"
)
"""The framework's base of usage errors (click's, which typer may bundle under another name)."""

_OUTCOME = [ExitCode.OK]
"""The exit code the running command has decided on, before it writes its output."""
RUNNING = [""]
"""The name of the command being run (for messages that suggest a command line)."""


def outcome(code: ExitCode) -> None:
    """Note the command's exit code before writing: a closed pipe then ends with it."""
    _OUTCOME[0] = code


def main() -> None:
    """Console entry point: usage errors are one line; Ctrl-C and a closed pipe end quietly.

    A closed output pipe (`| head -1`) ends with the exit code the command had decided on
    before it wrote (findings or not), never with a code the pipe made up.
    """
    signal.signal(signal.SIGINT, _on_interrupt)
    try:  # (from here on, Ctrl-C ends quietly with 130: the commands' modules load too)
        sys.unraisablehook = _unraisable
        signal.signal(signal.SIGTERM, _on_terminate)
        if hasattr(signal, "SIGHUP"):  # (POSIX: the terminal closed)
            signal.signal(signal.SIGHUP, _on_terminate)
        # Millions of short-lived event tuples: collect cycles less eagerly (about 6 % faster).
        gc.set_threshold(100_000, 50, 50)
        if native is not None:  # blocks of a large log reuse the memory freed by the one before
            native.keep_freed_memory()
        # notes and errors never change the outcome: a closed or full stderr loses them
        sys.stderr = _Notes(sys.stderr)
        if sys.stdout is None:  # started with its standard output closed (`>&-`)
            _fail("cannot write the output: standard output is closed")
        from .commands import COMMANDS, load

        given = sys.argv[1:]
        load(_commands_run(given, COMMANDS))
        command = typer.main.get_command(app)
        # (None: the framework reads sys.argv, expanding wildcards on Windows)
        args = command_first(given, command) if given[:1] and given[0][:1] == "-" else None
        code = command.main(args, prog_name="logsync", standalone_mode=False)
        sys.stdout.flush()
    except _Interrupted:
        sys.exit(130)
    except (BrokenPipeError, _PipeClosed):
        _silence_stdout()
        sys.exit(_OUTCOME[0])
    except SystemExit as exc:  # the framework's own output (`--help`, `--version`) to a closed
        if isinstance(exc.__context__, BrokenPipeError):  # pipe: it exits 1, which none decided
            _silence_stdout()
            sys.exit(_OUTCOME[0])
        raise
    except OSError as exc:  # a full disk, a closed or unwritable stdout: nothing else escapes
        _silence_stdout()
        _fail(f"cannot write the output: {exc.strerror or exc}")
    except _CLICK_ERROR as exc:
        message = exc.format_message()  # type: ignore[attr-defined]
        if type(exc).__name__.startswith("NoArgsIsHelp"):  # `logsync` alone: the whole help
            sys.stdout.write(message if message.endswith("\n") else message + "\n")
            _end(ExitCode.OK)
        message = _bounds_elsewhere(exc) or one_line(message)
        sys.stderr.write(f"logsync: error: {message}{_usage_hint(sys.argv[1:])}\n")
        sys.exit(ExitCode.USAGE)
    except typer.Abort:
        sys.exit(130)
    except Exception:  # a bug (typer.Exit never gets here: the framework returns its code)
        _crash()
    _end(code if isinstance(code, int) else ExitCode.OK)


def _end(code: int) -> NoReturn:
    """Exit with `code` once the output is flushed, without tearing down every object the
    command made (a large log's users cost a tenth of the run to free), unless coverage is
    measuring this process and must write its data at exit."""
    _remove_copies()
    code = final_code(code)
    if "coverage" in sys.modules:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


BUG_NOTE = (
    "logsync: internal error: this is a bug in logsync, not a finding about the log (exit code "
    f"{int(ExitCode.SOFTWARE)}); please report it with the traceback above, the command line, "
    "`logsync --version` and the log (or the lines of it that cause this)\n"
)


class _Notes:
    """Standard error that never fails the command: where it is closed (`2>&-`) or cannot be
    written (`2>/dev/full`), its notes are lost, and the exit code is the command's."""

    def __init__(self, stream: IO[str] | None) -> None:
        self._stream = stream if stream is not None else open(os.devnull, "w")  # noqa: SIM115

    def write(self, text: str) -> int:
        with contextlib.suppress(OSError, ValueError):
            return self._stream.write(text)
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _crash() -> NoReturn:
    """End a bug with its traceback, one line saying it is a bug and what to report, and exit
    code 70 (never 1, the code of a failing gate)."""
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()  # what the command wrote before, then the traceback after it
    traceback.print_exc()
    sys.stderr.write(BUG_NOTE)
    sys.stderr.flush()
    sys.exit(ExitCode.SOFTWARE)


def _fail(message: str) -> NoReturn:
    """End with one line on stderr and exit code 2."""
    if sys.stderr is not None:
        sys.stderr.write(f"logsync: error: {visible(message)}\n")
        sys.stderr.flush()
    sys.exit(ExitCode.USAGE)


def _commands_run(args: list[str], commands: tuple[str, ...]) -> tuple[str, ...]:
    """The commands to register for this command line: the one it runs, when its first word
    names one (the framework then builds that command alone), else all of them (for help,
    completion and errors)."""
    first = next((arg for arg in args if not arg.startswith("-")), None)
    completing = any(name.startswith("_LOGSYNC_COMPLETE") for name in os.environ)
    if first in commands and not completing and args[0] == first:
        return (first,)
    return commands


_OWN = frozenset(("--help", "--version", "--install-completion", "--show-completion"))
"""The options of `logsync` itself, before any command."""


def command_first(args: list[str], group: Any) -> list[str] | None:
    """`args` with the options before the command moved after its name, as SPEC §5's synopsis
    writes them (`logsync --format json report x.log` is `logsync report --format json x.log`);
    None (as given) where they are `logsync`'s own (`--help`, `--version`) or are no run of options
    and their values before a command. An option's value is told from the command's options,
    so a value that names a command (`--user check check`) stays the option's."""
    commands = getattr(group, "commands", None)  # (the framework's group of commands)
    if not commands or "--" in args:
        return None
    for named, word in enumerate(args):
        command = commands.get(word)
        if command is None:
            continue
        before = args[:named]
        if _OWN.intersection(before) or not _options_only(before, command):
            continue
        return [word, *before, *args[named + 1 :]]
    return None


def _options_only(words: list[str], command: Any) -> bool:
    """Whether `words` are options of `command` and their values, and nothing else (a word the
    command does not know as an option is taken for one with the value after it, if any: the
    command then says it has no such option, and which it has, as after its name)."""
    options = [param for param in command.params if param.param_type_name == "option"]
    known = {name for param in options for name in param.opts}
    takes_value = {
        name for param in options if not param.is_flag and not param.count for name in param.opts
    }
    index = 0
    while index < len(words):
        word = words[index]
        if not word.startswith("-") or word == "-":
            return False
        valued = word in takes_value or (
            word not in known and "=" not in word and words[index + 1 : index + 2] != []
            and not words[index + 1].startswith("-")
        )
        index += 2 if valued else 1
    return index == len(words)


def _bounds_elsewhere(exc: Exception) -> str | None:
    """Of `--since` or `--until` given to a command that judges (only `events` takes them), what
    to give instead: the framework offered whatever option was spelled closest (`--user`)."""
    option = getattr(exc, "option_name", None)
    if type(exc).__name__ != "NoSuchOption" or option not in ("--since", "--until"):
        return None
    return f"no such option: {option} (only events takes it: judge as of a time with --now " + (
        f"WHEN, or list the events of a span with logsync events {option} WHEN)"
    )


def _usage_hint(args: list[str]) -> str:
    """What to type instead, where a command line went wrong in a common way: options with no
    command (`logsync --format json x.log`), or `logsync help`."""
    from .commands import COMMANDS

    if args[:1] == ["help"]:
        return " (logsync --help lists the commands; logsync COMMAND --help tells one)"
    if args[:1] and args[0].startswith("-") and not set(args) & set(COMMANDS):
        return " (name a command first: logsync COMMAND OPTIONS PATHS; logsync --help lists them)"
    return ""


def one_line(message: str) -> str:
    """A framework message on one line as logsync writes its own (a first word in lower case, no
    closing full stop), control characters shown visibly."""
    text = " ".join(part.strip() for part in message.splitlines() if part.strip()).rstrip(".")
    for jargon, plain in _PLAIN.items():
        text = jargon.sub(plain, text)
    if text[:1].isupper() and text[1:2].islower():  # (`Invalid value`, not `UPN` or `PATH`)
        text = text[0].lower() + text[1:]
    return visible(text)


_PLAIN = {
    re.compile(r"is not a valid int range$"): "is not a whole number",
    re.compile(r"is not a valid float range$"): "is not a number",
    re.compile(r"is not in the range x>=(\S+)$"): r"is less than \1",
    re.compile(r"is not in the range (\S+)<=x<=(\S+)$"): r"is not from \1 to \2",
}
"""The framework's words for a number out of its range, as an admin reads them."""


def _silence_stdout() -> None:
    """After the reader went away (`| head`) or a write failed, stop Python complaining while it
    flushes stdout at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    finally:
        os.close(devnull)
