"""TRL side of bench/grpo: GRPO steps of trl.GRPOTrainer (transformers
generation, no vLLM) on the CPU, on the HF checkpoint directory that
bench/grpo wrote (the same weights, tokenizer and chat template poly loads)
and the same prompt, with the settings poly runs with.

Prints one JSON object on stdout: per-step seconds (whole step, and the
rollout part: generation + reward + reference log-probabilities, i.e.
_generate_and_score_completions), completion lengths, the prompt ids TRL
generated from (to check against poly's), the versions and the thread
settings.
"""
import argparse, json, os, sys, tempfile, time, warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

ap = argparse.ArgumentParser()
ap.add_argument("--model-dir", required=True)
ap.add_argument("--prompt", required=True, help="prompt.json written by bench/grpo")
ap.add_argument("--settings", required=True, help="settings.json written by bench/grpo")
ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (0: torch's default)")
args = ap.parse_args()

import torch

if args.threads > 0:
    torch.set_num_threads(args.threads)

import datasets, transformers, trl
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
from trl import GRPOConfig, GRPOTrainer

datasets.disable_progress_bars()
transformers.logging.set_verbosity_error()

with open(args.prompt) as f:
    prompt = json.load(f)
with open(args.settings) as f:
    s = json.load(f)


def digit_reward(completions, **kwargs):
    """The share of a completion's characters that are ASCII digits (the
    same function as poly's side, digitReward in setup.go)."""
    out = []
    for c in completions:
        text = c[-1]["content"] if isinstance(c, list) else c
        n = len(text)
        d = sum(1 for ch in text if "0" <= ch <= "9")
        out.append(d / n if n else 0.0)
    return out


class TimedGRPOTrainer(GRPOTrainer):
    """GRPOTrainer that records how long each rollout phase takes."""

    def _generate_and_score_completions(self, inputs):
        t0 = time.perf_counter()
        out = super()._generate_and_score_completions(inputs)
        self.bench_rollout = time.perf_counter() - t0
        lens = out["completion_mask"].sum(dim=1)
        self.bench_lens = [int(x) for x in lens]
        pm = out["prompt_mask"][0].bool()
        self.bench_prompt_ids = [int(x) for x in out["prompt_ids"][0][pm]]
        return out


class StepTimer(TrainerCallback):
    def __init__(self):
        self.t0 = None
        self.steps = []
        self.trainer = None

    def on_step_begin(self, args, state, control, **kw):
        self.t0 = time.perf_counter()
        self.c0 = time.process_time()

    def on_step_end(self, args, state, control, **kw):
        dt = time.perf_counter() - self.t0
        cpu = time.process_time() - self.c0
        tr = self.trainer
        self.steps.append(dict(step=dt, cpu=cpu, rollout=tr.bench_rollout, update=dt - tr.bench_rollout,
                               tokens=sum(tr.bench_lens), min_len=min(tr.bench_lens), max_len=max(tr.bench_lens)))


model = AutoModelForCausalLM.from_pretrained(args.model_dir, dtype=torch.float32)
tok = AutoTokenizer.from_pretrained(args.model_dir)
ds = datasets.Dataset.from_list([{"prompt": prompt["messages"]}])
out_dir = tempfile.mkdtemp(prefix="trl-grpo-bench-")
cfg = GRPOConfig(
    output_dir=out_dir,
    per_device_train_batch_size=s["rollouts"],
    gradient_accumulation_steps=1,
    num_generations=s["rollouts"],
    max_completion_length=s["max_tokens"],
    temperature=s["temperature"],
    top_p=1.0,
    top_k=0,
    learning_rate=s["lr"],
    lr_scheduler_type="constant",
    warmup_steps=0,
    weight_decay=s["weight_decay"],
    max_grad_norm=s["grad_clip"],
    beta=s["beta"],
    epsilon=s["epsilon"],
    num_iterations=1,
    loss_type="dapo",
    scale_rewards="group",
    max_steps=s["warmup_steps"] + s["steps"],
    logging_strategy="no",
    save_strategy="no",
    eval_strategy="no",
    report_to="none",
    disable_tqdm=True,
    bf16=False,
    fp16=False,
    use_vllm=False,
    use_cpu=True,
    log_completions=False,
    shuffle_dataset=False,
    dataloader_num_workers=0,
    seed=int(s["seed"]),
)
timer = StepTimer()
trainer = TimedGRPOTrainer(model=model, reward_funcs=digit_reward, args=cfg, train_dataset=ds,
                           processing_class=tok, callbacks=[timer])
timer.trainer = trainer
trainer.train()

steps = timer.steps[s["warmup_steps"]:]
print(json.dumps(dict(
    steps=steps,
    prompt_ids=trainer.bench_prompt_ids,
    prompt_ids_match=trainer.bench_prompt_ids == prompt["ids"],
    threads=torch.get_num_threads(),
    interop_threads=torch.get_num_interop_threads(),
    optim=str(cfg.optim),
    versions=dict(python=sys.version.split()[0], torch=torch.__version__, transformers=transformers.__version__,
                  trl=trl.__version__, datasets=datasets.__version__),
    blas=torch.backends.mkldnn.is_available() and "MKL/oneDNN" or "?",
    env={k: os.environ.get(k, "") for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OMP_WAIT_POLICY")},
)))
