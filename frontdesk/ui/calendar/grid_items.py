"""The time grid's pieces: an appointment's block (a QGraphicsItem), the sticky column header
and time ruler, and the colours they are painted in. The grid (time_grid.py) places them."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
    QStaticText,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsRectItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.ui.calendar.grid_layout import Placed
from frontdesk.ui.widgets.plural import plural_s

if TYPE_CHECKING:
    from frontdesk.ui.calendar.time_grid import TimeGrid

#: A row (one step) is this tall at zoom 1.
ROW_HEIGHT = 22
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
MIN_COLUMN_WIDTH = 140
HEADER_HEIGHT = 44
#: Pixels from a block's bottom edge that grab it for resizing.
EDGE = 6
PADDING = 3

LIT = QColor("#ffffff")
SHADES = {
    "off": QBrush(QColor("#ececec")),
    "closed": QBrush(QColor("#dcdcdc")),
    "break": QBrush(QColor("#d6d6d6"), Qt.BrushStyle.Dense5Pattern),
}
ROW_LINE = QColor("#eeeeee")
HOUR_LINE = QColor("#c8c8c8")
COLUMN_LINE = QColor("#bdbdbd")
NOW_LINE = QColor("#d93025")
FALLBACK_FILL = "#9fb8d9"


SELECTED_PEN = QPen(QColor("#1a57c9"), 2)
TEXT = QColor("#111111")
FADED_TEXT = QColor("#6b6b6b")


@functools.lru_cache(maxsize=256)
def _fill(colour: str, faded: bool) -> QColor:
    """The block's colour; a finished, cancelled or missed one faded towards white (opaque)."""
    base = QColor(colour)
    if not base.isValid():
        base = QColor(FALLBACK_FILL)
    keep = 0.35 if faded else 0.8
    return QColor(
        *(round(c * keep + 255 * (1 - keep)) for c in (base.red(), base.green(), base.blue()))
    )


@functools.lru_cache(maxsize=256)
def _edge(colour: str, faded: bool) -> QPen:
    return QPen(_fill(colour, faded).darker(160), 1)


@functools.lru_cache(maxsize=256)
def _tail_brush(colour: str, faded: bool) -> QBrush:
    return QBrush(_fill(colour, faded).darker(130), Qt.BrushStyle.BDiagPattern)


NO_PEN = QPen(Qt.PenStyle.NoPen)


def places_text(capacity: int) -> str:
    """A room column's second header line."""
    return plural_s(QApplication.translate("TimeGrid", "%n place(s)", "", capacity), capacity)


class BlockItem(QGraphicsRectItem):
    """One appointment's block: body (its service time) and a hatched tail (its buffer).

    Its words are written when first needed (painted, hovered, read): a day of 750 blocks
    shows a few dozen at a time. A rectangle item without a pen, so the scene finds what to
    paint without calling back into Python for every block's bounds. The grid reuses its
    items from day to day (`take`), rather than deleting and creating 750 of them."""

    def __init__(self, grid: TimeGrid, placed: Placed) -> None:
        super().__init__()
        self.grid = grid
        self.setPen(NO_PEN)
        self.setAcceptHoverEvents(True)
        self._w = 10.0
        self._h = 10.0
        self._tail = 0.0
        self.take(placed)

    def take(self, placed: Placed) -> None:
        """Take `placed`'s appointment (a new block, or this item reused for another day)."""
        self.placed = placed
        appt = self.appointment = placed.appointment
        self._lines: list[str] | None = None
        self._fitted: tuple[tuple[int, int], list[tuple[str, QFont]]] | None = None
        self._drawn: list[tuple[QFont, QPointF, QStaticText]] | None = None
        self.done = not appt.payable or appt.status is AppointmentStatus.NO_SHOW
        colour = appt.category_color or FALLBACK_FILL
        self.fill = _fill(colour, self.done)
        self.edge = _edge(colour, self.done)
        self.tail_brush = _tail_brush(colour, self.done)

    # -- what tests and the area read ---------------------------------------------------------

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.grid.block_lines(self.appointment)
        return self._lines

    def text(self) -> str:
        return "\n".join(self.lines)

    def toolTip(self) -> str:
        return self.grid.block_tip(self.appointment, self.lines)

    def body_rect(self) -> QRectF:
        return QRectF(0, 0, self._w, self._h)

    def text_rect(self) -> QRect:
        return QRect(
            PADDING + 1, PADDING, int(self._w) - 2 * PADDING - 2, int(self._h) - 2 * PADDING
        )

    def shown_lines(self) -> list[str]:
        """The lines paint() writes at the block's size (whole lines, never clipped)."""
        return [text for text, _font in self._fit()]

    def _fit(self) -> list[tuple[str, QFont]]:
        """Each line elided to the width; lines below the bottom dropped, the last shown one
        then ending in "…" (the tooltip has everything). Remembered for the block's size."""
        rect = self.text_rect()
        size = (rect.width(), rect.height())
        if self._fitted is not None and self._fitted[0] == size:
            return self._fitted[1]
        fonts = self.grid.block_fonts()
        shown: list[tuple[str, QFont]] = []
        top = 0
        for number, text in enumerate(self.lines):
            font = fonts[min(number, 1)]
            height = self.grid.line_height(text, number > 0)
            if shown and top + height > rect.height():
                last, last_font = shown[-1]
                shown[-1] = (
                    self.grid.elide(last.removesuffix("…") + " …", last_font, rect.width()),
                    last_font,
                )
                break
            shown.append((self.grid.elide(text, font, rect.width()), font))
            top += height
        self._fitted = (size, shown)
        self._drawn = None
        return shown

    def _drawing(self) -> list[tuple[QFont, QPointF, QStaticText]]:
        """What paint() draws: each shown line's font, top-left corner and prepared text
        (laid out once per text, shared by every block that shows it)."""
        shown = self._fit()
        drawn = self._drawn
        if drawn is None:
            rect = self.text_rect()
            top = rect.top()
            metrics = self.grid.block_metrics()
            drawn = []
            for number, (text, font) in enumerate(shown):
                height = self.grid.line_height(text, number > 0)
                m = metrics[1 if number == 0 else 0]
                # Centred on its height (a fallback font can make a line taller).
                y = top + (height - m.height()) / 2
                drawn.append((font, QPointF(rect.left(), y), self.grid.static_text(text, font)))
                top += height
            self._drawn = drawn
        return drawn

    # -- geometry and painting ----------------------------------------------------------------

    def set_geometry(self, x: float, y: float, w: float, h: float, tail: float) -> None:
        self.setPos(x, y)
        self._w, self._h, self._tail = max(4.0, w), max(4.0, h), max(0.0, tail)
        self.setRect(0, 0, self._w, self._h + self._tail)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        w, h = self._w, self._h
        if self._tail:
            painter.fillRect(QRectF(0, h, w, self._tail), self.tail_brush)
        # Opaque colours, worked out once per colour: blending each block with what is under
        # it cost most of a busy day's paint. Plain rectangles: rounded ones cost more.
        painter.fillRect(QRectF(0, 0, w, h), self.fill)
        if self.grid._selected == self.appointment.id:
            painter.setPen(SELECTED_PEN)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(0.5, 0.5, w - 2, h - 2))
        else:
            painter.setPen(self.edge)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(0, 0, w - 1, h - 1))
        painter.setPen(FADED_TEXT if self.done else TEXT)
        font = None
        for line_font, at, text in self._drawing():
            if line_font is not font:
                painter.setFont(line_font)
                font = line_font
            painter.drawStaticText(at, text)

    def on_edge(self, scene_y: float) -> bool:
        return abs(self.mapFromScene(QPointF(0, scene_y)).y() - self._h) <= EDGE

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        edge = abs(event.pos().y() - self._h) <= EDGE and self.grid.can_change
        self.setCursor(Qt.CursorShape.SizeVerCursor if edge else Qt.CursorShape.ArrowCursor)
        super().hoverMoveEvent(event)


class GridHeader(QWidget):
    """The column titles, above the grid, following its horizontal scroll."""

    def __init__(self, grid: TimeGrid) -> None:
        super().__init__(grid)
        self.grid = grid
        self.setObjectName("timeGridHeader")

    def paintEvent(self, _event: QPaintEvent) -> None:
        grid = self.grid
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        offset = grid.horizontalScrollBar().value()
        width = grid.column_width
        bold = QFont(self.font())
        bold.setBold(True)
        for n in range(len(grid.columns)):
            x = int(n * width - offset)
            if x + width < 0 or x > self.width():
                continue
            rect = QRect(x + 4, 2, int(width) - 8, self.height() - 4)
            title, subtitle = grid.header_lines(n)
            painter.setFont(bold)
            painter.setPen(self.palette().text().color())
            half = rect.height() // 2
            painter.drawText(
                QRect(rect.left(), rect.top(), rect.width(), half),
                int(Qt.AlignmentFlag.AlignCenter),
                QFontMetrics(bold).elidedText(title, Qt.TextElideMode.ElideRight, rect.width()),
            )
            painter.setFont(self.font())
            painter.drawText(
                QRect(rect.left(), rect.top() + half, rect.width(), half),
                int(Qt.AlignmentFlag.AlignCenter),
                self.fontMetrics().elidedText(subtitle, Qt.TextElideMode.ElideRight, rect.width()),
            )
            painter.setPen(COLUMN_LINE)
            painter.drawLine(x + int(width) - 1, 0, x + int(width) - 1, self.height())
        painter.setPen(COLUMN_LINE)
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            column = self.grid.column_at_x(event.pos().x())  # type: ignore[attr-defined]
            if column is not None:
                self.setToolTip("\n".join(self.grid.header_lines(column)))
        return super().event(event)


class TimeRuler(QWidget):
    """The times down the left, following the vertical scroll."""

    def __init__(self, grid: TimeGrid) -> None:
        super().__init__(grid)
        self.grid = grid
        self.setObjectName("timeGridRuler")

    def paintEvent(self, _event: QPaintEvent) -> None:
        grid = self.grid
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        offset = grid.verticalScrollBar().value()
        every = grid.label_every()
        height = self.fontMetrics().height()
        minute = grid.first_minute
        while minute <= grid.last_minute:
            y = int(grid.y_of(minute) - offset)
            if -height <= y <= self.height() and (minute - grid.first_minute) % every == 0:
                painter.setPen(self.palette().text().color())
                painter.drawText(
                    QRect(0, y + 1, self.width() - 6, height),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                    grid.clock(minute),
                )
            minute += grid.step
        painter.setPen(COLUMN_LINE)
        painter.drawLine(self.width() - 1, 0, self.width() - 1, self.height())
