"""Templates are rendered with each include inlined (templating._InliningLoader), for speed: what
a reader gets, and what a template author is told of a mistake, must be what Jinja's own
includes give."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from bench.synthetic import make_project
from generator.build import BuildOptions, build, load_settings
from generator.errors import ContentError
from generator.project import Project
from generator.render import make_environment
from tests.conftest import REPO


def as_written(env: jinja2.Environment, folder: Path) -> jinja2.Environment:
    """The same environment with Jinja's own loader: every include a real include."""
    return env.overlay(loader=jinja2.FileSystemLoader(folder), cache_size=0)


def write_templates(folder: Path, templates: dict[str, str]) -> Path:
    for name, text in templates.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_site_rendered_with_inlined_partials_is_the_site_includes_give(tmp_path, monkeypatch):
    # The real templates over the first story and synthetic explainers (base URL set, so the
    # sitemap and the feed are rendered too); then the same with Jinja's loader.
    root = make_project(tmp_path / "site", 12)
    for story in (REPO / "content").glob("*.md"):
        (root / "content" / story.name).write_bytes(story.read_bytes())
    for seed in (REPO / "seeds").iterdir():
        (root / "seeds" / seed.name).write_bytes(seed.read_bytes())
    project = Project.at(root)

    def built() -> dict[Path, bytes]:
        build(project, options=BuildOptions(jobs=1, cache=False))
        return {p.relative_to(project.out_dir): p.read_bytes()
                for p in sorted(project.out_dir.rglob("*")) if p.is_file()}

    inlined = built()

    def includes(templates_dir: Path, bytecode_dir: Path | None = None) -> jinja2.Environment:
        return as_written(make_environment(templates_dir, bytecode_dir), templates_dir)

    monkeypatch.setattr("generator.build.make_environment", includes)
    included = built()
    assert len(inlined) > 14 and load_settings(project).base_url
    assert inlined == included


TEMPLATES = {
    # Assignments in a partial stay in it; loop variables and `with` values reach it; white
    # space control on the include tag and in the partial; a partial in a partial.
    "page.html": (
        '{% set x = "page" %}<{% include "set.html" %}|{{ x }}>\n'
        '{% for i in ["a", "b"] %}\n  {%- include "loop.html" -%}  \n{% endfor %}\n'
        '{% with who = "w" %}{% include "nested.html" %}{% endwith %}\n'
        '[  {%- include "trim.html" %}  ]\n'
        '{# {% include "missing.html" %} #}'
        '{% raw %}{% include "missing.html" %}{% endraw %}\n'
        '{% include "again.html" %}|{% include "blocky.html" %}\n'
        '{% for i in "c" %}{% include "own.html" %}{% include "commented.html" %}{% endfor %}'
        '{% for i in "f" %}{% include "own_loop.html" %}{% endfor %}\n'),
    "set.html": '{% set x = "partial" %}{{ x }}',
    "loop.html": "{{ i }}\n",
    "nested.html": "<{{ who }}:{% include 'set.html' %}:{{ x }}>\n",
    "trim.html": "\n  {%- if true -%}\n  t  \n{%- endif %}\n",
    "again.html": "{% if not done %}{% set done = true %}s{% include 'again.html' %}{% endif %}",
    "blocky.html": "{% block b %}block{% endblock %}",
    # An include does not see the loop it is in (unless the loop's body uses `loop` itself,
    # inner loops included, so these have a loop of their own): kept includes, these say so.
    "own.html": "{{ loop is defined }}{{ i }}",
    "commented.html": "{# {% for j in i %} #}{{ loop is defined }}",
    # Its own loop's `loop` means the same inlined.
    "own_loop.html": "{% for j in 'de' %}{{ loop.index }}{{ j }}{% endfor %}",
}


def test_inlined_partials_scope_and_space_their_output_as_includes_do(tmp_path):
    folder = write_templates(tmp_path, TEMPLATES)
    env = make_environment(folder)
    got = env.get_template("page.html").render(done=False)
    assert got == as_written(env, folder).get_template("page.html").render(done=False)
    assert "<partial|page>" in got and "FalsecFalse" in got and "1d2e" in got
    source = env.loader.get_source(env, "page.html")[0]
    assert "{% include" not in source.split("{# ")[0]  # the first ones were inlined
    # Left as includes: in a comment, in a raw block, of itself, of a template with blocks,
    # of those that use the `loop` they are in.
    assert source.count('{% include "missing.html" %}') == 2
    for kept in ("{% include 'again.html' %}", '{% include "blocky.html" %}',
                 '{% include "own.html" %}', '{% include "commented.html" %}'):
        assert kept in source
    assert '{% include "own_loop.html" %}' not in source


def test_every_partial_of_an_explainer_page_is_inlined():
    # What the speed comes from: an include left in costs a Jinja context per use.
    env = make_environment(REPO / "templates")
    source = env.loader.get_source(env, "explainer.html")[0]
    assert "{% include" not in source
    # support.html in actors, phases, conditions and questions
    assert source.count('<ul class="evidence">') == 4


@pytest.mark.parametrize(("template", "below"), [
    ("explainer.html", "</article>"),  # below partials that are inlined in it
    ("partials/actors.html", "</li>"),  # below the partials inlined in it
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


def test_an_inlined_template_is_out_of_date_when_a_partial_in_it_changes(tmp_path):
    # What Jinja asks before reusing a template when it reloads changed ones.
    folder = write_templates(tmp_path, TEMPLATES)
    env = make_environment(folder)
    uptodate = env.loader.get_source(env, "page.html")[2]
    assert uptodate()
    nested = folder / "set.html"  # inlined in nested.html, inlined in page.html
    nested.write_text('{% set x = "changed" %}{{ x }}', encoding="utf-8")
    os.utime(nested, (1, 1))
    assert not uptodate()


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
