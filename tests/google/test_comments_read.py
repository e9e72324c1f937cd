"""Reading reviewers' comments through Drive, mapping them to document sections, and the completion keyword."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scr.backends.google.comments import (
    DocComment,
    GoogleComments,
    document_sections,
    is_completion,
    section_of,
)
from scr.backends.google.documents import GoogleDocuments
from scr.rendering import parse_document
from tests.google_emulator import GoogleEmulator

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TOR = """Draft terms of reference for the board.

# B1: Scope of the review

The review covers **January to June**.

| Agency | Lead |
|---|---|
| Police | Ann Jones |

# Background

Context that is not an item heading.

## B2: Methodology

A systems approach, with practitioner events.

# A3: Timescales

Six months.
"""


def _doc(emu: GoogleEmulator) -> str:
    drive = emu.build("drive")
    folder = drive.files().create(body={"name": "SCR", "mimeType": "application/vnd.google-apps.folder"},
                                  fields="id").execute()["id"]
    store = GoogleDocuments(drive, emu.build("docs"), folder)
    store.write("SCR-1", "terms-of-reference", parse_document(TOR))
    emu.share(folder, None, "commenter")  # everyone in these tests may comment
    file_id = store.file_id("SCR-1", "terms-of-reference")
    assert file_id is not None
    return file_id


def _comments(emu: GoogleEmulator) -> GoogleComments:
    return GoogleComments(emu.build("drive"), emu.build("docs"))


def test_150_comments_take_two_requests(emu: GoogleEmulator) -> None:
    doc_id = _doc(emu)
    for i in range(150):
        emu.add_comment(doc_id, f"r{i % 3}@example.org", f"R{i % 3}", f"point {i}", "Six months", at=T0)
    emu.reset_counts()
    comments = _comments(emu).read(doc_id, None)
    assert [c.content for c in comments] == [f"point {i}" for i in range(150)]
    assert emu.counts() == {"drive.comments.list": 2}


def test_one_request_per_poll_for_three_reviewers(emu: GoogleEmulator) -> None:
    doc_id = _doc(emu)
    for i, who in enumerate(["ann", "bob", "cat"] * 4):
        comment = emu.add_comment(doc_id, f"{who}@example.org", who.title(), f"note {i}", None, at=T0)
        emu.add_reply(doc_id, comment["id"], "lead@example.org", "Lead", "Thanks", at=T0)
    emu.reset_counts()
    comments = _comments(emu).read(doc_id, T0 - timedelta(days=1))
    assert len(comments) == 12 and {c.author_name for c in comments} == {"Ann", "Bob", "Cat"}
    assert not any(c.author_me for c in comments)
    assert emu.counts() == {"drive.comments.list": 1}


def test_since_filter_replies_and_resolution(emu: GoogleEmulator) -> None:
    doc_id = _doc(emu)
    old = emu.add_comment(doc_id, "ann@example.org", "Ann Jones", "Too narrow", "January to June", at=T0)
    emu.add_comment(doc_id, "bob@example.org", "Bob", "Fine", None, at=T0)
    late = emu.add_comment(doc_id, "cat@example.org", "Cat", "Add health", "Police", at=T0 + timedelta(days=2))
    emu.add_reply(doc_id, old["id"], "lead@example.org", "Lead", "Widened", action="resolve",
                  at=T0 + timedelta(days=1))
    reader = _comments(emu)
    recent = reader.read(doc_id, T0 + timedelta(hours=1))
    assert [c.comment_id for c in recent] == [old["id"], late["id"]]  # a new reply makes a comment recent
    first = recent[0]
    assert isinstance(first, DocComment) and first.resolved and first.quoted_text == "January to June"
    assert first.author_name == "Ann Jones" and first.modified_at == T0 + timedelta(days=1)
    (reply,) = first.replies
    assert (reply.author_name, reply.author_me, reply.content, reply.action) == ("Lead", False, "Widened", "resolve")
    assert reply.modified_at == T0 + timedelta(days=1)
    assert len(reader.read(doc_id, None)) == 3
    with pytest.raises(ValueError, match="timezone"):
        reader.read(doc_id, datetime(2026, 11, 26))


def test_deleted_comments_are_left_out(emu: GoogleEmulator) -> None:
    doc_id = _doc(emu)
    gone = emu.add_comment(doc_id, "ann@example.org", "Ann", "Oops", None, at=T0)
    emu.add_comment(doc_id, "ann@example.org", "Ann", "Kept", None, at=T0)
    emu.build("drive").comments().delete(fileId=doc_id, commentId=gone["id"]).execute()
    assert [c.content for c in _comments(emu).read(doc_id)] == ["Kept"]


def test_quoted_text_arrives_html_escaped_and_is_unescaped(emu: GoogleEmulator) -> None:
    doc_id = _doc(emu)
    emu.add_comment(doc_id, "ann@example.org", "Ann", "Which?", "Police &amp; &lt;health&gt;", at=T0)
    (comment,) = _comments(emu).read(doc_id)
    assert comment.quoted_text == "Police & <health>"


def test_sections_split_at_item_headings(emu: GoogleEmulator) -> None:
    doc_id = _doc(emu)
    emu.reset_counts()
    sections = document_sections(emu.build("docs"), doc_id)
    assert emu.counts() == {"docs.documents.get": 1}
    assert [s for s, _ in sections] == ["general", "B1", "B2", "A3"]
    text = dict(sections)
    assert text["general"].startswith("Draft terms of reference")
    assert "Police" in text["B1"] and "Ann Jones" in text["B1"] and "Background" in text["B1"]
    assert "Six months" in text["A3"] and "Six months" not in text["B2"]


def test_quoted_text_maps_to_its_section(emu: GoogleEmulator) -> None:
    doc_id = _doc(emu)
    sections = _comments(emu).sections(doc_id)
    assert section_of("january  to\nJUNE", sections) == "B1"
    assert section_of("Ann Jones", sections) == "B1"  # inside a table cell
    assert section_of("practitioner events", sections) == "B2"
    assert section_of("Six months", sections) == "A3"
    assert section_of("for the board", sections) == "general"
    assert section_of("text nobody wrote", sections) == "general"
    assert section_of(None, sections) == "general" and section_of("  ", sections) == "general"
    overview = [("general", "Factors at a glance: B2 professional practice"), *sections[1:]]
    assert section_of("professional practice", [*overview, ("B2", "B2: professional practice")]) == "B2"


def test_completion_keyword_in_a_comment_and_in_a_reply(emu: GoogleEmulator) -> None:
    doc_id = _doc(emu)
    emu.add_comment(doc_id, "ann@example.org", "Ann", "COMPLETE. No further points.", None, at=T0)
    question = emu.add_comment(doc_id, "bob@example.org", "Bob", "Is the timescale fixed?", "Six months", at=T0)
    emu.add_reply(doc_id, question["id"], "bob@example.org", "Bob", "**COMPLETE** from me", at=T0)
    done = set()
    for comment in _comments(emu).read(doc_id):
        if is_completion(comment.content):
            done.add(comment.author_name)
        done |= {r.author_name for r in comment.replies if is_completion(r.content)}
    assert done == {"Ann", "Bob"}


def test_the_tools_own_comment_is_me_and_no_author_carries_an_address(emu: GoogleEmulator) -> None:
    doc_id = _doc(emu)
    emu.add_comment(doc_id, "ann@example.org", "Ann", "Why?", None, at=T0)
    emu.build("drive").comments().create(fileId=doc_id, fields="id", body={"content": "Noted"}).execute()
    emu.reset_counts()
    comments = _comments(emu).read(doc_id)
    assert [(c.author_name, c.author_me) for c in comments] == [("Ann", False), ("Emulator Owner", True)]
    assert "emailAddress" not in str(emu.build("drive").comments().list(fileId=doc_id, fields="*").execute())


@pytest.mark.parametrize(("text", "expected"), [
    ("COMPLETE", True), ("COMPLETE.", True), ("  'COMPLETE' - thanks", True), ("COMPLETE\nall good", True),
    ("Completed", False), ("Not complete", False), ("incomplete", False), ("", False), ("...", False),
    ("Complete chronology needed for 2025", False), ("complete.", False),
])
def test_is_completion(text: str, expected: bool) -> None:
    assert is_completion(text) is expected


def test_is_completion_with_another_keyword() -> None:
    assert is_completion("DONE!", keyword="done") and not is_completion("COMPLETE", keyword="DONE")
