"""The pictures in docs/ come from the code: the screenshot script on the sample."""

from __future__ import annotations

from PySide6.QtGui import QImage

from tracker.ui import screenshot


def test_the_script_takes_each_screen_at_each_size_and_the_readme_pictures(qapp, tmp_path):
    saved = screenshot.take_all(tmp_path, only={"home", "commitment", "status"},
                                sizes=((1280, 720), (1920, 1080)))
    names = {p.relative_to(tmp_path).as_posix() for p in saved}
    assert names == {"screens/1280x720/home.png", "screens/1920x1080/home.png",
                     "screens/1280x720/commitment.png", "screens/1920x1080/commitment.png",
                     "screens/dialogs/status.png", "home.png", "main-window.png"}
    for path in saved:
        image = QImage(str(path))
        assert not image.isNull()
        if "1920x1080" in path.as_posix():
            assert (image.width(), image.height()) == (1920, 1080)
        elif path.parent == tmp_path:
            assert (image.width(), image.height()) == (1280, 720)
        # Not a blank grab: a painted screen has many colours.
        assert len({image.pixel(x, y) for x in range(0, image.width(), 37)
                    for y in range(0, image.height(), 23)}) > 5
