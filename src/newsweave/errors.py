"""One exception tree for newsweave. The exit status (CLI) and HTTP status (API) live on the classes.

NewsweaveError            exit 1, HTTP 500
├── SettingsError         exit 2, HTTP 500   an unknown or invalid setting
├── InputError            exit 2, HTTP 400   a bad argument or input the caller can fix
├── NotFoundError         exit 3, HTTP 404   no such article, story or entity
└── StoreError            exit 4, HTTP 500   the store cannot be opened, migrated or written
"""

from __future__ import annotations


class NewsweaveError(Exception):
    exit_code = 1
    http_status = 500


class SettingsError(NewsweaveError):
    exit_code = 2


class InputError(NewsweaveError):
    exit_code = 2
    http_status = 400


class NotFoundError(NewsweaveError):
    exit_code = 3
    http_status = 404


class StoreError(NewsweaveError):
    exit_code = 4
