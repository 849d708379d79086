"""Trains the default model's byte-level BPE tokenizer (vocabulary 1024).

Run from the repository root with the reference Python (HF tokenizers):

    .venv/bin/python train/defaultmodel/gen/tokenizer.py

It writes train/defaultmodel/assets/tokenizer.json and tokenizer_config.json,
which are committed (our own artifact). The pre-tokenizer, normalizer and
special tokens are Qwen2/Qwen3's, so poly's Qwen code paths serve both. The
corpus is generated (deterministic seed): arithmetic in the chat format the
default model is pre-trained on, plus the text of every spec in specs/.
"""
import glob, json, os, random

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, decoders, trainers, Regex

OUT = "train/defaultmodel/assets"
QWEN_SPLIT = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def corpus():
    r = random.Random(20261125)
    out = []
    for _ in range(20000):
        a, b = r.randint(0, 999), r.randint(0, 999)
        op = r.choice("+-*")
        v = eval(f"{a}{op}{b}")
        out.append(f"<|im_start|>user\nWhat is {a} {op} {b}? Give the final answer in \\boxed{{}}.<|im_end|>\n"
                   f"<|im_start|>assistant\n{a} {op} {b} = {v}. The answer is \\boxed{{{v}}}.<|im_end|>\n")
    for p in sorted(glob.glob("specs/**/*.poly", recursive=True)):
        with open(p, encoding="utf-8") as f:
            out.append(f.read())
    return out


def main():
    tok = Tokenizer(models.BPE(unk_token=None, byte_fallback=False))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=1024, min_frequency=2, special_tokens=SPECIAL,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    # The special tokens are split out before BPE: train on the text between them.
    def plain():
        for text in corpus():
            for sp in SPECIAL:
                text = text.replace(sp, "\n")
            yield text
    tok.train_from_iterator(plain(), trainer=trainer)
    os.makedirs(OUT, exist_ok=True)
    tok.save(os.path.join(OUT, "tokenizer.json"))
    cfg = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
        "model_max_length": 512,
        "chat_template": "{%- for message in messages %}{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}",
    }
    with open(os.path.join(OUT, "tokenizer_config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
