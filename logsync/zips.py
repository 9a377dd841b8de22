"""A zip (or tar) archive among the inputs: read as the folder inside it that holds the
connector's logs, as a directory is, its members named `ARCHIVE/MEMBER` (see
`members.open_member`); a folder inside it named so (`logs.zip/SERVER/Logs`) stands for the
logs that folder holds."""

from __future__ import annotations

from .archives import STDIN, archive_kind, display_name, kind_words, member_name
from .errors import InputError
from .lognames import folder_logs, is_sibling
from .members import archive_infos


def zip_logs(archive: str, under: str = "") -> list[str]:
    """What a zip archive stands for: the files of the folder inside it (or inside its folder
    `under`) that holds the connector's log, as a directory stands for them, named
    `ARCHIVE/MEMBER`. `under` "." is the archive's top folder (the files in no folder)."""
    shown = display_name(f"{archive}/{under}" if under else archive)
    top = under == "."
    within = f"{under}/" if under and not top else ""
    members = [
        member_name(info)
        for info in archive_infos(archive)
        if not info.is_dir() and (info.file_size or not is_sibling(member_name(info)))
    ]
    folders: dict[str, dict[str, str]] = {}
    for member in members:
        if member.startswith(within):
            folder, _, name = member.rpartition("/")
            if not top or folder in ("", "."):  # (`./` begins members of some zips)
                folders.setdefault(folder, {})[name] = member
    holding = {}
    for folder, files in sorted(folders.items()):
        found = folder_logs(files)
        if found and not all(is_sibling(name) for name in found):
            holding[folder] = [files[name] for name in found]
    kind = kind_words(archive)
    where = f"this folder of the {kind}" if under else f"this {kind}"
    if under and not top and under.rstrip("/") in holding:  # (its own logs, as on disk)
        holding = {under: holding[under.rstrip("/")]}
    if not holding:
        packed = sorted(m.rpartition("/")[2] for m in members if m.lower().endswith(_PACKED))
        them = "it" if len(packed) == 1 else "them"
        inside = f" (it holds {', '.join(packed[:3])}: extract {them} first)" if packed else ""
        raise InputError(shown, f"no CloudUserSync.log or CloudUserSync.lo_ in {where}{inside}")
    if len(holding) > 1:
        folders_named = ", ".join(f"{folder or '.'}/" for folder in holding)
        first = next(iter(holding)) or "."
        saved = f"FILE.{archive_kind(archive)}/{first}"
        one = f"as {archive}/{first}" if archive != STDIN else f"save it and give {saved}"
        raise InputError(
            shown,
            f"CloudUserSync logs in {len(holding)} folders of {where} ({folders_named}): "
            f"name one, {one}",
        )
    (found,) = holding.values()
    return [f"{archive}/{member}" for member in found]


_PACKED = (".zip", ".7z", ".rar", ".tar", ".tgz", ".gz", ".bz2", ".xz", ".cab")
"""Archives and packed files a zip archive may hold in place of the logs (not read inside it)."""


def zip_input(name: str, archive: str, member: str) -> list[str]:
    """An input named `ARCHIVE/MEMBER`: the member, or where it names a folder of the archive,
    the logs of that folder (`zip_logs`). One that is neither is left for its reading to
    refuse ("no such file in the zip archive"). `ARCHIVE/` is the archive, `ARCHIVE/.` its top
    folder (as `zip_logs` names it where several folders hold logs)."""
    folder = member.rstrip("/")
    if folder in ("", "."):
        return zip_logs(archive, folder)
    names = [member_name(info) for info in archive_infos(archive) if not info.is_dir()]
    if folder in names:
        return [f"{archive}/{folder}"]  # (named as it is among the inputs, `/` between folders)
    if not any(each.startswith(f"{folder}/") for each in names):
        return [name]
    return zip_logs(archive, folder)
