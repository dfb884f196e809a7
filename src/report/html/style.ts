/** The HTML report's stylesheet, inlined into the page (light and dark, print-friendly). */
export const HTML_CSS = `
:root { --bg:#f6f7f9; --fg:#1d2430; --muted:#667085; --card:#fff; --line:#e3e6ea; --accent:#2f5bd3;
  --critical:#b42318; --high:#e0561b; --medium:#c98a06; --low:#2e7ab8; --info:#7a8594; --ok:#1e8a4c; }
@media (prefers-color-scheme: dark) { :root { --bg:#12161c; --fg:#e6e9ee; --muted:#98a2b3; --card:#1b2129; --line:#2b333d; --accent:#7aa2ff; } }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:var(--bg); color:var(--fg); }
.mono, code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:12.5px; }
.muted { color:var(--muted); } .small { font-size:12px; font-weight:normal; } .ok { color:var(--ok); } .warn { color:var(--medium); } .bad { color:var(--critical); }
header.top { display:flex; justify-content:space-between; align-items:flex-end; padding:16px 24px; background:var(--card); border-bottom:1px solid var(--line); }
h1 { margin:0; font-size:22px; } h2 { font-size:16px; margin:0 0 10px; } h3 { font-size:13px; margin:14px 0 6px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
main { padding:16px 24px 40px; display:flex; flex-direction:column; gap:16px; }
.posture { display:flex; gap:16px; align-items:stretch; }
.grade-box { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 20px; min-width:150px; text-align:center; }
.grade { font-size:56px; font-weight:800; line-height:1; margin:4px 0; }
.grade-A { color:var(--ok); } .grade-B { color:#5a9a2f; } .grade-C { color:var(--medium); } .grade-D { color:var(--high); } .grade-E, .grade-F { color:var(--critical); } .grade-none { color:var(--muted); }
.score { font-weight:600; }
.cards { display:grid; grid-template-columns:repeat(5, minmax(0,1fr)); gap:10px; flex:1; }
.card { text-align:left; font:inherit; color:inherit; background:var(--card); border:1px solid var(--line); border-left:5px solid var(--line); border-radius:8px; padding:8px 10px; cursor:pointer; }
.card:hover { border-color:var(--accent); }
.card-bad { border-left-color:var(--critical); } .card-ok { border-left-color:var(--ok); } .card-na { border-left-color:var(--line); opacity:.75; border-style:dashed; }
.card-id { font-weight:700; } .card-name { font-size:12px; color:var(--muted); min-height:2.6em; } .card-state { font-weight:600; margin-top:2px; }
.mini { display:flex; flex-wrap:wrap; gap:3px; margin-top:4px; }
.row { display:flex; gap:16px; } .grow { flex:1; }
.panel-box { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; overflow-x:auto; }
.chart { min-width:320px; display:flex; flex-direction:column; gap:6px; }
.bar-row { display:grid; grid-template-columns:70px 1fr 36px; align-items:center; gap:8px; }
.bar-track { background:var(--bg); border-radius:4px; height:16px; overflow:hidden; } .bar { display:block; height:100%; border-radius:4px; }
.bar-n { text-align:right; font-variant-numeric:tabular-nums; }
.top-risks { margin:0; padding-left:22px; } .top-risks li { margin-bottom:6px; } .top-risks a { color:inherit; text-decoration:none; } .top-risks a:hover { text-decoration:underline; }
.sev { display:inline-block; padding:1px 7px; border-radius:10px; font-size:11px; font-weight:700; text-transform:uppercase; color:#fff; letter-spacing:.03em; }
.sev-critical { background:var(--critical); } .sev-high { background:var(--high); } .sev-medium { background:var(--medium); } .sev-low { background:var(--low); } .sev-info { background:var(--info); }
.filters { display:flex; flex-wrap:wrap; gap:8px; margin-bottom:10px; }
.filters select, .filters input, .filters button { font:inherit; padding:5px 8px; border:1px solid var(--line); border-radius:6px; background:var(--bg); color:var(--fg); }
.filters input { flex:1; min-width:220px; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); font-weight:600; white-space:nowrap; }
th[data-sort] { cursor:pointer; user-select:none; } th[aria-sort=ascending]::after { content:" ▲"; } th[aria-sort=descending]::after { content:" ▼"; }
tbody tr[tabindex] { cursor:pointer; } tbody tr[tabindex]:hover, tbody tr[tabindex]:focus { background:var(--bg); outline:none; }
td.nowrap { white-space:nowrap; } td.num { text-align:right; font-variant-numeric:tabular-nums; } td.where { word-break:break-all; max-width:380px; }
.kinds { display:flex; flex-wrap:wrap; gap:6px; margin-bottom:10px; } .chip { border:1px solid var(--line); border-radius:12px; padding:2px 10px; font-size:12px; }
.status { font-weight:700; } .status-ok { color:var(--ok); } .status-partial { color:var(--medium); } .status-error { color:var(--critical); }
.detail { position:fixed; top:0; right:0; bottom:0; width:min(640px, 96vw); background:var(--card); border-left:1px solid var(--line); box-shadow:-8px 0 24px rgba(0,0,0,.15); padding:16px 20px; overflow-y:auto; z-index:10; }
.detail[hidden] { display:none; }
.detail-head { display:flex; justify-content:space-between; align-items:flex-start; gap:12px; } .detail-head button { font-size:18px; background:none; border:0; color:var(--fg); cursor:pointer; }
pre.fix { white-space:pre-wrap; background:var(--bg); padding:10px; border-radius:6px; border:1px solid var(--line); }
.kv { display:grid; grid-template-columns:max-content 1fr; gap:4px 12px; margin:0; } .kv dt { color:var(--muted); } .kv dd { margin:0; white-space:pre-wrap; word-break:break-word; }
.places { padding-left:22px; word-break:break-all; }
@media (max-width: 1100px) { .cards { grid-template-columns:repeat(2, minmax(0,1fr)); } .posture, .row { flex-direction:column; } }
@media print { .filters, .detail { display:none; } body { background:#fff; } }
`;
