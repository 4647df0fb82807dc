"""The end-of-day report as an A4 PDF (reportlab platypus), written atomically."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from printing.atomic import write_atomic
from printing.day_report_data import DayReport
from printing.fonts import FontChoice, report_font
from printing.text_fit import is_wide

MARGIN = 18 * mm
CONTENT_WIDTH = A4[0] - 2 * MARGIN
_SALES_WIDTHS_MM = (24, 16, 44, 36, 26, 28)  # No., Time, Client, Therapist, Method, Total
#: The logo's box at the top of the report: at most this wide and high, its shape kept.
LOGO_BOX = (50 * mm, 22 * mm)


class _Styles:
    def __init__(self, font: str) -> None:
        self.font = font
        self.title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20)
        self.subtitle = ParagraphStyle("subtitle", fontName=font, fontSize=12, leading=16)
        self.small = ParagraphStyle("small", fontName=font, fontSize=8, leading=10)
        self.heading = ParagraphStyle(
            "heading", fontName=font, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
        )
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=11)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.empty = ParagraphStyle("empty", parent=self.cell, fontSize=10, leading=13)

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        """A paragraph of plain text (escaped); Chinese text may break between characters."""
        if any(is_wide(char) for char in text):
            style = ParagraphStyle(f"{style.name}_cjk", parent=style, wordWrap="CJK")
        return Paragraph(escape(text), style)


def _table(
    styles: _Styles,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    right_columns: set[int],
) -> Table:
    """A table of paragraphs, amounts right-aligned, header repeated on every page."""

    def cells(row: Sequence[str]) -> list[Paragraph]:
        return [
            styles.para(text, styles.cell_right if col in right_columns else styles.cell)
            for col, text in enumerate(row)
        ]

    data = ([cells(header)] if header else []) + [cells(row) for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1 if header else 0, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.grey),
        ("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [colors.white, colors.whitesmoke]),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _counted(rows: Sequence[tuple[str, int, str]]) -> list[tuple[str, str, str]]:
    return [(name, str(count), amount) for name, count, amount in rows]


def _logo(logo_png: bytes | None) -> Image | None:
    """The logo scaled into LOGO_BOX, or None when there is none or it cannot be read (a logo
    never stops a report)."""
    if logo_png is None:
        return None
    from printing.logo import LogoError, logo_image

    try:
        width, height = logo_image(logo_png).size
    except LogoError:
        return None
    scale = min(LOGO_BOX[0] / width, LOGO_BOX[1] / height)
    return Image(io.BytesIO(logo_png), width=width * scale, height=height * scale, hAlign="RIGHT")


def _story(report: DayReport, styles: _Styles) -> list[Any]:
    labels = report.labels
    heading: list[Any] = [
        styles.para(report.shop_name, styles.title),
        styles.para(report.title, styles.subtitle),
        styles.para(report.generated_at, styles.small),
    ]
    logo = _logo(report.logo_png)
    story: list[Any]
    if logo is None:
        story = [*heading, Spacer(1, 4 * mm)]
    else:
        top = Table(
            [[heading, logo]],
            colWidths=[CONTENT_WIDTH - LOGO_BOX[0], LOGO_BOX[0]],
            hAlign="LEFT",
        )
        top.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
                ]
            )
        )
        story = [top, Spacer(1, 4 * mm)]
    if report.summary:
        story.append(styles.para(labels.summary, styles.heading))
        widths = (CONTENT_WIDTH * 0.6, CONTENT_WIDTH * 0.4)
        story.append(_table(styles, None, report.summary, widths, {1}))
    three = (CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.15, CONTENT_WIDTH * 0.30)
    if report.by_payment_method:
        story.append(styles.para(labels.by_payment_method, styles.heading))
        rows = _counted(report.by_payment_method)
        story.append(_table(styles, labels.payment_columns, rows, three, {1, 2}))
    if report.by_therapist:
        story.append(styles.para(labels.by_therapist, styles.heading))
        rows = _counted(report.by_therapist)
        story.append(_table(styles, labels.therapist_columns, rows, three, {1, 2}))
    story.append(styles.para(labels.sales, styles.heading))
    if not report.sales:
        story.append(styles.para(report.empty_message, styles.empty))
        return story
    columns = len(report.sales_header)
    if columns == len(_SALES_WIDTHS_MM):
        widths = tuple(width * mm for width in _SALES_WIDTHS_MM)
    else:
        widths = (CONTENT_WIDTH / max(columns, 1),) * columns
    story.append(_table(styles, report.sales_header, report.sales, widths, {columns - 1}))
    return story


class _FooterCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Holds pages back until the end so each footer can say "Page 2 of 5"."""

    def __init__(self, *args: Any, footer: tuple[str, str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer_font, self._footer_left, self._page_label = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(self._footer_font, 8)
            self.setFillColor(colors.grey)
            self.drawString(MARGIN, MARGIN / 2, self._footer_left)
            page = self._page_label.format(page=number, pages=total)
            self.drawRightString(A4[0] - MARGIN, MARGIN / 2, page)
            super().showPage()
        super().save()


def render_day_report(report: DayReport, font: FontChoice | None = None) -> bytes:
    """The report as PDF bytes, in ``font`` (by default the best font on this machine)."""
    font = font or report_font()
    styles = _Styles(font.name)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=report.title,
        author=report.shop_name,
        creator="FrontDesk",
    )
    footer = (font.name, f"{report.shop_name} · {report.title}", report.labels.page)

    def canvas_maker(*args: Any, **kwargs: Any) -> _FooterCanvas:
        return _FooterCanvas(*args, footer=footer, **kwargs)

    doc.build(_story(report, styles), canvasmaker=canvas_maker)
    return buffer.getvalue()


def write_day_report(report: DayReport, path: Path) -> None:
    """Write the report to ``path`` atomically: readers never see a half-written PDF."""
    write_atomic(path, render_day_report(report))
