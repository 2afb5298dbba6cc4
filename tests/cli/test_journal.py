"""The results file of a bulk send: what a rerun reads back from each way a run can end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from payamak.cli._journal import Header, Journal, JournalError, RowOutcome, read_outcomes

HEADER = Header(sha256="ab" * 32, rows=6, provider="trez_rest", batch_size=2, prefix="abab")


def _sent(row: int, reference: str) -> RowOutcome:
    return RowOutcome(row, f"+98912555000{row}", "sent", reference, message_id=str(100 + row))


def test_each_run_has_a_base_reference_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    journal = Journal(path, HEADER)
    assert [journal.begin_run(), journal.begin_run()] == ["abab-r1", "abab-r2"]
    journal.close()

    again = Journal(path, HEADER)
    assert again.resumed
    assert again.begin_run() == "abab-r3"  # runs are counted from the file: never reused
    again.close()


def test_a_rerun_reads_back_every_state(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    journal = Journal(path, HEADER)
    assert not journal.resumed
    journal.outcomes([RowOutcome(6, "0912", "invalid", reason="bad")])
    assert journal.begin_run() == "abab-r1"
    journal.in_flight("abab-r1-1", [1, 2])
    journal.answered("abab-r1-1", [_sent(1, "abab-r1-1"), _sent(2, "abab-r1-1")])
    journal.in_flight("abab-r1-2", [3, 4])
    journal.answered("abab-r1-2", [], not_sent="InsufficientCreditError")
    journal.in_flight("abab-r1-3", [5])
    journal.answered("abab-r1-3", [], unknown="SendOutcomeUnknownError")
    journal.close()

    again = Journal(path, HEADER)
    again.close()

    state = again.state
    assert again.resumed
    assert sorted(state.outcomes) == [1, 2, 6]
    assert state.unknown_rows() == {5: "abab-r1-3"}  # the lost answer stays in doubt
    assert (state.runs, state.requests) == (1, 3)
    assert "abab-r1-2" not in state.in_flight  # refused: known unsent, so tried again
    assert [o.row for o in read_outcomes(path)] == [1, 2, 6]


def test_a_partial_answer_leaves_only_the_rows_it_does_not_list_in_doubt(
    tmp_path: Path,
) -> None:
    path = tmp_path / "r.jsonl"
    journal = Journal(path, HEADER)
    journal.in_flight("abab-r1-1", [1, 2, 3])
    rejected = RowOutcome(2, "+989125550002", "rejected", "abab-r1-1", reason="refused")
    journal.answered("abab-r1-1", [_sent(1, "abab-r1-1"), rejected], unknown="lost")
    journal.close()

    again = Journal(path, HEADER)
    again.close()

    assert sorted(again.state.outcomes) == [1, 2]
    assert again.state.unknown_rows() == {3: "abab-r1-1"}
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["event"] for line in lines][-1] == "unknown"


def test_a_kill_while_writing_leaves_a_torn_line_that_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    journal = Journal(path, HEADER)
    journal.in_flight("abab-r1-1", [1, 2])
    journal.close()
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"event": "outcome", "row": 1, "mob')

    assert [o.row for o in read_outcomes(path)] == []
    again = Journal(path, HEADER)
    again.outcomes([_sent(3, "abab-r1-2")])
    again.close()

    assert path.read_bytes().startswith(whole)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["start", "in_flight", "outcome"]
    last = Journal(path, HEADER)
    last.close()
    assert last.state.unknown_rows() == {1: "abab-r1-1", 2: "abab-r1-1"}


def test_a_damaged_line_inside_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    Journal(path, HEADER).close()
    with path.open("a", encoding="utf-8") as handle:
        handle.write("not json\n")
        handle.write('{"event": "chunk_done", "reference": "abab-r1-1"}\n')

    with pytest.raises(JournalError, match="line 2 is not a journal record"):
        Journal(path, HEADER)
    with pytest.raises(JournalError, match="line 2 is not a journal record"):
        read_outcomes(path)
    # The refusal let go of the file.
    path.write_text("", encoding="utf-8")
    Journal(path, HEADER).close()


def test_another_file_or_provider_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    Journal(path, HEADER).close()

    with pytest.raises(JournalError, match="records a run of another file"):
        Journal(path, Header("cd" * 32, 6, "trez_rest", 2, "cdcd"))
    with pytest.raises(JournalError, match="through trez_rest, not trez_xml"):
        Journal(path, Header("ab" * 32, 6, "trez_xml", 2, "abab"))
    # The first run's batch size and prefix hold: one send keeps its shape and references.
    kept = Journal(path, Header("ab" * 32, 6, "trez_rest", 5, "other"))
    kept.close()
    assert kept.header == HEADER


def test_a_journal_of_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    Journal(path, HEADER).close()
    start = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**start, "version": 1}) + "\n", encoding="utf-8")

    with pytest.raises(JournalError, match="journal version 1, this payamak writes version 2"):
        Journal(path, HEADER)


def test_one_run_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    first = Journal(path, HEADER)

    with pytest.raises(JournalError, match="in use by another run"):
        Journal(path, HEADER)
    first.close()
    Journal(path, HEADER).close()
