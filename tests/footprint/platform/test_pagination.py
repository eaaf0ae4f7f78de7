"""Page numbers asked for by pages: as the API's PageArgs allow, else the first page."""

from __future__ import annotations

import pytest

from footprint.platform.pagination import MAX_PAGE, page_asked, page_count


@pytest.mark.parametrize(
    ("asked", "page"),
    [("3", 3), ("", 1), ("0", 1), ("-2", 1), ("x", 1), (str(MAX_PAGE), MAX_PAGE), ("9" * 30, 1)],
)
def test_a_page_number_beyond_what_the_api_allows_is_the_first_page(asked, page):
    assert page_asked({"page": asked}) == page


def test_no_records_still_fill_one_page():
    assert (page_count(0, 20), page_count(20, 20), page_count(21, 20)) == (1, 1, 2)


def test_a_page_number_too_large_for_the_database_is_not_an_error(client):
    assert client.get(f"/registry/retirements?page={'9' * 30}").status_code == 200
