"""The calendar's time grid: a column per therapist, room or day of a week, time running down.

Built on QGraphicsView: each appointment is one item (grid_items.py; the scene finds the item
under the pointer, the item knows its words and its edge), while everything that is not an
appointment -- working hours lit, breaks, days off and closed time greyed, the row lines -- is
painted in drawBackground for the visible rectangle only, so a day of 30 therapists costs 750
small items and no more (no scene index: rebuilt after every read, it cost more than painting).
Zoom changes the pixels per minute and lays the items out again (it does not scale the view),
so text stays sharp and the time axis readable; the header and the time column are two small
widgets in the view's margins that follow the scroll bars (always in sight).

Interaction: drag over free time to book it (`create_requested`), drag a block to move it
(`move_requested`, snapping to the step, across columns), drag its bottom edge to resize
(`resize_requested`); the same by keyboard (arrows, Ctrl+arrows, Shift+Up/Down). The grid only
asks: the area runs the change and the bus brings the new day.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGraphicsScene,
    QGraphicsView,
    QToolTip,
    QWidget,
)

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.formats import Formats
from frontdesk.services.calendar import AppointmentView, DaySchedule
from frontdesk.ui.calendar.grid_items import (
    COLUMN_LINE,
    HEADER_HEIGHT,
    HOUR_LINE,
    LIT,
    MIN_COLUMN_WIDTH,
    NOW_LINE,
    ROW_HEIGHT,
    ROW_LINE,
    SHADES,
    ZOOMS,
    BlockItem,
    GridHeader,
    TimeRuler,
    places_text,
)
from frontdesk.ui.calendar.grid_layout import (
    DEFAULT_STEP,
    GridColumn,
    Layout,
    Placed,
    floor_to,
    lay_out,
    room_columns,
    shade_spans,
    shown,
    snap,
    staff_columns,
)
from frontdesk.ui.calendar.words import status_name, time_range, working_hours
from frontdesk.ui.widgets.lines_delegate import line_height
from frontdesk.ui.widgets.plural import plural_s


@dataclass(frozen=True)
class Slot:
    """A time in a column (the keyboard cursor, a drag's start)."""

    column: int
    minute: int


class TimeGrid(QGraphicsView):
    """See the module doc. The area feeds it columns and appointments with `show_columns`."""

    selection_changed = Signal()
    #: (GridColumn, starts: datetime, minutes: int) -- free time chosen by dragging or Enter.
    create_requested = Signal(object, object, int)
    #: (AppointmentView, starts: datetime, GridColumn) -- a block dropped or moved by keyboard.
    move_requested = Signal(object, object, object)
    #: (AppointmentView, ends: datetime)
    resize_requested = Signal(object, object)
    #: (AppointmentView) -- double-click or Enter on a block.
    open_requested = Signal(object)
    #: (AppointmentView, QPoint global) -- right click on a block.
    context_requested = Signal(object, object)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeGrid")
        scene = QGraphicsScene(self)
        # No BSP index: it is rebuilt after every read (a day's 750 new items) at the first
        # paint, which cost more than all the painting; a linear hit test over 750 is nothing.
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(scene)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.columns: tuple[GridColumn, ...] = ()
        self.layout_: Layout = Layout((), 8 * 60, 21 * 60)
        self.blocks: dict[int, BlockItem] = {}
        self.step = DEFAULT_STEP
        self.zoom = 1.0
        self.column_width = float(MIN_COLUMN_WIDTH)
        self.first_minute = 8 * 60
        self.last_minute = 21 * 60
        #: Whether blocks may be moved and free time booked (the area sets it from permissions).
        self.can_change = True
        self.formats: Formats | None = None
        self.subtitles: tuple[str, ...] = ()
        #: The time now, in the shop's zone (the area gives the shop's clock).
        self.now: Callable[[], datetime] = datetime.now
        self.cursor_slot: Slot | None = None
        self._selected: int | None = None
        self._drag: _Drag | None = None
        self.header = GridHeader(self)
        self.ruler = TimeRuler(self)
        self.ruler_width = 56
        self.setViewportMargins(self.ruler_width, HEADER_HEIGHT, 0, 0)
        self.horizontalScrollBar().valueChanged.connect(self.header.update)
        self.verticalScrollBar().valueChanged.connect(self.ruler.update)
        self._fonts: list[QFont] = []
        self._metrics: list[QFontMetrics] = []
        self._elided: dict[tuple[str, bool, int], str] = {}
        self._heights: dict[tuple[str, bool], int] = {}
        self._status_words: dict[tuple[AppointmentStatus, bool], str] = {}
        self._clock_texts: dict[int, str] = {}
        self.now_timer = QTimer(self)
        self.now_timer.setInterval(30_000)
        self.now_timer.timeout.connect(self.viewport().update)
        self.now_timer.start()

    # -- filling ------------------------------------------------------------------------------

    def show_columns(
        self,
        columns: Sequence[GridColumn],
        appointments: Sequence[AppointmentView],
        formats: Formats,
        subtitles: Sequence[str] = (),
    ) -> None:
        """Show `appointments` in `columns` (subtitles: each column's second header line)."""
        selected = self._selected
        self.formats = formats
        self._clock_texts = {}
        self.columns = tuple(columns)
        self.subtitles = tuple(subtitles)
        self.layout_ = lay_out(self.columns, appointments)
        self.first_minute, self.last_minute = self.layout_.first_minute, self.layout_.last_minute
        scene = self.scene()
        self._drag = None
        for item in self.blocks.values():
            scene.removeItem(item)
        self.blocks = {}
        self._status_words = {}
        for placed in self.layout_.blocks:
            item = BlockItem(self, placed)
            self.blocks[placed.appointment.id] = item
            scene.addItem(item)
        self._measure_ruler()
        self.relayout()
        self._selected = None
        if selected is not None and selected in self.blocks:
            self.select_appointment(selected)
        elif self.cursor_slot is not None and self.cursor_slot.column >= len(self.columns):
            self.cursor_slot = None
        self.header.update()
        self.ruler.update()

    def show_day(self, schedule: DaySchedule, formats: Formats, *, by_room: bool = False) -> None:
        """A day: a column per therapist (or per room, when it has rooms), its appointments in
        them (cancelled ones left out)."""
        appointments = [a for a in schedule.appointments if shown(a)]
        if by_room and schedule.rooms:
            columns = room_columns(schedule)
            subtitles = [places_text(r.capacity) for r in schedule.rooms]
        else:
            columns = staff_columns(schedule)
            subtitles = [working_hours(t, formats) for t in schedule.therapists]
        self.show_columns(columns, appointments, formats, subtitles)

    def block_lines(self, appt: AppointmentView) -> list[str]:
        """A block's lines: time and client, service, status and room."""
        formats = self.formats
        assert formats is not None
        when = time_range(formats, appt.starts, appt.ends)
        # The allergy alert leads (it must not be elided away); first visit and notes follow
        # the name.
        alert = "⚠ " if appt.has_allergies else ""
        marks = ("  ★" if appt.first_visit else "") + ("  ✎" if appt.has_notes else "")
        key = (appt.status, appt.paid)
        status = self._status_words.get(key)
        if status is None:
            status = self._status_words[key] = status_name(appt.status, appt.paid)
        return [
            f"{alert}{when}  {appt.customer_name}{marks}",
            appt.service_name,
            f"{status} · {appt.room_name}" if appt.room_name else status,
        ]

    def block_tip(self, appt: AppointmentView, lines: list[str]) -> str:
        """The hover text: the block's lines and what its marks mean."""
        tip = list(lines)
        if appt.therapist_name:
            tip.append(appt.therapist_name)
        minutes = appt.buffer_minutes
        if minutes:
            cleanup = QApplication.translate("TimeGrid", "Cleanup: %n minute(s)", "", minutes)
            tip.append(plural_s(cleanup, minutes))
        if appt.first_visit:
            tip.append(QApplication.translate("TimeGrid", "First visit"))
        if appt.has_notes:
            tip.append(QApplication.translate("TimeGrid", "Has notes: see the client card"))
        if appt.late_cancel:
            tip.append(QApplication.translate("TimeGrid", "Cancelled late"))
        if appt.has_allergies:
            tip.append(QApplication.translate("TimeGrid", "Has allergies: check the client card"))
        return "\n".join(tip)

    def block_metrics(self) -> list[QFontMetrics]:
        """Metrics of the plain and the bold block font (in that order)."""
        self.block_fonts()
        return self._metrics

    def line_height(self, text: str, plain: bool) -> int:
        """A block line's height (bold first line, plain after), remembered per text."""
        key = (text, plain)
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > 8192:
                self._heights.clear()
            height = self._heights[key] = line_height(text, self.block_fonts()[1 if plain else 0])
        return height

    def elide(self, text: str, font: QFont, width: int) -> str:
        """`text` cut to `width` pixels with "…" (remembered: blocks repeat their words)."""
        key = (text, font.bold(), width)
        elided = self._elided.get(key)
        if elided is None:
            if len(self._elided) > 8192:
                self._elided.clear()
            metrics = self._metrics[1 if font.bold() else 0]
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            self._elided[key] = elided
        return elided

    def viewportEvent(self, event: QEvent) -> bool:
        """Tooltips are written when asked for, not for every block at every read."""
        if event.type() == QEvent.Type.ToolTip:
            help_event = cast(QHelpEvent, event)
            block = self.block_at(help_event.pos())
            if block is not None:
                QToolTip.showText(help_event.globalPos(), block.toolTip(), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _measure_ruler(self) -> None:
        width = max(
            (
                self.fontMetrics().horizontalAdvance(self.clock(m))
                for m in (self.first_minute, 12 * 60 + 30, self.last_minute)
            ),
            default=40,
        )
        self.ruler_width = width + 14
        self.setViewportMargins(self.ruler_width, HEADER_HEIGHT, 0, 0)
        self._place_margins()

    def block_fonts(self) -> list[QFont]:
        if not self._fonts:
            first = QFont(self.font())
            first.setBold(True)
            self._fonts = [first, QFont(self.font())]
            self._metrics = [QFontMetrics(self._fonts[1]), QFontMetrics(self._fonts[0])]
        return self._fonts

    # -- geometry -----------------------------------------------------------------------------

    @property
    def pixels_per_minute(self) -> float:
        return ROW_HEIGHT * self.zoom / self.step

    def y_of(self, minute: float) -> float:
        return (minute - self.first_minute) * self.pixels_per_minute

    def minute_at_y(self, y: float) -> float:
        return self.first_minute + y / self.pixels_per_minute

    def column_at_x(self, x: float) -> int | None:
        """The column under viewport/header x (None outside)."""
        scene_x = x + self.horizontalScrollBar().value()
        n = int(scene_x // self.column_width) if scene_x >= 0 else -1
        return n if 0 <= n < len(self.columns) else None

    def relayout(self) -> None:
        """Put every block where its minutes and lane say (after a resize, zoom or step)."""
        n = max(1, len(self.columns))
        available = self.viewport().width()
        self.column_width = max(float(MIN_COLUMN_WIDTH), available / n if available > 0 else 0)
        height = self.y_of(self.last_minute)
        self.scene().setSceneRect(0, 0, self.column_width * len(self.columns), height)
        for item in self.blocks.values():
            self._place(item, item.placed)
        self.viewport().update()
        self.header.update()
        self.ruler.update()

    def _place(self, item: BlockItem, placed: Placed) -> None:
        width = (self.column_width - 6) / placed.lanes
        x = placed.column * self.column_width + 2 + placed.lane * width
        top = self.y_of(placed.start)
        item.set_geometry(
            x,
            top,
            width - 1,
            self.y_of(placed.end) - top,
            self.y_of(placed.held_end) - self.y_of(placed.end),
        )

    def show_pending(self, appointment_id: int, column: int, start: int, end: int) -> None:
        """Show a block where a move or resize will put it, while the change runs."""
        item = self.blocks.get(appointment_id)
        if item is None:
            return
        p = item.placed
        buffer = p.held_end - p.end
        self._place(item, Placed(p.appointment, column, start, end, end + buffer, 0, 1))
        item.setZValue(1)

    def snap_back(self, appointment_id: int) -> None:
        """Put a block back where the schedule has it (a refused move)."""
        item = self.blocks.get(appointment_id)
        if item is not None:
            item.setZValue(0)
            self._place(item, item.placed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_margins()
        self.relayout()

    def _place_margins(self) -> None:
        frame = self.frameWidth()
        self.header.setGeometry(
            frame + self.ruler_width, frame, self.viewport().width(), HEADER_HEIGHT
        )
        self.ruler.setGeometry(
            frame, frame + HEADER_HEIGHT, self.ruler_width, self.viewport().height()
        )

    def sizeHint(self) -> QSize:
        return QSize(800, 600)

    # -- zoom and step ------------------------------------------------------------------------

    def set_step(self, step: int) -> None:
        if step != self.step:
            centre = self._centre_minute()
            self.step = step
            self.relayout()
            self._scroll_to_minute(centre)

    def set_zoom(self, zoom: float) -> None:
        zoom = min(max(zoom, ZOOMS[0]), ZOOMS[-1])
        if zoom != self.zoom:
            centre = self._centre_minute()
            self.zoom = zoom
            self.relayout()
            self._scroll_to_minute(centre)
            self.zoom_changed.emit(zoom)

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOMS if z > self.zoom), ZOOMS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOMS) if z < self.zoom), ZOOMS[0]))

    def _centre_minute(self) -> float:
        bar = self.verticalScrollBar()
        return self.minute_at_y(bar.value() + self.viewport().height() / 2)

    def _scroll_to_minute(self, minute: float) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(int(self.y_of(minute) - self.viewport().height() / 2))

    def scroll_to_minute(self, minute: int) -> None:
        """Bring `minute` to the top (the start of the working day, the time now)."""
        self.verticalScrollBar().setValue(int(self.y_of(minute)))

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    def label_every(self) -> int:
        """Minutes between the time labels: every row when there is room, else fewer."""
        every = self.step
        need = self.fontMetrics().height() + 2
        while every * self.pixels_per_minute < need or (60 % every and every < 60):
            every += self.step
            if every >= 60:
                return 60
        return every

    def clock(self, minute: int) -> str:
        text = self._clock_texts.get(minute)
        if text is None:
            formats = self.formats
            text = (
                formats.clock(minute % 1440)
                if formats is not None
                else f"{minute // 60:02d}:{minute % 60:02d}"
            )
            self._clock_texts[minute] = text
        return text

    # -- painting -----------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        rect = QRectF(rect)
        painter.fillRect(rect, LIT)
        width = self.column_width
        if not self.columns:
            return
        first_col = max(0, int(rect.left() // width))
        last_col = min(len(self.columns) - 1, int(rect.right() // width))
        for n in range(first_col, last_col + 1):
            x = n * width
            for a, b, kind in self.shaded(n):
                top, bottom = self.y_of(a), self.y_of(b)
                if bottom < rect.top() or top > rect.bottom():
                    continue
                painter.fillRect(QRectF(x, top, width, bottom - top), SHADES[kind])
        # row lines, hours darker
        first_minute = max(self.first_minute, floor_to(self.minute_at_y(rect.top()), self.step))
        minute = first_minute
        end = min(self.last_minute, self.minute_at_y(rect.bottom()) + self.step)
        while minute <= end:
            y = self.y_of(minute)
            painter.setPen(HOUR_LINE if minute % 60 == 0 else ROW_LINE)
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            minute += self.step
        painter.setPen(COLUMN_LINE)
        for n in range(first_col, last_col + 2):
            x = n * width - 0.5
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        rect = QRectF(rect)
        now = self.now_minute()
        if now is not None:
            column, minute = now
            y = self.y_of(minute)
            painter.setPen(QPen(NOW_LINE, 2))
            if column is None:
                painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            else:
                x = column * self.column_width
                painter.drawLine(QPointF(x, y), QPointF(x + self.column_width, y))
        drag = self._drag
        if drag is not None and drag.kind == "create" and drag.moved:
            a, b = drag.span(self.step)
            x = drag.start.column * self.column_width
            band = QRectF(x + 2, self.y_of(a), self.column_width - 4, self.y_of(b) - self.y_of(a))
            painter.fillRect(band, QColor(26, 87, 201, 60))
            painter.setPen(QPen(QColor("#1a57c9"), 1))
            painter.drawRect(band)
        cursor = self.cursor_slot
        if cursor is not None and self._selected is None and cursor.column < len(self.columns):
            x = cursor.column * self.column_width
            top = self.y_of(cursor.minute)
            painter.setPen(QPen(QColor("#1a57c9"), 2))
            painter.drawRect(
                QRectF(
                    x + 1,
                    top + 1,
                    self.column_width - 3,
                    self.y_of(cursor.minute + self.step) - top - 2,
                )
            )

    def now_minute(self) -> tuple[int | None, int] | None:
        """Where the time-now line goes: (None: every column, or a week's day column, minute)."""
        if not self.columns:
            return None
        now = self.now()
        days = {c.day for c in self.columns}
        if now.date() not in days:
            return None
        minute = now.hour * 60 + now.minute
        if not self.first_minute <= minute <= self.last_minute:
            return None
        if len(days) == 1:
            return None, minute
        return next(n for n, c in enumerate(self.columns) if c.day == now.date()), minute

    # -- what tests and the area read ---------------------------------------------------------

    def column_count(self) -> int:
        return len(self.columns)

    def rows(self) -> int:
        return (self.last_minute - self.first_minute) // self.step

    def header_lines(self, column: int) -> tuple[str, str]:
        col = self.columns[column]
        subtitle = self.subtitles[column] if column < len(self.subtitles) else col.subtitle
        return col.title, subtitle

    def header_text(self, column: int) -> str:
        return "\n".join(self.header_lines(column))

    def shaded(self, column: int) -> list[tuple[int, int, str]]:
        """The greyed stretches of a column: (first minute, end minute, kind)."""
        return shade_spans(self.columns[column], self.first_minute, self.last_minute)

    def block(self, appointment_id: int) -> BlockItem | None:
        return self.blocks.get(appointment_id)

    def block_texts(self) -> list[str]:
        return [item.text() for item in self.blocks.values()]

    def selected_appointment(self) -> AppointmentView | None:
        item = self.blocks.get(self._selected) if self._selected is not None else None
        return item.appointment if item is not None else None

    def selected_block(self) -> BlockItem | None:
        return self.blocks.get(self._selected) if self._selected is not None else None

    def select_appointment(self, appointment_id: int | None) -> bool:
        """Select a block (None: none); scrolls it into view."""
        item = self.blocks.get(appointment_id) if appointment_id is not None else None
        if appointment_id is not None and item is None:
            return False
        changed = self._selected != appointment_id
        before = self.blocks.get(self._selected) if self._selected is not None else None
        self._selected = appointment_id
        if before is not None:
            before.update()
        if item is not None:
            item.update()
            self.cursor_slot = Slot(item.placed.column, item.placed.start)
            self.ensureVisible(item, 4, 4)
        self.viewport().update()
        if changed:
            self.selection_changed.emit()
        return True

    def point_at(self, column: int, minute: float) -> QPoint:
        """The viewport point of `minute` in the middle of `column` (tests drag with it)."""
        scene = QPointF((column + 0.5) * self.column_width, self.y_of(minute))
        return self.mapFromScene(scene)

    def slot_at(self, pos: QPoint) -> Slot | None:
        """The column and the step's minute under a viewport point (None outside)."""
        scene = self.mapToScene(pos)
        column = int(scene.x() // self.column_width) if scene.x() >= 0 else -1
        if not 0 <= column < len(self.columns):
            return None
        minute = floor_to(self.minute_at_y(scene.y()), self.step)
        if not self.first_minute <= minute < self.last_minute:
            return None
        return Slot(column, minute)

    def starts_at(self, column: int, minute: int) -> datetime:
        """The aware datetime of `minute` in `column`'s day, in the shop's zone."""
        formats = self.formats
        day = self.columns[column].day
        midnight = datetime(day.year, day.month, day.day)
        if formats is not None:
            midnight = midnight.replace(tzinfo=formats.zone)
        return midnight + timedelta(minutes=minute)

    def block_at(self, pos: QPoint) -> BlockItem | None:
        for item in self.items(pos):
            if isinstance(item, BlockItem):
                return item
        return None

    # -- mouse --------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus()
        pos = event.position().toPoint()
        block = self.block_at(pos)
        if event.button() == Qt.MouseButton.RightButton:
            if block is not None:
                self.select_appointment(block.appointment.id)
                self.context_requested.emit(block.appointment, event.globalPosition().toPoint())
            event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        slot = self.slot_at(pos)
        if block is not None:
            self.select_appointment(block.appointment.id)
            if self.can_change and block.appointment.status.holds_time:
                kind = "resize" if block.on_edge(self.mapToScene(pos).y()) else "move"
                grab = self.minute_at_y(self.mapToScene(pos).y()) - block.placed.start
                self._drag = _Drag(
                    kind, Slot(block.placed.column, block.placed.start), pos, block, grab
                )
        elif slot is not None:
            self.select_appointment(None)
            self.cursor_slot = slot
            if self.can_change:
                self._drag = _Drag("create", slot, pos, None, 0.0)
                self._drag.end_minute = slot.minute + self.step
            self.viewport().update()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drag = self._drag
        if drag is None:
            super().mouseMoveEvent(event)
            return
        pos = event.position().toPoint()
        if (
            not drag.moved
            and (pos - drag.press).manhattanLength() < QApplication.startDragDistance()
        ):
            return
        drag.moved = True
        scene = self.mapToScene(pos)
        minute = self.minute_at_y(scene.y())
        if drag.kind == "create":
            drag.end_minute = min(max(snap(minute, self.step), self.first_minute), self.last_minute)
            self.viewport().update()
            return
        block = drag.block
        assert block is not None
        placed = block.placed
        if drag.kind == "resize":
            end = max(placed.start + self.step, snap(minute, self.step))
            drag.target = Slot(placed.column, placed.start)
            drag.end_minute = min(end, self.last_minute)
            self.show_pending(placed.appointment.id, placed.column, placed.start, drag.end_minute)
            return
        column = int(scene.x() // self.column_width)
        column = min(max(column, 0), len(self.columns) - 1)
        length = placed.end - placed.start
        start = snap(minute - drag.grab, self.step)
        start = min(max(start, self.first_minute), self.last_minute - length)
        drag.target = Slot(column, start)
        self.show_pending(placed.appointment.id, column, start, start + length)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        event.accept()
        self.viewport().update()
        if not drag.moved:
            return
        if drag.kind == "create":
            a, b = drag.span(self.step)
            if b > a:
                column = self.columns[drag.start.column]
                self.create_requested.emit(column, self.starts_at(drag.start.column, a), b - a)
            return
        block = drag.block
        assert block is not None
        placed, target = block.placed, drag.target
        if target is None:
            self.snap_back(placed.appointment.id)
            return
        if drag.kind == "resize":
            if drag.end_minute == placed.end:
                self.snap_back(placed.appointment.id)
                return
            self.resize_requested.emit(
                placed.appointment, self.starts_at(placed.column, drag.end_minute)
            )
            return
        if target == Slot(placed.column, placed.start):
            self.snap_back(placed.appointment.id)
            return
        self.move_requested.emit(
            placed.appointment,
            self.starts_at(target.column, target.minute),
            self.columns[target.column],
        )

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        block = self.block_at(pos)
        if block is not None:
            self.open_requested.emit(block.appointment)
        else:
            slot = self.slot_at(pos)
            if slot is not None and self.can_change:
                self.create_requested.emit(
                    self.columns[slot.column], self.starts_at(slot.column, slot.minute), 0
                )
        event.accept()

    # -- keyboard -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        arrows = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right)
        if ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus):
            self.zoom_in()
        elif ctrl and key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key in arrows and (ctrl or shift):
            self._change_by_key(key, shift)
        elif key in arrows:
            self._walk(key)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            appt = self.selected_appointment()
            if appt is not None:
                self.open_requested.emit(appt)
            elif self.cursor_slot is not None and self.can_change:
                slot = self.cursor_slot
                self.create_requested.emit(
                    self.columns[slot.column], self.starts_at(slot.column, slot.minute), 0
                )
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _walk(self, key: int) -> None:
        """Arrows: up/down through the column's time (a block is selected when the cursor is
        on it), left/right to the next column at the same time."""
        if not self.columns:
            return
        block = self.selected_block()
        slot = self.cursor_slot or Slot(0, self.first_minute)
        if block is not None:
            slot = Slot(block.placed.column, block.placed.start)
        column, minute = slot.column, slot.minute
        if key == Qt.Key.Key_Down:
            minute = block.placed.end if block is not None else minute + self.step
            minute = max(minute, floor_to(minute + self.step - 1, self.step)) if block else minute
        elif key == Qt.Key.Key_Up:
            minute = minute - self.step
        elif key == Qt.Key.Key_Left:
            column -= 1
        else:
            column += 1
        column = min(max(column, 0), len(self.columns) - 1)
        minute = min(max(minute, self.first_minute), self.last_minute - self.step)
        self.cursor_slot = Slot(column, minute)
        under = self._block_over(column, minute)
        self.select_appointment(under.appointment.id if under is not None else None)
        if under is None:
            self.ensureVisible(
                QRectF(
                    column * self.column_width,
                    self.y_of(minute),
                    self.column_width,
                    self.y_of(minute + self.step) - self.y_of(minute),
                ),
                4,
                4,
            )
            self.viewport().update()

    def _block_over(self, column: int, minute: int) -> BlockItem | None:
        found = [
            item
            for item in self.blocks.values()
            if item.placed.column == column and item.placed.start <= minute < item.placed.end
        ]
        found.sort(key=lambda i: (i.placed.lane, i.placed.start))
        return found[0] if found else None

    def _change_by_key(self, key: int, resize: bool) -> None:
        """Ctrl+Up/Down: a step earlier/later; Ctrl+Left/Right: the neighbouring column;
        Shift+Up/Down: a step shorter/longer."""
        block = self.selected_block()
        if block is None or not self.can_change or not block.appointment.status.holds_time:
            return
        placed = block.placed
        if resize:
            if key not in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                return
            end = placed.end + (self.step if key == Qt.Key.Key_Down else -self.step)
            if end - placed.start < 5:
                return
            self.show_pending(placed.appointment.id, placed.column, placed.start, end)
            self.resize_requested.emit(placed.appointment, self.starts_at(placed.column, end))
            return
        column, start = placed.column, placed.start
        if key == Qt.Key.Key_Up:
            start -= self.step
        elif key == Qt.Key.Key_Down:
            start += self.step
        elif key == Qt.Key.Key_Left:
            column -= 1
        else:
            column += 1
        if not 0 <= column < len(self.columns):
            return
        length = placed.end - placed.start
        self.show_pending(placed.appointment.id, column, start, start + length)
        self.move_requested.emit(
            placed.appointment, self.starts_at(column, start), self.columns[column]
        )


@dataclass
class _Drag:
    kind: str  # "create", "move", "resize"
    start: Slot
    press: QPoint
    block: BlockItem | None
    #: Minutes between the block's start and where it was grabbed (a move keeps the grip).
    grab: float
    moved: bool = False
    end_minute: int = 0
    target: Slot | None = None

    def span(self, step: int) -> tuple[int, int]:
        """The minutes a create-drag covers: the pressed step always, and up or down to the
        step boundary nearest the pointer."""
        a = self.start.minute
        b = self.end_minute
        if b > a:
            return a, max(b, a + step)
        return b, a + step


def build_and_paint(grid: TimeGrid, schedule: DaySchedule, formats: Formats) -> None:
    """Build `schedule`'s day in `grid` and paint what shows, now (the benchmark's unit: what
    a day switch costs on screen once the day has been read)."""
    grid.show_day(schedule, formats)
    grid.viewport().repaint()
    grid.header.repaint()
    grid.ruler.repaint()
