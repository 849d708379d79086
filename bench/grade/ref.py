"""Reference graders for bench/grade: math-verify and verl's default
rule-based math scorer, run over the same JSONL corpus as poly's grader.

Usage: ref.py CORPUS.jsonl [MIN_SECONDS]
       ref.py --courtesy < JSON list of strings   (prints the inputs each
                                                   reference is given)
Prints one JSON object: per grader the rewards (in corpus order), the
number of checks timed and the CPU seconds they took. Meant to run on one
core (bench/grade pins it with taskset). References only: nothing here ships.

Fairness: each reference gets its inputs in the form it needs, prepared
before the clock starts, so the timed loop runs only the reference's own
code.
- math-verify's LaTeX extraction needs math delimiters or a box: a
  prediction or gold with neither is wrapped in $...$ (as its docs advise).
- verl's compute_score only reads the last \\boxed{} (it returns 0 at once
  without one), and its MATH data keeps the boxed answer of a solution as
  the gold. verl is run twice: on the predictions as given (what it does
  in training), and "boxed": a prediction with no \\boxed/\\fbox that is a
  bare answer (no math delimiters once one enclosing pair of $...$,
  $$...$$, \\(...\\) or \\[...\\] is stripped; the test math-verify's
  wrapping uses) is given to it as \\boxed{answer}, so that it does its
  real work on it. A whole completion without a box is left as given in
  both of these runs: boxing a text would not make it an answer.
  A third run, "every": EVERY prediction with no \\boxed/\\fbox is given
  boxed (one enclosing pair of delimiters stripped, every remaining $
  deleted, the whole text wrapped in \\boxed{...}), so verl normalises
  every answer, sentences and completions included. Same rewards on
  math-verify's cases as "boxed", but this is the per-answer work issue #4's
  figure for verl (~80k/s) measures.
"""
import importlib.util
import io
import json
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")

DELIMS = ("$", "\\(", "\\[")


def has_box(s):
    return "\\boxed" in s or "\\fbox" in s


def mv_input(s):
    """math-verify's courtesy: bare text gets $...$."""
    if has_box(s) or any(d in s for d in DELIMS):
        return s
    return "$" + s + "$"


def strip_delims(s):
    """s without one enclosing pair of math delimiters (and spaces)."""
    s = s.strip()
    for left, right in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if len(s) >= len(left) + len(right) and s.startswith(left) and s.endswith(right):
            return s[len(left):len(s) - len(right)].strip()
    return s


def verl_boxed_input(s):
    """verl's courtesy: a bare answer without a box is given boxed."""
    if has_box(s):
        return s
    inner = strip_delims(s)
    if any(d in inner for d in DELIMS):
        return s  # text with math in it, not a bare answer
    return "\\boxed{" + inner + "}"


def verl_every_input(s):
    """verl's "every answer boxed" input: any prediction without a box is
    given as \\boxed{...} of its text, one enclosing pair of delimiters
    stripped and every remaining $ deleted."""
    if has_box(s):
        return s
    return "\\boxed{" + strip_delims(s).replace("$", "") + "}"


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


def verl_gold(verl, g):
    """verl's MATH preprocessing keeps the boxed answer of a solution."""
    if has_box(g):
        b = verl.last_boxed_only_string(g)
        if b is not None:
            try:
                return verl.remove_boxed(b)
            except Exception:
                pass
    return strip_delims(g)


def timed(fn, inputs, min_s):
    """Rewards of one pass (also the warm-up), then CPU seconds of whole
    passes until min_s; a pass that alone takes min_s is not repeated."""
    start = time.process_time()
    rewards = [fn(g, p) for g, p in inputs]
    el = time.process_time() - start
    if el >= min_s:
        return rewards, len(inputs), el
    n, start = 0, time.process_time()
    while True:
        for g, p in inputs:
            fn(g, p)
        n += len(inputs)
        el = time.process_time() - start
        if el >= min_s:
            return rewards, n, el


def main():
    if sys.argv[1:] == ["--courtesy"]:
        xs = json.load(sys.stdin)
        verl, _ = load_verl_math()
        json.dump({"math_verify": [mv_input(x) for x in xs], "verl_boxed": [verl_boxed_input(x) for x in xs],
                   "verl_every": [verl_every_input(x) for x in xs],
                   "verl_gold": [verl_gold(verl, x) for x in xs] if verl else None}, sys.stdout)
        return
    corpus, min_s = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    cases = [json.loads(l) for l in open(corpus, encoding="utf-8") if l.strip()]
    # verl's compute_score prints the exceptions it catches: keep stdout for
    # the result (the prints still cost verl their time, as in training)
    real_stdout, sys.stdout = sys.stdout, open(os.devnull, "w")
    out = {}

    from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify

    # the configuration of math-verify's own regression tests
    targets = [LatexExtractionConfig(boxed_match_priority=0), ExprExtractionConfig()]

    def mv(gold, pred):
        try:
            return 1.0 if verify(parse(gold, targets), parse(pred, targets), float_rounding=6, strict=True) else 0.0
        except Exception:
            return 0.0

    import importlib.metadata as md

    graders = [("math_verify", mv, md.version("math-verify"),
                [(mv_input(c["gold"]), mv_input(c["pred"])) for c in cases])]
    verl, where = load_verl_math()
    if verl is not None:
        def vl(gold, pred):
            try:
                return float(verl.compute_score(pred, gold))
            except Exception:
                return 0.0

        ver = md.version("verl")
        golds = [verl_gold(verl, c["gold"]) for c in cases]
        graders.append(("verl", vl, ver, [(g, c["pred"]) for g, c in zip(golds, cases)]))
        graders.append(("verl_boxed", vl, ver, [(g, verl_boxed_input(c["pred"])) for g, c in zip(golds, cases)]))
        graders.append(("verl_every", vl, ver, [(g, verl_every_input(c["pred"])) for g, c in zip(golds, cases)]))
        out["verl_boxed_count"] = sum(1 for c in cases if verl_boxed_input(c["pred"]) != c["pred"])
        out["verl_every_count"] = sum(1 for c in cases if verl_every_input(c["pred"]) != c["pred"])
    else:
        out["verl_error"] = where
    for name, fn, ver, inputs in graders:
        fn(*inputs[0])  # imports and lazily built tables
        wall0 = time.perf_counter()
        rewards, n, el = timed(fn, inputs, min_s)
        out[name] = {"version": ver, "rewards": rewards, "checks": n, "seconds": el,
                     "wall_seconds": time.perf_counter() - wall0}
    json.dump(out, real_stdout)


if __name__ == "__main__":
    main()
