"""The search list's rows, drawn cheaply enough to repaint on every keystroke."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from frontdesk.ui.widgets.lines_delegate import (
    PADDING,
    Index,
    LinesDelegate,
    fit_lines,
    line_height,
)

#: Characters every UI font draws itself (Latin, Latin-1 and Latin Extended, "·"): a line of
#: only these is as tall as the font's own line, so its height is measured once per font.
LATIN_END = "\u0250"
#: Heights of other lines (names in Chinese or Cyrillic) and widths remembered, each measured
#: once (typing on shows many of the same rows again).
MAX_REMEMBERED = 4096


class ClientRowDelegate(LinesDelegate):
    """`LinesDelegate` (whole lines, never clipped) for the search list. A search repaints up
    to fifty new rows per keystroke, so the costly parts are done once: a line's height is
    remembered (per font for Latin text, per text otherwise: fallback fonts make a Chinese line
    taller), and a row whose lines fit its cell whole is drawn without wrapping or eliding."""

    def __init__(self, *, bold_first: bool = False, parent: QObject | None = None) -> None:
        super().__init__(bold_first=bold_first, parent=parent)
        self._heights: dict[tuple[str, str | None], int] = {}
        self._widths: dict[tuple[str, str], int] = {}
        self._font_pairs: dict[str, list[QFont]] = {}
        self._font_keys: dict[int, str] = {}  # QFont.key() is slow: the pairs' keys, by id

    def _fonts(self, option: QStyleOptionViewItem) -> list[QFont]:
        key = option.font.key()
        fonts = self._font_pairs.get(key)
        if fonts is None:
            fonts = self._font_pairs[key] = super()._fonts(option)
            self._font_keys.update((id(font), font.key()) for font in fonts)
        return fonts

    def _key(self, font: QFont) -> str:
        key = self._font_keys.get(id(font))
        return key if key is not None else font.key()

    def width(self, text: str, font: QFont) -> int:
        key = (self._key(font), text)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) >= MAX_REMEMBERED:
                self._widths.clear()
            width = self._widths[key] = QFontMetrics(font).horizontalAdvance(text)
        return width

    def line_height(self, text: str, font: QFont) -> int:
        latin = text.isascii() or max(text) < LATIN_END
        key = (self._key(font), None if latin else text)
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) >= MAX_REMEMBERED:
                self._heights.clear()
            height = self._heights[key] = line_height(text if not latin else "Ag", font)
        return height

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        fonts = self._fonts(opt)
        lines = self._lines(index)
        height = sum(self.line_height(t, fonts[min(n, 1)]) for n, t in enumerate(lines))
        width = max((self.width(t, fonts[min(n, 1)]) for n, t in enumerate(lines)), default=0)
        return QSize(width + 2 * PADDING + 2, height + 2 * PADDING)

    def _fit(self, option: QStyleOptionViewItem, index: Index) -> list[tuple[str, QFont]]:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        return self._fit_styled(opt, index)

    def _fit_styled(self, opt: QStyleOptionViewItem, index: Index) -> list[tuple[str, QFont]]:
        lines = self._lines(index)
        fonts = self._fonts(opt)
        rect = self.text_rect(opt)
        shown = [(text, fonts[min(n, 1)]) for n, text in enumerate(lines)]
        fits = sum(self.line_height(t, f) for t, f in shown) <= rect.height() and all(
            self.width(t, f) <= rect.width() for t, f in shown
        )
        return shown if fits else fit_lines(lines, fonts, rect)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        lines = self._fit_styled(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        painter.save()
        painter.setPen(palette.highlightedText().color() if selected else palette.text().color())
        rect = self.text_rect(opt)
        top = rect.top()
        for text, font in lines:
            height = self.line_height(text, font)
            painter.setFont(font)
            painter.drawText(
                QRect(rect.left(), top, rect.width(), height),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            top += height
        painter.restore()
