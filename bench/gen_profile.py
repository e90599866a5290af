#!/usr/bin/env python3
"""Writes a profile.toml with N generated publications, for trying termfolio on
a large profile:

    bench/gen_profile.py 100000 > /tmp/big.toml
    target/release/termfolio --profile /tmp/big.toml check
    target/release/termfolio --profile /tmp/big.toml snapshot --tab publications --keys '<End>'

The person, bio, news and sections are those of the repository's profile.toml;
its publications are replaced by N generated ones (title, 3-6 authors, abbr,
booktitle, year, month, an award on about one in eight, url, code).

The output is byte for byte what `profile_toml(N)` in benches/render.rs
generates (same SplitMix64 sequence, same word lists), so a file from here
measures the same text the `parse` benchmark does.
"""

import argparse
import os
import sys

MASK = (1 << 64) - 1
GOLD = 0x9E3779B97F4A7C15

WORDS = [
    "Decentralized", "SGD", "Generalization", "of", "Sharpness-Aware", "Minimization",
    "Topology-aware", "Learning", "Federated", "Optimization", "Asymptotic", "Analysis",
    "Stochastic", "Gradient", "Descent", "on", "Graphs", "Convergence", "Bounds", "for",
    "Deep", "Neural", "Networks", "Communication-Efficient", "Gossip", "Algorithms", "and",
    "Their", "Stability", "Implicit", "Regularization", "in", "Non-Convex", "Landscapes",
    "Multi-Agent", "Value", "Decomposition", "Contrastive", "Identity-Aware", "Benign",
    "Overfitting", "Transformers", "Large", "Language", "Models", "Robustness", "Theory",
    "A", "Unified", "View", "Towards", "Understanding", "Flat", "Minima", "Heterogeneous",
    "Data", "Privacy-Preserving", "Consensus", "Momentum", "Adaptive", "Methods",
]
FIRST = [
    "Fengxiang", "Lan", "Zhengyang", "Mingli", "Dacheng", "Kaixuan", "Chun", "Wei", "Jing",
    "Yang", "Xin", "Hao", "Li", "Ming", "José", "Zoë", "Anna", "Pierre", "Sofía", "Lars",
]
LAST = [
    "He", "Zhang", "Niu", "Song", "Tao", "Chen", "Wang", "Li", "Liu", "Zhao", "Huang",
    "García", "Müller", "Dubois", "Nakamura", "Kowalski", "O'Brien", "Rossi", "Sørensen",
]
VENUES = [
    ("ICML", "Proceedings of the {n}th International Conference on Machine Learning"),
    ("NeurIPS", "Advances in Neural Information Processing Systems {y}"),
    ("ICLR", "The {n}th International Conference on Learning Representations"),
    ("AAAI", "Proceedings of the AAAI Conference on Artificial Intelligence"),
    ("IJCAI", "Proceedings of the {n}th International Joint Conference on Artificial Intelligence"),
    ("CVPR", "IEEE/CVF Conference on Computer Vision and Pattern Recognition"),
    ("COLT", "Proceedings of the {n}th Conference on Learning Theory"),
    ("AISTATS", "The {n}th International Conference on Artificial Intelligence and Statistics"),
]
MONTHS = [
    "jan", "feb", "mar", "apr", "may", "jun", "17–23 Jul", "23–29 Jul", "aug", "sep", "oct",
    "nov", "dec",
]
AWARDS = ["Oral", "Spotlight", "Best Paper Award", "Outstanding Paper"]
OWNER = "Tongtian Zhu"


class Rng:
    """SplitMix64, seeded per publication exactly as in benches/render.rs."""

    def __init__(self, seed):
        self.state = ((seed * GOLD) & MASK) ^ 0xD1B54A32D192ED03

    def next(self):
        self.state = (self.state + GOLD) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def range(self, lo, hi):
        return lo + self.next() % (hi - lo + 1)

    def pick(self, items):
        return items[self.range(0, len(items) - 1)]


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def publication(i):
    r = Rng(i)
    words = r.range(5, 14)
    title = " ".join(r.pick(WORDS) for _ in range(words))
    n_authors = r.range(3, 6)
    owner_at = r.range(0, n_authors - 1) if r.range(0, 9) < 8 else None
    authors = []
    for k in range(n_authors):
        if k == owner_at:
            authors.append(OWNER)
        else:
            first = r.pick(FIRST)
            authors.append(f"{first} {r.pick(LAST)}")
    year = 2000 + r.range(0, 25)
    abbr, book = VENUES[r.range(0, len(VENUES) - 1)]
    booktitle = book.replace("{y}", str(year)).replace("{n}", str(year - 1983))
    award = r.pick(AWARDS) if r.range(0, 7) == 0 else None
    month = r.pick(MONTHS)
    slug = f"{abbr.lower()}{year}{i}"
    fields = [
        ("key", f"p{i}"),
        ("type", "inproceedings"),
        ("title", title),
    ]
    out = ["\n[[publications]]\n"]
    out += [f"{k} = {toml_str(v)}\n" for k, v in fields]
    out.append("authors = [" + ", ".join(toml_str(a) for a in authors) + "]\n")
    out.append(f"abbr = {toml_str(f'{abbr} {year}')}\n")
    out.append(f"booktitle = {toml_str(booktitle)}\n")
    out.append(f"month = {toml_str(month)}\n")
    out.append(f"year = {year}\n")
    if award is not None:
        out.append(f"award = {toml_str(award)}\n")
    out.append(f"url = {toml_str(f'https://proceedings.example.org/{year}/{slug}.html')}\n")
    out.append(f"code = {toml_str(f'https://github.com/example/{slug}')}\n")
    return "".join(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int, help="number of publications")
    ap.add_argument("-o", "--output", help="file to write (default: standard output)")
    ap.add_argument(
        "--base",
        default=os.path.join(here, "..", "profile.toml"),
        help="profile whose person, bio, news and sections are kept (default: the repository's)",
    )
    args = ap.parse_args()
    if args.count < 0:
        ap.error("count must be at least 0")

    with open(args.base, encoding="utf-8", newline="") as f:
        base = f.read()
    first_pub = base.find("\n[[publications]]")
    if first_pub < 0:
        sys.exit(f"error: {args.base} has no [[publications]] to replace")
    sections = base.find("\n[[sections]]", first_pub)
    if sections < 0:
        sections = len(base)

    parts = [base[:first_pub], "\n"]
    parts += (publication(i) for i in range(args.count))
    parts.append(base[sections:])
    text = "".join(parts)

    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    else:
        sys.stdout.reconfigure(encoding="utf-8", newline="")
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
