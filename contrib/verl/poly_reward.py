"""poly's reward for verl, served by `poly serve` (standard library only).

verl calls a custom reward function per sample (its naive reward manager)
or per batch (its batch reward manager). Point it at this file:

    custom_reward_function.path=contrib/verl/poly_reward.py
    custom_reward_function.name=compute_score          # one sample per call
    # or, with reward_model.reward_manager=batch:
    custom_reward_function.name=compute_score_batch    # the whole batch per call

and start `poly serve specs/` where the trainer can reach it. Each row is
graded by the spec that `poly export` wrote it from (extra_info.sample_id,
or a data_source "poly/<id>"), so training uses exactly the reward
`poly check` verified; other rows are graded against their ground_truth by
poly's grader.

Environment:
    POLY_SERVE_URL       the service (default http://127.0.0.1:8377)
    POLY_SERVE_TIMEOUT   seconds per HTTP request (default 60)
    POLY_SERVE_MAX_WAIT  seconds to keep retrying a busy (503) or unreachable
                         service before giving up (default 300)
    POLY_REWARD_DETAIL   1: return {"score", "acc", "format_ok", "stale_data"}
                         dicts, which verl logs per key (stale_data: the row
                         was exported from another version of its spec);
                         default: the score as a float
    POLY_REWARD_ON_ERROR raise (default): an item the service cannot grade
                         (an unknown spec id, say) raises PolyServeError;
                         zero: it scores 0.0 instead
"""

import json
import os
import random
import time
import urllib.error
import urllib.request

__all__ = ["compute_score", "compute_score_batch", "PolyServeError"]

# Requests stay below the service's default limits (1024 items, 8 MiB).
MAX_ITEMS = 1024
MAX_BYTES = 4 << 20


class PolyServeError(RuntimeError):
    """The service refused a request or an item, or could not be reached."""


def _url():
    return os.environ.get("POLY_SERVE_URL", "http://127.0.0.1:8377").rstrip("/")


def _jsonable(x):
    """json.dumps fallback for what verl hands over: numpy arrays and
    scalars, bytes, anything else as its str()."""
    if hasattr(x, "tolist"):
        return x.tolist()
    if hasattr(x, "item"):
        return x.item()
    if isinstance(x, bytes):
        return x.decode("utf-8", "replace")
    if isinstance(x, (set, tuple)):
        return list(x)
    return str(x)


def _retry_after(headers, attempt):
    try:
        return max(float(headers.get("Retry-After", "")), 0.05)
    except (TypeError, ValueError):
        return min(0.1 * 2 ** attempt, 5.0)


def _post(path, payload):
    """POSTs payload as JSON and returns the decoded answer. A 503 (the
    service is at its concurrency limit) is retried after the Retry-After
    it sends, a connection failure with backoff, until POLY_SERVE_MAX_WAIT;
    any other error status raises PolyServeError with the service's
    message, except for a batch answer (its items carry the errors)."""
    data = json.dumps(payload, default=_jsonable).encode("utf-8")
    timeout = float(os.environ.get("POLY_SERVE_TIMEOUT", "60"))
    deadline = time.monotonic() + float(os.environ.get("POLY_SERVE_MAX_WAIT", "300"))
    url = _url() + path
    attempt = 0
    while True:
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as e:
            body = e.read()
            if e.code == 503 and time.monotonic() < deadline:
                time.sleep(_retry_after(e.headers, attempt) * (1 + 0.1 * random.random()))
                attempt += 1
                continue
            try:
                answer = json.loads(body)
            except ValueError:
                answer = None
            if isinstance(answer, dict) and "results" in answer:
                return answer  # a batch none of whose items could be graded
            try:
                msg = "%s: %s" % (answer["error"]["code"], answer["error"]["message"])
            except Exception:
                msg = body[:500].decode("utf-8", "replace")
            raise PolyServeError("poly serve %s: HTTP %d: %s" % (url, e.code, msg)) from None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            if time.monotonic() >= deadline:
                raise PolyServeError("poly serve %s unreachable: %s" % (url, e)) from None
            time.sleep(min(0.1 * 2 ** attempt, 5.0))
            attempt += 1


def _score(result):
    """Turns one result of the service into what verl expects."""
    err = result.get("error")
    if err is not None:
        if os.environ.get("POLY_REWARD_ON_ERROR", "raise") == "zero":
            result = {"score": 0.0, "reason": err.get("message", "")}
        else:
            raise PolyServeError("poly serve: %s: %s" % (err.get("code"), err.get("message")))
    score = float(result["score"])
    if os.environ.get("POLY_REWARD_DETAIL", "") in ("", "0"):
        return score
    return {
        "score": score,
        "acc": 1.0 if result.get("reason", "x") == "" else 0.0,
        "format_ok": 1.0 if result.get("format_ok") else 0.0,
        "stale_data": 1.0 if result.get("stale_data") else 0.0,
    }


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl's reward function for one sample: the reward of solution_str,
    as a float (or a dict with "score" when POLY_REWARD_DETAIL=1)."""
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info])[0]


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, **kwargs):
    """verl's batched reward function (reward_model.reward_manager=batch):
    one score per solution, in order. Large batches are split into requests
    within the service's limits."""
    n = len(solution_strs)
    if extra_infos is None:
        extra_infos = [None] * n
    cols = [list(data_sources), list(solution_strs), list(ground_truths), list(extra_infos)]
    if any(len(c) != n for c in cols):
        raise ValueError("compute_score_batch: the argument lists differ in length")
    scores = []
    start = 0
    while start < n:
        end, size = start, 0
        while end < n and end - start < MAX_ITEMS:
            item = len(json.dumps([c[end] for c in cols], default=_jsonable))
            if end > start and size + item > MAX_BYTES:
                break
            size += item
            end += 1
        answer = _post("/v1/compute_score", {
            "data_sources": cols[0][start:end],
            "solution_strs": cols[1][start:end],
            "ground_truths": cols[2][start:end],
            "extra_infos": cols[3][start:end],
        })
        scores.extend(_score(r) for r in answer["results"])
        start = end
    return scores
