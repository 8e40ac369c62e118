"""MinHash libraries compared: datasketch, rensa and the numpy implementation of articles/stories/signatures.py.

    python bench/minhash_libraries.py [--pieces 2000] [--pairs 400] [--seed 3]

The libraries are measured only when installed (neither is a requirement: `pip install datasketch rensa` into a
scratch environment to run the comparison). On the same invented pieces (word shingles, as the product makes them)
each implementation, with the product's number of permutations (`signatures.PERMUTATIONS`, 60):
- speed: signatures per second (shingling excluded: every implementation gets the same shingle sets);
- correctness: the error of the estimated Jaccard similarity against the exact one, over pairs spread from 0 to 1
  (mean, standard deviation, largest);
- the chance that a pair at exactly the threshold becomes a candidate: for the product's banding (20 bands of 3
  rows) from the measured band collisions, and for datasketch's own `MinHashLSH` at threshold 0.8 with its
  default parameters (the issue's "40%").
Timings are only meaningful on an otherwise idle machine.
"""

import argparse
import hashlib
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from articles.stories import signatures  # noqa: E402

PERMUTATIONS = signatures.PERMUTATIONS
VOCABULARY = [f"w{i}" for i in range(3000)]


def invented_sets(count: int, rng: random.Random) -> list[set[str]]:
    """Shingle sets of invented pieces of 80 to 900 words."""
    found = []
    for _ in range(count):
        words = rng.choices(VOCABULARY, k=rng.randint(80, 900))
        found.append({" ".join(words[i : i + 4]) for i in range(len(words) - 3)})
    return found


def pair_at(jaccard: float, size: int, rng: random.Random) -> tuple[set[str], set[str]]:
    """Two sets of about `size` shingles whose exact Jaccard similarity is about `jaccard`."""
    shared = round(2 * size * jaccard / (1 + jaccard))
    common = {f"c{rng.random()}" for _ in range(shared)}
    return common | {f"a{rng.random()}" for _ in range(size - shared)}, common | {
        f"b{rng.random()}" for _ in range(size - shared)
    }


def exact(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


class Numpy:
    name = "numpy (signatures.py)"

    def signature(self, found: set[str]):
        # The product hashes words and mixes them (signatures.shingle_hashes); here every implementation gets the
        # same shingle strings, so they are hashed one by one.
        hashes = np.fromiter(
            (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest()) for s in found),
            dtype=np.uint64,
            count=len(found),
        )
        return signatures.signature(hashes)

    def jaccard(self, first, second) -> float:
        return float(np.mean(first == second))


class Datasketch:
    name = "datasketch"

    def __init__(self):
        from datasketch import MinHash

        self.minhash = MinHash

    def signature(self, found: set[str]):
        sketch = self.minhash(num_perm=PERMUTATIONS, seed=1)
        sketch.update_batch([s.encode() for s in found])
        return sketch

    def jaccard(self, first, second) -> float:
        return first.jaccard(second)


class Rensa:
    name = "rensa (RMinHash)"

    def __init__(self):
        from rensa import RMinHash

        self.minhash = RMinHash

    def signature(self, found: set[str]):
        sketch = self.minhash(num_perm=PERMUTATIONS, seed=1)
        sketch.update(list(found))
        return sketch

    def jaccard(self, first, second) -> float:
        return first.jaccard(second)


def implementations() -> list:
    found = [Numpy()]
    for kind in (Datasketch, Rensa):
        try:
            found.append(kind())
        except ImportError:
            print(f"{kind.name}: not installed, skipped")
    return found


def band_chance(values_a, values_b, rows: int = signatures.BAND_ROWS) -> bool:
    bands = len(values_a) // rows
    return any((values_a[i * rows : (i + 1) * rows] == values_b[i * rows : (i + 1) * rows]).all() for i in range(bands))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pieces", type=int, default=2000, help="Pieces to sign for the speed figure.")
    parser.add_argument("--pairs", type=int, default=400, help="Pairs for the estimate's error.")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sets = invented_sets(args.pieces, rng)
    pairs = [pair_at(rng.random(), rng.randint(40, 800), rng) for _ in range(args.pairs)]
    at_threshold = [pair_at(0.4, 300, rng) for _ in range(args.pairs)]
    for impl in implementations():
        started = time.perf_counter()
        for found in sets:
            impl.signature(found)
        rate = len(sets) / (time.perf_counter() - started)
        errors = [impl.jaccard(impl.signature(a), impl.signature(b)) - exact(a, b) for a, b in pairs]
        line = (
            f"{impl.name:<24} {rate:9,.0f} signatures/s; estimate - exact Jaccard: mean {statistics.mean(errors):+.4f}"
            f", sd {statistics.pstdev(errors):.4f}, largest {max(map(abs, errors)):.3f}"
        )
        if isinstance(impl, Numpy):
            found = sum(band_chance(impl.signature(a), impl.signature(b)) for a, b in at_threshold)
            banding = f"{signatures.BANDS}x{signatures.BAND_ROWS}"
            line += f"; {banding} bands find a pair at Jaccard 0.40 {found / len(at_threshold):.0%} of the time"
        print(line)
        if isinstance(impl, Datasketch):
            from datasketch import MinHashLSH

            lsh = MinHashLSH(threshold=0.8, num_perm=128)
            found = 0
            for n, (a, b) in enumerate(pair_at(0.8, 300, rng) for _ in range(args.pairs)):
                first, second = (impl.minhash(num_perm=128, seed=1) for _ in range(2))
                first.update_batch([s.encode() for s in a])
                second.update_batch([s.encode() for s in b])
                lsh.insert(f"p{n}", first)
                found += f"p{n}" in lsh.query(second)
            print(
                f"{'':<24} MinHashLSH(threshold=0.8, num_perm=128) defaults ({lsh.b} bands of {lsh.r} rows) find a "
                f"pair at Jaccard 0.80 {found / args.pairs:.0%} of the time"
            )


if __name__ == "__main__":
    main()
