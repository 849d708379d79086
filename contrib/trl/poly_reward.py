"""poly's reward for TRL's GRPOTrainer, served by `poly serve` (standard
library only).

    from poly_reward import poly_reward        # this file
    trainer = GRPOTrainer(model=..., reward_funcs=poly_reward,
                          train_dataset=load_dataset("json", data_files="train.jsonl")["train"], ...)

with the dataset written by `poly export --format jsonl` and `poly serve
specs/` running where the trainer can reach it. TRL passes every dataset
column to reward functions as a keyword argument: rows carrying sample_id
(what poly export writes), spec_id or a data_source "poly/<id>" are graded by
that served spec, exactly the reward `poly check` verified; other rows are
graded against their ground_truth column by poly's grader. Completions may be
plain strings or conversational (lists of messages); the last assistant
message is graded. TRL logs the mean as rewards/poly_reward/mean; through
the log_extra/log_metric hooks TRL passes, each completion's reason goes to
the completions table (column poly_reason) and the fractions of answers in
the expected format, of items the service refused and of rows exported from
another version of their spec to poly/format_ok, poly/errors and
poly/stale_data.

Environment:
    POLY_SERVE_URL       the service (default http://127.0.0.1:8377)
    POLY_SERVE_TIMEOUT   seconds per HTTP request (default 60)
    POLY_SERVE_MAX_WAIT  seconds to keep retrying a busy (503) or unreachable
                         service before giving up (default 300)
    POLY_REWARD_ON_ERROR raise (default): an item the service cannot grade
                         (an unknown spec id, say) raises PolyServeError;
                         zero: it scores 0.0; none: it gets None, which TRL
                         treats as "no reward from this function"
"""

import json
import os
import random
import time
import urllib.error
import urllib.request

__all__ = ["poly_reward", "PolyServeError"]

# Requests stay below the service's default limits (1024 items, 8 MiB).
MAX_ITEMS = 1024
MAX_BYTES = 4 << 20


class PolyServeError(RuntimeError):
    """The service refused a request or an item, or could not be reached."""


def _url():
    return os.environ.get("POLY_SERVE_URL", "http://127.0.0.1:8377").rstrip("/")


def _jsonable(x):
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
    """POSTs payload as JSON; retries 503 after Retry-After and connection
    failures with backoff until POLY_SERVE_MAX_WAIT; other errors raise."""
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


def _text(completion):
    """The text to grade: a string as is; for a conversation, the content
    of its last assistant message (text parts joined)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        completion = [completion]
    msgs = list(completion or [])
    pick = None
    for m in reversed(msgs):
        if isinstance(m, dict) and m.get("role", "assistant") == "assistant":
            pick = m
            break
    if pick is None:
        if not msgs:
            return ""
        pick = msgs[-1]
    content = pick.get("content", "") if isinstance(pick, dict) else pick
    if isinstance(content, list):  # [{"type": "text", "text": ...}, ...]
        content = "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return "" if content is None else str(content)


def _column(kwargs, name, n):
    col = kwargs.get(name)
    if col is None:
        return [None] * n
    col = list(col)
    if len(col) != n:
        raise ValueError("poly_reward: column %r has %d values for %d completions" % (name, len(col), n))
    return col


def _score(result):
    err = result.get("error")
    if err is None:
        return float(result["score"])
    mode = os.environ.get("POLY_REWARD_ON_ERROR", "raise")
    if mode == "zero":
        return 0.0
    if mode == "none":
        return None
    raise PolyServeError("poly serve: %s: %s" % (err.get("code"), err.get("message")))


def poly_reward(completions, **kwargs):
    """A TRL reward function: one float per completion, in order."""
    n = len(completions)
    texts = [_text(c) for c in completions]
    sources = _column(kwargs, "data_source", n)
    truths = _column(kwargs, "ground_truth", n)
    sample_ids = _column(kwargs, "sample_id", n)
    spec_ids = _column(kwargs, "spec_id", n)
    infos = []
    for i in range(n):
        info = {}
        if sample_ids[i]:
            info["sample_id"] = sample_ids[i]
        if spec_ids[i]:
            info["spec_id"] = spec_ids[i]
        infos.append(info or None)
    sources = [s if isinstance(s, str) else None for s in sources]
    results = []
    start = 0
    while start < n:
        end, size = start, 0
        while end < n and end - start < MAX_ITEMS:
            item = len(json.dumps([sources[end], texts[end], truths[end], infos[end]], default=_jsonable))
            if end > start and size + item > MAX_BYTES:
                break
            size += item
            end += 1
        answer = _post("/v1/compute_score", {
            "data_sources": sources[start:end],
            "solution_strs": texts[start:end],
            "ground_truths": truths[start:end],
            "extra_infos": infos[start:end],
        })
        results.extend(answer["results"])
        start = end
    scores = [_score(r) for r in results]
    _log(kwargs, results)
    return scores


def _log(kwargs, results):
    """Reports why each completion scored what it did through the logging
    hooks GRPOTrainer passes (log_extra: a column of its completions table;
    log_metric: a scalar averaged per logging step). Logging never fails a
    step."""
    log_extra, log_metric = kwargs.get("log_extra"), kwargs.get("log_metric")
    try:
        if callable(log_extra):
            log_extra("poly_reason", [
                (r.get("error") or {}).get("message") if r.get("error") else r.get("reason", "")
                for r in results])
        if callable(log_metric) and results:
            n = float(len(results))
            log_metric("poly/format_ok", sum(1.0 for r in results if r.get("format_ok")) / n)
            log_metric("poly/errors", sum(1.0 for r in results if r.get("error")) / n)
            log_metric("poly/stale_data", sum(1.0 for r in results if r.get("stale_data")) / n)
    except Exception:
        pass
