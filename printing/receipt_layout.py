"""Lay a receipt out as printer lines that never exceed the paper's columns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from printing.receipt import Receipt
from printing.text_fit import TextFitter

Align = Literal["left", "center", "right"]
INDENT = "  "


@dataclass(frozen=True)
class PrintLine:
    """One printed line of cleaned text and its style; ``double`` is double width and height."""

    text: str
    align: Align = "left"
    bold: bool = False
    double: bool = False


class LineBuilder:
    """Builds lines for one paper width: centred blocks, label/amount rows, separators."""

    def __init__(self, fitter: TextFitter, columns: int) -> None:
        self.fitter = fitter
        self.columns = columns
        self.lines: list[PrintLine] = []

    def blank(self) -> None:
        """An empty line."""
        self.lines.append(PrintLine(""))

    def separator(self, char: str = "-") -> None:
        """A full-width rule."""
        self.lines.append(PrintLine(char * self.columns))

    def centred(self, text: str, *, double: bool = False, bold: bool = False) -> None:
        """Centred, wrapped text; double size halves the columns available."""
        width = self.columns // 2 if double else self.columns
        for piece in self.fitter.wrap(self.fitter.clean(text), width):
            self.lines.append(PrintLine(piece, "center", bold=bold, double=double))

    def text(self, text: str, *, indent: str = "") -> None:
        """Left-aligned wrapped text, every line indented by ``indent``."""
        width = self.columns - self.fitter.width(indent)
        for piece in self.fitter.wrap(self.fitter.clean(text), width):
            self.lines.append(PrintLine(indent + piece if piece else ""))

    def row(self, left: str, right: str, *, bold: bool = False) -> None:
        """``left`` wrapped on the left, ``right`` right-aligned on its first line."""
        fitter, columns = self.fitter, self.columns
        left, right = fitter.clean(left), fitter.clean(right).strip()
        if not right:
            self._wrapped_left(left, bold)
            return
        if fitter.width(" " + right) > columns // 2:
            self._wrapped_left(left, bold)
            for piece in fitter.wrap(right, columns):
                pad = " " * (columns - fitter.width(piece))
                self.lines.append(PrintLine(pad + piece, bold=bold))
            return
        pieces = fitter.wrap(left, columns, first_suffix=right, indent=INDENT)
        first = pieces[0]
        gap = columns - fitter.width(first) - fitter.width(right)
        self.lines.append(PrintLine(first + " " * gap + right, bold=bold))
        self.lines.extend(PrintLine(INDENT + piece, bold=bold) for piece in pieces[1:])

    def _wrapped_left(self, left: str, bold: bool) -> None:
        pieces = self.fitter.wrap(left, self.columns, indent=INDENT)
        self.lines.append(PrintLine(pieces[0], bold=bold))
        self.lines.extend(PrintLine(INDENT + piece, bold=bold) for piece in pieces[1:])


def layout_receipt(receipt: Receipt, fitter: TextFitter, columns: int) -> list[PrintLine]:
    """The receipt as printer lines: the shop, its header, items, totals (bold), payments and
    footer (the logo, a picture, is the printer's: escpos_layout);
    a reprint says so in double size under the shop's name and again at the end."""
    out = LineBuilder(fitter, columns)
    out.centred(receipt.shop_name, double=True)
    for line in receipt.shop_lines:
        out.centred(line)
    if receipt.header:
        out.blank()
    for line in receipt.header:
        out.centred(line)
    if receipt.copy:
        out.blank()
        out.centred(f"*** {receipt.labels.copy} ***", double=True, bold=True)
    out.blank()
    labels = receipt.labels
    out.row(labels.number, receipt.number)
    out.text(receipt.issued_at)
    out.row(labels.cashier, receipt.cashier)
    if receipt.customer:
        out.row(labels.customer, receipt.customer)
    out.separator()
    for item in receipt.lines:
        description = item.description
        if item.quantity != 1:
            description = f"{item.quantity} x {description}"
        out.row(description, item.amount)
        if item.detail:
            out.text(item.detail, indent=INDENT)
    out.separator()
    for label, amount in receipt.totals:
        out.row(label, amount, bold=True)
    if receipt.payments:
        out.blank()
    for label, amount in receipt.payments:
        out.row(label, amount)
    if receipt.footer:
        out.blank()
    for line in receipt.footer:
        out.centred(line)
    if receipt.copy:
        out.blank()
        out.centred(f"*** {receipt.labels.copy} ***", bold=True)
    return out.lines
