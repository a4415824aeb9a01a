"""Stage 3, render: typed explainers in, a mapping of site paths to file bytes out.

Templates only read data; anything derived (lookups, ordering, relative roots) is computed here.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.errors import ContentError, Problem
from generator.schema import Explainer

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def long_date(day: datetime.date) -> str:
    """'18 March 2025', the same whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def make_environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    return env


def render_site(explainers: Sequence[Explainer], templates_dir: Path,
                site_title: str = "Explainers") -> dict[str, bytes]:
    """Every file of the site, keyed by its path inside the site folder."""
    env = make_environment(templates_dir)
    ordered = sorted(explainers, key=lambda e: (-e.published.toordinal(), e.slug))
    common = {"site_title": site_title}
    files: dict[str, bytes] = {}
    try:
        files["index.html"] = _render(env, "index.html", common, root="", explainers=ordered,
                                      lang=_site_language(ordered))
        for explainer in ordered:
            files[f"{explainer.slug}/index.html"] = _render(
                env, "explainer.html", common, root="../", e=explainer, lang=explainer.language,
                actors_by_id={a.id: a for a in explainer.actors},
                sources_by_id={s.id: s for s in explainer.sources},
                article_html=Markup(explainer.article.html if explainer.article else ""),
            )
    except jinja2.TemplateNotFound as err:
        raise ContentError([Problem(f"templates/{err.name}", None, None, "template",
                                    f"template not found in {templates_dir}")]) from None
    except jinja2.TemplateSyntaxError as err:
        raise ContentError([Problem(f"templates/{err.name or err.filename}", err.lineno, None,
                                    "template", err.message or "syntax error")]) from None
    except jinja2.TemplateError as err:
        raise ContentError([Problem("templates", None, None, "template", str(err))]) from None
    static = templates_dir / "static"
    for path in sorted(p for p in static.rglob("*") if p.is_file()):
        files[f"static/{path.relative_to(static).as_posix()}"] = path.read_bytes()
    return files


def _render(env: jinja2.Environment, name: str, common: dict, **context: object) -> bytes:
    return env.get_template(name).render(**common, **context).encode("utf-8")


def _site_language(explainers: Sequence[Explainer]) -> str:
    languages = {e.language for e in explainers}
    return languages.pop() if len(languages) == 1 else "en"
