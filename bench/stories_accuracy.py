"""Story accuracy: import a labelled folder through the real pipeline and count the pairs it got right.

    python bench/stories_accuracy.py FOLDER [--postgres URL] [--curve]
    python bench/stories_accuracy.py --generate SEED [--curve]      # a folder drawn by make_story_corpus.py

FOLDER holds pieces and a `stories.json` ({file name: story key}: files with one key tell one story). They are
imported with `import_paths` (decode, parse, clean, staging workers computing the signatures, story assignment) into
a fresh database: a temporary SQLite file, or with --postgres a test database created beside the given one (and
dropped after). A pair of files is right when the two land in one story exactly when their keys match; the bench
prints pair precision and recall, the pairs it got wrong (with their exact Jaccard similarity and containment), and
how many articles went to the editors' queue (a queued article has a story of its own: counted as apart).

With --curve it also prints, from the same imported (cleaned) bodies, the pair precision and recall of the
verification rule alone (every pair verified, no LSH) over a grid of Jaccard and containment thresholds, the table
the thresholds in articles/stories/matching.py were chosen from (README, "Stories").
"""

import argparse
import itertools
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

JACCARDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
CONTAINMENTS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: containment not used


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()


def import_folder(folder: Path) -> dict[str, int]:
    """Import every labelled file of `folder`; return {file name: story id}."""
    from articles.ingest import ImportOptions, import_paths
    from articles.models import Article

    labels = json.loads((folder / "stories.json").read_text(encoding="utf-8"))
    report = import_paths([str(folder)], ImportOptions(batch_size=50), keep_results=True)
    print(f"outcomes: {report.summary()}")
    article_of = {Path(result.origin).name: result.article_id for result in report.results}
    missing = sorted(set(labels) - set(article_of))
    if missing:
        raise SystemExit(f"not imported: {missing[:5]}")
    stories = dict(Article.objects.filter(pk__in=article_of.values()).values_list("pk", "story_id"))
    return {name: stories[article_of[name]] for name in labels}, article_of


def pair_scores(truth: dict[str, str], predicted: dict) -> tuple[float, float, list, list]:
    tp = fp = fn = 0
    false_pos, false_neg = [], []
    for first, second in itertools.combinations(sorted(truth), 2):
        same, together = truth[first] == truth[second], predicted[first] == predicted[second]
        if same and together:
            tp += 1
        elif together:
            fp += 1
            false_pos.append((first, second))
        elif same:
            fn += 1
            false_neg.append((first, second))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, false_pos, false_neg


def measure(folder: Path, *, curve: bool) -> dict:
    from articles.models import Article, Source, StoryCandidate
    from articles.stories import matching
    from articles.stories.signatures import shingles

    truth = json.loads((folder / "stories.json").read_text(encoding="utf-8"))
    stories, article_of = import_folder(folder)
    precision, recall, false_pos, false_neg = pair_scores(truth, stories)
    rows = Article.objects.filter(pk__in=article_of.values()).values_list("pk", "body", "source_id")
    bodies = {pk: (shingles(body), source) for pk, body, source in rows}
    sets = {name: bodies[article_of[name]] for name in truth}

    def described(pair):
        score = matching.similarity(sets[pair[0]][0], sets[pair[1]][0])
        return f"  {pair[0]}  {pair[1]}  J={score.jaccard:.2f} C={score.containment:.2f}"

    print(f"{len(truth)} files, {len(set(truth.values()))} stories, {len(set(stories.values()))} found")
    print(f"pair precision {precision:.3f}  recall {recall:.3f}")
    print(f"queued as possibly the same story: {StoryCandidate.objects.count()}")
    print(f"sources: {Source.objects.count()}")
    if false_pos:
        print(f"merged but different ({len(false_pos)}):")
        print("\n".join(described(pair) for pair in false_pos))
    if false_neg:
        print(f"apart but the same story ({len(false_neg)}):")
        print("\n".join(described(pair) for pair in false_neg))
    if curve:
        print_curve(truth, sets)
    return {"precision": precision, "recall": recall, "false_pos": false_pos, "false_neg": false_neg}


def print_curve(truth: dict[str, str], sets: dict) -> None:
    """Pair precision and recall of "Jaccard >= j or containment >= c" (and one outlet's pieces: Jaccard >= the
    same-source threshold or containment >= c) over every pair, no LSH: the verification rule's own curve."""
    from articles.stories import assign, matching

    scored = []
    for first, second in itertools.combinations(sorted(truth), 2):
        (a, source_a), (b, source_b) = sets[first], sets[second]
        score = matching.similarity(a, b)
        scored.append((truth[first] == truth[second], score, source_a is not None and source_a == source_b))
    positives = sum(same for same, _, _ in scored)
    for label, chosen in (("one outlet", True), ("any outlets", False)):
        apart = [score for same, score, one in scored if not same and (one or not chosen)]
        if apart:
            print(
                f"different stories, {label}: highest Jaccard {max(s.jaccard for s in apart):.2f}, "
                f"highest containment {max(s.containment for s in apart):.2f} ({len(apart)} pairs)"
            )
    print(f"\nverification rule over all {len(scored)} pairs ({positives} of one story): precision / recall")
    print("containment >=  " + "".join(f"{'off' if c > 1 else c:>13}" for c in CONTAINMENTS))
    for j in JACCARDS:
        cells = []
        for c in CONTAINMENTS:
            tp = fp = 0
            for same, score, one_source in scored:
                if one_source:
                    j_needed, c_needed = max(j, assign.SAME_SOURCE_JACCARD), max(c, assign.SAME_SOURCE_CONTAINMENT)
                else:
                    j_needed, c_needed = j, c
                together = score.jaccard >= j_needed or score.containment >= c_needed
                tp += together and same
                fp += together and not same
            cells.append(f"{tp / (tp + fp) if tp + fp else 1:.3f}/{tp / positives if positives else 1:.3f}")
        print(f"Jaccard >= {j:<4}  " + "".join(f"{cell:>13}" for cell in cells))
    print(
        f"(now: SAME Jaccard {matching.SAME_JACCARD}, containment {matching.SAME_CONTAINMENT}; "
        f"queue from Jaccard {matching.POSSIBLE_JACCARD} or containment {matching.POSSIBLE_CONTAINMENT})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, nargs="?", help="A folder of pieces with a stories.json.")
    parser.add_argument("--generate", type=int, metavar="SEED", help="Measure a folder drawn with this seed.")
    parser.add_argument("--postgres", metavar="URL", help="Import into a fresh test database beside this one.")
    parser.add_argument("--curve", action="store_true", help="Also print the verification rule's curve.")
    args = parser.parse_args()
    if (args.folder is None) == (args.generate is None):
        parser.error("give a FOLDER or --generate SEED")
    with tempfile.TemporaryDirectory(prefix="newsroom-stories-") as tmp:
        folder = args.folder
        if folder is None:
            from bench.make_story_corpus import generate

            folder = Path(tmp) / "corpus"
            generate(folder, seed=args.generate)
        setup_django(args.postgres or f"sqlite:///{tmp}/stories.sqlite3")
        from django.core.management import call_command
        from django.db import connection

        if args.postgres:
            connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        else:
            call_command("migrate", verbosity=0)
        try:
            measure(folder, curve=args.curve)
        finally:
            if args.postgres:
                connection.creation.destroy_test_db(connection.settings_dict["NAME"].removeprefix("test_"), 0)


if __name__ == "__main__":
    main()
