"""Item text as whole lines that never clip: each line is elided to the width with "…", lines
that do not fit the height are dropped (the last shown line then ends in "…"), and the full
text stays in the item's tooltip. Row heights come from the real line heights, fallback fonts
included (a Chinese line is taller than a Latin one in most UI fonts), which Qt's own delegate
underestimates, so '王丹' rows lost their second line."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

PADDING = 3
ELLIPSIS = "…"

Index = QModelIndex | QPersistentModelIndex


#: Line heights already measured, by text and font: a calendar repaints the same texts often,
#: and laying a line out is most of what painting one costs.
_HEIGHTS: dict[tuple[str, str], int] = {}
_HEIGHTS_KEPT = 4096


def line_height(text: str, font: QFont) -> int:
    """The height one line of `text` takes, with whatever fallback fonts it needs."""
    key = (text, font.key())
    height = _HEIGHTS.get(key)
    if height is None:
        layout = QTextLayout(text or " ", font)
        layout.beginLayout()
        line = layout.createLine()
        layout.endLayout()
        height = max(QFontMetrics(font).lineSpacing(), int(line.height() + 0.999))
        if len(_HEIGHTS) >= _HEIGHTS_KEPT:
            _HEIGHTS.clear()
        _HEIGHTS[key] = height
    return height


def wrap(text: str, font: QFont, width: int) -> list[str]:
    """`text` broken into lines of at most `width` pixels (at spaces where it can)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    parts: list[str] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1, width))
        parts.append(text[line.textStart() : line.textStart() + line.textLength()].rstrip())
    layout.endLayout()
    return parts or [""]


def fit_lines(lines: list[str], fonts: list[QFont], rect: QRect) -> list[tuple[str, QFont]]:
    """The lines as they can be shown in `rect`, earlier lines first: a line is wrapped when
    the lines after it still fit one row each, elided with "…" otherwise; lines that do not
    fit at all are dropped and the last shown line then ends in "…"."""
    shown: list[tuple[str, QFont]] = []
    heights = [line_height(t, fonts[min(n, len(fonts) - 1)]) for n, t in enumerate(lines)]
    top = 0
    for number, text in enumerate(lines):
        font = fonts[min(number, len(fonts) - 1)]
        height = heights[number]
        if shown and top + height > rect.height():
            last, last_font = shown[-1]
            shown[-1] = (
                _elide(last.removesuffix(ELLIPSIS) + " " + ELLIPSIS, last_font, rect),
                last_font,
            )
            break
        parts = wrap(text, font, rect.width())
        rest = sum(heights[number + 1 :])
        if len(parts) > 1 and top + height * len(parts) + rest <= rect.height():
            shown.extend((part, font) for part in parts)
            top += height * len(parts)
        else:
            shown.append((_elide(text, font, rect), font))
            top += height
    return shown


def _elide(text: str, font: QFont, rect: QRect) -> str:
    return QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())


class LinesDelegate(QStyledItemDelegate):
    """Draws DisplayRole text split at newlines; `bold_first` makes the first line bold."""

    def __init__(self, *, bold_first: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bold_first = bold_first

    def _fonts(self, option: QStyleOptionViewItem) -> list[QFont]:
        first = QFont(option.font)
        first.setBold(self._bold_first)
        return [first, QFont(option.font)]

    @staticmethod
    def _lines(index: Index) -> list[str]:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        return str(text).split("\n") if text else []

    def text_rect(self, option: QStyleOptionViewItem) -> QRect:
        rect: QRect = option.rect
        return rect.adjusted(PADDING + 1, PADDING, -PADDING - 1, -PADDING)

    def shown_lines(self, option: QStyleOptionViewItem, index: Index) -> list[str]:
        """What paint() writes for this item in `option.rect`, line by line (tests read it)."""
        return [text for text, _font in self._fit(option, index)]

    def _fit(self, option: QStyleOptionViewItem, index: Index) -> list[tuple[str, QFont]]:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        return self._fit_prepared(opt, index)

    def _fit_prepared(self, opt: QStyleOptionViewItem, index: Index) -> list[tuple[str, QFont]]:
        """_fit for an option initStyleOption has already filled in."""
        lines = self._lines(index)
        if not lines:
            return []
        return fit_lines(lines, self._fonts(opt), self.text_rect(opt))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        fonts = self._fonts(opt)
        lines = self._lines(index)
        height = sum(
            line_height(text, fonts[min(n, len(fonts) - 1)]) for n, text in enumerate(lines)
        )
        width = max(
            (QFontMetrics(fonts[min(n, 1)]).horizontalAdvance(t) for n, t in enumerate(lines)),
            default=0,
        )
        return QSize(width + 2 * PADDING + 2, height + 2 * PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        lines = self._fit_prepared(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not lines:
            return  # an empty cell: its background is all there is
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        painter.save()
        painter.setPen(palette.highlightedText().color() if selected else palette.text().color())
        rect = self.text_rect(opt)
        top = rect.top()
        for text, font in lines:
            height = line_height(text, font)
            painter.setFont(font)
            painter.drawText(
                QRect(rect.left(), top, rect.width(), height),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            top += height
        painter.restore()
