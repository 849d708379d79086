"""Reference graders for bench/grade: math-verify and verl's default
rule-based math scorer, run over the same JSONL corpus as poly's grader.

Usage: ref.py CORPUS.jsonl [MIN_SECONDS]
Prints one JSON object: per grader the rewards (in corpus order), the
number of checks timed and the seconds they took. Meant to run on one core
(bench/grade pins it with taskset). References only: nothing here ships.
"""
import importlib.util
import json
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")


def load_verl_math():
    """verl's default scorer for MATH-style data sources is
    verl.utils.reward_score.math_reward.compute_score. Importing the verl
    package runs verl/__init__.py, which needs ray (and torch, ...); the
    scorer module itself imports nothing, so it is loaded from its file."""
    spec = importlib.util.find_spec("verl")
    if spec is None or not spec.submodule_search_locations:
        return None, "verl is not installed"
    base = list(spec.submodule_search_locations)[0]
    path = os.path.join(base, "utils", "reward_score", "math_reward.py")
    s = importlib.util.spec_from_file_location("verl_math_reward", path)
    m = importlib.util.module_from_spec(s)
    s.loader.exec_module(m)
    return m, path


def main():
    corpus, min_s = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    cases = [json.loads(l) for l in open(corpus, encoding="utf-8") if l.strip()]
    out = {}

    from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify
    import math_verify

    # the configuration of math-verify's own regression tests
    targets = [LatexExtractionConfig(boxed_match_priority=0), ExprExtractionConfig()]

    def delimit(s):
        # math-verify's LaTeX extraction needs math delimiters or a box;
        # bare answers ("\frac{1}{2}") are wrapped as its docs advise
        if any(d in s for d in ("$", "\\(", "\\[", "\\boxed", "\\fbox")):
            return s
        return "$" + s + "$"

    def mv(gold, pred):
        try:
            return 1.0 if verify(parse(delimit(gold), targets), parse(delimit(pred), targets), float_rounding=6, strict=True) else 0.0
        except Exception:
            return 0.0

    verl, where = load_verl_math()

    def verl_gold(g):
        # verl's MATH preprocessing keeps the boxed answer of a solution
        if "\\boxed" in g or "\\fbox" in g:
            b = verl.last_boxed_only_string(g)
            if b is not None:
                try:
                    return verl.remove_boxed(b)
                except Exception:
                    pass
        g = g.strip()
        while g.startswith("$") and g.endswith("$") and len(g) >= 2:
            g = g[1:-1].strip()
        return g

    def vl(gold, pred):
        try:
            return float(verl.compute_score(pred, verl_gold(gold)))
        except Exception:
            return 0.0

    graders = [("math_verify", mv, getattr(math_verify, "__version__", "0.9"))]
    if verl is not None:
        import importlib.metadata as md
        graders.append(("verl", vl, md.version("verl")))
    else:
        out["verl_error"] = where
    for name, fn, ver in graders:
        rewards = [fn(c["gold"], c["pred"]) for c in cases]  # warm-up and results
        # CPU seconds of this process: on a shared machine wall time
        # measures the neighbours as much as the grader
        n, start, wall0 = 0, time.process_time(), time.perf_counter()
        while True:
            for c in cases:
                fn(c["gold"], c["pred"])
            n += len(cases)
            el = time.process_time() - start
            if el >= min_s:
                break
        out[name] = {"version": ver, "rewards": rewards, "checks": n, "seconds": el,
                     "wall_seconds": time.perf_counter() - wall0}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
