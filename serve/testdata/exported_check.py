"""Scores the rows of a parquet and a JSONL file written by poly export
through the verl and TRL shims, as those trainers would: the gold answer
scores 1.0 and a wrong one 0.0 on every row. Run by serve/export_test.go."""

import importlib.util
import json
import os
import sys

import pyarrow.parquet as pq


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


root, parquet_path, jsonl_path = sys.argv[1:4]
verl = load(os.path.join(root, "contrib", "verl", "poly_reward.py"), "verl_poly_reward")
trl = load(os.path.join(root, "contrib", "trl", "poly_reward.py"), "trl_poly_reward")

# verl reads the parquet with pandas; columns reach the reward function as
# numpy objects (extra_info a dict, its lists numpy arrays).
df = pq.read_table(parquet_path).to_pandas()
n = len(df)
assert n > 0
right, wrong = [], []
for _, row in df.iterrows():
    gt = row["reward_model"]["ground_truth"]
    right.append(verl.compute_score(row["data_source"], "So the answer is \\boxed{%s}." % gt, gt, row["extra_info"]))
    wrong.append(verl.compute_score(row["data_source"], "\\boxed{-12345}", gt, row["extra_info"]))
assert right == [1.0] * n, right
assert wrong == [0.0] * n, wrong
sols = ["\\boxed{%s}" % rm["ground_truth"] for rm in df["reward_model"]]
batch = verl.compute_score_batch(df["data_source"].to_numpy(), sols,
                                 [rm["ground_truth"] for rm in df["reward_model"]], df["extra_info"].to_numpy())
assert batch == [1.0] * n, batch

# TRL passes the JSONL columns as keyword arguments.
rows = [json.loads(l) for l in open(jsonl_path)]
cols = {k: [r.get(k) for r in rows] for k in rows[0] if k != "prompt"}
completions = [[{"role": "assistant", "content": "\\boxed{%s}" % r["ground_truth"]}] for r in rows]
got = trl.poly_reward(prompts=[r["prompt"] for r in rows], completions=completions, **cols)
assert got == [1.0] * len(rows), got
print("ok exported", n, len(rows))
