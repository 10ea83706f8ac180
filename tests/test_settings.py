import pytest

from newsweave.errors import SettingsError
from newsweave.settings import SETTINGS_HELP, Settings


def test_settings_read_environment():
    s = Settings.from_env({"NEWSWEAVE_DB": "x.db", "NEWSWEAVE_MAX_BYTES": "10", "NEWSWEAVE_ALLOW_PRIVATE_URLS": "yes"})
    assert (s.db, s.max_bytes, s.allow_private_urls) == ("x.db", 10, True)


def test_settings_unknown_key_names_it_and_the_valid_ones():
    with pytest.raises(SettingsError, match=r"NEWSWEAVE_DATABSE.*NEWSWEAVE_DB"):
        Settings.from_env({"NEWSWEAVE_DATABSE": "x.db"})


def test_settings_bad_value_is_an_error():
    with pytest.raises(SettingsError, match="not an integer"):
        Settings.from_env({"NEWSWEAVE_MAX_BYTES": "big"})
    with pytest.raises(SettingsError, match="not a boolean"):
        Settings.from_env({"NEWSWEAVE_ALLOW_PRIVATE_URLS": "maybe"})


def test_settings_overrides_win_over_environment():
    assert Settings.from_env({"NEWSWEAVE_DB": "env.db"}, db="cli.db").db == "cli.db"


def test_every_setting_is_documented():
    from dataclasses import fields

    assert {f.name for f in fields(Settings)} == set(SETTINGS_HELP)
