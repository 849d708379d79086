"""PyTorch side of bench/train: the same measurements as poly's, on
transformers' Qwen2ForCausalLM (random init, fp32, CPU). Prints one JSON
line: {"tok_per_s", "peak_mib", "info"}.

train:  batch 8 x 256, forward + cross-entropy + backward + clip 1.0 + AdamW.
sample: batch 8, prompt 64, 192 new tokens, temperature-1 sampling with a
        KV cache (a plain loop over model(..., past_key_values=...), no
        generate() overhead).
"""
import argparse, json, resource, time

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM

SHAPES = {
    "tiny": dict(vocab_size=512, hidden_size=256, num_hidden_layers=4, num_attention_heads=4, num_key_value_heads=2, intermediate_size=688),
    "small": dict(vocab_size=2048, hidden_size=512, num_hidden_layers=4, num_attention_heads=8, num_key_value_heads=2, intermediate_size=1376),
}


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def build(shape):
    cfg = Qwen2Config(**SHAPES[shape], tie_word_embeddings=True, max_position_embeddings=4096, rope_theta=1e6)
    torch.manual_seed(0)
    return Qwen2ForCausalLM(cfg).float()


def bench_train(shape, steps):
    m = build(shape).train()
    opt = torch.optim.AdamW(m.parameters(), lr=1e-4, weight_decay=0.01)
    x = torch.randint(0, SHAPES[shape]["vocab_size"], (8, 256))

    def step():
        loss = m(input_ids=x, labels=x).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)

    step()
    t0, c0 = time.perf_counter(), cpu()
    for _ in range(steps):
        step()
    n = steps * 8 * 256
    return n / (time.perf_counter() - t0), n / (cpu() - c0)


def bench_sample(shape, B=8, P=64, N=192):
    m = build(shape).eval()
    g = torch.Generator().manual_seed(1)
    prompts = torch.randint(0, SHAPES[shape]["vocab_size"], (B, P), generator=g)

    def run():
        with torch.inference_mode():
            out = m(input_ids=prompts, use_cache=True)
            past, logits = out.past_key_values, out.logits[:, -1, :]
            for t in range(N):
                tok = torch.multinomial(torch.softmax(logits, -1), 1, generator=g)
                if t == N - 1:
                    break
                out = m(input_ids=tok, past_key_values=past, use_cache=True)
                past, logits = out.past_key_values, out.logits[:, -1, :]

    run()
    t0, c0 = time.perf_counter(), cpu()
    run()
    return B * N / (time.perf_counter() - t0), B * N / (cpu() - c0)


GEMM_SHAPES = [(2048, 1376, 256, False, True), (2048, 256, 688, False, False), (1376, 256, 2048, True, False)]


def bench_gemm():
    """GFLOP/s of torch.mm on the shapes of bench/train/gemm.go (m, n, k, transA, transB)."""
    out = []
    for m, n, k, ta, tb in GEMM_SHAPES:
        a = torch.randn(k, m).t() if ta else torch.randn(m, k)
        b = torch.randn(n, k).t() if tb else torch.randn(k, n)
        torch.mm(a, b)
        cnt, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 0.5:
            torch.mm(a, b)
            cnt += 1
        out.append(2 * m * n * k * cnt / (time.perf_counter() - t0) / 1e9)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", default="tiny", choices=SHAPES)
    ap.add_argument("--mode", default="train", choices=["train", "sample", "gemm"])
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.mode == "gemm":
        print(json.dumps({"gflops": bench_gemm(), "tok_per_s": 0}))
        return
    tps, tpc = bench_train(a.shape, a.steps) if a.mode == "train" else bench_sample(a.shape)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    info = "torch %s, %d threads, MKL %s" % (torch.__version__, torch.get_num_threads(), torch.backends.mkl.is_available())
    print(json.dumps({"tok_per_s": tps, "tok_per_cpu_s": tpc, "peak_mib": peak, "info": info}))


if __name__ == "__main__":
    main()
