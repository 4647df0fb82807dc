"""The health data key on one A4 page: a QR code (reportlab's own QR widget) and the same key
as text, with a few lines on how to restore it, to keep on paper in a safe place."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import FontChoice, report_font

MARGIN = 20 * mm
QR_SIZE = 90 * mm
#: Characters of the key per printed line (monospaced, so a line can be typed back).
KEY_LINE = 32


@dataclass(frozen=True)
class KeySheetWords:
    """The sheet's words in the reader's language (the caller translates them)."""

    title: str = "Health data key"
    shop_line: str = ""  # e.g. "Spa Name · made 2026-12-01"
    warning: str = (
        "Whoever holds this key can read the clients' health data in a copy of the database. "
        "Keep this page locked away."
    )
    steps: tuple[str, ...] = field(
        default=(
            "To restore on another computer: Back office, Health data key, Restore, then scan "
            "the QR code or type the text below;",
            "or on the command line: frontdesk key import FILE (a file holding the text).",
        )
    )


def render_key_sheet(key_text: str, words: KeySheetWords, font: FontChoice | None = None) -> bytes:
    """The sheet as PDF bytes."""
    font = font or report_font()
    buffer = io.BytesIO()
    width, height = A4
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(words.title)
    canvas.setCreator("FrontDesk")
    y = height - MARGIN
    canvas.setFont(font.name, 18)
    canvas.drawString(MARGIN, y - 18, words.title)
    y -= 30
    canvas.setFont(font.name, 11)
    if words.shop_line:
        canvas.drawString(MARGIN, y - 11, words.shop_line)
        y -= 18

    widget = QrCodeWidget(key_text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    y -= QR_SIZE + 6
    renderPDF.draw(drawing, canvas, (width - QR_SIZE) / 2, y)

    y -= 14
    canvas.setFont("Courier-Bold", 13)
    for start in range(0, len(key_text), KEY_LINE):
        y -= 17
        chunk = key_text[start : start + KEY_LINE]
        canvas.drawString((width - canvas.stringWidth(chunk, "Courier-Bold", 13)) / 2, y, chunk)

    y -= 26
    canvas.setFont(font.name, 10)
    usable = width - 2 * MARGIN
    for paragraph in (words.warning, *words.steps):
        for line in _wrap(paragraph, lambda t: canvas.stringWidth(t, font.name, 10) <= usable):
            canvas.drawString(MARGIN, y, line)
            y -= 14
        y -= 6
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _wrap(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Lines of `text` that fit: broken between words, or between characters for text written
    without spaces (Chinese)."""
    pieces = text.split(" ") if " " in text.strip() else list(text)
    joiner = " " if " " in text.strip() else ""
    lines: list[str] = []
    line = ""
    for piece in pieces:
        candidate = f"{line}{joiner}{piece}" if line else piece
        if line and not fits(candidate):
            lines.append(line)
            line = piece
        else:
            line = candidate
    return [*lines, line]
