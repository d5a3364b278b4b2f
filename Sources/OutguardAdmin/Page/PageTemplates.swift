/// The admin pages' Mustache templates, compiled into the binary: the page must work
/// offline and from any working directory, so it has no files, no external assets and
/// no JavaScript. `{{ }}` escapes HTML; log text is never placed with triple braces.
enum PageTemplates {
    /// `<head>` with the styles, and the page's title bar; shared by every page.
    static let top = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Outguard</title>
        <style>
        :root { color-scheme: light; --line: #d8dce3; --muted: #5b6472; --accent: #1f5fbf; --shadow: #8a5a00; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", sans-serif;
               color: #1d2430; background: #f6f7f9; }
        header { background: #1d2430; color: #fff; padding: 12px 24px; }
        header h1 { margin: 0; font-size: 18px; font-weight: 600; }
        header p { margin: 2px 0 0; color: #c5cbd6; font-size: 13px; }
        main { padding: 16px 24px 40px; max-width: 1500px; }
        h2 { font-size: 16px; margin: 28px 0 8px; }
        p.hint { color: var(--muted); margin: 4px 0 10px; font-size: 13px; }
        .box { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 14px 16px; }
        .notice { background: #e8f3ea; border-color: #9ccaa5; }
        .problem { background: #fdecea; border-color: #e6a49c; }
        .warning { background: #fff6e0; border-color: #e8c66d; margin-top: 16px; }
        form.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
        form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 3px; }
        select, input[type=text] { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px;
                                   background: #fff; min-width: 140px; }
        button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid var(--accent);
                 background: var(--accent); color: #fff; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); }
        table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #eef1f5; font-size: 12px; color: #39414d; font-weight: 600; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
        td.context { max-width: 520px; overflow-wrap: anywhere; }
        td.time, td.rule, td.rule code { white-space: nowrap; overflow-wrap: normal; }
        table#rules { width: auto; min-width: 70%; }
        code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eef1f5; padding: 0 3px;
               border-radius: 3px; overflow-wrap: anywhere; }
        .tag { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 10px; background: #eef1f5; }
        .tag.shadow { background: #fff1d6; color: var(--shadow); }
        .tag.label { background: #e3ecfa; color: #1f4d8f; }
        .muted { color: var(--muted); font-size: 12px; }
        form.label { display: flex; flex-wrap: wrap; gap: 4px; margin: 0; width: 220px; }
        form.label input[type=text] { min-width: 0; width: 100%; font-size: 12px; }
        details { margin-top: 8px; font-size: 13px; color: var(--muted); }
        dt { font-weight: 600; color: #1d2430; }
        dd { margin: 0 0 6px 0; }
        </style>
        </head>
        <body>
        <header><h1>Outguard review</h1><p>{{subtitle}}</p></header>
        <main>
        """#

    /// `/review`: filters, per-rule counts, recent violations with label buttons.
    static let review = #"""
        {{> top}}
        {{#notice}}<p class="box notice" id="notice">{{.}}</p>{{/notice}}
        <form class="box filters" method="get" action="/review" id="filters">
        <label>Rule<select name="rule">{{#ruleChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/ruleChoices}}</select></label>
        <label>Pack<select name="pack">{{#packChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/packChoices}}</select></label>
        <label>Severity<select name="severity">{{#severityChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/severityChoices}}</select></label>
        <label>Mode<select name="mode">{{#modeChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/modeChoices}}</select></label>
        <label>Time<select name="range">{{#rangeChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/rangeChoices}}</select></label>
        <button type="submit">Show</button>
        <a href="/review">Clear filters</a>
        </form>
        {{#noLog}}
        <div class="box problem" id="no-log">
        <strong>No log configured.</strong> Outguard records violations only when the violation log is on:
        set <code>log: {path: var/violations.jsonl}</code> in <code>outguard.yaml</code> and restart
        <code>outguard serve</code>. This page then shows what the rules found.
        </div>
        {{/noLog}}
        {{#hasLog}}
        <h2>Per rule</h2>
        <p class="hint">{{countText}}</p>
        {{#hasRuleLines}}
        <table id="rules">
        <thead><tr><th>Rule</th><th class="number">Hits</th><th class="number">Enforced</th>
        <th class="number">Shadow (would have fired)</th><th class="number">Requests</th>
        <th class="number">False positives</th><th class="number">Correct</th><th class="number">Precision</th></tr></thead>
        <tbody>
        {{#ruleLines}}
        <tr data-rule="{{rule}}"><td><code>{{rule}}</code></td><td class="number">{{hits}}</td><td class="number">{{enforced}}</td>
        <td class="number">{{shadow}}</td><td class="number">{{requests}}</td><td class="number">{{falsePositives}}</td>
        <td class="number">{{correct}}</td><td class="number">{{precision}}</td></tr>
        {{/ruleLines}}
        </tbody>
        </table>
        <details><summary>What the columns mean</summary><dl>
        <dt>Hits</dt><dd>Every finding of the rule: each match in each answer.</dd>
        <dt>Enforced</dt><dd>Findings of the rule in enforce mode: the text was redacted, blocked or logged.</dd>
        <dt>Shadow (would have fired)</dt><dd>Findings while the rule runs in shadow mode: nothing was changed, this is what it would have done.</dd>
        <dt>Requests</dt><dd>How many answers had at least one finding of the rule.</dd>
        <dt>False positives / Correct</dt><dd>How reviewers labelled the findings, here or through the feedback API.</dd>
        <dt>Precision</dt><dd>Correct ÷ (correct + false positives): the share of judged findings the rule got right. “–” until a finding is judged.</dd>
        </dl></details>
        {{/hasRuleLines}}
        <h2>Recent violations</h2>
        {{#hasFindings}}
        <p class="hint">Newest first. Matched text and context are shown as the log stores them (masked unless configured otherwise).</p>
        <table id="violations">
        <thead><tr><th>Time</th><th>Rule</th><th>Severity</th><th>Mode</th><th>Action</th><th>Provider / model</th>
        <th>Match and context</th><th>Your judgement</th></tr></thead>
        <tbody>
        {{#findings}}
        <tr class="finding" data-request="{{requestID}}" data-rule="{{rule}}">
        <td class="time">{{time}}<div class="muted">{{requestID}}</div></td>
        <td class="rule"><code>{{rule}}</code><div class="muted">{{pack}}</div></td>
        <td>{{severity}}</td>
        <td>{{#isShadow}}<span class="tag shadow">shadow</span>{{/isShadow}}{{^isShadow}}<span class="tag">{{mode}}</span>{{/isShadow}}</td>
        <td>{{action}}</td>
        <td>{{source}}</td>
        <td class="context"><code>{{match}}</code><div>{{context}}</div></td>
        <td>
        {{#label}}<p class="label-state"><span class="tag label">labelled {{.}}</span></p>{{/label}}
        <form class="label" method="post" action="/review/feedback">
        <input type="hidden" name="form_token" value="{{formToken}}">
        <input type="hidden" name="view" value="{{view}}">
        <input type="hidden" name="request_id" value="{{requestID}}">
        <input type="hidden" name="rule" value="{{rule}}">
        <input type="text" name="note" placeholder="note (optional)" maxlength="2000">
        <button type="submit" name="label" value="false_positive" class="secondary">False positive</button>
        <button type="submit" name="label" value="correct" class="secondary">Correct</button>
        </form>
        </td>
        </tr>
        {{/findings}}
        </tbody>
        </table>
        {{/hasFindings}}
        {{^hasFindings}}
        <p class="box" id="empty">No violations in this range ({{rangeTitle}}{{#hasFilters}}, with these filters{{/hasFilters}}). Choose a longer time range or clear the filters.</p>
        {{/hasFindings}}
        {{#skippedText}}<p class="box warning">{{.}}</p>{{/skippedText}}
        {{/hasLog}}
        </main>
        </body>
        </html>
        """#

    /// A request the page could not serve: what went wrong, and the way back.
    static let problem = #"""
        {{> top}}
        <div class="box problem" id="problem"><strong>{{heading}}</strong> {{message}}</div>
        <p><a href="{{backPath}}">Back to the review page</a></p>
        </main>
        </body>
        </html>
        """#
}
