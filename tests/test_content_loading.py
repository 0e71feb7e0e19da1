"""A broken content file fails loudly at load time, naming the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from helpers import REPO
from thigh_coach.content import ContentError, load_content


@pytest.fixture
def content_dir(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REPO / "content", target)
    return target


def edit(directory: Path, name: str, change) -> None:
    path = directory / f"{name}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_the_repository_content_loads():
    content = load_content(REPO / "content")
    assert "en-US" in content.locales and "welcome" in content.texts


def test_missing_file(content_dir):
    (content_dir / "texts.yaml").unlink()
    with pytest.raises(ContentError, match=r"texts\.yaml: file missing"):
        load_content(content_dir)


def test_missing_directory(tmp_path):
    with pytest.raises(ContentError, match="content directory not found"):
        load_content(tmp_path / "nowhere")


def test_not_yaml(content_dir):
    (content_dir / "locales.yaml").write_text("locales: [unclosed\n")
    with pytest.raises(ContentError, match=r"locales\.yaml: not valid YAML"):
        load_content(content_dir)


def test_unknown_key(content_dir):
    edit(content_dir, "locales", lambda d: d["locales"]["en-US"].update(emergncy="911"))
    with pytest.raises(ContentError, match=r"locales\.yaml: locales\.en-US: unknown key 'emergncy'"):
        load_content(content_dir)


def test_missing_field(content_dir):
    edit(content_dir, "locales", lambda d: d["locales"]["en-GB"].pop("emergency"))
    with pytest.raises(ContentError, match=r"locales\.en-GB: missing field 'emergency'"):
        load_content(content_dir)


def test_wrong_type(content_dir):
    edit(content_dir, "sources", lambda d: d["sources"]["nhs_sciatica"].update(reviewed="soon"))
    with pytest.raises(ContentError, match=r"sources\.nhs_sciatica\.reviewed: expected date"):
        load_content(content_dir)


def test_duplicate_yaml_key(content_dir):
    path = content_dir / "texts.yaml"
    path.write_text(path.read_text() + '  help: "twice"\n')
    with pytest.raises(ContentError, match=r"texts\.yaml: duplicate key 'help'"):
        load_content(content_dir)


def test_ssml_unsafe_character(content_dir):
    edit(content_dir, "texts", lambda d: d["texts"].update(help="Say <break/> & more"))
    with pytest.raises(ContentError, match=r"texts\.yaml: texts\.help: character '<'"):
        load_content(content_dir)


def test_unknown_placeholder(content_dir):
    edit(content_dir, "texts", lambda d: d["texts"].update(help="Call {emergencyy}"))
    with pytest.raises(ContentError, match=r"texts\.help: unknown placeholder \{emergencyy\}"):
        load_content(content_dir)


def test_dangling_source_reference(content_dir):
    edit(content_dir, "locales", lambda d: d["locales"]["en-US"].update(sources=["no_such"]))
    with pytest.raises(ContentError, match=r"locales\.en-US\.sources\[0\]: unknown source 'no_such'"):
        load_content(content_dir)


def test_locale_override_of_a_text_that_does_not_exist(content_dir):
    edit(content_dir, "locales", lambda d: d["locales"]["en-GB"]["texts"].update(nope="x"))
    with pytest.raises(ContentError, match=r"locales\.en-GB\.texts\.nope"):
        load_content(content_dir)


def test_source_must_be_https(content_dir):
    edit(content_dir, "sources",
         lambda d: d["sources"]["nhs_sciatica"].update(url="http://www.nhs.uk"))
    with pytest.raises(ContentError, match=r"sources\.nhs_sciatica\.url"):
        load_content(content_dir)
