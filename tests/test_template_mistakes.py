"""A mistake in a template is reported like a mistake in content: at the template and line
where it is written, whichever template it is in (a page, a partial, a partial's partial)."""

from __future__ import annotations

import pytest

from generator.errors import ContentError
from generator.incremental import build


@pytest.mark.parametrize(("template", "below"), [
    ("explainer.html", "</article>"),  # below the partials it includes
    ("partials/actors.html", "</li>"),  # below the partials it includes
    ("partials/support.html", "{% for ev in item.evidence %}"),  # in a partial's partial
])
def test_a_template_mistake_is_reported_where_it_is_written(project, template, below):
    path = project.templates_dir / template
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines.index(below) + 2
    lines.insert(line - 1, "{% if %}")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build(project)
    assert str(err.value).startswith(f"templates/{template}:{line}: template:")


@pytest.mark.parametrize("template", ["base.html", "partials/summary.html",
                                      "partials/support.html"])
def test_a_template_saved_in_another_encoding_is_reported_at_its_line(project, template):
    path = project.templates_dir / template
    before = path.read_bytes()
    path.write_bytes(before + "<p>Caf\u00e9</p>\n".encode("latin-1"))
    with pytest.raises(ContentError) as err:
        build(project)
    line = before.count(b"\n") + 1
    assert str(err.value).startswith(f"templates/{template}:{line}: template: not valid UTF-8")


@pytest.mark.parametrize(("template", "below", "mistake", "says"), [
    ("explainer.html", "</article>", "{{ e.title + 1 }}",
     'TypeError: can only concatenate str (not "int") to str'),
    ("partials/summary.html", '<p class="summary">{{ e.summary }}</p>', "{{ e.no_such_field }}",
     "has no attribute 'no_such_field'"),
    ("partials/support.html", "{% for ev in item.evidence %}", "{{ ev.passage.text + 1 }}",
     "TypeError:"),
    ("base.html", "<head>", "{{ site.title + 1 }}", "TypeError:"),
])
def test_a_template_error_while_rendering_is_reported_where_it_is_written(
        project, template, below, mistake, says):
    path = project.templates_dir / template
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines.index(below) + 2
    lines.insert(line - 1, mistake)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build(project)
    assert str(err.value).startswith(f"templates/{template}:{line}: template: ")
    assert says in str(err.value)


def test_a_story_slot_without_its_macro_is_reported_at_the_template(project):
    # Say a desk's own story_context.html from before the "More in this story" links: the
    # page still asks for them.
    path = project.templates_dir / "partials" / "story_context.html"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{% macro nav() %}", "{% macro old_nav() %}"), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build(project)
    assert str(err.value) == ("templates/partials/story_context.html: template: no macro "
                              "nav() for the slot <!--story:nav--> a page has")
