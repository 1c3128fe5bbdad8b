from __future__ import annotations

from datetime import timedelta

from storage import Store, form_drafts
from tests.storage.helpers import T0

DAY = timedelta(days=1)
PAGE_1 = {"company": {"input": {"type": "plain_text_input", "value": "Acme"}}}
PAGE_2 = {"contact": {"input": {"type": "plain_text_input", "value": "Jane"}}}


def test_earlier_pages_are_merged_in_order_and_a_page_sent_again_replaces_its_answers(store: Store) -> None:
    form_drafts.save_page(store, "V1", 1, PAGE_1, expires_at=T0 + DAY, now=T0)
    form_drafts.save_page(store, "V1", 2, PAGE_2, expires_at=T0 + DAY, now=T0)
    corrected = {"company": {"input": {"type": "plain_text_input", "value": "Acme Ltd"}}}
    form_drafts.save_page(store, "V1", 1, corrected, expires_at=T0 + DAY, now=T0)

    assert form_drafts.earlier_values(store, "V1", 3, T0) == {**corrected, **PAGE_2}
    assert form_drafts.earlier_values(store, "V1", 2, T0) == corrected
    assert form_drafts.earlier_values(store, "V2", 3, T0) == {}


def test_a_draft_is_not_read_once_it_expires_and_is_deleted_by_the_next_write(store: Store) -> None:
    form_drafts.save_page(store, "V1", 1, PAGE_1, expires_at=T0 + DAY, now=T0)

    assert form_drafts.saved_pages(store, "V1", T0 + DAY - timedelta(seconds=1)) == [1]
    assert form_drafts.saved_pages(store, "V1", T0 + DAY) == []
    assert form_drafts.earlier_values(store, "V1", 2, T0 + DAY) == {}

    form_drafts.save_page(store, "V9", 1, PAGE_2, expires_at=T0 + 3 * DAY, now=T0 + DAY)
    rows = list(store.db.query("SELECT root_view_id FROM form_drafts"))
    assert rows == [{"root_view_id": "V9"}]


def test_a_discarded_draft_is_gone(store: Store) -> None:
    form_drafts.save_page(store, "V1", 1, PAGE_1, expires_at=T0 + DAY, now=T0)
    form_drafts.discard(store, "V1")

    assert form_drafts.saved_pages(store, "V1", T0) == []
