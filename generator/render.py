"""Stage 3, render: typed explainers in, a mapping of site paths to file bytes out.

Templates only read data; anything derived (lookups, ordering, relative roots) is computed here.
"""

from __future__ import annotations

import datetime
import json
import operator
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import jinja2
import jinja2.meta
from markupsafe import Markup

from generator.errors import ContentError, Problem
from generator.schema import Explainer, Listing, Settings, Source

# A feed is polled over and over by readers that only want what is new.
FEED_ENTRIES = 50
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def long_date(day: datetime.date) -> str:
    """'18 March 2025', the same whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# Comments and raw blocks (passed over: an include in them is text), or an include of one
# template named in quotes with nothing else in the tag.
_INCLUDE = re.compile(
    r"(?P<skip>\{#.*?#\}|\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\})"
    r"|\{%(?P<open>-?)\s*include\s+(?P<q>[\"'])(?P<name>[^\"'{}%]+)(?P=q)\s*(?P<close>-?)%\}",
    re.DOTALL)
# A Jinja statement or expression; the statement's first word, if it opens or closes a loop.
_TAG = re.compile(r"\{%[-+]?\s*(?P<word>for|endfor)\b.*?%\}|\{[{%].*?[}%]\}", re.DOTALL)
# What a template means something else by inside another: blocks, `extends`, raw text (which
# may hold what looks like a tag), and the names Jinja gives each template of its own and does
# not pass to an included one (`loop` only outside the template's own loops: see _inlinable).
_KEEP_APART = re.compile(r"\b(?:block|extends|raw|caller|varargs|kwargs|self|super)\b")
_LOOP = re.compile(r"\bloop\b")
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


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


def make_environment(templates_dir: Path, bytecode_dir: Path | None = None
                     ) -> jinja2.Environment:
    """Jinja set up for safe output; with `bytecode_dir`, compiled templates are kept there
    between builds (each is checked against its template's modification time)."""
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
    env.filters["long_date"] = long_date
    return env


def page_path(explainer: Explainer | Listing) -> str:
    return f"{explainer.slug}/index.html"


def index_order(listings: Sequence[Listing]) -> list[Listing]:
    """Newest first; the slug breaks ties so the order never depends on file-system order."""
    # Two sorts with C key functions, several times faster than one with a Python key: the
    # second keeps the slug order among explainers of the same day (sorts are stable, also
    # in reverse).
    by_slug = sorted(listings, key=operator.attrgetter("slug"))
    return sorted(by_slug, key=operator.attrgetter("published"), reverse=True)


def page_url(settings: Settings, path: str) -> str | None:
    """The absolute address of a page, when the site's base URL is known."""
    if not settings.base_url:
        return None
    return settings.base_url + path.removesuffix("index.html")


def render_listing_item(env: jinja2.Environment, listing: Listing, settings: Settings) -> str:
    """An explainer's entry on the home page. Rendered with its page and kept in the build
    cache, so the home page of a large site is joined from entries, not rendered from scratch
    after every edit."""
    with _template_problems(env):
        return env.get_template("partials/listing.html").render(site=settings, e=listing,
                                                                 root="")


def render_index(env: jinja2.Environment, listings: Sequence[Listing],
                 items: Mapping[str, str], settings: Settings) -> bytes:
    """The home page; `items` holds render_listing_item's HTML for each listing's slug. The
    template gets them joined in order as `entries`, and the listings as `explainers`."""
    ordered = index_order(listings)
    entries = Markup("".join(items[listing.slug] for listing in ordered))
    with _template_problems(env):
        return _render(env, "index.html", settings, root="", explainers=ordered,
                       entries=entries, lang=settings.language,
                       canonical=page_url(settings, "index.html"))


def render_explainer(env: jinja2.Environment, explainer: Explainer, settings: Settings) -> bytes:
    with _template_problems(env):
        return _render(
            env, "explainer.html", settings, root="../", e=explainer, lang=explainer.language,
            canonical=page_url(settings, page_path(explainer)),
            actors_by_id={a.id: a for a in explainer.actors},
            sources_by_id={s.id: s for s in explainer.sources},
            article_html=Markup(explainer.article.html if explainer.article else ""),
            json_ld=json_ld(news_article(explainer, settings)),
        )


def news_article(explainer: Explainer, settings: Settings) -> dict:
    """schema.org NewsArticle: what search engines read; the source article as isBasedOn,
    every other source as a citation."""

    def work(source: Source) -> dict:
        item: dict = {"@type": "CreativeWork", "name": source.title}
        if source.publisher:
            item["publisher"] = {"@type": "Organization", "name": source.publisher}
        if source.date:
            item["datePublished"] = source.date.isoformat()
        if source.url:
            item["url"] = source.url
        return item

    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": explainer.title,
        "description": explainer.summary,
        "inLanguage": explainer.language,
        "datePublished": explainer.published.isoformat(),
        "dateModified": (explainer.updated or explainer.published).isoformat(),
        "isBasedOn": [work(s) for s in explainer.sources if s.kind == "article"],
        "citation": [work(s) for s in explainer.sources if s.kind != "article"],
        "mentions": [{"@type": "Thing", "name": a.name} for a in explainer.actors],
    }
    url = page_url(settings, page_path(explainer))
    if url:
        data["url"] = data["mainEntityOfPage"] = url
    if settings.publisher:
        data["publisher"] = {"@type": "Organization", "name": settings.publisher}
    return data


def json_ld(data: dict) -> Markup:
    """JSON for a <script> element: <, > and & escaped so no text can end the element."""
    # Compact, so the C encoder does the work.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c")
                  .replace(">", "\\u003e"))


def fixed_files(env: jinja2.Environment, settings: Settings,
                templates_dir: Path) -> dict[str, bytes]:
    """The files that do not list the explainers: stylesheet and other static files, the 404
    page, robots.txt, and GitHub Pages' files."""
    static = templates_dir / "static"
    files = {f"static/{path.relative_to(static).as_posix()}": path.read_bytes()
             for path in sorted(static.rglob("*")) if path.is_file()}
    with _template_problems(env):
        files["404.html"] = _render(env, "404.html", settings, root="", canonical=None,
                                    lang=settings.language)
        files["robots.txt"] = _render(env, "robots.txt", settings,
                                      sitemap=page_url(settings, "sitemap.xml"))
    # GitHub Pages: serve the files as they are (no Jekyll), and on the custom domain if set.
    files[".nojekyll"] = b""
    if settings.custom_domain:
        files["CNAME"] = f"{settings.custom_domain}\n".encode()
    return files


def listing_files(env: jinja2.Environment, listings: Sequence[Listing], settings: Settings,
                  made: dict[str, tuple[object, bytes]] | None = None) -> dict[str, bytes]:
    """The sitemap (every page) and the feed (the newest FEED_ENTRIES), which need absolute
    addresses, so only with a base URL. `made`, kept by a caller that renders again and again
    with one environment and settings, holds each file with what it shows of the explainers:
    a file is taken from it while that is the same (an edit to an article's text changes
    neither), and put in it when made again."""
    if not settings.base_url:
        return {}
    ordered = index_order(listings)
    dates = [e.updated or e.published for e in ordered]
    files = {}
    for name, shown, render in (
            ("sitemap.xml", ([e.slug for e in ordered], dates), _render_sitemap),
            ("feed.xml", (max(dates, default=None), ordered[:FEED_ENTRIES]), _render_feed)):
        known = made.get(name) if made is not None else None
        if known is None or known[0] != shown:
            known = (shown, render(env, ordered, settings))
            if made is not None:
                made[name] = known
        files[name] = known[1]
    return files


def _render_sitemap(env: jinja2.Environment, ordered: Sequence[Listing],
                   settings: Settings) -> bytes:
    """Every page; `ordered` is in index_order."""
    # Plain strings, formatted here: the sitemap's loop runs once per explainer.
    entries = [(page_url(settings, "index.html"), "")] + [
        (page_url(settings, page_path(e)), (e.updated or e.published).isoformat())
        for e in ordered]
    with _template_problems(env):
        return _render(env, "sitemap.xml", settings, entries=entries)


def _render_feed(env: jinja2.Environment, ordered: Sequence[Listing], settings: Settings) -> bytes:
    """The newest FEED_ENTRIES; `ordered` is in index_order."""
    newest = max((e.updated or e.published for e in ordered), default=None)
    with _template_problems(env):
        return _render(env, "feed.xml", settings,
                       updated=newest.isoformat() if newest else "",
                       entries=[(e, page_url(settings, page_path(e)))
                                for e in ordered[:FEED_ENTRIES]])


def _render(env: jinja2.Environment, name: str, settings: Settings, **context: object) -> bytes:
    return env.get_template(name).render(site=settings, **context).encode("utf-8")


@contextmanager
def _template_problems(env: jinja2.Environment) -> Iterator[None]:
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
