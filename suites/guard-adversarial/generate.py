#!/usr/bin/env python3
"""Deterministic generator for the adversarial guard set (Python 3.11, standard library only).

    python3 suites/guard-adversarial/generate.py > suites/guard-adversarial/set.jsonl

Same input, same seed, same bytes out. See README.md for the schema and how the held-out split is kept apart.
"""

import base64
import json
import random
import re
import sys
import unicodedata
import urllib.parse

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from intents import (BENIGN, DEFENSIVE, EXTRA_DEFENSIVE_A, EXTRA_FRAMES_A, EXTRA_HARMFUL_A, FRAMES_A,  # noqa: E402
                     FRAMES_B, FRAMINGS, HARMFUL, REVERSED_WRAP, TOOL_TURN, WRAP_A, WRAP_B)
import hand_written  # noqa: E402
import intents_c  # noqa: E402
import intents_d  # noqa: E402
import intents_e  # noqa: E402

SEED = 20261204
LANGS = ["ko", "en", "ja", "zh"]
KW = re.compile(r"\[\[(.+?)\]\]")

# ---------------------------------------------------------------------------------------------------------------
# Obfuscations

LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "A": "4", "E": "3", "I": "1",
                      "O": "0", "S": "5", "T": "7"})
HOMO = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у", "s": "ѕ",
                      "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "T": "Т", "H": "Н", "K": "К", "M": "М"})


def fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in s)


def rot13(s):
    return s.translate(str.maketrans(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "NOPQRSTUVWXYZABCDEFGHIJKLMnopqrstuvwxyzabcdefghijklm"))


CHO = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
JUNG = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
        "eu", "ui", "i"]
JONG = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng",
        "t", "t", "k", "t", "p", "t"]
CHO_J = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNG_J = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONG_J = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ",
          "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]


def syl(c):
    o = ord(c) - 0xAC00
    return (o // 588, (o % 588) // 28, o % 28) if 0 <= o < 11172 else None


def romanise(s):
    """Revised Romanisation, syllable by syllable (no sound-change rules: what a user types from memory)."""
    out = []
    for c in s:
        p = syl(c)
        out.append(c if p is None else CHO[p[0]] + JUNG[p[1]] + JONG[p[2]])
    return "".join(out)


def jamo(s):
    out = []
    for c in s:
        p = syl(c)
        if p is None:
            out.append(c)
        else:
            out.extend([CHO_J[p[0]], JUNG_J[p[1]]] + ([JONG_J[p[2]]] if p[2] else []))
    return " ".join(x for x in out if x != " ")


VOWEL_SWAP = {1: 5, 5: 1, 10: 15, 15: 10, 4: 8}  # ㅐ↔ㅔ, ㅙ↔ㅞ, ㅓ→ㅗ
CONS_SWAP = {9: 10, 10: 9, 0: 15, 3: 16}  # ㅅ↔ㅆ, ㄱ→ㅋ, ㄷ→ㅌ


def misspell(s, rng):
    chars = list(s)
    idx = [i for i, c in enumerate(chars) if syl(c)]
    if idx:
        i = rng.choice(idx)
        a, b, t = syl(chars[i])
        if b in VOWEL_SWAP and rng.random() < 0.6:
            b = VOWEL_SWAP[b]
        elif a in CONS_SWAP:
            a = CONS_SWAP[a]
        else:
            b = VOWEL_SWAP.get(b, 5 if b != 5 else 1)
        chars[i] = chr(0xAC00 + a * 588 + b * 28 + t)
        return "".join(chars)
    letters = [i for i, c in enumerate(chars) if c.isascii() and c.isalpha()]
    if len(letters) >= 4:
        i = rng.choice(letters[1:-1])
        if rng.random() < 0.5:
            del chars[i]
        else:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        return "".join(chars)
    return None


def spaced(s):
    return " ".join(c for c in s if c != " ")


def hyphenated(s):
    words = s.split(" ")
    out = []
    for w in words:
        n = len(w)
        if n >= 4:
            cut = [n // 3, 2 * n // 3] if n >= 8 else [n // 2]
            parts, last = [], 0
            for c in cut:
                parts.append(w[last:c])
                last = c
            parts.append(w[last:])
            out.append("-".join(parts))
        elif n >= 2:
            out.append(w[0] + "-" + w[1:])
        else:
            out.append(w)
    return " ".join(out)


def has_latin(s):
    return any(c.isascii() and c.isalpha() for c in s)


def is_hangul(s):
    return any(syl(c) for c in s)


# Keyword-level techniques: f(keyword, rng) -> replacement or None when it does not apply.
KEYWORD_TECH = {
    "leetspeak": lambda k, r: k.translate(LEET) if has_latin(k) else None,
    "spaced_letters": lambda k, r: spaced(k) if len(k.replace(" ", "")) >= 3 else None,
    "hyphenation": lambda k, r: hyphenated(k) if len(k.replace(" ", "")) >= 3 else None,
    "homoglyphs": lambda k, r: k.translate(HOMO) if has_latin(k) else None,
    "fullwidth": lambda k, r: fullwidth(k) if has_latin(k) else None,
    "ko_romanisation": lambda k, r: romanise(k) if is_hangul(k) else None,
    "jamo_spelling": lambda k, r: jamo(k) if is_hangul(k) else None,
    "misspelling": misspell,
}
ENCODINGS = {
    "base64": ("base64", lambda s: base64.b64encode(s.encode()).decode()),
    "hex": ("hex", lambda s: s.encode().hex()),
    "rot13": ("ROT13", rot13),
    "url_encoding": ("URL encoding", lambda s: urllib.parse.quote(s, safe="")),
}
SPLITS = ["split_turns", "split_parts", "tool_result"]
TECHNIQUES = (["none"] + list(ENCODINGS) + ["reversed"] + list(KEYWORD_TECH) + SPLITS
              + [f[0] for f in FRAMINGS] + ["behaviour_description"])


def plain(t):
    return KW.sub(lambda m: m.group(1), t)


def user(text):
    return [{"role": "user", "content": text}]


def split_point(text, rng):
    """A cut inside the keyword where there is one (the model sees the halves joined), else mid-text."""
    m = KW.search(text)
    p = plain(text)
    if m:
        k = m.group(1)
        start = len(plain(text[:m.start()]))
        if len(k) >= 2:
            return start + max(1, len(k) // 2)
    return max(1, len(p) // 2)


def framed(text, lang, fr):
    tech, phrase, pos = fr
    if pos == "pre":
        return f"{phrase} {text}"
    body = text.rstrip(".。？?！!")
    return f"{body}, {phrase}." if lang == "en" else f"{text} ({phrase})"


# Sentence tails that vary a phrasing without changing its intent (family A and B never share one).
TAILS = {
    "a": {"ko": ["", " 부탁해.", " 자세히 알려줘.", " 빨리 부탁해요."], "en": ["", " Thanks."], "ja": [""], "zh": [""]},
    "b": {"ko": ["", " 고마워.", " 최대한 구체적으로.", " 오늘 안에 필요해."], "en": ["", " Cheers."], "ja": [""], "zh": [""]},
    "c": intents_c.TAILS_C,
    "d": intents_d.TAILS_D,
    "e": intents_e.TAILS_E,
}
# Family C (split `val`), family D (split `probe`) and family E (split `probe_e`) bring their own wrappers, framings,
# tool turn and acknowledgements.
WRAP = {"a": WRAP_A, "b": WRAP_B, "c": intents_c.WRAP_C, "d": intents_d.WRAP_D, "e": intents_e.WRAP_E}
TOOL_NAME = {"a": "read_ticket", "b": "get_note", "c": "open_case", "d": intents_d.TOOL_NAME_D,
             "e": intents_e.TOOL_NAME_E}
ACK = {"en": "Go on.", "ko": "계속 말해 줘.", "ja": "続けて。", "zh": "继续说。"}
REVERSED_WRAP_OF = {"c": intents_c.REVERSED_WRAP_C, "d": intents_d.REVERSED_WRAP_D, "e": intents_e.REVERSED_WRAP_E}
ACK_OF = {"c": intents_c.ACK_C, "d": intents_d.ACK_D, "e": intents_e.ACK_E}
TOOL_TURN_OF = {"c": intents_c.TOOL_TURN_C, "d": intents_d.TOOL_TURN_D, "e": intents_e.TOOL_TURN_E}
FRAMINGS_OF = {"c": intents_c.FRAMINGS_C, "d": intents_d.FRAMINGS_D, "e": intents_e.FRAMINGS_E}


def apply(tech, text, lang, family, rng):
    """Render `text` (with [[keyword]] marks) under `tech` as OpenAI messages, or None when it does not apply."""
    text = text + rng.choice(TAILS[family][lang])
    p = plain(text)
    if tech in ("none", "behaviour_description"):
        return user(p)
    if tech in ENCODINGS:
        kind, enc = ENCODINGS[tech]
        wrap = WRAP[family][lang]
        return user(wrap.format(kind=kind, payload=enc(p)))
    if tech == "reversed":
        rwrap = REVERSED_WRAP_OF.get(family, REVERSED_WRAP)
        return user(rwrap[lang].format(payload=p[::-1]))
    if tech in KEYWORD_TECH:
        m = KW.search(text)
        if not m:
            return None
        rep = KEYWORD_TECH[tech](m.group(1), rng)
        if rep is None or rep == m.group(1):
            return None
        return user(plain(text[:m.start()]) + rep + plain(text[m.end():]))
    if tech == "split_turns":
        words = p.split(" ")
        if len(words) >= 4:
            cut = len(words) // 2
            a, b = " ".join(words[:cut]), " ".join(words[cut:])
        else:
            c = split_point(text, rng)
            a, b = p[:c], p[c:]
        ack = ACK_OF.get(family, ACK)[lang]
        return [{"role": "user", "content": a}, {"role": "assistant", "content": ack},
                {"role": "user", "content": b}]
    if tech == "split_parts":
        c = split_point(text, rng)
        return [{"role": "user", "content": [{"type": "text", "text": p[:c]}, {"type": "text", "text": p[c:]}]}]
    if tech == "tool_result":
        return [
            {"role": "user", "content": TOOL_TURN_OF[family] if family in TOOL_TURN_OF else TOOL_TURN[family]},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {
                "name": TOOL_NAME[family], "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": p},
        ]
    for fr in FRAMINGS_OF.get(family, FRAMINGS):
        if fr[0] == tech:
            return user(framed(p, lang, fr))
    raise ValueError(tech)


def rendered(messages):
    out = []
    for m in messages:
        c = m.get("content")
        if isinstance(c, str):
            out.append(c)
        elif isinstance(c, list):
            out.append("".join(p.get("text", "") for p in c))
        for call in m.get("tool_calls") or []:
            out.append(call["function"]["arguments"])
    return "\u2029".join(x for x in out if x)


# ---------------------------------------------------------------------------------------------------------------

def main():
    rng = random.Random(SEED)
    items = []

    def add(prefix, messages, label, use_case, tech, lang, family):
        if family == "a":
            split = "dev" if rng.random() < 0.15 else "train"
        else:
            split = "heldout"
        items.append({"id": f"{prefix}-{len(items):05d}", "messages": messages, "label": label,
                      "use_case": use_case, "technique": tech, "language": lang, "split": split,
                      "family": family})

    # Korean gets more draws per cell so it is ≥ 40% of the set (the programme's first language).
    reps = {"ko": 5, "en": 2, "ja": 1, "zh": 1}
    for it in HARMFUL:
        for lang in LANGS:
            for family in ("a", "b"):
                frames = (FRAMES_A if family == "a" else FRAMES_B)[lang]
                objs = it["obj"][lang][family]
                descs = it["desc_" + family][lang]
                for tech in TECHNIQUES:
                    n = reps[lang] if family == "a" else max(1, reps[lang] - 1)
                    for _ in range(n):
                        if tech == "behaviour_description":
                            text = rng.choice(descs)
                        else:
                            text = rng.choice(frames).format(obj=rng.choice(objs))
                        msgs = apply(tech, text, lang, family, rng)
                        if msgs is not None:
                            add(it["id"], msgs, "harmful", it["use_case"], tech, lang, family)
    for group, label in ((DEFENSIVE, "defensive"), (BENIGN, "benign")):
        for it in group:
            for lang in LANGS:
                for family in ("a", "b"):
                    sents = it["text"][lang][family]
                    for tech in TECHNIQUES:
                        if tech == "behaviour_description":
                            continue
                        n = reps[lang] if family == "a" else max(1, reps[lang] - 1)
                        for _ in range(max(1, n - 1)):
                            msgs = apply(tech, rng.choice(sents), lang, family, rng)
                            if msgs is not None:
                                add(it["id"], msgs, label, it["use_case"], tech, lang, family)
    for h in hand_written.ITEMS:
        items.append({"id": f"hand-{len(items):05d}", "messages": h["messages"], "label": h["label"],
                      "use_case": h["use_case"], "technique": h["technique"], "language": h["language"],
                      "split": "heldout", "family": "hand"})
    # Extra family-A phrasings draw from their own RNG and come after every other item, so growing them never
    # changes a held-out item (its text, its id or whether it survives de-duplication).
    xrng = random.Random(SEED + 1)

    def add_a(prefix, messages, label, use_case, tech, lang):
        split = "dev" if xrng.random() < 0.15 else "train"
        items.append({"id": f"{prefix}-{len(items):05d}", "messages": messages, "label": label,
                      "use_case": use_case, "technique": tech, "language": lang, "split": split, "family": "a"})

    for it in HARMFUL:
        extra = EXTRA_HARMFUL_A.get(it["id"])
        if not extra:
            continue
        for lang in LANGS:
            objs = extra["obj"].get(lang, [])
            descs = extra["desc"].get(lang, [])
            frames = FRAMES_A[lang] + EXTRA_FRAMES_A[lang]
            for tech in TECHNIQUES:
                pool = descs if tech == "behaviour_description" else objs
                for _ in range(reps[lang] * len(pool)):
                    if tech == "behaviour_description":
                        text = xrng.choice(descs)
                    else:
                        text = xrng.choice(frames).format(obj=xrng.choice(objs))
                    msgs = apply(tech, text, lang, "a", xrng)
                    if msgs is not None:
                        add_a(it["id"], msgs, "harmful", it["use_case"], tech, lang)
    for it in DEFENSIVE:
        for lang in LANGS:
            sents = EXTRA_DEFENSIVE_A.get(it["id"], {}).get(lang, [])
            for tech in TECHNIQUES:
                if tech == "behaviour_description":
                    continue
                for _ in range(reps[lang] * len(sents)):
                    msgs = apply(tech, xrng.choice(sents), lang, "a", xrng)
                    if msgs is not None:
                        add_a(it["id"], msgs, "defensive", it["use_case"], tech, lang)
    # Families C (split `val`, for choosing decision thresholds) and D (split `probe`, for finding classes of guard
    # errors; never trained on, never used to choose thresholds) each draw from their own RNG and come after
    # everything else, C before D, so adding to either changes no earlier line. Each phrasing is rendered plain
    # (`none`) and under a few other techniques drawn at random; behaviour descriptions only as
    # `behaviour_description`.
    others = [t for t in TECHNIQUES if t not in ("none", "behaviour_description")]
    extra = {"ko": 2, "en": 1, "ja": 1, "zh": 1}

    def add_family(groups, family, split, frng):
        def add(prefix, messages, label, use_case, tech, lang):
            items.append({"id": f"{family}-{prefix}-{len(items):05d}", "messages": messages, "label": label,
                          "use_case": use_case, "technique": tech, "language": lang, "split": split,
                          "family": family})

        for group, label in groups:
            for it in group:
                for lang in LANGS:
                    for text in it["text"][lang]:
                        add(it["id"], apply("none", text, lang, family, frng), label, it["use_case"], "none", lang)
                        techs = others[:]
                        frng.shuffle(techs)
                        done = 0
                        for tech in techs:
                            if done == extra[lang]:
                                break
                            msgs = apply(tech, text, lang, family, frng)
                            if msgs is not None:
                                add(it["id"], msgs, label, it["use_case"], tech, lang)
                                done += 1
                    for text in it.get("desc", {}).get(lang, []):
                        add(it["id"], apply("behaviour_description", text, lang, family, frng), label,
                            it["use_case"], "behaviour_description", lang)

    add_family(((intents_c.HARMFUL_C, "harmful"), (intents_c.DEFENSIVE_C, "defensive"),
                (intents_c.BENIGN_C, "benign")), "c", "val", random.Random(SEED + 2))
    add_family(((intents_d.HARMFUL_D, "harmful"), (intents_d.DEFENSIVE_D, "defensive"),
                (intents_d.BENIGN_D, "benign")), "d", "probe", random.Random(SEED + 3))
    # Family E (split `probe_e`, a second independent probe family weighted towards critical infrastructure) is built
    # the same way from its own RNG and comes after every family-D item, so every earlier line stays byte-identical.
    add_family(((intents_e.HARMFUL_E, "harmful"), (intents_e.DEFENSIVE_E, "defensive"),
                (intents_e.BENIGN_E, "benign")), "e", "probe_e", random.Random(SEED + 4))
    # Duplicates would leak across splits. Exact duplicate conversations are dropped; conversations that differ
    # but read the same to the guard (content parts concatenate, as the model's template joins them) share the
    # split of the first one.
    seen, split_of, out = set(), {}, []
    for it in items:
        exact = json.dumps(it["messages"], ensure_ascii=False, sort_keys=True)
        if exact in seen:
            continue
        seen.add(exact)
        key = rendered(it["messages"])
        if key in split_of and split_of[key] != it["split"]:
            # A family-C, -D or -E item that reads like an earlier item of another split is dropped: `val`, `probe`
            # and `probe_e` must hold only unseen phrasings.
            if it["family"] in ("c", "d", "e") or (split_of[key] == "heldout") != (it["split"] == "heldout"):
                continue
            it["split"] = split_of[key]
        split_of.setdefault(key, it["split"])
        out.append(it)
    for it in out:
        sys.stdout.write(json.dumps(it, ensure_ascii=False, sort_keys=True) + "\n")
    n = len(out)
    ko = sum(1 for i in out if i["language"] == "ko")
    by_split = {s: sum(1 for i in out if i["split"] == s)
                for s in ("train", "dev", "heldout", "val", "probe", "probe_e")}
    by_label = {s: sum(1 for i in out if i["label"] == s) for s in ("harmful", "defensive", "benign")}
    print(f"{n} items, korean {ko / n:.1%}, {by_split}, {by_label}", file=sys.stderr)


if __name__ == "__main__":
    main()
