"""Property tests: whatever a user puts in a content file, the result is a clean build or clean
one-line errors, never an exception escaping to the user."""

from __future__ import annotations

import copy
import functools
import operator
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.article import ArticleParser
from generator.cli import main
from generator.errors import ContentError
from generator.load import parse_source
from generator.render import make_environment, render_explainer
from generator.schema import Explainer, Settings
from generator.validate import validate
from tests.bad_inputs import SEED, VALID, F
from tests.conftest import REPO

PARSER = ArticleParser()
ENV = make_environment(REPO / "templates")
BODY = VALID.split("\n---\n", 1)[1]
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds folder the files under test name (pytest removes it with its other temporary
    folders)."""
    folder = tmp_path_factory.mktemp("seeds")
    (folder / "truce.txt").write_text(SEED, encoding="utf-8")
    return folder


def outcome(data: bytes, seeds: Path) -> Explainer | ContentError:
    try:
        return validate(parse_source(data, F), PARSER, seeds)
    except ContentError as err:
        return err


def assert_clean(result: Explainer | ContentError) -> None:
    if isinstance(result, ContentError):
        assert result.problems
        for problem in result.problems:
            line = str(problem)
            assert "\n" not in line and line.startswith(F)
            assert problem.message


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=30), st.dates())
yaml_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=20,
)
field_names = st.sampled_from(["title", "slug", "summary", "published", "updated", "seed",
                               "language", "actors", "plan", "questions", "notes", "sources",
                               "id", "name", "quotes", "evidence", "status", "url"])


@FUZZ
@given(st.dictionaries(st.one_of(field_names, st.text(max_size=8)), yaml_values, max_size=12))
def test_random_front_matter_gives_a_build_or_clean_errors(seeds, front):
    document = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + BODY
    assert_clean(outcome(document.encode("utf-8"), seeds))


@FUZZ
@given(st.data())
def test_random_edits_of_a_valid_file_give_a_build_or_clean_errors(seeds, data):
    text = VALID.encode("utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        insert = data.draw(st.sampled_from(
            [b"", b":", b"- ", b"\t", b"\n", b"  ", b"'", b'"', b"[", b"{", b"&a ", b"*a",
             b"---\n", b"\xff", b"no", b"#", b"<script>", b"\r"]))
        text = text[:at] + insert + text[at + cut:]
    assert_clean(outcome(text, seeds))


# Structural mutations of the valid file: they keep most of it valid, so what they break is
# found by validation and rendering, not by decoding or the first YAML error.
FRONT = yaml.safe_load(VALID.split("---\n")[1])
ODD = ["\x1b[31m", "\x00", "\x07", "\x85", "\x9b", "\u2028", "\u2029", "\u200b", "\u200d",
       "\u202e", "\u2066", "\ufeff", "\u00ad", " #", " #2 ", "#", ":", ": ", "- ", "> ", "[", "]",
       "{", "&a ", "*a", "!!binary ", "'", '"', "\t", "\r", "\\", "<script>", "&amp;", "`",
       "*", "_", "    ", "\U0001f600", "e\u0301", "\ue000", "no", "2025-03-19", "~"]
REPLACEMENTS = st.one_of(st.none(), st.booleans(), st.integers(), st.dates(),
                         st.sampled_from(["", " ", "x", "ann", "wire", "proposed", "a truce"]),
                         st.lists(st.just("x"), max_size=2), st.just({"id": "x"}),
                         st.lists(st.sampled_from(ODD), max_size=4).map("".join))


def _paths(value: object, at: tuple = ()) -> list[tuple]:
    """Every place in a tree of lists and mappings, the root included."""
    found = [at]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*at, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _paths(child, (*at, i))
    return found


def _mutated(front: object, data: st.DataObject) -> object:
    front = copy.deepcopy(front)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(front)[1:]))
        parent = functools.reduce(operator.getitem, path[:-1], front)
        key = path[-1]
        value = parent[key]
        how = data.draw(st.sampled_from(["delete", "duplicate", "retype", "nest", "splice"]))
        if how == "delete":
            del parent[key]
        elif how == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(value))
        elif how == "retype":
            parent[key] = data.draw(REPLACEMENTS)
        elif how == "nest":
            parent[key] = data.draw(st.sampled_from([[value], {"x": value}, {"id": value}]))
        elif isinstance(value, str):
            at = data.draw(st.integers(0, len(value)))
            parent[key] = value[:at] + data.draw(st.sampled_from(ODD)) + value[at:]
    return front


def _edited_lines(text: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(0, 2))):
        n = data.draw(st.integers(0, len(lines) - 1))
        how = data.draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "splice",
                                         "nest", "cut fence"]))
        if how == "delete":
            del lines[n]
        elif how == "duplicate":
            lines.insert(n, lines[n])
        elif how == "indent":
            lines[n] = " " * data.draw(st.integers(1, 5)) + lines[n]
        elif how == "dedent":
            lines[n] = lines[n][data.draw(st.integers(1, 4)):]
        elif how == "splice":
            at = data.draw(st.integers(0, len(lines[n])))
            lines[n] = lines[n][:at] + data.draw(st.sampled_from(ODD)) + lines[n][at:]
        elif how == "nest":
            marker = data.draw(st.sampled_from(["> ", "- ", "1. ", "    ", ">"]))
            lines[n] = marker * data.draw(st.integers(1, 800)) + lines[n]
        elif "---" in lines:
            lines.remove("---")
        if not lines:
            break
    return "\n".join(lines)


@FUZZ
@given(st.data())
def test_structural_mutations_of_a_valid_file_give_a_page_or_clean_errors(seeds, data):
    front = _mutated(FRONT, data) if data.draw(st.booleans()) else FRONT
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False,
                                    width=1000) + "---\n" + BODY
    text = _edited_lines(text, data)
    result = outcome(text.encode("utf-8", "surrogatepass"), seeds)
    assert_clean(result)
    if isinstance(result, Explainer):  # rendering it raises nothing either
        page = render_explainer(ENV, result, Settings()).decode("utf-8")
        assert "\x1b" not in page and "\u202e" not in page


def test_the_mutations_reach_validation_and_rendering(seeds):
    # Unless they do, the test above only tries the loader: count where its examples end.
    ended: dict[str, int] = {"rendered": 0, "validation": 0, "loading": 0}

    @settings(max_examples=200, deadline=None, database=None)
    @given(st.data())
    def sample(data):
        text = "---\n" + yaml.safe_dump(_mutated(FRONT, data), allow_unicode=True,
                                        sort_keys=False, width=1000) + "---\n" + BODY
        result = outcome(text.encode("utf-8"), seeds)
        if isinstance(result, Explainer):
            ended["rendered"] += bool(render_explainer(ENV, result, Settings()))
        elif any(p.field not in ("front matter", "file") for p in result.problems):
            ended["validation"] += 1
        else:
            ended["loading"] += 1

    sample()
    assert ended["rendered"] >= 10 and ended["validation"] >= 100, ended


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=200))
def test_cli_never_shows_a_traceback(seeds, data):
    root = Path(tempfile.mkdtemp(prefix="explainer-fuzz-"))
    try:
        (root / "content").mkdir()
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copytree(seeds, root / "seeds")
        (root / "content" / "x.md").write_bytes(data)
        assert main(["--root", str(root), "build"]) == 1
        assert not (root / "site").exists()
    finally:
        shutil.rmtree(root)
