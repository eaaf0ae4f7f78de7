"""Links the account page offers by role, plugged in by the layers above this package.

Accounts sit below certification, so `footprint.accounts.pages` cannot know of, say, a
verifier's key page; certification adds the link with `link_through` when it starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from footprint.accounts.models import User


@dataclass(frozen=True, slots=True)
class AccountLink:
    """A link for the users of ``roles``: its text (translated when shown) and endpoint."""

    roles: frozenset[str]
    text: Callable[[], str]
    endpoint: str


_links: dict[str, AccountLink] = {}
"""By endpoint: each app the process makes plugs its links in again, and one endpoint
is one link."""


def link_through(*, roles: tuple[str, ...], text: Callable[[], str], endpoint: str) -> None:
    """Show a link to ``endpoint`` on the account page of users with one of ``roles``."""
    _links[endpoint] = AccountLink(frozenset(roles), text, endpoint)


def links_for(user: User) -> list[tuple[str, str]]:
    """The links ``user``'s account page shows: text and URL, in the order added."""
    return [
        (link.text(), url_for(link.endpoint)) for link in _links.values() if user.role in link.roles
    ]
