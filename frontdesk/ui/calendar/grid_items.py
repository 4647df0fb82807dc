"""The time grid's pieces: an appointment's block (a QGraphicsItem), the sticky column header
and time ruler, and the colours they are painted in. The grid (time_grid.py) places them."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
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


def places_text(capacity: int) -> str:
    """A room column's second header line."""
    return plural_s(QApplication.translate("TimeGrid", "%n place(s)", "", capacity), capacity)


class BlockItem(QGraphicsItem):
    """One appointment's block: body (its service time) and a hatched tail (its buffer).

    Its words are written when first needed (painted, hovered, read): a day of 750 blocks
    shows a few dozen at a time."""

    def __init__(self, grid: TimeGrid, placed: Placed) -> None:
        super().__init__()
        self.grid = grid
        self.placed = placed
        self.appointment = placed.appointment
        self._lines: list[str] | None = None
        self._fitted: tuple[tuple[int, int], list[tuple[str, QFont]]] | None = None
        self.setAcceptHoverEvents(True)
        appt = placed.appointment
        self.done = not appt.payable or appt.status is AppointmentStatus.NO_SHOW
        self.fill = _fill(appt.category_color or FALLBACK_FILL, self.done)
        self.edge = _edge(appt.category_color or FALLBACK_FILL, self.done)
        self._w = 10.0
        self._h = 10.0
        self._tail = 0.0

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
        return shown

    # -- geometry and painting ----------------------------------------------------------------

    def set_geometry(self, x: float, y: float, w: float, h: float, tail: float) -> None:
        self.prepareGeometryChange()
        self.setPos(x, y)
        self._w, self._h, self._tail = max(4.0, w), max(4.0, h), max(0.0, tail)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._w, self._h + self._tail)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        body = self.body_rect()
        if self._tail:
            tail = QRectF(0, self._h, self._w, self._tail)
            painter.fillRect(tail, QBrush(self.fill.darker(130), Qt.BrushStyle.BDiagPattern))
        # Opaque colours, worked out once per colour: blending each block with what is under
        # it cost most of a busy day's paint.
        painter.fillRect(body, self.fill)
        selected = self.grid._selected == self.appointment.id
        painter.setPen(SELECTED_PEN if selected else self.edge)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(
            body.adjusted(0.5, 0.5, -1.5, -1.5) if selected else body.adjusted(0, 0, -1, -1)
        )
        painter.setPen(FADED_TEXT if self.done else TEXT)
        rect = self.text_rect()
        top = rect.top()
        metrics = self.grid.block_metrics()
        for number, (text, font) in enumerate(self._fit()):
            height = self.grid.line_height(text, number > 0)
            painter.setFont(font)
            # At a point on the baseline: much cheaper than a rectangle and alignment flags
            # (the line is already elided to the width and centred on its height here).
            m = metrics[1 if number == 0 else 0]
            baseline = top + (height - m.height()) / 2 + m.ascent()
            painter.drawText(QPointF(rect.left(), baseline), text)
            top += height

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
