"""The preview in a real browser: an open tab reloads by itself after a save."""

from __future__ import annotations

from tests.conftest import set_top_level, story_text, write_story
from tests.test_serve import PAGE, wait_for


def test_open_page_reloads_itself_and_shows_the_saved_text(server, project, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(server.url + PAGE)
    wait_for(lambda: bool(server.hub.waiters))
    page.evaluate("window.notReloaded = true")

    write_story(project, set_top_level(story_text(project), "summary", "Saved in the editor."))

    page.wait_for_function(
        "document.querySelector('.summary') && "
        "document.querySelector('.summary').textContent === 'Saved in the editor.'",
        timeout=10_000)
    assert page.evaluate("window.notReloaded") is None, "the page reloaded itself"
    assert errors == []
    page.close()
