"""explainer new and explainer schema: starting an annotation, and editor support."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from generator.cli import main
from generator.schema_json import json_schema, json_schema_text
from tests.conftest import FIRST_STORY, REPO

SEED = REPO / "seeds" / "000_a66ea636ac6472d1.txt"


def front_matter_as_editor_sees_it(text: str) -> dict:
    """YAML 1.2 as language servers read it: dates and the like stay strings."""
    return yaml.load(text.split("\n---\n", 1)[0].removeprefix("---\n"), Loader=yaml.BaseLoader)


def test_committed_schema_is_current():
    committed = (REPO / "explainer.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(), "run: explainer schema > explainer.schema.json"


def test_schema_command_prints_the_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()


def test_schema_accepts_the_first_story_and_rejects_mistakes():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    story = front_matter_as_editor_sees_it(
        (REPO / "content" / f"{FIRST_STORY}.md").read_text(encoding="utf-8"))
    jsonschema.validate(story, schema)
    broken = {**story, "titel": story["title"]}
    with pytest.raises(jsonschema.ValidationError, match="titel"):
        jsonschema.validate(broken, schema)
    story["plan"][0]["status"] = "maybe"
    with pytest.raises(jsonschema.ValidationError, match="maybe"):
        jsonschema.validate(story, schema)


def test_new_writes_article_and_skeleton_that_check_then_explains(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "new", str(SEED), "--slug", "call"]) == 0
    out = capsys.readouterr().out
    assert "seeds/000_a66ea636ac6472d1.txt" in out and "content/call.md" in out
    assert (tmp_path / "seeds" / SEED.name).read_bytes() == SEED.read_bytes()
    text = (tmp_path / "content" / "call.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert [line for line in body.split("\n") if line.startswith("## ")] == [
        "## A Step Toward Peace Talks", "## Russia’s Key Demands",
        "## Talks on Land and Energy Infrastructure", "## Zelenskyy’s Response"]
    front = front_matter_as_editor_sees_it(text)
    assert set(front) == {"title", "slug", "summary", "published", "events_from", "seed",
                          "language", "key_points", "actors", "credited", "quotes", "plan",
                          "questions", "notes", "corrections", "sources"}
    for field in ("updated", "events_to", "plan_title", "position", "side", "publisher",
                  "url", "note"):
        assert f"# {field}:" in text, field  # optional fields are offered, commented out

    (tmp_path / "templates").mkdir()
    assert main(["--root", str(tmp_path), "check"]) == 1
    err = capsys.readouterr().err.strip().split("\n")
    assert "content/call.md:3:8: title: must not be empty" in err
    assert not any("body" in line for line in err), "the article must match its seed as is"


def test_filled_in_skeleton_passes_check(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "new", str(SEED), "--slug", "call"]) == 0
    path = tmp_path / "content" / "call.md"
    filled = path.read_text(encoding="utf-8").split("\n")
    # Each placeholder in file order: the explainer, an actor, a phase, a question, a source.
    for field, value in [("title", "A call"), ("summary", "Two presidents spoke."),
                         ("published", "2025-03-19"), ("events_from", "2025-03-18"),
                         ("text", "Two presidents spoke by phone."),
                         ("evidence", "[lengthy phone call]"),
                         ("id", "trump"), ("name", "Donald Trump"), ("role", "President"),
                         ("evidence", "[lengthy phone call]"),
                         ("id", "truce"), ("title", "Truce"), ("what", "A truce"),
                         ("status", "proposed"), ("actors", "[trump]"),
                         ("evidence", "[first step]"),
                         ("id", "hold"), ("question", "Will it hold?"), ("status", "open"),
                         ("evidence", "[several critical questions remain unanswered]"),
                         ("id", "article"), ("kind", "article")]:
        placeholder = f"{field}: []" if field in ("actors", "evidence") else f'{field}: ""'
        at = next(i for i, line in enumerate(filled) if placeholder in line
                  and not line.lstrip().startswith("#"))
        filled[at] = filled[at].replace(placeholder, f"{field}: {value}")
    # The skeleton offers one key point of the two to five an explainer needs.
    at = filled.index("key_points:")
    filled[at + 1:at + 1] = ["  - text: They spoke on Tuesday.",
                             "    evidence: [phone call on Tuesday]"]
    # A source has a title or, like this one, a description: offered commented out.
    at = max(i for i, line in enumerate(filled) if line.strip() == "# description:")
    filled[at] = filled[at].replace("# description:", "description: The article")
    path.write_text("\n".join(filled), encoding="utf-8")
    (tmp_path / "templates").mkdir()
    status = main(["--root", str(tmp_path), "check"])
    assert capsys.readouterr().err == ""
    assert status == 0


def test_new_refuses_to_overwrite_an_annotation(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "new", str(SEED), "--slug", "call"]) == 0
    path = tmp_path / "content" / "call.md"
    path.write_text("my work", encoding="utf-8")
    assert main(["--root", str(tmp_path), "new", str(SEED), "--slug", "call"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "my work"


def test_new_refuses_a_bad_slug_and_a_missing_seed(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "new", str(SEED), "--slug", "Bad Slug"]) == 1
    assert main(["--root", str(tmp_path), "new", str(tmp_path / "nope.txt")]) == 1
    err = capsys.readouterr().err
    assert "--slug 'Bad Slug'" in err and "nope.txt: no such file" in err
    assert not (tmp_path / "content").exists()
