"""PyYAML's loader and dumper as front matter uses them (see `frontmatter`).

Apart from `frontmatter` so that PyYAML (20-25 ms to import) loads only when a file is parsed
or written: a day's increment parses its new files in a child process and the build itself never
needs it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from .errors import brief

YAMLError = yaml.YAMLError

try:  # the C loader is ten times faster; fall back when libyaml is missing
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class BadValue(yaml.YAMLError):
    """A value YAML parsed but Python cannot hold (an impossible date)."""

    def __init__(self, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.problem = message
        self.problem_mark = mark

    def __reduce__(self) -> tuple[type[BadValue], tuple[str, Any]]:
        # it can travel with the error it became, from a parse worker (as the `__context__`
        # that tblib, which Dask installs, pickles too); libyaml's marks do not pickle
        return (BadValue, (self.problem, None))


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, with impossible timestamps reported where they stand."""


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except (ValueError, OverflowError) as exc:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
        raise BadValue(f"{brief(value)} is not a real date ({exc}); write e.g. 2026-02-08T09:30:00+00:00",
                        node.start_mark) from None
    except (AttributeError, TypeError):  # `!!timestamp` on something that is no date at all
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
        raise BadValue(f"{brief(value)} is not a date; write e.g. 2026-02-08T09:30:00+00:00",
                        node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Safe dumper (libyaml's when present) writing aware datetimes as plain ISO 8601 with a `T`."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never write `&id001` anchors: a curator reads and edits front matter by hand, and a
        list given twice is clearer written twice (this also skips the per-value alias lookup)."""
        return True

    def represent_data(self, data: Any) -> yaml.Node:
        """The node PyYAML's representer makes, built directly for text, lists and mappings.

        Front matter is mostly these; PyYAML's general path (alias bookkeeping, a lookup through
        the type's MRO, the best-style pass) was most of the time of writing an article. With a
        set block or flow style and unsorted keys the nodes are the same; other cases, and other
        types, take PyYAML's own path.
        """
        kind = type(data)
        if kind is str and self.default_style is None:
            return yaml.ScalarNode("tag:yaml.org,2002:str", data)
        if self.default_flow_style is None:
            return super().represent_data(data)
        if kind is dict and not self.sort_keys:
            represent = self.represent_data
            pairs = [(represent(key), represent(value)) for key, value in data.items()]
            return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=self.default_flow_style)
        if kind is list:
            items = list(map(self.represent_data, data))
            return yaml.SequenceNode("tag:yaml.org,2002:seq", items, flow_style=self.default_flow_style)
        return super().represent_data(data)


def _represent_datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.Node:
    offset = value.utcoffset()
    if offset is not None and offset % dt.timedelta(minutes=1):
        # YAML offsets are hours and minutes; an old local mean time (-07:04:20) would not read back
        value = value.astimezone(dt.UTC)
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(dt.datetime, _represent_datetime)


def load(source: str) -> Any:
    """Parse YAML safely (libyaml's loader when present)."""
    return yaml.load(source, Loader=_Loader)


def dump(meta: dict[str, Any]) -> str:
    """Write YAML safely: keys in the given order, one per line, never wrapped, no anchors."""
    return str(yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000,
                         default_flow_style=False))
