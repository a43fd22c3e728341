"""The reader of the hand-written table of hard cases for the sentence splitter (no pytest here:
bench/compare_sentence_splitters.py reads the same table)."""

from __future__ import annotations

from pathlib import Path

TABLE = Path(__file__).parent / "fixtures" / "sentences" / "hard-cases.txt"


def read_cases(path: Path = TABLE) -> list[tuple[str, str, list[str], str]]:
    """(name, text, expected sentences, limitation) for each "## name" block of the table; limitation
    is "" unless the case is a known limitation of sckg's splitter."""
    cases: list[tuple[str, list[str], list[str], list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            cases.append((line[3:].strip(), [], [], []))
        elif line.startswith("!! limitation:"):
            cases[-1][3].append(line.removeprefix("!! limitation:").strip())
        elif line == "<" or line.startswith("< "):
            cases[-1][1].append(line[2:])
        elif line.startswith("> "):
            cases[-1][2].append(line[2:])
    return [(name, "\n".join(lines), expected, " ".join(why)) for name, lines, expected, why in cases]
