"""The style sheet of the HTML pages: light and dark, print, narrow windows."""

STYLE = """
:root{color-scheme:light dark;--fg:#1d2430;--muted:#5b6472;--bg:#fff;--panel:#f4f6f9;
--line:#c9d0da;--wait:#b7791f;--over:#c53030;--fail:#9b2c2c;--ok:#2f855a;--timer:#f6c76b;
--cycle:#7a8699;--stall:#fde2e2;--now:#2b6cb0}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#9aa4b2;--bg:#14171c;
--panel:#1d2129;--line:#39414d;--timer:#8a6d2b;--stall:#4a2326;--now:#63b3ed}}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg);margin:0 auto;max-width:1000px;padding:16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}h3{font-size:15px}
.meta,.counts,.note,.legend,footer{color:var(--muted)}
.connector{padding:6px 10px;border-radius:6px;background:var(--panel);display:inline-block}
.connector.problem{border-left:4px solid var(--over);font-weight:600}
.connector.ok{border-left:4px solid var(--ok)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
tr.waiting td:nth-child(2){color:var(--wait)}tr.overdue td:nth-child(2){color:var(--over);
font-weight:700}tr.failed td:nth-child(2){color:var(--fail)}
code{font:12px ui-monospace,SFMono-Regular,Consolas,monospace}
svg{background:var(--panel);border-radius:8px}
svg text{fill:var(--fg);font:11px system-ui,sans-serif}svg .tick,svg .off-left{fill:var(--muted)}
svg .overdue .upn,svg .failed .upn{fill:var(--over);font-weight:600}
.axis{stroke:var(--muted)}.grid{stroke:var(--line);stroke-dasharray:2 3}
.cycle{stroke:var(--cycle)}.restart{stroke:var(--over);stroke-width:2;stroke-dasharray:5 3}
.stall{fill:var(--stall)}.timer{fill:var(--timer)}.failure{fill:var(--over)}
.recovery.observed{fill:var(--ok)}.recovery.predicted{fill:var(--bg);stroke:var(--ok);
stroke-width:2}.recovery.missed{fill:var(--bg);stroke:var(--over);stroke-width:2.5}
.timer.clipped{opacity:.75}.now{stroke:var(--now);stroke-width:2}svg .now-label{fill:var(--now)}
.key{display:inline-block;width:14px;height:10px;vertical-align:middle;margin:0 2px}
.key.timer{background:var(--timer)}.key.failure{background:var(--over);border-radius:50%}
.key.observed{background:var(--ok)}.key.predicted{border:2px solid var(--ok)}
.key.missed{border:2px solid var(--over)}
.key.restart{border-left:2px dashed var(--over)}.key.stall{background:var(--stall)}
.key.now{border-left:2px solid var(--now)}
ul.findings li.error b{color:var(--over)}ul.findings li.warning b{color:var(--wait)}
svg.bar{background:none;border-radius:0;vertical-align:middle}
.bar .added{fill:var(--ok)}.bar .failed{fill:var(--over)}.bar .rest{fill:var(--line)}
ul.restarts{columns:2}
svg .fixable-mark,.fixable-key{fill:var(--ok);color:var(--ok);font-weight:700}
tr.fixable td:first-child::after{content:" ↻";color:var(--ok);font-weight:700}
.picture{overflow-x:auto}.picture svg{min-width:760px}
table.users td:first-child{white-space:nowrap}
@media (max-width:640px){body{padding:8px}h1{font-size:19px}th,td{padding:3px 5px}
table.users td{white-space:nowrap}ul.restarts{columns:1}}
@media print{body{max-width:none;padding:0}svg{background:none}
.connector{border:1px solid #999}a{color:inherit}}
"""
