# ruff: noqa: E501  (API tables and LaTeX formulas read better on one line)
"""Benchmark: 1,000 typical derivative claims over ~100 pages, checked cold (empty cache) and warm.

Runs the build's own code path (``mathwiki.claims.runner.check_pages``: cache, then worker processes on
every core). Not a test: prints claims/s cold and warm and their ratio.

    .venv/bin/python benchmarks/claims.py [--claims 1000] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mathwiki.claims.model import tally  # noqa: E402
from mathwiki.claims.runner import check_pages, page_fences  # noqa: E402
from mathwiki.settings import Settings  # noqa: E402


def _families(rng: random.Random) -> list[list[str]]:
    """Fences (definition + claims); constants vary so no two pages are the same text."""
    a, b, c = rng.randint(2, 9), rng.randint(2, 9), rng.randint(2, 9)
    return [
        [
            f"f(x, y) = {a}x^2 y + {b}y^3 - {c}x",
            f"\\frac{{\\partial f}}{{\\partial x}} = {2 * a}xy - {c}",
            f"\\frac{{\\partial f}}{{\\partial y}} = {a}x^2 + {3 * b}y^2",
            f"\\frac{{\\partial^2 f}}{{\\partial x \\partial y}} = {2 * a}x",
        ],
        [f"g(x) = e^{{{a}x}} \\sin x", f"\\frac{{dg}}{{dx}} = {a}e^{{{a}x}}\\sin x + e^{{{a}x}}\\cos x"],
        [f"h(x) = \\ln({a}x^2 + {b})", f"\\frac{{dh}}{{dx}} = \\frac{{{2 * a}x}}{{{a}x^2 + {b}}}"],
        [
            "\\sigma(z) = \\frac{1}{1 + e^{-z}}",
            "\\frac{d\\sigma}{dz} = \\sigma(z)(1 - \\sigma(z))",
            "\\frac{d^2\\sigma}{dz^2} = \\sigma(z)(1 - \\sigma(z))(1 - 2\\sigma(z))",
        ],
        [
            "s_1(z_1, z_2, z_3) = \\frac{e^{z_1}}{e^{z_1} + e^{z_2} + e^{z_3}}",
            "\\frac{\\partial s_1}{\\partial z_1} = s_1(z_1, z_2, z_3)(1 - s_1(z_1, z_2, z_3))",
            "\\frac{\\partial s_1}{\\partial z_2} = -\\frac{e^{z_1} e^{z_2}}{(e^{z_1} + e^{z_2} + e^{z_3})^2}",
        ],
        [
            f"L(w, b) = (y - ({a}wx + b))^2",
            f"\\frac{{\\partial L}}{{\\partial w}} = -{2 * a}x(y - ({a}wx + b))",
            f"\\frac{{\\partial L}}{{\\partial b}} = -2(y - ({a}wx + b))",
            f"\\frac{{\\partial^2 L}}{{\\partial w^2}} = {2 * a * a}x^2",
        ],
        [
            f"\\ell(\\mu, \\sigma) = -\\ln \\sigma - \\frac{{(x - \\mu)^2}}{{{a}\\sigma^2}}",
            f"\\frac{{\\partial \\ell}}{{\\partial \\mu}} = \\frac{{2(x - \\mu)}}{{{a}\\sigma^2}}",
            f"\\frac{{\\partial \\ell}}{{\\partial \\sigma}} = -\\frac{{1}}{{\\sigma}} + \\frac{{2(x - \\mu)^2}}{{{a}\\sigma^3}}",
        ],
        [f"q(x) = \\tanh({a}x)", f"\\frac{{dq}}{{dx}} = {a}(1 - \\tanh^2({a}x))"],
        [f"p(x) = \\sqrt{{x^2 + {a}}}", f"\\frac{{dp}}{{dx}} = \\frac{{x}}{{\\sqrt{{x^2 + {a}}}}}"],
        [f"u(x) = x^{a} \\cos({b}x)", f"\\frac{{du}}{{dx}} = {a}x^{a - 1}\\cos({b}x) - {b}x^{a}\\sin({b}x)"],
    ]


def make_pages(claims: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pages, count = [], 0
    while count < claims:
        fences = []
        families = _families(rng)
        for fence in rng.sample(families, rng.randint(3, 6)):  # distinct: a page defines each name once
            take = fence[: 1 + min(len(fence) - 1, claims - count)]
            count += len(take) - 1
            fences.append("```verify\n" + "\n".join(take) + "\n```")
            if count >= claims:
                break
        pages.append(
            f"---\ntitle: Page {len(pages)}\n---\n\n## The Math Inside\n\n" + "\n\nText.\n\n".join(fences) + "\n"
        )
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    texts = make_pages(args.claims)
    pages = [page_fences(f"docs/bench/page{i}.md", text) for i, text in enumerate(texts)]
    with tempfile.TemporaryDirectory() as cache:
        settings = Settings(cache_dir=Path(cache), workers=args.workers)
        started = time.perf_counter()
        cold = check_pages(pages, settings)
        cold_s = time.perf_counter() - started
        started = time.perf_counter()
        warm = check_pages(pages, settings)
        warm_s = time.perf_counter() - started
    counts = {k: sum(tally(fences)[k] for fences in cold.values()) for k in tally([])}
    total = counts["total"]
    assert warm == cold, "warm results differ from cold ones"
    print(
        f"{total} claims on {len(pages)} pages, {args.workers} worker(s): {counts['verified']} proved, "
        f"{counts['numeric']} numeric only, {counts['wrong']} wrong, {counts['unchecked']} unchecked, "
        f"{counts['unread']} unread"
    )
    print(
        f"cold: {cold_s:.2f} s = {total / cold_s:.0f} claims/s = {total / cold_s / args.workers:.0f} claims/s per core"
    )
    print(f"warm: {warm_s:.3f} s = {total / warm_s:.0f} claims/s")
    print(f"warm is {cold_s / warm_s:.0f}x faster than cold")


if __name__ == "__main__":
    main()
