"""Jinja set up for the build: autoescaped and strict, and a mistake in a template reported as a
problem at the template and line where it is written, like a mistake in content."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import jinja2

from generator.errors import ContentError, Problem


class _TemplateLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, with a template that is not UTF-8 reported as a syntax error at the
    line of its first bad byte (a template saved in another encoding is the user's mistake),
    not as a UnicodeDecodeError."""

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            raise _not_utf8(self.searchpath, template) from None


def _not_utf8(searchpath: list[str], template: str) -> jinja2.TemplateSyntaxError:
    for folder in searchpath:
        path = Path(folder, *template.split("/"))
        if path.is_file():
            data = path.read_bytes()
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as err:
                return jinja2.TemplateSyntaxError(
                    f"not valid UTF-8 (byte offset {err.start}); save it as UTF-8",
                    data.count(b"\n", 0, err.start) + 1, template, str(path))
    return jinja2.TemplateSyntaxError("not valid UTF-8; save it as UTF-8", 1, template)


def jinja_environment(templates_dir: Path, bytecode_dir: Path | None = None,
                      filters: Mapping[str, Callable] | None = None) -> jinja2.Environment:
    """Jinja set up for safe output, with `filters`; with `bytecode_dir`, compiled templates
    are kept there between builds."""
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=_TemplateLoader(templates_dir),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        if bytecode_dir is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        # An environment never outlives the templates it was made for (a template saved
        # makes a new one): no stat per include per page.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(filters or {})
    return env


@contextmanager
def template_problems(env: jinja2.Environment) -> Iterator[None]:
    """A mistake in a template is the user's too: report it like a content problem, at the
    template and line where it was written."""
    try:
        yield
    except jinja2.TemplateNotFound as err:
        searched = getattr(env.loader, "searchpath", [])
        raise ContentError([Problem(f"templates/{err.name}", None, None, "template",
                                    f"template not found in {', '.join(searched)}")]) from None
    except jinja2.TemplateSyntaxError as err:
        raise ContentError([Problem(f"templates/{err.name or err.filename}", err.lineno, None,
                                    "template", err.message or "syntax error")]) from None
    except Exception as err:
        place = _raised_at(env, err)
        if place is None and not isinstance(err, jinja2.TemplateError):
            raise  # not from a template: a bug of ours, not the user's mistake
        message = str(err) if isinstance(err, jinja2.TemplateError) \
            else f"{type(err).__name__}: {err}"
        name, line = place or (None, None)
        raise ContentError([Problem(f"templates/{name}" if name else "templates", line, None,
                                    "template", message)]) from None


def _raised_at(env: jinja2.Environment, err: Exception) -> tuple[str, int] | None:
    """The template and line an error was raised at while rendering: Jinja rewrites the
    traceback so that a template's frames name its file and line; the innermost wins."""
    folders = [os.path.join(os.path.abspath(f), "") for f in
               getattr(env.loader, "searchpath", [])]
    found = None
    frame = err.__traceback__
    while frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        for folder in folders:
            if filename.startswith(folder):
                found = (Path(filename).relative_to(folder).as_posix(), frame.tb_lineno)
        frame = frame.tb_next
    return found
