"""The monthly budget setting and the spend line approval cards show (`bot.inventory.budget`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_settings
from bot.inventory.budget import MonthlyCost, parse_budget, spend_change


def test_a_budget_per_currency_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NUMBOT_MONTHLY_BUDGET", "USD=2500, eur=300.50")
    budget = load_settings(_env_file=None).numbot_monthly_budget
    assert budget == {"USD": Decimal(2500), "EUR": Decimal("300.50")}


def test_no_budget_when_unset_or_blank() -> None:
    assert load_settings(_env_file=None).numbot_monthly_budget is None
    assert parse_budget(" , ") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("USD2500", "'USD2500' is not CURRENCY=AMOUNT"),
        ("DOLLAR=5", "'DOLLAR=5' is not CURRENCY=AMOUNT"),
        ("USD=lots", "the USD budget 'lots' is not a number"),
        ("USD=-5", "the USD budget must be a positive amount"),
        ("USD=NaN", "the USD budget must be a positive amount"),
        ("USD=1,usd=2", "USD is given twice"),
    ],
)
def test_a_bad_budget_is_refused_naming_the_variable(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=f"NUMBOT_MONTHLY_BUDGET: {message}"):
        load_settings(_env_file=None, numbot_monthly_budget=text)


def test_numbot_refuses_to_start_with_a_bad_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env
    monkeypatch.setenv("NUMBOT_DATABASE", str(tmp_path / "numbot.db"))
    monkeypatch.setenv("NUMBOT_MONTHLY_BUDGET", "USD=2,500")

    assert main(["serve", "--sandbox"]) == 2

    error = capsys.readouterr().err
    assert "NUMBOT_MONTHLY_BUDGET: '500' is not CURRENCY=AMOUNT (for example USD=2500,EUR=300)" in error
    assert not (tmp_path / "numbot.db").exists()  # refused before anything started


def test_the_card_shows_spend_now_and_after_and_warns_over_budget() -> None:
    budget = {"USD": Decimal(100)}
    within = spend_change(MonthlyCost(currency="USD", amount=Decimal("2.5")), now=Decimal(90), budget=budget)
    over = spend_change(MonthlyCost(currency="USD", amount=Decimal(20)), now=Decimal(90), budget=budget)

    assert within.card_lines() == ["*Monthly spend (USD):* 90.00 → 92.50 (+2.50) · budget 100.00"]
    assert over.card_lines() == [
        "*Monthly spend (USD):* 90.00 → 110.00 (+20.00) · budget 100.00",
        ":warning: Over budget: this takes monthly spend in USD above the budget of 100.00 USD. "
        "Approving is still allowed.",
    ]


def test_a_release_lowers_spend_and_never_warns_even_above_budget() -> None:
    release = spend_change(
        MonthlyCost(currency="EUR", amount=Decimal(-3)), now=Decimal(500), budget={"EUR": Decimal(300)}
    )
    assert release.card_lines() == ["*Monthly spend (EUR):* 500.00 → 497.00 (-3.00) · budget 300.00"]


def test_spend_not_known_before_the_inventory_was_read() -> None:
    first = spend_change(MonthlyCost(currency="<b>", amount=Decimal(400)), now=None, budget={})
    assert first.card_lines() == [
        "*Monthly spend (&lt;b&gt;):* not known yet (numbot has not read the inventory), +400.00 a month"
    ]
