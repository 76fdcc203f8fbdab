"""Independent check of the embedded model's tokenizer and chat template.

Rebuilds SmolLM2's Hugging Face tokenizer (byte-level BPE, digits split one by one, no prefix space) from the
GGUF's own vocabulary and merges with the `tokenizers` library, and renders the GGUF's chat template with Jinja2,
then prints both as JSON so they can be compared with what Haetae produces (crates/haetae-models/tests/embedded.rs
pins the result).

    python3 -m pip install gguf tokenizers jinja2
    python3 bench/embedded/hf_tokenizer_check.py MODEL.gguf "   12345 안녕하세요 don't\n\n"
"""
import json
import sys

import jinja2
from gguf import GGUFReader
from tokenizers import Tokenizer, decoders, models, pre_tokenizers


def field(reader, key):
    f = reader.fields[key]
    if len(f.data) == 1:
        return bytes(f.parts[f.data[0]]).decode("utf-8")
    return [bytes(f.parts[i]).decode("utf-8") for i in f.data]


def main():
    path, text = sys.argv[1], sys.argv[2].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
    r = GGUFReader(path)
    tokens = field(r, "tokenizer.ggml.tokens")
    merges = [tuple(m.split(" ", 1)) for m in field(r, "tokenizer.ggml.merges")]
    vocab = {t: i for i, t in enumerate(tokens)}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    ids = tok.encode(text, add_special_tokens=False).ids
    template = field(r, "tokenizer.chat_template")
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    rendered = env.from_string(template).render(
        messages=[{"role": "user", "content": "What is the capital of France?"}], add_generation_prompt=True)
    print(json.dumps({"text": text, "ids": ids, "rendered": rendered}, ensure_ascii=False))


if __name__ == "__main__":
    main()
