"""Where the main window opens: inside the screen's free area, where it was left last time.

The window opens at its preferred size only when the screen's available area (without panels
and docks) has room for it; otherwise it takes that area, so the status bar (printer state)
is never below the bottom of a 1366x768 laptop. Size, position and the maximised state are
remembered between runs in a small INI file in the user's config folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from platformdirs import user_config_dir
from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED_SIZE = QSize(1280, 800)


def window_file() -> Path:
    return Path(user_config_dir("FrontDesk", appauthor=False)) / "window.ini"


def primary_available_geometry() -> QRect:
    screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)


def fit(rect: QRect, available: QRect) -> QRect:
    """`rect` shrunk to fit `available` and moved inside it (a saved place on a screen that has
    since become smaller, or a preferred size larger than the screen)."""
    size = rect.size().boundedTo(available.size())
    left = min(max(rect.left(), available.left()), available.right() - size.width() + 1)
    top = min(max(rect.top(), available.top()), available.bottom() - size.height() + 1)
    return QRect(QPoint(left, top), size)


def centred(size: QSize, available: QRect) -> QRect:
    size = size.boundedTo(available.size())
    rect = QRect(QPoint(0, 0), size)
    rect.moveCenter(available.center())
    return fit(rect, available)


class WindowPlace:
    """Reads and writes one window's place; `available` says what the screen offers now."""

    def __init__(
        self,
        path: Path | None = None,
        available: Callable[[], QRect] = primary_available_geometry,
    ) -> None:
        self.path = path or window_file()
        self.available = available

    def _settings(self) -> QSettings:
        return QSettings(str(self.path), QSettings.Format.IniFormat)

    def restore(self, window: QWidget) -> None:
        """Give `window` its remembered place (or the preferred size, centred), fitted to the
        screen; call before show()."""
        available = self.available()
        settings = self._settings()
        saved = settings.value("main/geometry")
        if isinstance(saved, QRect) and saved.isValid():
            rect = fit(saved, available)
        else:
            rect = centred(PREFERRED_SIZE, available)
        window.setGeometry(rect)
        if str(settings.value("main/maximised", "false")).lower() == "true":
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)

    def fit_frame(self, window: QWidget) -> None:
        """Once shown, keep the title bar and borders on screen as well."""
        frame, inner_rect = window.frameGeometry(), window.geometry()
        inner = self.available().adjusted(
            inner_rect.left() - frame.left(),
            inner_rect.top() - frame.top(),
            inner_rect.right() - frame.right(),
            inner_rect.bottom() - frame.bottom(),
        )
        if window.isMaximized() or inner.contains(window.geometry()):
            return
        window.setGeometry(fit(window.geometry(), inner))

    def save(self, window: QWidget) -> None:
        maximised = window.isMaximized()
        geometry = window.normalGeometry() if maximised else window.geometry()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        settings = self._settings()
        if geometry.isValid():
            settings.setValue("main/geometry", geometry)
        settings.setValue("main/maximised", maximised)
        settings.sync()
