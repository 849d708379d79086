"""Drives contrib/verl/poly_reward.py and contrib/trl/poly_reward.py against a
running poly serve (POLY_SERVE_URL), as verl and TRL call them. Run by
serve/contrib_test.go; exits non-zero on the first failed assertion."""

import importlib.util
import os
import sys


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


root, mode = sys.argv[1], sys.argv[2]
verl = load(os.path.join(root, "contrib", "verl", "poly_reward.py"), "verl_poly_reward")
trl = load(os.path.join(root, "contrib", "trl", "poly_reward.py"), "trl_poly_reward")


def expect_error(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except verl.PolyServeError as e:
        return str(e)
    except trl.PolyServeError as e:
        return str(e)
    raise AssertionError("no PolyServeError from %s" % fn.__name__)


if mode == "main":
    # verl, one sample per call, with keyword arguments as verl passes them.
    assert verl.compute_score(data_source="poly/cap_tau", solution_str=r"so \boxed{470 ms}",
                              ground_truth="470", extra_info={"index": 0, "split": "train"}) == 1.0
    assert verl.compute_score("poly/cap_tau", r"\boxed{47 ms}", "470") == 0.0
    # Rows as poly export writes them: extra_info.sample_id picks the spec.
    assert verl.compute_score("poly/projectile", r"\boxed{1}", "x", {"sample_id": "cap_tau", "spec_hash": "x"}) == 0.0
    assert verl.compute_score("openai/gsm8k", r"The answer is \boxed{\frac{3}{4}}", "0.75") == 1.0
    assert verl.compute_score("openai/gsm8k", r"\boxed{0.7}", 0.75) == 0.0
    # What verl really hands over: numpy values from the parquet columns.
    try:
        import numpy as np
    except ImportError:
        np = None
    if np is not None:
        info = {"index": np.int64(3), "skills": np.array(["a", "b"], dtype=object), "sample_id": np.str_("cap_tau")}
        assert verl.compute_score(np.str_("poly/cap_tau"), r"\boxed{0.47 s}", np.str_("0.47"), info) == 1.0
        scores = verl.compute_score_batch(
            data_sources=np.array(["poly/cap_tau", "gsm8k"], dtype=object),
            solution_strs=np.array([r"\boxed{470 ms}", r"\boxed{2}"], dtype=object),
            ground_truths=np.array(["", "2"], dtype=object),
            extra_infos=np.array([info, {"index": 1}], dtype=object))
        assert scores == [1.0, 1.0], scores
    # A big batch is split into requests within the service's limits, and
    # the scores stay in order.
    n = 2500
    sols = [r"\boxed{%d}" % (i if i % 7 else i + 1) for i in range(n)]
    scores = verl.compute_score_batch(["gsm8k"] * n, sols, [str(i) for i in range(n)], [{"index": i} for i in range(n)])
    assert scores == [0.0 if i % 7 == 0 else 1.0 for i in range(n)], "batch order"
    # Long completions: the byte limit splits too (about 5 MB in all).
    long = ["x" * 25000 + r" \boxed{5}"] * 200
    assert verl.compute_score_batch(["gsm8k"] * 200, long, ["5"] * 200, [None] * 200) == [1.0] * 200
    # Details for verl's per-key logging.
    os.environ["POLY_REWARD_DETAIL"] = "1"
    d = verl.compute_score("poly/cap_tau", r"\boxed{470 ms}", "")
    assert d == {"score": 1.0, "acc": 1.0, "format_ok": 1.0, "stale_data": 0.0}, d
    del os.environ["POLY_REWARD_DETAIL"]
    # An unknown spec is an error, or 0.0 when asked.
    msg = expect_error(verl.compute_score, "poly/nope", r"\boxed{1}", "1")
    assert "unknown_spec" in msg and "nope" in msg, msg
    msg = expect_error(verl.compute_score_batch, ["poly/nope", "gsm8k"], ["1", "1"], ["1", "1"], [None, None])
    assert "unknown_spec" in msg, msg
    os.environ["POLY_REWARD_ON_ERROR"] = "zero"
    assert verl.compute_score("poly/nope", r"\boxed{1}", "1") == 0.0
    assert verl.compute_score_batch(["poly/nope", "gsm8k"], ["1", r"\boxed{1}"], ["1", "1"], [None, None]) == [0.0, 1.0]
    os.environ["POLY_REWARD_ON_ERROR"] = "none"
    assert trl.poly_reward(["1"], data_source=["poly/nope"], ground_truth=["1"]) == [None]
    del os.environ["POLY_REWARD_ON_ERROR"]

    # TRL: the keyword arguments GRPOTrainer passes (prompts, completions,
    # completion_ids, trainer_state and every dataset column).
    prompts = [[{"role": "user", "content": "q"}]] * 4
    completions = [
        [{"role": "assistant", "content": r"so \boxed{470 ms}"}],
        [{"role": "assistant", "content": [{"type": "text", "text": r"\boxed{0.47 "}, {"type": "text", "text": "s}"}]}],
        r"plain \boxed{3}",
        [{"role": "assistant", "content": r"\boxed{4}"}],
    ]
    extra, metrics = {}, {}
    got = trl.poly_reward(
        prompts=prompts, completions=completions, completion_ids=[[1]] * 4, trainer_state=None,
        log_extra=lambda col, vals: extra.setdefault(col, []).extend(vals),
        log_metric=lambda name, v: metrics.__setitem__(name, v),
        data_source=["poly/cap_tau", "poly/x", "gsm8k", "gsm8k"],
        ground_truth=["470", "", "3", "5"],
        sample_id=[None, "cap_tau", None, None],
        ability=["physics"] * 4, index=[0, 1, 2, 3])
    assert got == [1.0, 1.0, 1.0, 0.0], got
    assert extra["poly_reason"][:3] == ["", "", ""] and extra["poly_reason"][3] == "off by 20%", extra
    assert metrics == {"poly/format_ok": 1.0, "poly/errors": 0.0, "poly/stale_data": 0.0}, metrics
    assert trl.poly_reward.__name__ == "poly_reward"
    msg = expect_error(trl.poly_reward, ["1"], data_source=["poly/nope"], ground_truth=["1"])
    assert "unknown_spec" in msg, msg
    print("ok main")

elif mode == "busy":
    # The service is at its limit: the shim waits as Retry-After says and
    # then gets its score.
    assert verl.compute_score("gsm8k", r"\boxed{1}", "1") == 1.0
    print("ok busy")

elif mode == "down":
    os.environ["POLY_SERVE_MAX_WAIT"] = "0.3"
    msg = expect_error(verl.compute_score, "gsm8k", "1", "1")
    assert "unreachable" in msg, msg
    msg = expect_error(trl.poly_reward, ["1"], ground_truth=["1"])
    assert "unreachable" in msg, msg
    print("ok down")
