"""Reference side of the embedded-model benchmark: llama.cpp through llama-cpp-python on the same GGUF.

Feeds exactly the prompt tokens Haetae feeds (the chat template rendered the same way, tokenized by llama.cpp with
special tokens parsed), greedy, and measures the same two numbers: prompt tokens / time to first token, and
(completion tokens - 1) / (time from first to last token). Prints JSON lines like the Rust bench.

    python3 bench/embedded/llama_cpp_python.py --model PATH --threads 2 --gen 128 --runs 3
"""
import argparse
import json
import os
import time

from llama_cpp import Llama

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--gen", type=int, default=128)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tokenize", help="print the token ids of this text and exit")
    a = ap.parse_args()

    t0 = time.perf_counter()
    llm = Llama(model_path=a.model, n_ctx=2048, n_batch=512, n_threads=a.threads, n_threads_batch=a.threads,
                verbose=False)
    load_s = time.perf_counter() - t0
    if a.tokenize is not None:
        print(json.dumps(llm.tokenize(a.tokenize.encode(), add_bos=False, special=False)))
        return

    with open(os.path.join(HERE, "prompt.txt"), encoding="utf-8") as f:
        user = f.read()
    # SmolLM2's chat template with a user message only (the same text Haetae renders with minijinja).
    prompt = ("<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
              f"<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n")
    tokens = llm.tokenize(prompt.encode(), add_bos=False, special=True)

    best_pp = best_tg = 0.0
    for run in range(a.runs):
        llm.reset()
        start = time.perf_counter()
        first = last = None
        n = 0
        for chunk in llm.create_completion(tokens, max_tokens=a.gen, temperature=0.0, stream=True):
            # The last chunk only carries finish_reason; every other chunk is one token's text.
            if not chunk["choices"][0]["text"]:
                continue
            now = time.perf_counter()
            n += 1
            first = first or now
            last = now
        pp = len(tokens) / (first - start)
        tg = (n - 1) / max(last - first, 1e-9)
        print(json.dumps({"engine": "llama-cpp-python", "run": run, "prompt_tokens": len(tokens),
                          "completion_tokens": n, "prompt_tok_s": pp, "gen_tok_s": tg}))
        best_pp, best_tg = max(best_pp, pp), max(best_tg, tg)
    print(json.dumps({"engine": "llama-cpp-python", "summary": True, "threads": a.threads, "load_s": load_s,
                      "prompt_tok_s": best_pp, "gen_tok_s": best_tg}))


if __name__ == "__main__":
    main()
