"""The only place that asks what time it is, so builds stay reproducible."""

from __future__ import annotations

import datetime as dt
import os


def get_build_time() -> dt.datetime:
    """Return the build time: `SOURCE_DATE_EPOCH` when set, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)
