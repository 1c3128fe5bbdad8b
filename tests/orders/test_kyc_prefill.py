"""The order form prefilled from a registration Sinch holds, to fix a blocked order: sent back untouched,
it reads back into the same registration; the number settings are gone and the documents optional."""

from __future__ import annotations

from bot.sinch import NumberRequirements
from commands.orders.prefill import fix_view, registration_answers
from commands.orders.registration import read_registration
from commands.shared import number_forms
from sandbox.sinch.requirements import AU_MOBILE
from tests.orders.kyc_forms import build_views, submit_all
from tests.orders.test_kyc_form import AU_NUMBERS, filled


def au_registration() -> tuple[NumberRequirements, dict[str, object]]:
    requirements = NumberRequirements.model_validate(AU_MOBILE.view())
    values = submit_all(build_views(requirements, AU_NUMBERS), filled(requirements, AU_NUMBERS, "AU"))
    details, problems = read_registration(requirements, AU_NUMBERS, values)
    assert problems == {}
    return requirements, details


def test_a_prefilled_form_sent_back_untouched_reads_back_into_the_same_registration() -> None:
    requirements, details = au_registration()
    [view] = build_views(requirements, AU_NUMBERS)

    fixed = fix_view(view, requirements, AU_NUMBERS, details)
    # Nothing typed and no document attached again: every input keeps what it was filled with.
    values = submit_all([fixed], {})

    again, problems = read_registration(requirements, AU_NUMBERS, values, documents_required=False)
    assert problems == {}
    assert again == details


def test_the_fix_form_leaves_out_the_number_settings_and_makes_documents_optional() -> None:
    requirements, details = au_registration()
    [view] = build_views(requirements, AU_NUMBERS)

    fixed = fix_view(view, requirements, AU_NUMBERS, details)

    block_ids = {block.get("block_id") for block in fixed["blocks"]}
    assert number_forms.SERVICE_PLAN_BLOCK in {block.get("block_id") for block in view["blocks"]}
    assert number_forms.SERVICE_PLAN_BLOCK not in block_ids
    documents = [block for block in fixed["blocks"] if str(block.get("block_id")).startswith("kyc:doc")]
    assert documents and all(block["optional"] for block in documents)
    # The order form itself is left as it was: a new order still needs its mandatory documents.
    mandatory = [doc.mandatory for doc in requirements.attachments]
    originals = [block for block in view["blocks"] if str(block.get("block_id")).startswith("kyc:doc")]
    assert [not block["optional"] for block in originals] == mandatory and any(mandatory)


def test_answers_that_do_not_fit_the_requirements_are_left_out() -> None:
    requirements, _ = au_registration()

    assert registration_answers(requirements, AU_NUMBERS, {"data": "not a list"}) == {}
    assert registration_answers(requirements, AU_NUMBERS, {"data": [[{"unknownField": "x"}]]}) == {}
