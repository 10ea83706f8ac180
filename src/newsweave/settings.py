"""Every setting declared once: name, type, default, help. Environment variables are NEWSWEAVE_<NAME>.

An unknown ``NEWSWEAVE_*`` variable, or a value that does not parse, stops start-up with a message
naming it (no "continuing anyway").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from newsweave.errors import SettingsError


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "newsweave.db"
    max_bytes: int = 50_000_000
    allow_private_urls: bool = False
    token: str | None = None
    batch_size: int = 200
    gazetteer: str | None = None
    max_request_bytes: int = 10_000_000
    cors_origins: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if env is None else env
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in env.items():
            if not key.startswith("NEWSWEAVE_"):
                continue
            name = key[len("NEWSWEAVE_") :].lower()
            if name in _IGNORED_ENV:
                continue
            if name not in known:
                raise SettingsError(
                    f"unknown setting {key}; valid settings: "
                    + ", ".join("NEWSWEAVE_" + n.upper() for n in sorted(known))
                )
            values[name] = _parse(key, raw, DEFAULTS[name])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


SETTINGS_HELP: dict[str, str] = {
    "db": "store location: a SQLite file path (default ./newsweave.db) or a postgresql:// URL",
    "max_bytes": "largest input file read whole, in bytes; bigger files are rejected (JSONL is streamed)",
    "allow_private_urls": "allow fetching URLs on loopback/private/link-local addresses (off: SSRF guard)",
    "token": "token required by the HTTP API's write endpoints; unset = read-only API",
    "batch_size": "articles committed per transaction during ingest",
    "gazetteer": "path of the offline gazetteer index (default: built once in the user cache directory)",
    "max_request_bytes": "largest HTTP request body the API accepts, in bytes",
    "cors_origins": "comma-separated browser origins allowed to call the API; unset = CORS off",
}
DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Settings)}
# Variables with the prefix that are not settings: read by the scorers (NEWSWEAVE_CLI) and by the test
# harness and scripts/start-postgres.sh (a throwaway test database), never by newsweave itself.
_IGNORED_ENV = frozenset({"cli", "test_postgres", "pg_dir", "pg_port", "pg_db"})


def _parse(key: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        low = raw.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off", ""):
            return False
        raise SettingsError(f"{key}={raw!r} is not a boolean; use true or false")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{key}={raw!r} is not an integer") from None
    return raw
