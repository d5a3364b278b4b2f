"""The review page in a real browser: headless Chromium (Debian's, driven by Selenium
through Debian's chromedriver) against `outguard serve` with the admin listener on.

The daemon reads a violation log written here in the exact JSONL form of `LogRecord`:
a dozen findings of three rules, enforced and shadow, with Japanese and English
contexts. The test signs in with the admin token, reads the per-rule table and the
listed findings, filters by one rule, labels a finding as a false positive, and waits
(bounded) for the feedback record to reach the log file. It leaves a screenshot at
.build/review-screenshot.png so a broken layout is seen.

Environment (run.sh sets them): OUTGUARD_BIN, CHROMIUM_BIN, CHROMEDRIVER_BIN.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / ".build/review-screenshot.png"
ADMIN_LISTENING = re.compile(r"outguard: admin on http://(\S+):(\d+);")
TOKEN_ENV = "OUTGUARD_BROWSER_TEST_ADMIN_TOKEN"
START_TIMEOUT = 60.0
WAIT = 10.0

NOW = datetime.now(timezone.utc)

# (request id, rule, pack, mode, severity, action, minutes ago, match, context)
FINDINGS = [
    ("og-b01", "pii.email", "pii", "enforce", "medium", "redact", 2, "t***@e******.jp",
     "…担当者の連絡先は [EMAIL] です。よろしくお願いします…"),
    ("og-b01", "pii.email", "pii", "enforce", "medium", "redact", 2, "h***@e******.jp",
     "…または [EMAIL] までご連絡ください…"),
    ("og-b02", "pii.email", "pii", "enforce", "medium", "redact", 9, "s***@e******.com",
     "…you can reach her at [EMAIL] after five…"),
    ("og-b03", "pii.email", "pii", "enforce", "medium", "redact", 15, "i***@e******.com",
     "…send the invoice to [EMAIL] by Friday…"),
    ("og-b04", "pii.email", "pii", "enforce", "medium", "redact", 40, "k***@e******.co.jp",
     "…メールアドレス [EMAIL] に送信しました…"),
    ("og-b05", "brand.competitors", "brand", "shadow", "low", "block", 5, "A*** C***",
     "…compared with Acme Corp, our plan is cheaper <b>really</b>…"),
    ("og-b06", "brand.competitors", "brand", "shadow", "low", "block", 12, "ア**",
     "…アクメの製品と比べると、こちらの方が…"),
    ("og-b07", "brand.competitors", "brand", "shadow", "low", "block", 30, "A*** C***",
     "…Acme Corp also offers a free tier…"),
    ("og-b08", "brand.competitors", "brand", "shadow", "low", "block", 55, "ア**",
     "…アクメ社の担当者によると…"),
    ("og-b09", "secrets.api-key", "secrets", "enforce", "high", "block", 7, "s*-*****************",
     "…here is the key: [BLOCKED] keep it safe…"),
    ("og-b10", "secrets.api-key", "secrets", "enforce", "high", "block", 25, "s*-*****************",
     "…APIキーは [BLOCKED] です…"),
    ("og-b11", "secrets.api-key", "secrets", "enforce", "high", "block", 70, "A***************",
     "…export AWS_KEY=[BLOCKED] in your shell…"),
]


def timestamp(minutes_ago: float) -> str:
    """`ts` as the writer writes it: ISO 8601 UTC with milliseconds."""
    moment = NOW - timedelta(minutes=minutes_ago)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def line(record: dict) -> str:
    """One JSONL line as `LogRecord` writes it: compact, UTF-8, keys in the record's order."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_fixture(path: Path) -> None:
    lines = []
    for request_id, rule, pack, mode, severity, action, minutes, match, context in FINDINGS:
        lines.append(line({
            "ts": timestamp(minutes), "event": "violation", "request_id": request_id, "policy": "default",
            "ruleset": "sha256:" + "0" * 64, "pack": pack, "rule": rule, "action": action, "mode": mode,
            "severity": severity, "provider": "openai.chat", "model": "gpt-4o-mini", "stream": True,
            "choice": 0, "span": [12, 30], "match": match, "context": context,
        }))
    # An end user already said one pii.email finding was right.
    lines.append(line({
        "ts": timestamp(1), "event": "feedback", "request_id": "og-b03", "rule": "pii.email",
        "label": "correct", "source": "api",
    }))
    path.write_text("".join(lines), encoding="utf-8")


def expected_counts(rule: str) -> list[str]:
    """hits, enforced, shadow, requests, false positives, correct, precision, from FINDINGS."""
    rows = [f for f in FINDINGS if f[1] == rule]
    enforced = sum(1 for f in rows if f[3] == "enforce")
    correct = 1 if rule == "pii.email" else 0
    return [str(len(rows)), str(enforced), str(len(rows) - enforced), str(len({f[0] for f in rows})), "0",
            str(correct), "100%" if correct else "–"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Daemon:
    """`outguard serve` with the admin listener; stderr drained by a thread, kept for failures."""

    def __init__(self, config: Path, token: str):
        binary = os.environ.get("OUTGUARD_BIN", str(ROOT / ".build/debug/outguard"))
        if not os.access(binary, os.X_OK):
            pytest.exit(f"no outguard binary at {binary}: run Tests/browser/run.sh", returncode=2)
        self.lines: list[str] = []
        self.admin_url: str | None = None
        self._ready = threading.Event()
        self.process = subprocess.Popen(
            [binary, "serve", "--config", str(config)], cwd=ROOT, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, TOKEN_ENV: token},
            text=True, encoding="utf-8", errors="replace")
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._ready.wait(START_TIMEOUT) or self.admin_url is None:
            self.stop()
            raise RuntimeError(f"the admin listener did not start within {START_TIMEOUT:.0f} s "
                               f"(exit {self.process.returncode}); stderr:\n" + "".join(self.lines[-40:]))

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for text in self.process.stderr:
            self.lines.append(text)
            found = ADMIN_LISTENING.search(text)
            if found and self.admin_url is None:
                self.admin_url = f"http://{found.group(1)}:{found.group(2)}"
                self._ready.set()
        self._ready.set()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    log = folder / "violations.jsonl"
    write_fixture(log)
    config = folder / "outguard.yaml"
    config.write_text(
        f"listen: 127.0.0.1:{free_port()}\n"
        "upstream: mock:echo\n"
        f"rules: [{json.dumps(str(ROOT / 'rules'))}]\n"
        f"log: {{path: {json.dumps(str(log))}, flush_ms: 50}}\n"
        f"admin: {{listen: 127.0.0.1:{free_port()}, token_env: {TOKEN_ENV}}}\n",
        encoding="utf-8")
    token = secrets.token_urlsafe(24)
    daemon = Daemon(config, token)
    driver = None
    try:
        options = Options()
        options.binary_location = os.environ["CHROMIUM_BIN"]
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1500,2000", "--lang=en-US"):
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service(executable_path=os.environ["CHROMEDRIVER_BIN"]), options=options)
        driver.set_page_load_timeout(30)
        yield {"driver": driver, "url": daemon.admin_url, "token": token, "log": log}
    finally:
        if driver is not None:
            driver.quit()
        daemon.stop()


def rule_table(driver) -> dict[str, list[str]]:
    rows = driver.find_elements(By.CSS_SELECTOR, "#rules tbody tr")
    return {row.get_attribute("data-rule"): [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td.number")]
            for row in rows}


def findings(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "#violations tr.finding")


def test_without_the_token_the_page_is_refused(world):
    driver = world["driver"]
    driver.get(world["url"] + "/review")
    assert "needs its token" in driver.find_element(By.TAG_NAME, "body").text


def test_the_token_in_the_address_signs_in_and_leaves_the_address(world):
    driver = world["driver"]
    driver.get(f"{world['url']}/review?token={world['token']}")
    assert driver.current_url == world["url"] + "/review"
    assert world["token"] not in driver.current_url
    assert driver.find_element(By.TAG_NAME, "h1").text == "Outguard review"


def test_the_table_counts_each_rule(world):
    driver = world["driver"]
    driver.get(world["url"] + "/review")
    table = rule_table(driver)
    assert set(table) == {"pii.email", "brand.competitors", "secrets.api-key"}
    for rule, counts in table.items():
        assert counts == expected_counts(rule), rule
    assert "12 violations in 11 requests." in driver.find_element(By.TAG_NAME, "body").text


def test_the_rows_show_every_finding_newest_first_as_stored(world):
    driver = world["driver"]
    driver.get(world["url"] + "/review")
    rows = findings(driver)
    newest_first = sorted(FINDINGS, key=lambda f: f[6])
    assert [row.get_attribute("data-request") for row in rows] == [f[0] for f in newest_first]
    text = driver.find_element(By.ID, "violations").text
    assert "…担当者の連絡先は [EMAIL] です。よろしくお願いします…" in text
    assert "…send the invoice to [EMAIL] by Friday…" in text
    # Log text is shown as text, never as markup.
    assert "cheaper <b>really</b>" in text
    assert driver.find_elements(By.CSS_SELECTOR, "#violations td.context b") == []
    assert "would block" in text and "redacted" in text
    labelled = driver.find_element(By.CSS_SELECTOR, 'tr.finding[data-request="og-b03"]').text
    assert "labelled correct" in labelled


def test_filtering_by_a_rule_shows_only_its_rows(world):
    driver = world["driver"]
    driver.get(world["url"] + "/review")
    Select(driver.find_element(By.NAME, "rule")).select_by_value("brand.competitors")
    driver.find_element(By.CSS_SELECTOR, "#filters button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(lambda d: "rule=brand.competitors" in d.current_url)
    rows = findings(driver)
    assert len(rows) == 4
    assert {row.get_attribute("data-rule") for row in rows} == {"brand.competitors"}
    assert list(rule_table(driver)) == ["brand.competitors"]
    assert Select(driver.find_element(By.NAME, "rule")).first_selected_option.text == "brand.competitors"


def feedback_records(log: Path) -> list[dict]:
    records = []
    for text in log.read_text(encoding="utf-8").splitlines():
        record = json.loads(text)
        if record.get("event") == "feedback":
            records.append(record)
    return records


def test_labelling_a_finding_writes_a_feedback_record(world):
    driver, log = world["driver"], world["log"]
    driver.get(world["url"] + "/review?rule=pii.email")
    row = findings(driver)[0]
    request_id = row.get_attribute("data-request")
    row.find_element(By.NAME, "note").send_keys("テスト用のアドレス")
    row.find_element(By.CSS_SELECTOR, "button[value=false_positive]").click()
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.ID, "notice"))
    assert "rule=pii.email" in driver.current_url

    wanted = {"request_id": request_id, "rule": "pii.email", "label": "false_positive", "source": "review",
              "note": "テスト用のアドレス"}
    deadline = time.monotonic() + WAIT
    while not any(wanted.items() <= record.items() for record in feedback_records(log)):
        assert time.monotonic() < deadline, f"no feedback record {wanted} in {log} within {WAIT:.0f} s"
        time.sleep(0.1)

    # Once written, the page shows the label and counts it.
    driver.get(world["url"] + "/review")
    WebDriverWait(driver, WAIT).until(
        lambda d: "labelled false positive" in d.find_element(By.CSS_SELECTOR, f'tr.finding[data-request="{request_id}"]').text)
    assert rule_table(driver)["pii.email"][4:] == ["1", "1", "50%"]
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOT))
    print(f"\nscreenshot of the review page: {SCREENSHOT}")
