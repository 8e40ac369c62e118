"""Import speed: the full pipeline against a naive per-piece ORM import of the same generated corpus.

    python bench/import_speed.py [--n 10000] [--rounds 3] [--large 100000] [--skip-naive] [--copies 0.2] [--stories]
                                 [--against REVISION]

Generates N distinct pieces in the seed's shape (titles, bylines, outlets, paragraph order and damage all vary)
into a temporary folder, then, each in a fresh process and a fresh SQLite database:
- the full pipeline (`articles.ingest.import_paths`: decode, parse, clean, dedup, batched writes, import records),
  `--rounds` times, reporting each round and the median (single runs on a shared machine vary by a tenth or more);
- a naive baseline: per piece `get_or_create` the author and the source, `Article.objects.create`, `tags.add`;
- with --large, the full pipeline again at that N, to show the cost stays linear and memory stays bounded.
Prints pieces per second, peak resident memory and the ratio to the baseline.

With --copies F a share F of the pieces are near-copies of a recent piece (another outlet's footer, a paragraph
dropped, a cut after five paragraphs with a "Read more" trailer, a new headline): stories to find. With --stories
each round of the full pipeline at N is followed by one with story assignment off (NEWSROOM_STORIES=0: no
signatures, no bands, no story rows), and at --large one of each, and the ratio of the medians "with stories /
without" is printed, with the peak memory of all the import's processes together and the rate of each tenth of the
import (the cost per piece must stay flat as the band table grows), and how much two distinct pieces share, generated
and real (`sentence`).

With --against REVISION (a commit, a tag) the full pipeline of that revision, checked out into a temporary git
worktree, imports the same corpus in turn with this one's, `--rounds` times each, story assignment off in both
(older revisions have none): the ratio of the medians says what the work since then costs on the hot path.
"""

import argparse
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

OUTLETS = [
    "The Frontier Post",
    "Daily Courier",
    "Harbour Times",
    "Northern Ledger",
    "Steppe Review",
    "Caspian Monitor",
    "The Evening Standard-Bearer",
    "River Valley News",
]
FIRST = ["Alena", "Marat", "Dana", "Oleg", "Aigerim", "Timur", "Sara", "Ilya", "Nadia", "Ruslan", "Zarina", "Pavel"]
LAST = ["Kazakova", "Suleimenov", "Orlova", "Bekov", "Tokayeva", "Grashchenkov", "Ivanova", "Kuraev", "Abenova"]
DESKS = ["Web Desk", "News Desk", "Monitoring Desk", "APP", "Reuters"]
SUBJECTS = [
    "The ministry",
    "The committee",
    "A regional council",
    "The port authority",
    "Local farmers",
    "The central bank",
    "Rail operators",
    "A group of economists",
    "The energy regulator",
    "Exporters",
]
VERBS = ["announced", "questioned", "welcomed", "criticised", "postponed", "approved", "reviewed", "defended"]
OBJECTS = [
    "a new transit corridor",
    "the revised grain tariffs",
    "plans for a pipeline",
    "the trade agreement",
    "a digital services platform",
    "the border inspection rules",
    "the annual budget",
    "a housing programme",
]
DETAILS = [
    "according to officials in the capital",
    "despite objections from the opposition",
    "after months of negotiations",
    "in a statement published on Tuesday",
    "following a storm in March",
    "as prices continued to rise",
    "with support from international partners",
    "amid growing public debate",
]
QUOTES = [
    "“We will not risk our long-term interests,” an adviser said .",
    "“The figures speak for themselves,” the minister explained.",
    "Analysts expect more than 70 “% of cargo to use the new route.",
    "“This is a pragmatic decision,” the deputy head of the administration , said in an interview.",
]
TOPIC_WORDS = ["Trade", "Transit", "Energy", "Grain", "Budget", "Rail", "Housing", "Tariffs", "Ports", "Pipelines"]


def damage(word: str, rng: random.Random) -> str:
    """Break a long word with a stray hyphen, as syndication damage does."""
    if len(word) < 6 or not word.isalpha():
        return word
    cut = rng.randint(2, len(word) - 3)
    return word[:cut] + "-" + word[cut:]


_VOCABULARY: tuple[list[str], list[float]] | None = None


def vocabulary() -> tuple[list[str], list[float]]:
    """English words and their cumulative frequencies (wordfreq's 20,000 most common), for `sentence`."""
    global _VOCABULARY
    if _VOCABULARY is None:
        from itertools import accumulate

        from wordfreq import top_n_list, word_frequency

        found = [word for word in top_n_list("en", 20000) if word.isalpha()]
        _VOCABULARY = found, list(accumulate(word_frequency(word, "en") for word in found))
    return _VOCABULARY


def sentence(rng: random.Random, serial: int) -> str:
    """A sentence of a distinct story: 10 to 20 words drawn by their frequency in English, and now and then a stock
    phrase (DETAILS) as news copy repeats them.

    Calibrated on the sample pieces: two distinct real pieces share about 0.1% of their 4-word shingles on average
    (Jaccard; the most alike, one outlet's two outlooks, 3.6%), and two distinct generated pieces about 0.5% (at
    most 2.5%); `--stories` prints both. A corpus built from a few dozen fixed phrases instead (this benchmark's
    first one, 13% shared on average) makes every piece a near-candidate of every other."""
    found, cumulative = vocabulary()
    words = rng.choices(found, cum_weights=cumulative, k=rng.randint(10, 20))
    words[0] = words[0].capitalize()
    if rng.random() < 0.1:
        words += rng.choice(DETAILS).split()
    if rng.random() < 0.15:
        i = rng.randrange(len(words))
        words[i] = damage(words[i], rng)
    return " ".join(words) + f", case {serial}."


def generate_piece(i: int, rng: random.Random) -> str:
    title = f"{rng.choice(TOPIC_WORDS)} talks: {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)} plan {i}"
    if rng.random() < 0.2:
        byline = rng.choice(DESKS)
    elif rng.random() < 0.2:
        byline = f"{rng.choice(FIRST)} {rng.choice(LAST)} and {rng.choice(FIRST)} {rng.choice(LAST)}"
    else:
        byline = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    paragraphs = [" ".join(sentence(rng, i * 100 + p * 10 + s) for s in range(rng.randint(3, 5))) for p in range(8)]
    paragraphs[rng.randrange(1, 8)] += " " + rng.choice(QUOTES)
    rng.shuffle(paragraphs)
    paragraphs.insert(4, f"{rng.choice(TOPIC_WORDS)} and the road ahead")
    lines = [
        title,
        "",
        title,
        "",
        byline,
        "",
        paragraphs[0],
        title,
        *paragraphs[1:],
        "",
        f"The post {title} appeared first on {rng.choice(OUTLETS)}.",
    ]
    return "\n".join(lines) + "\n"


def near_copy(text: str, rng: random.Random) -> str:
    """A copy of `text` as an aggregator makes it: another outlet's footer, a paragraph dropped or a cut after five
    paragraphs with a trailer, sometimes a new headline."""
    lines = text.rstrip("\n").split("\n")
    title, body, footer = lines[0], lines[6:-2], lines[-1]
    if rng.random() < 0.5:
        del body[rng.randrange(1, len(body))]
    else:
        body = [*body[:5], "Read more https://aggregator.example.org/story"]
    new_title = f"Reported: {title}" if rng.random() < 0.3 else title
    footer = f"The post {new_title} appeared first on {rng.choice(OUTLETS)}."
    return "\n".join([new_title, "", new_title, "", lines[4], "", *body, "", footer]) + "\n"


def generate_corpus(folder: Path, n: int, seed: int = 7, copies: float = 0.0) -> int:
    rng = random.Random(seed)
    total = 0
    recent: list[str] = []
    for i in range(n):
        sub = folder / f"{i // 1000:04d}"
        sub.mkdir(exist_ok=True)
        if recent and rng.random() < copies:
            text = near_copy(rng.choice(recent), rng)
        else:
            text = generate_piece(i, rng)
            recent = [*recent[-499:], text]
        data = text.encode()
        (sub / f"piece-{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


# --- children: each measurement in its own process and database ------------------------------------------------


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # Measured as deployed: with DEBUG on, Django also keeps a printable copy of every statement, and on SQLite it
    # builds that copy by quoting each parameter in an extra query, which for a batch's multi-row inserts costs
    # about a quarter of the import (both runs, full and naive, get the same settings).
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    sys.path.insert(0, os.environ.get("NEWSROOM_BENCH_CODE", str(REPO)))  # --against: the other revision's code
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def run_full(corpus: Path) -> dict:
    from articles.ingest import ImportOptions, import_paths

    total = sum(1 for _ in corpus.rglob("*.txt"))
    marks: list[float] = []
    done = [0]

    def tick(_result) -> None:
        done[0] += 1
        if done[0] % max(1, total // 10) == 0:
            marks.append(time.perf_counter())

    started = time.perf_counter()
    report = import_paths([str(corpus)], ImportOptions(batch_size=500), on_result=tick)
    seconds = time.perf_counter() - started
    tenths = [b - a for a, b in zip([started, *marks], marks, strict=False)]
    return {
        "pieces": report.total,
        "seconds": seconds,
        "counts": report.summary(),
        "stories": _stories(),
        "tenth_rates": [round(total / 10 / t) for t in tenths if t > 0],
    }


def _stories() -> int | None:
    try:
        from articles.models import Story
    except ImportError:  # a revision before stories (--against)
        return None
    return Story.objects.count()


def run_naive(corpus: Path) -> dict:
    import re

    from articles.models import Article, Author, Source

    footer = re.compile(r"^The post (.+) appeared first on (.+)\.$")
    started = time.perf_counter()
    count = 0
    for path in sorted(corpus.rglob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        match = footer.match(lines[-1])
        source, _ = Source.objects.get_or_create(name=match.group(2), defaults={"slug": f"s{count}"})
        author, _ = Author.objects.get_or_create(name_key=lines[2].casefold(), defaults={"name": lines[2]})
        article = Article.objects.create(title=lines[0], source=source, summary=lines[3], body="\n\n".join(lines[3:-1]))
        article.bylines.create(author=author, position=0)
        article.tags.add(lines[0].split()[0])
        count += 1
    return {"pieces": count, "seconds": time.perf_counter() - started}


def process_family(root: int) -> tuple[set[int], float]:
    """Return process `root` and its descendants, and the largest peak resident size (VmHWM, in MB) among the
    descendants, from /proc."""
    parents = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        parents[int(status.parent.name)] = (int(fields.get("PPid", "0")), fields.get("VmHWM", "0 kB"))
    family, peak, grew = {root}, 0.0, True
    while grew:
        grew = False
        for pid, (ppid, hwm) in parents.items():
            if ppid in family and pid not in family:
                family.add(pid)
                peak = max(peak, int(hwm.split()[0]) / 1024)
                grew = True
    return family, peak


def proportional_memory_mb(pids: set[int]) -> float:
    """Return the memory `pids` use together, in MB: the sum of their proportional set sizes (PSS), which counts a
    page shared by n processes (the forkserver's preloaded code and word frequencies) as 1/n in each."""
    total_kb = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total_kb += sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return total_kb / 1024


def child(mode: str, corpus: Path, database: Path) -> None:
    setup_django(database)
    # Staging workers are separate processes (children of the forkserver): watch their peak memory while they run.
    peaks, done = [0.0, 0.0], threading.Event()

    def watch():
        while not done.wait(0.5):
            family, worker_peak = process_family(os.getpid())
            peaks[0] = max(peaks[0], worker_peak)
            peaks[1] = max(peaks[1], proportional_memory_mb(family))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    result = run_full(corpus) if mode == "full" else run_naive(corpus)
    done.set()
    watcher.join()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["worker_peak_rss_mb"] = peaks[0]
    result["all_processes_peak_pss_mb"] = peaks[1]
    print(json.dumps(result))


def measure(mode: str, corpus: Path, workdir: Path, *, stories: bool = True, code: Path | None = None) -> dict:
    database = workdir / f"{mode}-{time.monotonic_ns()}.sqlite3"
    extra = {"NEWSROOM_BENCH_CODE": str(code)} if code else {}
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--corpus", str(corpus), "--database", str(database)],
        check=True,
        capture_output=True,
        text=True,
        cwd=code or REPO,
        env={**os.environ, "NEWSROOM_STORIES": "1" if stories else "0", **extra},
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rate"] = result["pieces"] / result["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="Pieces in the main corpus (10,000).")
    parser.add_argument("--rounds", type=int, default=3, help="Runs of the full pipeline at N; the median counts.")
    parser.add_argument("--large", type=int, default=0, help="Also import a corpus of this size (e.g. 100000).")
    parser.add_argument("--skip-naive", action="store_true", help="Do not run the naive baseline.")
    parser.add_argument("--copies", type=float, default=0.0, help="Share of near-copies in the corpora (e.g. 0.2).")
    parser.add_argument("--stories", action="store_true", help="Also run without story assignment; print the ratio.")
    parser.add_argument("--against", metavar="REVISION", help="Also run that revision's pipeline; print the ratio.")
    parser.add_argument("--child", choices=["full", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.corpus, args.database)
        return

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        workdir = Path(tmp)
        corpus = workdir / "corpus"
        corpus.mkdir()
        size = generate_corpus(corpus, args.n, copies=args.copies)
        print(f"corpus: {args.n:,} pieces, {size / 1e6:.1f} MB, mean {size / args.n / 1024:.1f} KB a piece")
        rounds, rounds_without = [], []
        for round_number in range(1, args.rounds + 1):
            result = measure("full", corpus, workdir)
            rounds.append(result)
            print(
                f"full pipeline   N={args.n:>7,}: {result['rate']:8,.0f} pieces/s  ({result['seconds']:.1f} s), "
                f"peak RSS {result['peak_rss_mb']:.0f} MB (largest worker {result['worker_peak_rss_mb']:.0f} MB), "
                f"outcomes {result['counts']}  [round {round_number}]"
            )
            if args.stories:  # in turn with the rounds with stories, so that a slow spell of the machine hits both
                rounds_without.append(off := measure("full", corpus, workdir, stories=False))
                print(f"stories off     N={args.n:>7,}: {off['rate']:8,.0f} pieces/s  [round {round_number}]")
        full = sorted(rounds, key=lambda r: r["rate"])[len(rounds) // 2]
        if len(rounds) > 1:
            print(f"full pipeline   N={args.n:>7,}: {full['rate']:8,.0f} pieces/s  median of {len(rounds)} rounds")
        if not args.skip_naive:
            naive = measure("naive", corpus, workdir)
            print(
                f"naive baseline  N={args.n:>7,}: {naive['rate']:8,.0f} pieces/s  ({naive['seconds']:.1f} s), "
                f"peak RSS {naive['peak_rss_mb']:.0f} MB"
            )
            print(f"ratio full (median) / naive: {full['rate'] / naive['rate']:.1f}x")
        if args.stories:
            print_shared_shingles()
            compare_stories(args.n, rounds, rounds_without)
        if args.against:
            compare_revisions(args.against, args.n, args.rounds, corpus, workdir)
        if args.large:
            large = workdir / "large"
            large.mkdir()
            generate_corpus(large, args.large, seed=11, copies=args.copies)
            big = measure("full", large, workdir)
            worker = big["worker_peak_rss_mb"]
            print(
                f"full pipeline   N={args.large:>7,}: {big['rate']:8,.0f} pieces/s  ({big['seconds']:.1f} s), "
                f"peak RSS {big['peak_rss_mb']:.0f} MB (largest worker {worker:.0f} MB), "
                f"all processes together {big['all_processes_peak_pss_mb']:.0f} MB (PSS)"
            )
            print(f"rate at N={args.large:,} / median rate at N={args.n:,}: {big['rate'] / full['rate']:.2f}")
            if args.stories:
                compare_stories(args.large, [big], [measure("full", large, workdir, stories=False)])


def compare_revisions(revision: str, n: int, rounds: int, corpus: Path, workdir: Path) -> None:
    """Import `corpus` with `revision`'s pipeline and this one's in turn, `rounds` times each, stories off in both;
    print each round and the ratio of the medians."""
    tree = workdir / "against"
    add = ["git", "worktree", "add", "--detach", str(tree), revision]
    subprocess.run(add, cwd=REPO, check=True, capture_output=True)
    try:
        rates = {"this": [], revision: []}
        for round_number in range(1, rounds + 1):
            for label, code in ((revision, tree), ("this", None)):
                result = measure("full", corpus, workdir, stories=False, code=code)
                rates[label].append(result["rate"])
                print(f"{label:>14} N={n:>7,}: {result['rate']:8,.0f} pieces/s, stories off  [round {round_number}]")
        ours, theirs = (sorted(rates[key])[len(rates[key]) // 2] for key in ("this", revision))
        print(f"this revision / {revision} (medians, stories off in both): {ours / theirs:.0%} (target >= 90%)")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO, check=False, capture_output=True)


def print_shared_shingles(pieces: int = 200) -> None:
    """Print how much two distinct pieces share (Jaccard similarity of their 4-word shingles, over all pairs), for
    generated pieces and for the real sample pieces, so the corpus can be seen to be as alike as real news is."""
    from itertools import combinations

    sys.path.insert(0, str(REPO))
    from articles.stories.matching import similarity
    from articles.stories.signatures import shingles

    def summary(texts: list[str]) -> str:
        sets = [shingles(text) for text in texts]
        scores = sorted(similarity(a, b).jaccard for a, b in combinations(sets, 2) if len(a) and len(b))
        return f"mean {sum(scores) / len(scores):.2%}, most {scores[-1]:.2%} over {len(scores):,} pairs"

    rng = random.Random(3)
    generated = ["\n".join(generate_piece(i, rng).splitlines()[6:-2]) for i in range(pieces)]
    samples = sorted((REPO.parent / "shared" / "samples" / "pieces").glob("*.txt"))
    real = [path.read_text(encoding="utf-8", errors="replace") for path in samples]
    print(f"shingles shared by two distinct pieces: generated {summary(generated)}", end="")
    print(f"; real samples {summary(real)}" if len(real) > 1 else "")


def compare_stories(n: int, with_stories: list[dict], without: list[dict]) -> None:
    """Print the runs with and without story assignment (the median of each) and the ratio of their medians."""

    def median(results: list[dict]) -> dict:
        return sorted(results, key=lambda r: r["rate"])[len(results) // 2]

    on, off = median(with_stories), median(without)
    print(
        f"stories on      N={n:>7,}: {on['rate']:8,.0f} pieces/s, {on['stories']:,} stories, "
        f"all processes {on['all_processes_peak_pss_mb']:.0f} MB (PSS); rate per tenth {on['tenth_rates']}"
    )
    print(
        f"stories off     N={n:>7,}: {off['rate']:8,.0f} pieces/s, all processes "
        f"{off['all_processes_peak_pss_mb']:.0f} MB (PSS); rate per tenth {off['tenth_rates']}"
    )
    medians = f"medians of {len(with_stories)} rounds each" if len(with_stories) > 1 else "one round each"
    print(f"with stories / without at N={n:,} ({medians}): {on['rate'] / off['rate']:.0%} (target >= 85%)")


if __name__ == "__main__":
    main()
