#!/usr/bin/env python3
"""Writes a BibTeX file of N generated entries, for timing import-bib:

    bench/gen_bib.py 5000 > /tmp/big.bib
    target/release/termfolio import-bib /tmp/big.bib > /dev/null

The entries mix what real files hold: al-folio's front matter and keys
(abbr, selected, pdf, code), ADS exports (`{\\apj}`, `eprint` with
`archivePrefix`, `adsurl`, `adsnote`, math such as `$z\\sim 2$` and
`Ly\\ensuremath{\\alpha}`, `G.~C.`), reference managers (`@string` macros and
`#`, month macros, upper-case fields, "Last, First" names with particles and
accents, `{\\em ...}`, ``` ``quotes'' ```, abstracts of about 150 words).
Deterministic: the same N gives the same file.
"""

import random
import sys

WORDS = ("decentralized learning stochastic gradient descent generalization bounds topology "
         "graphs sharpness minimization federated optimization convergence galaxies emitters "
         "redshift halo metallicity survey catalogue spectra lensing masers").split()
FIRST = ["Ada", "Jörg", "Tama", "G.~C.", "Mingli", "Fengxiang", "Chiamaka", "José", "Nils"]
LAST = ["Quinn", "{M{\\\"u}ller}", "Ngata", "{van der Meer}", "Song", "He", "Okafor", "Pe{\\~n}a"]
JOURNALS = ["{\\apj}", "{\\apjl}", "{\\mnras}", "{\\aap}", "{Journal of Things}", "jmlr"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rnd = random.Random(42)
    out = ["---\n---\n", "@string{jmlr = {Journal of Machine Learning Research}}\n",
           "@string{icml = {Proceedings of the International Conference on Machine Learning}}\n\n"]
    for i in range(n):
        authors = " and ".join(
            f"{rnd.choice(LAST)}, {rnd.choice(FIRST)}" for _ in range(rnd.randint(2, 6)))
        title = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 14)))
        abstract = " ".join(rnd.choice(WORDS) for _ in range(150))
        year = 1995 + i % 30
        if i % 3 == 0:
            out.append(
                f"@ARTICLE{{{year}ApJ...{i:05d}Q,\n"
                f"       author = {{{authors}}},\n"
                f"        title = \"{{Ly\\ensuremath{{\\alpha}} {title} at $z\\sim {i % 7}$}}\",\n"
                f"      journal = {rnd.choice(JOURNALS)},\n"
                f"         year = {year},\n        month = {['jan', 'jul', 'dec'][i % 3]},\n"
                f"       volume = {{{i % 900}}},\n          eid = {{{i}}},\n"
                f"        pages = {{{i}--{i + 12}}},\n          doi = {{10.1000/x.{i}}},\n"
                f"archivePrefix = {{arXiv}},\n       eprint = {{2101.{i:05d}}},\n"
                f" primaryClass = {{astro-ph.GA}},\n"
                f"       adsurl = {{https://ui.adsabs.harvard.edu/abs/{year}ApJ...{i:05d}Q}},\n"
                f"      adsnote = {{Provided by the SAO/NASA Astrophysics Data System}}\n}}\n\n")
        else:
            out.append(
                f"@inproceedings{{key{i},\n  abbr = {{ICML}},\n  title = {{{{\\em {title}}} ``with'' {{SGD}}}},\n"
                f"  author = {{{authors}}},\n  booktitle = icml # {{ {year}}},\n  year = {{{year}}},\n"
                f"  month = jul,\n  pages = {{{i}--{i + 9}}},\n  abstract = {{{abstract}}},\n"
                f"  pdf = {{https://example.org/{i}_paper.pdf}},\n  code = {{https://github.com/x/{i}}},\n"
                f"  selected = {{{'true' if i % 10 == 0 else 'false'}}}\n}}\n\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
