"""newsweave: turn many news reports about unfolding events into one cross-checked, cited picture.

Library first: the CLI (``newsweave``) and the HTTP API are thin layers over these functions.

    from newsweave import Settings, open_store, ingest, export_json
    store = open_store("news.db")
    ingest(store, ["reports/"], Settings.from_env())
    data = export_json(store)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Settings", "__version__", "analyse", "export_json", "ingest", "open_store"]

if TYPE_CHECKING:
    from newsweave.export import export_json
    from newsweave.pipeline import analyse, ingest
    from newsweave.settings import Settings
    from newsweave.store import open_store

_LAZY = {
    "Settings": "newsweave.settings",
    "open_store": "newsweave.store",
    "ingest": "newsweave.pipeline",
    "analyse": "newsweave.pipeline",
    "export_json": "newsweave.export",
}


def __getattr__(name: str) -> Any:
    """Import on first use, so ``import newsweave`` stays cheap."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'newsweave' has no attribute {name!r}")
