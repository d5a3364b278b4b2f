#!/usr/bin/env python3
"""Writes a realistic violation log for bench/log_summary.sh.

Usage: log_records.py OUT_PATH COUNT

Writes COUNT records (violations, request summaries, feedback, engine errors, reloads)
spread over the 30 days before now, in the writer's format, rotated like the writer
rotates: OUT_PATH.2 (oldest), OUT_PATH.1, OUT_PATH. Fixed seed: runs are comparable.
"""
import datetime
import itertools
import json
import random
import sys

RULES = [  # (rule, pack, action, mode, severity, replacement, match as the log keeps it: masked)
    ("pii.email", "pii", "redact", "enforce", "medium", "[EMAIL]", "t***@e******.jp"),
    ("pii.phone-jp", "pii", "redact", "enforce", "medium", "[PHONE]", "0**-****-****"),
    ("pii.phone-intl", "pii", "redact", "enforce", "medium", "[PHONE]", "+** ** **** ****"),
    ("pii.card", "pii", "redact", "enforce", "high", "[CARD]", "4*** **** **** ****"),
    ("pii.mynumber", "pii", "redact", "enforce", "high", "[MYNUMBER]", "1*** **** ****"),
    ("pii.ssn", "pii", "redact", "enforce", "high", "[SSN]", "1**-**-****"),
    ("pii.ipv4", "pii", "redact", "shadow", "low", "[IP]", "1**.1**.*.*"),
    ("pii.address-jp", "pii", "redact", "shadow", "medium", "[ADDRESS]", "東*****"),
    ("secrets.openai-key", "secrets", "block", "enforce", "critical", "[KEY]", "s*-p***-****************"),
    ("secrets.anthropic-key", "secrets", "block", "enforce", "critical", "[KEY]", "s*-a***-****************"),
    ("secrets.aws-access-key", "secrets", "block", "enforce", "critical", "[KEY]", "A***************"),
    ("secrets.github-token", "secrets", "block", "enforce", "critical", "[TOKEN]", "g***_****************"),
    ("secrets.slack-token", "secrets", "block", "enforce", "high", "[TOKEN]", "x***-**********"),
    ("secrets.private-key", "secrets", "block", "enforce", "critical", "[KEY]", "-----B**** P****** K**-----"),
    ("secrets.jwt", "secrets", "redact", "shadow", "high", "[JWT]", "e***********.e***********"),
    ("secrets.password", "secrets", "redact", "enforce", "high", "[PASSWORD]", "p*******=********"),
    ("profanity-en.insult", "profanity-en", "redact", "enforce", "low", "***", "i****"),
    ("profanity-ja.insult", "profanity-ja", "redact", "enforce", "low", "＊＊＊", "バ*"),
    ("brand.competitors", "brand", "block", "shadow", "info", "[BRAND]", "A*** C***"),
    ("tox.harassment", "tox", "block", "shadow", "high", "[HARASSMENT]", "y** a** *******"),
]
WEIGHTS = [30, 12, 4, 6, 3, 2, 8, 5, 2, 1, 1, 1, 1, 1, 3, 2, 6, 5, 9, 3]
MODELS = [("openai.chat", "gpt-4o-mini"), ("openai.chat", "gpt-4o"), ("openai.responses", "gpt-4.1"),
          ("anthropic.messages", "claude-sonnet-4"), ("gemini", "gemini-2.5-flash"), ("ollama.chat", "llama3.1:8b")]
CONTEXTS = [
    "…ご不明な点は {r} までご連絡ください。担当者が確認のうえ折り返しご連絡いたします…",
    "…お客様の登録情報は {r} です。変更をご希望の場合はマイページから手続きしてください…",
    "…You can reach the support team at {r} or through the help center at any time…",
    "…Here is the configuration you asked for: token = {r}, keep it somewhere safe…",
    "…申し訳ありませんが、{r} についてはお答えできません。ほかにご質問はありますか…",
    "…The customer record shows {r} as the primary contact for this account…",
]
LABELS = ["correct"] * 6 + ["false_positive"] * 3 + ["false_negative"]


def stamp(seconds):
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def line(record):
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def records(count, rng):
    now = datetime.datetime.now(datetime.timezone.utc).timestamp()
    start = now - 30 * 86400
    step = 30 * 86400 / count
    ruleset = "sha256:" + "%064x" % rng.getrandbits(256)
    written = 0  # records so far, for the timestamps
    request = 0
    while True:
        request += 1
        request_id = "og-%016x" % rng.getrandbits(64)
        ts = start + written * step
        provider, model = rng.choice(MODELS)
        stream = rng.random() < 0.6
        fired = rng.choices(RULES, WEIGHTS, k=rng.randint(1, 4))
        base = {"request_id": request_id, "policy": rng.choice(["default", "default", "support-bot"]),
                "ruleset": ruleset}
        for index, (rule, pack, action, mode, severity, replacement, match) in enumerate(fired):
            start_char = rng.randint(0, 2000)
            yield line({"ts": stamp(ts + index * 0.001), "event": "violation", **base, "pack": pack, "rule": rule,
                        "action": action, "mode": mode, "severity": severity, "provider": provider, "model": model,
                        "stream": stream, "choice": 0, "span": [start_char, start_char + rng.randint(5, 40)],
                        "match": match, "context": rng.choice(CONTEXTS).format(r=replacement)})
        written += len(fired)
        enforced = [f for f in fired if f[3] == "enforce"]
        outcome = "block" if any(f[2] == "block" for f in enforced) else "redact" if enforced else "shadow"
        yield line({"ts": stamp(ts + 0.01), "event": "request", **base, "action": outcome,
                    "provider": provider, "model": model, "stream": stream,
                    "rules": list(dict.fromkeys(f[0] for f in fired)), "findings": len(fired),
                    "upstream_status": 200, "latency_ms": round(rng.uniform(80, 4000), 1)})
        written += 1
        if rng.random() < 0.01:
            yield line({"ts": stamp(ts + 0.02), "event": "engine_error", **base, "pack": "pii", "rule": "pii.card",
                        "detail": "match limit reached"})
            written += 1
        if rng.random() < 0.04:
            feedback = {"ts": stamp(ts + rng.uniform(60, 86400)), "event": "feedback", "request_id": request_id,
                        "label": rng.choice(LABELS), "source": rng.choice(["api", "review", "cli"])}
            if rng.random() < 0.8:
                feedback["rule"] = fired[0][0]
            if rng.random() < 0.3:
                feedback["note"] = rng.choice(["it is our own support address", "社内の代表番号です", "correct catch"])
            yield line(feedback)
            written += 1
        if request % 50_000 == 0:
            old, ruleset = ruleset, "sha256:" + "%064x" % rng.getrandbits(256)
            yield line({"ts": stamp(ts + 0.03), "event": "reload", "ruleset": ruleset, "old_ruleset": old})
            written += 1


def main():
    path, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(4)
    # Rotated like the writer: the oldest third in .2, the next in .1, the newest in the file itself.
    names = [path + ".2", path + ".1", path]
    files = [open(name, "w", encoding="utf-8") for name in names]
    for index, text in enumerate(itertools.islice(records(count, rng), count)):
        files[min(index * 3 // count, 2)].write(text)
    for file in files:
        file.close()


if __name__ == "__main__":
    main()
