"""The forms of an `events` line that the chunk writer (`render.ndjson`) puts together from
cached pieces: JSON (ndjson, and the elements of the json array), CSV and tab-separated text.

Every line is the same sequence: a head, the time as logged, the piece after the time, the line
number, a separator, the component, a separator, the thread, a separator, and the tail. What
depends on the message (its kind, severity, text and fields) is worked out once per distinct
message (`parts`); the component once per component. `encode` writes a whole event the plain
way, for the chunks the writer cannot put together: the bytes are those of the printers in
`render.machine` either way (tests compare them).
"""

from __future__ import annotations

import csv
import io
import json
from typing import IO, Any

from ..events import Event
from ..safety import visible
from . import Display
from .machine import EVENT_COLUMNS, EventEncoder, cell, csv_cells, event_text_rows

_encode = json.encoder.encode_basestring_ascii
_DATA_COLUMNS = EVENT_COLUMNS[8:]
"""The CSV columns after an event's text: the fields of its data."""


class LineForm:
    """The pieces of one form of `events` line (the JSON form; see the subclasses)."""

    header = ""
    """Written before the first line (CSV's header)."""
    after_line = ',"component":'
    after_component = ',"thread":'
    after_thread = ","

    def __init__(self, source: str, display: Display) -> None:
        self.source = source
        self.display = display
        self.encoder = EventEncoder(display)
        self._after_time = f'","source":{_encode(source)},"line":'

    def parts(self, kind: str, severity: str, text: str, data: Any) -> tuple[str, str, str]:
        """(head, after the time, tail) of a message's lines."""
        return (
            f'{{"kind":"{kind}","time":"',
            self._after_time,
            f'"severity":"{severity}",' + self.encoder.tail(kind, text, data),
        )

    def component(self, component: str) -> str:
        return _encode(component)

    def encode(self, event: Event) -> str:
        """The whole line of an event (without its line break)."""
        return self.encoder.encode(event)


class CsvForm(LineForm):
    """`events --format csv`: the columns of `machine.EVENT_COLUMNS`, control characters shown
    as escapes, as `machine.write_csv` does."""

    after_line = ","
    after_component = ","
    after_thread = ","

    def __init__(self, source: str, display: Display) -> None:
        super().__init__(source, display)
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")  # (quotes a line break)
        self.header = self._cells(EVENT_COLUMNS) + "\n"
        self._after_time = "," + self._cells([source, ""])
        self._heads: dict[str, str] = {}
        self._fields: dict[type, tuple[int, ...]] = {}

    def _cells(self, values: Any) -> str:
        """Values as `machine.write_csv` writes them in a row (an empty value as such)."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(csv_cells(values))
        return self._buffer.getvalue()[:-1]

    def parts(self, kind: str, severity: str, text: str, data: Any) -> tuple[str, str, str]:
        head = self._heads.get(kind)
        if head is None:
            head = self._heads[kind] = self._cells([kind, ""])
        at = self._fields.get(type(data))
        if at is None:  # (where each column after the text is in this kind of data, or -1)
            fields = data._fields if data is not None else ()
            at = tuple(fields.index(name) if name in fields else -1 for name in _DATA_COLUMNS)
            self._fields[type(data)] = at
        tail = [severity, text, *[None if i < 0 else data[i] for i in at]]
        return head, self._after_time, self._row(tail)

    def _row(self, values: list[Any]) -> str:
        """`_cells` of values, joined here where no cell needs quoting (no `,` nor `"` in it:
        the CSV writer's own rule; control characters are escapes by then)."""
        cells = csv_cells(values)
        line = ",".join(map(str, cells))
        if '"' in line or line.count(",") != len(cells) - 1:
            return self._cells(values)
        return line

    def component(self, component: str) -> str:
        return self._cells([component, ""])[:-1]

    def encode(self, event: Event) -> str:
        values = self.encoder.record(event)  # (as `machine.event_rows` makes a row)
        return self._cells([values.get(name) for name in EVENT_COLUMNS])


class TextForm(LineForm):
    """`events --format text`: time, kind, source:line, component, thread, severity and text,
    tab-separated, control characters shown as escapes (`machine.write_text_rows`)."""

    after_line = "\t"
    after_component = "\t"
    after_thread = "\t"

    def __init__(self, source: str, display: Display) -> None:
        super().__init__(source, display)
        self._source_cell = visible(source + ":")

    def parts(self, kind: str, severity: str, text: str, data: Any) -> tuple[str, str, str]:
        after_time = f"\t{kind}\t{self._source_cell}"  # (a kind is a plain name)
        return "", after_time, f"{severity}\t{cell(text)}"  # (a severity too)

    def component(self, component: str) -> str:
        return cell(component)

    def encode(self, event: Event) -> str:
        return "\t".join(cell(value) for value in next(event_text_rows([event], self.display)))


class JsonArray:
    """JSON lines written as the elements of one array, as `machine.write_events_json` does."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.empty = True  # (the caller writes the opening bracket)

    def write(self, text: str) -> None:
        if text:  # (a JSON line holds no line break of its own)
            self.out.write(("\n" if self.empty else ",\n") + text[:-1].replace("\n", ",\n"))
            self.empty = False

    def close(self) -> None:
        self.out.write("]\n" if self.empty else "\n]\n")
