"""The public surface of newsweave.ingest stays what the CLI and pipeline rely on."""

from __future__ import annotations

import inspect

import newsweave.ingest as ingest


def test_ingest_all_lists_the_public_api() -> None:
    assert sorted(ingest.__all__) == ["detect_language", "normalise_published", "read_inputs"]
    for name in ingest.__all__:
        assert callable(getattr(ingest, name))


def test_read_inputs_signature_is_stable() -> None:
    parameters = inspect.signature(ingest.read_inputs).parameters
    assert list(parameters) == ["inputs", "max_bytes", "source", "published", "allow_private_urls", "http"]
    assert parameters["max_bytes"].default == 50_000_000
    assert parameters["allow_private_urls"].default is False
    assert all(parameters[name].kind is inspect.Parameter.KEYWORD_ONLY for name in list(parameters)[1:])
