"""Every Sinch provisioning error code reads as a reason and a next step, never as a bare enum name."""

from __future__ import annotations

import pytest

from bot.sinch import SmsErrorCode
from bot.watching.error_codes import code_name, explain, explain_all
from bot.watching.provisioning import PartState, PartStatus, Settlement, report, report_gone


@pytest.mark.parametrize("code", list(SmsErrorCode), ids=str)
def test_every_documented_code_has_its_own_explanation_and_next_step(code: SmsErrorCode) -> None:
    explanation = explain(code.value)

    assert explanation.code == code.value
    assert "does not know" not in explanation.meaning
    assert explanation.meaning.endswith(".") and explanation.next_step.endswith(".")
    assert explanation.meaning.lower() != code.value.replace("_", " ").lower()


def test_explanations_are_distinct() -> None:
    meanings = [explain(code.value).meaning for code in SmsErrorCode]
    assert len(set(meanings)) == len(meanings)


def test_an_unknown_code_still_reads_sensibly() -> None:
    explanation = explain("BRAND_NEW_CODE")
    assert explanation.code == "BRAND_NEW_CODE"
    assert "support ticket" in explanation.next_step


def test_protobuf_numbers_map_to_names_in_spec_order() -> None:
    assert code_name(0) == "ERROR_CODE_UNSPECIFIED"
    assert code_name(5) == "EXCEEDED_10DLC_LIMIT"
    assert code_name(99) == "99"


def test_no_code_at_all_is_explained_as_unspecified_and_repeats_are_merged() -> None:
    assert [e.code for e in explain_all([])] == ["ERROR_CODE_UNSPECIFIED"]
    assert [e.code for e in explain_all(["INSUFFICIENT_BALANCE", "INSUFFICIENT_BALANCE"])] == [
        "INSUFFICIENT_BALANCE"
    ]


def test_a_failure_report_lists_each_code_with_its_next_step() -> None:
    failed = PartStatus("sms", PartState.FAILED, ("CAMPAIGN_NOT_AVAILABLE", "INSUFFICIENT_BALANCE"))
    settled = Settlement("+12025550100", (failed, PartStatus("voice", PartState.DONE)))

    message = report(settled, request_id="R-ABCDE", sandbox=True)

    assert settled.outcome == "failed sms:CAMPAIGN_NOT_AVAILABLE+INSUFFICIENT_BALANCE"
    assert message.detail_text.count("*Next:*") == 2
    assert "top up the balance" in message.detail_text
    assert message.summary.endswith("(request R-ABCDE).")
    assert "SANDBOX" in str(message.detail_blocks[-1])


def test_a_number_sinch_named_in_an_event_is_escaped_in_every_line() -> None:
    forged = "+1<!channel>"
    settled = Settlement(forged, (PartStatus("sms", PartState.FAILED, ("INSUFFICIENT_BALANCE",)),))
    told = report(settled, request_id=None, sandbox=False, unrequested=True)
    gone = report_gone(forged, request_id=None, sandbox=False)

    for text in (told.detail_text, told.summary, gone.detail_text, str(told.detail_blocks)):
        assert "<!channel>" not in text and "&lt;!channel&gt;" in text
