"""The digest's chart: a PNG Slack can show, drawn from the inventory's figures, currencies kept apart."""

from __future__ import annotations

import io
import subprocess
import sys
from decimal import Decimal

from PIL import Image

from bot.inventory.chart import (
    DPI,
    EMPTY,
    HEIGHT_INCHES,
    MOST_REGIONS,
    WIDTH_INCHES,
    chart_description,
    region_chart,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BY_REGION = [("US", 40, 2), ("GB", 8, 0), ("", 1, 3)]
BY_REGION_SPEND = [("US", "USD", Decimal("40.50")), ("GB", "GBP", Decimal("8")), ("", "USD", Decimal("1"))]


def decoded(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes every pixel: a truncated or corrupt file fails here
    return image


def test_the_chart_is_a_png_of_the_expected_size() -> None:
    image = decoded(region_chart(BY_REGION, BY_REGION_SPEND))

    assert image.format == "PNG"
    assert image.size == (round(WIDTH_INCHES * DPI), round(HEIGHT_INCHES * DPI))
    # Something was drawn: far more than the one colour of an empty canvas.
    assert len(image.getcolors(maxcolors=100_000) or []) > 50


def test_the_chart_describes_each_currency_apart() -> None:
    description = decoded(region_chart(BY_REGION, BY_REGION_SPEND)).info["Description"]

    assert description == chart_description(BY_REGION, BY_REGION_SPEND)
    assert "US 42" in description
    assert "unknown 4" in description  # Sinch named no region for these
    assert "Monthly spend 41.50 USD." in description
    assert "Monthly spend 8.00 GBP." in description


def test_an_empty_inventory_still_gives_a_chart_saying_so() -> None:
    image = decoded(region_chart([], []))

    assert image.size == (round(WIDTH_INCHES * DPI), round(HEIGHT_INCHES * DPI))
    assert image.info["Description"] == EMPTY


def test_regions_beyond_the_shown_rows_are_summed_into_one() -> None:
    by_region = [(f"R{index:02}", 100 - index, 0) for index in range(15)]
    spend = [(region, "EUR", Decimal(1)) for region, _, _ in by_region]

    description = chart_description(by_region, spend)

    beyond = by_region[MOST_REGIONS:]
    assert f"{len(beyond)} other regions {sum(active for _, active, _ in beyond)}." in description
    assert "Monthly spend 15.00 EUR." in description


def test_the_bot_starts_without_importing_matplotlib() -> None:
    # A fresh interpreter: this test process has imported it already, drawing the charts above.
    check = "import sys, bot.runtime, bot.cli; sys.exit('matplotlib' in sys.modules)"

    assert subprocess.run([sys.executable, "-c", check], check=False).returncode == 0
