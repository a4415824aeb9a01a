"""Jinja set up for the build: autoescaped and strict, with each include of a partial inlined
into the template that holds it, and a mistake in a template reported as a problem at the
template and line where it is written, like a mistake in content."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import jinja2
import jinja2.meta

from generator.errors import ContentError, Problem

# A Jinja comment.
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
# Comments and raw blocks (passed over: an include in them is text), or an include of one
# template named in quotes with nothing else in the tag.
_INCLUDE = re.compile(
    rf"(?P<skip>{_COMMENT.pattern}|\{{%-?\s*raw\s*-?%\}}.*?\{{%-?\s*endraw\s*-?%\}})"
    r"|\{%(?P<open>-?)\s*include\s+(?P<q>[\"'])(?P<name>[^\"'{}%]+)(?P=q)\s*(?P<close>-?)%\}",
    re.DOTALL)
# A Jinja statement or expression; the statement's first word, if it opens or closes a loop.
_TAG = re.compile(r"\{%[-+]?\s*(?P<word>for|endfor)\b.*?%\}|\{[{%].*?[}%]\}", re.DOTALL)
# What a template means something else by inside another: blocks, `extends`, raw text (which
# may hold what looks like a tag), and the names Jinja gives each template of its own and does
# not pass to an included one (`loop` only outside the template's own loops: see _inlinable).
_KEEP_APART = re.compile(r"\b(?:block|extends|raw|caller|varargs|kwargs|self|super)\b")
_LOOP = re.compile(r"\bloop\b")


class _InliningLoader(jinja2.FileSystemLoader):
    """The templates as written, except that each `{% include "name" %}` is replaced by that
    template's source inside `{% with %}`, which scopes its assignments as an include does;
    the output is the same, byte for byte (tested). Jinja makes a new context for every
    include, and an explainer page has fifteen (a section partial each, a quote list per
    actor, phase and question): about a sixteenth of a build's work. One partial per section
    stays one file to edit, and a syntax error in it is reported there (see _as_written). A
    partial that could mean something else inlined is included as written (see _inlinable)."""

    def __init__(self, searchpath: str | Path, encoding: str = "utf-8",
                 followlinks: bool = False) -> None:
        super().__init__(searchpath, encoding, followlinks)
        # For each template file loaded: where the lines of its inlined source were written,
        # as (first line there, template name, its line in that template), in order.
        self._origins: dict[str, list[tuple[int, str, int]]] = {}

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self._as_saved(environment, template)
        checks = [uptodate] if uptodate else []
        inlined, origins = self._inlined(environment, template, source, {template}, checks)
        if filename:
            self._origins[filename] = origins
        # Up to date while the template and every partial inlined in it are.
        return inlined, filename, lambda: all(check() for check in checks)

    def written_at(self, filename: str, line: int) -> tuple[str, int] | None:
        """The template and line where a line of a loaded template's inlined source was
        written, or None if no template was loaded from that file."""
        found = None
        for first, name, first_there in self._origins.get(filename, ()):
            if first > line:
                break
            found = (name, first_there + line - first)
        return found

    def _inlined(self, environment: jinja2.Environment, template: str, source: str,
                 within: set[str], checks: list[Callable[[], bool]]
                 ) -> tuple[str, list[tuple[int, str, int]]]:
        pieces: list[str] = []
        origins = [(1, template, 1)]
        line, done = 1, 0  # the line of the output being written; how much of source is
        for match in _INCLUDE.finditer(source):
            name = match["name"]
            if match["skip"] or name in within:  # an include of itself stays one, as written
                continue
            inner, _, uptodate = self._as_saved(environment, name)
            if not _inlinable(inner):
                continue
            if uptodate:
                checks.append(uptodate)
            text, inner_origins = self._inlined(environment, name, inner, within | {name},
                                                checks)
            before = source[done:match.start()] + f"{{%{match['open']} with %}}"
            line += before.count("\n")
            origins += [(line + first - 1, at, first_there)
                        for first, at, first_there in inner_origins]
            line += text.count("\n")
            done = match.end()
            origins.append((line, template, source.count("\n", 0, done) + 1))
            pieces += [before, text, f"{{% endwith {match['close']}%}}"]
        pieces.append(source[done:])
        return "".join(pieces), origins

    def _as_saved(self, environment: jinja2.Environment, template: str
                  ) -> tuple[str, str | None, Callable[[], bool] | None]:
        """Jinja's get_source, with a template that is not UTF-8 as a syntax error, not a
        UnicodeDecodeError (a template saved in another encoding is the user's mistake)."""
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            raise _not_utf8(self.searchpath, template) from None

    def as_written(self) -> jinja2.FileSystemLoader:
        """A loader of the same templates, nothing inlined."""
        return jinja2.FileSystemLoader(self.searchpath, self.encoding, self.followlinks)


def _not_utf8(searchpath: list[str], template: str) -> jinja2.TemplateSyntaxError:
    """The error for a template that is not UTF-8, at the line of its first bad byte."""
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


def _inlinable(source: str) -> bool:
    """Whether a template means the same inside another. Decided from its tags alone, without
    parsing, because the bytecode cache is checked against the inlined source on every load
    (parsing the partials cost a fresh process 30 ms); a word in a string or a loop variable
    of that name only keep a partial an include, which is always safe."""
    depth = 0
    for tag in _TAG.finditer(_COMMENT.sub("", source)):
        text, word = tag[0], tag["word"]
        if _KEEP_APART.search(text):
            return False
        if word == "endfor":
            depth -= 1
        elif _LOOP.search(text) and depth <= 0:
            return False
        elif word == "for":
            depth += 1
    return True


def _as_written(env: jinja2.Environment, err: jinja2.TemplateSyntaxError
                ) -> jinja2.TemplateSyntaxError:
    """A syntax error where it is in the templates as written: lines of a template move when
    the partials above them are inlined, so the templates involved are parsed one by one."""
    if not isinstance(env.loader, _InliningLoader) or not err.name:
        return err
    plain = env.overlay(loader=env.loader.as_written(), cache_size=0, bytecode_cache=None)
    todo, seen = [err.name], set()
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = plain.loader.get_source(plain, name)
            tree = plain.parse(source, name, filename)
        except jinja2.TemplateSyntaxError as found:
            return found
        except (jinja2.TemplateNotFound, UnicodeDecodeError):  # the latter: err says so
            continue
        todo.extend(n for n in jinja2.meta.find_referenced_templates(tree) if n)
    return err


def jinja_environment(templates_dir: Path, bytecode_dir: Path | None = None,
                      filters: Mapping[str, Callable] | None = None) -> jinja2.Environment:
    """Jinja set up for safe output, with `filters`; with `bytecode_dir`, compiled templates
    are kept there between builds (each used while its source, partials inlined, is the
    same)."""
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=_InliningLoader(templates_dir),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        if bytecode_dir is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        # A build (or a preview refresh, which makes a new environment when a template
        # changes) never sees a template change under it: skip a stat per include per page.
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
        err = _as_written(env, err)
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
    """The template and line an error was raised at while rendering, as written (Jinja
    puts a template's lines in the traceback; the loader maps them back through inlining)."""
    if not isinstance(env.loader, _InliningLoader):
        return None
    found = None
    frame = err.__traceback__
    while frame is not None:  # the innermost template line wins
        where = env.loader.written_at(frame.tb_frame.f_code.co_filename, frame.tb_lineno)
        found = where or found
        frame = frame.tb_next
    return found
