"""Database accounts on the Upload page (AppTest): a person sets their password with the one-time
code they were given and signs in; disabling or resetting the account ends a session signed in
with it at its next page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from landscape.config import load_settings
from landscape.store.access import Principal, Role
from landscape.store.accounts import Accounts
from landscape.store.waves import open_store
from tests.store_support import CAMBRIDGESHIRE

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "upload.py")
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
BOOTSTRAP = Principal("apcc-admin", Role.ADMIN)
OFFICE_PASSWORD = "the office's own password"
CODE_FORM = "Set your password with a one-time code"


@pytest.fixture
def book(store_env, monkeypatch) -> Accounts:
    monkeypatch.setenv(
        "LANDSCAPE_ACCOUNTS",
        json.dumps({"apcc-admin": {"password_hash": FAST.hash("x" * 20), "role": "admin"}}),
    )
    store = open_store(store_env, seed=False)
    st.cache_data.clear()
    return Accounts(store.engine, load_settings(), hasher=FAST)


def page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=120).run()


def field(at: AppTest, label: str):
    return next(t for t in at.text_input if t.label == label)


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_an_office_sets_its_password_with_its_code_on_the_page_and_signs_in(book):
    issued = book.add(BOOTSTRAP, "cambs-opcc", role=Role.AREA, area="Cambridgeshire", via="t")
    assert issued is not None
    at = page()
    assert not at.exception
    assert CODE_FORM in [e.label for e in at.expander]
    field(at, "Username").input("x")  # the sign-in form's, untouched below
    at.text_input(key="set_password_username").input("cambs-opcc")
    at.text_input(key="set_password_code").input(issued.code)
    at.text_input(key="set_password_new").input(OFFICE_PASSWORD)
    field(at, "New password again").input(OFFICE_PASSWORD)
    at = submit(at, "Set the password")
    assert [s.value.replace("\\", "") for s in at.success] == [
        "Password set. Sign in above as cambs-opcc."
    ]
    trail = book.events(BOOTSTRAP, "cambs-opcc")
    assert (trail[-1].action, trail[-1].actor, trail[-1].via) == (
        "password set",
        "cambs-opcc",
        "dashboard",
    )
    field(at, "Username").input("cambs-opcc")
    field(at, "Password").input(OFFICE_PASSWORD)
    at = submit(at, "Sign in")
    assert not at.exception
    assert any("Signed in as cambs" in s.value for s in at.success)
    assert CODE_FORM not in [e.label for e in at.expander]  # no code open any more


def test_two_different_new_passwords_are_refused_and_the_code_still_works(book):
    issued = book.add(BOOTSTRAP, "cambs-opcc", role=Role.AREA, area="Cambridgeshire", via="t")
    assert issued is not None
    at = page()
    at.text_input(key="set_password_username").input("cambs-opcc")
    at.text_input(key="set_password_code").input(issued.code)
    at.text_input(key="set_password_new").input(OFFICE_PASSWORD)
    field(at, "New password again").input(OFFICE_PASSWORD + "!")
    at = submit(at, "Set the password")
    assert [e.value for e in at.error] == [
        "The two passwords are not the same. Type the new one twice."
    ]
    book.set_password("cambs-opcc", issued.code, OFFICE_PASSWORD, via="t")


@pytest.mark.parametrize("change", ["disable", "reset"])
def test_disabling_or_resetting_an_account_ends_its_session_at_the_next_page(book, change):
    issued = book.add(BOOTSTRAP, "cambs-opcc", role=Role.AREA, area="Cambridgeshire", via="t")
    assert issued is not None
    book.set_password("cambs-opcc", issued.code, OFFICE_PASSWORD, via="t")
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["landscape_principal"] = Principal("cambs-opcc", Role.AREA, CAMBRIDGESHIRE)
    at.run()
    assert any("Signed in as cambs" in s.value for s in at.success)
    getattr(book, change)(BOOTSTRAP, "cambs-opcc", via="t")
    at.run()
    assert not any("Signed in as" in s.value for s in at.success)
    assert [t.label for t in at.text_input][:2] == ["Username", "Password"]
    assert "landscape_principal" not in at.session_state
