"""The weekly digest's chart: numbers and monthly spend by region, as PNG bytes.

Pure: it takes the plain figures of `storage.inventory.Totals` (`by_region`, `by_region_spend`) and draws
them. The numbers panel stacks rented and imported numbers; each currency gets a spend panel of its own,
beside it and on the same region rows, so a dollar bar is never added to (or set against) a euro bar.

matplotlib is imported inside `region_chart`: it costs tens of megabytes and most of a second to import,
and only a digest needs it, so the bot's start-up and idle memory never pay for it. It draws on a `Figure`
of its own with the Agg canvas, never through pyplot, whose global state is not safe across the listener and
scheduler threads that may draw at the same time.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# 1800 by 1050 pixels: sharp on a high-density screen, wide enough for a numbers panel and four currencies.
WIDTH_INCHES = 12.0
HEIGHT_INCHES = 7.0
DPI = 150
# More rows than this are unreadable at a glance; the rest are summed into one "other" row.
MOST_REGIONS = 10
# Panels beyond this get too narrow to read; further currencies are named under the chart.
MOST_CURRENCIES = 4
FEWEST_ROWS = 6
UNKNOWN_REGION = "unknown"
TITLE = "Numbers and monthly spend by region"
EMPTY = "No numbers in the inventory yet"

_ACTIVE = "#2f6db5"
_IMPORTED = "#9dbce0"
_SPEND = ("#2e8b57", "#c77c0e", "#8e5aa8", "#b5484f")
_INK = "#333333"


@dataclass(frozen=True)
class _Rows:
    """What the chart draws, already cut to the rows it shows (most numbers at the top)."""

    regions: list[str]
    active: list[int]
    imported: list[int]
    spend: dict[str, list[Decimal]]  # currency → amount per region row, the most numbers billed first
    hidden_currencies: list[str]


def region_chart(
    by_region: Sequence[tuple[str, int, int]], by_region_spend: Sequence[tuple[str, str, Decimal]]
) -> bytes:
    """A PNG of numbers (rented and imported) and monthly spend per currency, by region.

    `by_region` is (region, active, imported), most numbers first; `by_region_spend` is (region, currency,
    monthly amount). An empty inventory still gives a chart, one that says so.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - see the module docstring
    from matplotlib.figure import Figure  # noqa: PLC0415

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.get_layout_engine().set(w_pad=0.15)  # type: ignore[union-attr, call-arg]
    rows = _rows(by_region, by_region_spend)
    figure.suptitle(TITLE, fontsize=15, color=_INK, fontweight="bold")
    if rows.regions:
        _draw(figure, rows)
    else:
        figure.text(0.5, 0.5, EMPTY, ha="center", va="center", fontsize=20, color=_INK)
    png = io.BytesIO()
    figure.savefig(png, format="png", metadata={"Title": TITLE, "Description": _describe(rows)})
    return png.getvalue()


def chart_description(
    by_region: Sequence[tuple[str, int, int]], by_region_spend: Sequence[tuple[str, str, Decimal]]
) -> str:
    """What the chart shows, in words: its alt text for screen readers and the image's own description."""
    return _describe(_rows(by_region, by_region_spend))


def _describe(rows: _Rows) -> str:
    if not rows.regions:
        return EMPTY
    parts = [
        f"{region} {active + imported:,}"
        for region, active, imported in zip(rows.regions, rows.active, rows.imported, strict=True)
    ]
    text = "Numbers by region: " + ", ".join(parts) + "."
    for currency, amounts in rows.spend.items():
        total = sum(amounts, Decimal(0))
        text += f" Monthly spend {total:,.2f} {currency}."
    if rows.hidden_currencies:
        text += f" {_also_billed(rows.hidden_currencies)}."
    return text


def _rows(
    by_region: Sequence[tuple[str, int, int]], by_region_spend: Sequence[tuple[str, str, Decimal]]
) -> _Rows:
    ranked = sorted(by_region, key=lambda row: row[1] + row[2], reverse=True)
    shown, rest = ranked[:MOST_REGIONS], ranked[MOST_REGIONS:]
    regions = [region or UNKNOWN_REGION for region, _, _ in shown]
    active = [row[1] for row in shown]
    imported = [row[2] for row in shown]
    if rest:
        regions.append(f"{len(rest)} other regions" if len(rest) > 1 else rest[0][0] or UNKNOWN_REGION)
        active.append(sum(row[1] for row in rest))
        imported.append(sum(row[2] for row in rest))
    row_of = {region: index for index, (region, _, _) in enumerate(shown)}
    rented = {region: active for region, active, _ in by_region}
    spend: dict[str, list[Decimal]] = {}
    billed: dict[str, int] = {}
    for region, currency, amount in by_region_spend:
        amounts = spend.setdefault(currency, [Decimal(0)] * len(regions))
        # A region outside the shown rows is one of the "other" regions, always the last row.
        amounts[row_of.get(region, len(regions) - 1)] += amount
        billed[currency] = billed.get(currency, 0) + rented.get(region, 0)
    # Amounts in different currencies do not compare (3,000 SEK is less than 500 USD): the currencies that
    # bill the most numbers are drawn.
    by_total = sorted(spend, key=lambda currency: (-billed[currency], currency))
    return _Rows(
        regions=regions,
        active=active,
        imported=imported,
        spend={currency: spend[currency] for currency in by_total[:MOST_CURRENCIES]},
        hidden_currencies=by_total[MOST_CURRENCIES:],
    )


def _draw(figure: Figure, rows: _Rows) -> None:
    panels = figure.subplots(
        1,
        1 + len(rows.spend),
        sharey=True,
        squeeze=False,
        gridspec_kw={"width_ratios": [1.4] + [1.0] * len(rows.spend)},
    )[0]
    positions = list(range(len(rows.regions)))
    _numbers_panel(panels[0], positions, rows)
    for panel, (currency, amounts), colour in zip(panels[1:], rows.spend.items(), _SPEND, strict=False):
        _spend_panel(panel, positions, currency, amounts, colour)
    # Shared by every panel: the region with most numbers on top, and room for a few rows at least, so one
    # or two regions draw as bars rather than blocks.
    panels[0].set_ylim(max(len(positions), FEWEST_ROWS) - 0.5, -0.5)
    if rows.hidden_currencies:
        figure.supxlabel(_also_billed(rows.hidden_currencies), fontsize=9, color=_INK)


def _also_billed(currencies: list[str]) -> str:
    return f"Also billed in {', '.join(currencies)} (not drawn)"


def _numbers_panel(panel: Axes, positions: list[int], rows: _Rows) -> None:
    panel.barh(positions, rows.active, color=_ACTIVE, label="rented")
    if any(rows.imported):
        panel.barh(positions, rows.imported, left=rows.active, color=_IMPORTED, label="imported")
        panel.legend(loc="lower right", frameon=False)
    totals = [active + imported for active, imported in zip(rows.active, rows.imported, strict=True)]
    _label_bars(panel, positions, totals, [f"{total:,}" for total in totals])
    panel.set_yticks(positions, rows.regions)
    _style(panel, "Numbers")


def _spend_panel(
    panel: Axes, positions: list[int], currency: str, amounts: list[Decimal], colour: str
) -> None:
    values = [float(amount) for amount in amounts]
    panel.barh(positions, values, color=colour)
    _label_bars(panel, positions, values, [_amount(amount) for amount in amounts])
    _style(panel, f"Monthly spend, {currency}")


def _amount(amount: Decimal) -> str:
    """Whole units once they are large enough that cents are noise; nothing for a region not billed."""
    if not amount:
        return ""
    return f"{amount:,.0f}" if amount >= 100 else f"{amount:,.2f}"


def _label_bars(panel: Axes, positions: list[int], values: Sequence[float], labels: list[str]) -> None:
    for position, value, label in zip(positions, values, labels, strict=True):
        panel.annotate(
            label,
            (value, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=_INK,
        )
    # Room on the right for the longest label.
    panel.set_xlim(0, max([*values, 1.0]) * 1.18)


def _style(panel: Axes, title: str) -> None:
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 - see the module docstring

    panel.set_title(title, fontsize=12, color=_INK, loc="left")
    for side in ("top", "right"):
        panel.spines[side].set_visible(False)
    panel.tick_params(colors=_INK, labelsize=10)
    panel.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    panel.xaxis.set_major_formatter("{x:,.0f}")
    panel.grid(axis="x", color="#dddddd", linewidth=0.8)
    panel.set_axisbelow(True)
