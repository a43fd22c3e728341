"""Compare sckg's sentence splitter with maintained splitters on the hand-written hard cases.

    python bench/compare_sentence_splitters.py        # needs: pip install pysbd sentencex nltk

Not a test: the other splitters are not dependencies of sckg. Each splitter gets the same blocks sckg
uses (one non-empty line at a time), so only the cutting inside a line is compared. A splitter that
is not installed is skipped. nltk's Punkt is run untrained (its trained English model is a data
download, which this project does not make at run time), so it knows no abbreviations.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from sentence_cases import read_cases  # noqa: E402  (the table's one reader)

from sckg.sentences import split_sentences  # noqa: E402


def _per_line(split):
    def run(text: str) -> list[str]:
        out: list[str] = []
        for line in text.splitlines():
            if line.strip():
                out += [s.strip() for s in split(line) if s.strip()]
        return out
    return run


def splitters() -> dict:
    found = {"sckg": lambda text: [s.text for s in split_sentences(text)]}
    try:
        import pysbd
        segmenter = pysbd.Segmenter(language="en", clean=False)
        found["pysbd " + getattr(pysbd, "__version__", "")] = _per_line(segmenter.segment)
    except ImportError:
        pass
    try:
        from importlib.metadata import version

        import sentencex
        found["sentencex " + version("sentencex")] = _per_line(lambda line: list(sentencex.segment("en", line)))
    except ImportError:
        pass
    try:
        from nltk.tokenize.punkt import PunktSentenceTokenizer
        found["punkt (untrained)"] = _per_line(PunktSentenceTokenizer().tokenize)
    except ImportError:
        pass
    return found


def main() -> int:
    cases = read_cases()
    chosen = splitters()
    names = list(chosen)
    print("| case | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    score = {n: 0 for n in names}
    failures: dict[str, list[tuple[str, list[str]]]] = {n: [] for n in names}
    for case, text, expected, limitation in cases:
        cells = []
        for n in names:
            got = chosen[n](text)
            ok = got == expected
            score[n] += ok
            cells.append("ok" if ok else f"**{len(got)}** (want {len(expected)})")
            if not ok:
                failures[n].append((case, got))
        print(f"| {case}{' (known limitation)' if limitation else ''} | " + " | ".join(cells) + " |")
    print("| **right** | " + " | ".join(f"**{score[n]}/{len(cases)}**" for n in names) + " |")
    for n in names:
        for case, got in failures[n]:
            print(f"\n{n} on {case}:\n  " + "\n  ".join(repr(s) for s in got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
