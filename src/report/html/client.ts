/**
 * The HTML report's script, inlined into the page. It reads the report from the page's
 * <script type="application/json"> block and builds every element with textContent (never
 * innerHTML), so a file name or tool description holding markup renders as text. It fetches
 * nothing: the page's Content-Security-Policy forbids any connection.
 *
 * Plain ES2020 in a string: no backticks and no dollar-brace sequences in it.
 */
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var R = JSON.parse(document.getElementById('nhi-data').textContent);
  var SEV = ['critical', 'high', 'medium', 'low', 'info'];
  var SEV_RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
  var OWASP = R.owaspNames;

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === undefined || attrs[k] === null) continue;
      if (k === 'text') e.textContent = String(attrs[k]);
      else if (k === 'cls') e.className = attrs[k];
      else if (k.indexOf('on') === 0) e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, String(attrs[k]));
    }
    (kids || []).forEach(function (c) { if (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); return n; }
  function fmt(n) { return Number(n).toLocaleString('en-US'); }
  function sevBadge(s) { return el('span', { cls: 'sev sev-' + s, text: s }); }
  function plural(n, one, many) { return fmt(n) + ' ' + (n === 1 ? one : (many || one + 's')); }

  // ---- header and posture
  function renderHeader() {
    var meta = [plural(R.targets.length, 'target')];
    if (R.finishedAt) meta.push(R.finishedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'));
    if (R.durationSeconds !== null) meta.push(R.durationSeconds.toFixed(1) + ' s');
    meta.push(plural(R.findings.length, 'finding') + ' in ' + plural(R.totalPlaces, 'place'));
    $('meta').textContent = 'nhi-audit ' + R.tool.version + ' · ' + meta.join(' · ');
    var g = $('grade');
    if (R.posture) {
      g.appendChild(el('div', { cls: 'grade grade-' + R.posture.grade, 'data-testid': 'grade', text: R.posture.grade }));
      g.appendChild(el('div', { cls: 'score', text: R.posture.score + ' / 100' }));
      g.appendChild(el('div', { cls: 'muted', text: 'posture grade' }));
    } else {
      g.appendChild(el('div', { cls: 'grade grade-none', 'data-testid': 'grade', text: '–' }));
      g.appendChild(el('div', { cls: 'muted', text: 'no posture in this report' }));
    }
    var cards = $('categories');
    R.categories.forEach(function (c) {
      var sevs = el('div', { cls: 'mini' }, SEV.filter(function (s) { return c.bySeverity[s] > 0; }).map(function (s) {
        return el('span', { cls: 'sev sev-' + s, text: c.bySeverity[s] + ' ' + s });
      }));
      var state = !c.assessed ? 'not assessed' : c.findings === 0 ? 'no findings' : plural(c.findings, 'finding');
      var card = el('button', {
        cls: 'card ' + (!c.assessed ? 'card-na' : c.findings === 0 ? 'card-ok' : 'card-bad'), type: 'button', 'data-testid': 'category', 'data-owasp': c.id,
        title: 'Show the findings of ' + c.id,
        onclick: function () { $('f-owasp').value = c.id; applyFilters(); $('findings').scrollIntoView(); }
      }, [
        el('div', { cls: 'card-id', text: c.id }),
        el('div', { cls: 'card-name', text: c.name }),
        el('div', { cls: 'card-state', text: state }),
        c.assessed && c.findings ? el('div', { cls: 'muted', text: 'highest ' + c.highestScore.toFixed(1) + (R.posture ? ' · ' + plural(c.identities, 'identity', 'identities') : '') }) : null,
        sevs
      ]);
      cards.appendChild(card);
    });
  }

  function renderChart() {
    var max = Math.max.apply(null, SEV.map(function (s) { return R.bySeverity[s]; }).concat([1]));
    var box = $('chart');
    SEV.forEach(function (s) {
      var n = R.bySeverity[s];
      box.appendChild(el('div', { cls: 'bar-row', 'data-testid': 'bar-' + s }, [
        el('span', { cls: 'bar-label', text: s }),
        el('span', { cls: 'bar-track' }, [el('span', { cls: 'bar sev-' + s, style: 'width:' + (100 * n / max).toFixed(1) + '%' })]),
        el('span', { cls: 'bar-n', text: fmt(n) })
      ]));
    });
    var top = $('top');
    R.topRisks.forEach(function (id) {
      var f = R.findings.find(function (x) { return x.id === id; });
      if (!f) return;
      top.appendChild(el('li', {}, [
        el('a', { href: '#finding-' + f.id, onclick: function (ev) { ev.preventDefault(); openFinding(f); } }, [sevBadge(f.severity), ' ', el('b', { text: f.score.toFixed(1) }), ' ', f.title]),
        el('div', { cls: 'muted mono', text: f.where + (f.others ? '  +' + plural(f.others, 'other place') : '') })
      ]));
    });
    if (!R.topRisks.length) top.appendChild(el('li', { cls: 'ok', text: 'No findings.' }));
  }

  // ---- findings table
  var sortKey = 'score', sortDir = -1;
  function options(sel, values, label) {
    sel.appendChild(el('option', { value: '', text: label }));
    values.forEach(function (v) { sel.appendChild(el('option', { value: v[0], text: v[1] })); });
  }
  function setupFilters() {
    options($('f-sev'), SEV.filter(function (s) { return R.bySeverity[s] > 0; }).map(function (s) { return [s, s]; }), 'all severities');
    options($('f-owasp'), Object.keys(OWASP).map(function (k) { return [k, k + ' ' + OWASP[k]]; }), 'all OWASP categories');
    var sources = {};
    R.findings.forEach(function (f) { f.sources.forEach(function (s) { sources[s] = 1; }); });
    options($('f-source'), Object.keys(sources).sort().map(function (s) { return [s, s]; }), 'all sources');
    options($('f-target'), R.targets.map(function (t, i) { return [String(i), t.kind + ' ' + t.path]; }), 'all targets');
    ['f-sev', 'f-owasp', 'f-source', 'f-target'].forEach(function (id) { $(id).addEventListener('change', applyFilters); });
    $('f-text').addEventListener('input', applyFilters);
    $('f-reset').addEventListener('click', function () {
      ['f-sev', 'f-owasp', 'f-source', 'f-target', 'f-text'].forEach(function (id) { $(id).value = ''; });
      applyFilters();
    });
    Array.prototype.forEach.call(document.querySelectorAll('#findings th[data-sort]'), function (th) {
      th.addEventListener('click', function () {
        var k = th.getAttribute('data-sort');
        if (sortKey === k) sortDir = -sortDir; else { sortKey = k; sortDir = (k === 'score' || k === 'severity' || k === 'places') ? -1 : 1; }
        applyFilters();
      });
    });
  }
  function matches(f) {
    var sev = $('f-sev').value, ow = $('f-owasp').value, src = $('f-source').value, tg = $('f-target').value;
    var q = $('f-text').value.trim().toLowerCase();
    if (sev && f.severity !== sev) return false;
    if (ow && f.owasp.indexOf(ow) < 0) return false;
    if (src && f.sources.indexOf(src) < 0) return false;
    if (tg && f.targets.indexOf(Number(tg)) < 0) return false;
    if (q && f.search.indexOf(q) < 0) return false;
    return true;
  }
  function cmp(a, b) {
    var x, y;
    if (sortKey === 'severity') { x = SEV_RANK[a.severity]; y = SEV_RANK[b.severity]; }
    else if (sortKey === 'score' || sortKey === 'places') { x = a[sortKey]; y = b[sortKey]; }
    else { x = String(a[sortKey]).toLowerCase(); y = String(b[sortKey]).toLowerCase(); }
    if (x < y) return -sortDir;
    if (x > y) return sortDir;
    return b.score - a.score;
  }
  function applyFilters() {
    var rows = R.findings.filter(matches).sort(cmp);
    var body = clear($('findings-body'));
    rows.forEach(function (f) {
      var tr = el('tr', { 'data-testid': 'finding-row', 'data-id': f.id, tabindex: '0', onclick: function () { openFinding(f); }, onkeydown: function (e) { if (e.key === 'Enter') openFinding(f); } }, [
        el('td', {}, [sevBadge(f.severity)]),
        el('td', { cls: 'num', text: f.score.toFixed(1) }),
        el('td', {}, [el('div', { text: f.title }), el('div', { cls: 'muted mono', text: f.ruleId })]),
        el('td', { cls: 'mono where', text: f.where }),
        el('td', { cls: 'num', text: fmt(f.places) }),
        el('td', { text: f.owasp.join(' ') }),
        el('td', { text: f.sources.join(', ') }),
        el('td', { cls: 'mono nowrap', text: f.secret || '' })
      ]);
      body.appendChild(tr);
    });
    $('shown').textContent = 'showing ' + rows.length + ' of ' + plural(R.findings.length, 'finding');
    Array.prototype.forEach.call(document.querySelectorAll('#findings th[data-sort]'), function (th) {
      var k = th.getAttribute('data-sort');
      th.setAttribute('aria-sort', k === sortKey ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');
    });
    if (!rows.length) body.appendChild(el('tr', {}, [el('td', { colspan: '8', cls: 'muted', text: R.findings.length ? 'No finding matches the filters.' : 'No findings.' })]));
  }

  // ---- detail panel
  function section(title, kids) { return el('section', {}, [el('h3', { text: title })].concat(kids)); }
  function kv(obj) {
    var dl = el('dl', { cls: 'kv' });
    Object.keys(obj).forEach(function (k) {
      var v = obj[k];
      dl.appendChild(el('dt', { text: k }));
      var flat = Array.isArray(v) && v.every(function (x) { return typeof x !== 'object'; });
      dl.appendChild(el('dd', { cls: 'mono', text: typeof v === 'string' ? v : flat ? v.join(', ') : JSON.stringify(v, null, 2) }));
    });
    return dl;
  }
  function openPanel(title, kids) {
    var p = $('panel');
    clear($('panel-body'));
    $('panel-title').textContent = title;
    kids.forEach(function (k) { if (k) $('panel-body').appendChild(k); });
    p.hidden = false;
    p.setAttribute('aria-hidden', 'false');
    $('panel-close').focus();
  }
  function closePanel() { $('panel').hidden = true; $('panel').setAttribute('aria-hidden', 'true'); }
  function openFinding(f) {
    var places = el('ol', { cls: 'places mono', 'data-testid': 'places' }, f.placeList.map(function (p) {
      return el('li', {}, [p.text, p.source ? el('span', { cls: 'muted', text: '  [' + p.source + ']' }) : null]);
    }));
    var idents = R.inventory.filter(function (r) { return r.findings.indexOf(f.id) >= 0; });
    openPanel(f.title, [
      el('p', {}, [sevBadge(f.severity), ' score ', el('b', { text: f.score.toFixed(1) }), '  ', el('span', { cls: 'mono muted', text: f.ruleId + ' · ' + f.owasp.join(' ') })]),
      el('p', { text: f.message }),
      f.secret ? el('p', {}, ['secret ', el('code', { 'data-testid': 'secret', text: f.secret })]) : null,
      section('Where (' + plural(f.places, 'place') + ')', [places]),
      f.evidence ? section('Evidence', [kv(f.evidence)]) : null,
      section('Remediation', [el('pre', { cls: 'fix', 'data-testid': 'remediation', text: f.remediation })]),
      idents.length ? section('Identities', [el('ul', {}, idents.map(function (r) {
        return el('li', {}, [el('a', { href: '#identity', onclick: function (e) { e.preventDefault(); openIdentity(r); }, text: r.name }), el('span', { cls: 'muted', text: '  ' + r.kind })]);
      }))]) : null,
      section('References', [el('ul', {}, f.references.map(function (u) { return el('li', {}, [el('a', { href: u, rel: 'noreferrer noopener', target: '_blank', text: u })]); }))])
    ]);
  }
  function openIdentity(r) {
    var fs = R.findings.filter(function (f) { return r.findings.indexOf(f.id) >= 0; });
    var facts = {};
    ['kind', 'id', 'provider', 'scope', 'owner', 'status', 'privilege', 'created', 'lastUsed', 'lastRotated', 'expires', 'ageDays'].forEach(function (k) { if (r[k] !== undefined) facts[k] = String(r[k]); });
    openPanel(r.name, [
      kv(facts),
      r.permissions && r.permissions.length ? section('Permissions', [el('ul', { cls: 'mono' }, r.permissions.map(function (p) { return el('li', { text: p }); }))]) : null,
      r.where && r.where.length ? section('Where it lives', [el('ul', { cls: 'mono' }, r.where.map(function (p) { return el('li', { text: p }); }))]) : null,
      section('Findings', fs.length ? [el('ul', {}, fs.map(function (f) {
        return el('li', {}, [el('a', { href: '#finding', onclick: function (e) { e.preventDefault(); openFinding(f); } }, [sevBadge(f.severity), ' ' + f.score.toFixed(1) + ' ' + f.title])]);
      }))] : [el('p', { cls: 'ok', text: 'None.' })])
    ]);
  }

  // ---- inventory and targets
  function renderInventory() {
    var box = $('inventory');
    if (!R.hasInventory) { box.appendChild(el('p', { cls: 'muted', text: 'This report has no inventory.' })); return; }
    var kinds = el('div', { cls: 'kinds' }, R.kinds.map(function (k) { return el('span', { cls: 'chip', text: k.total + ' ' + k.label + (k.withFindings ? ' (' + k.withFindings + ' with findings)' : '') }); }));
    box.appendChild(kinds);
    var body = el('tbody');
    R.inventory.slice().sort(function (a, b) { return b.highestScore - a.highestScore || a.name.localeCompare(b.name); }).forEach(function (r) {
      body.appendChild(el('tr', { 'data-testid': 'identity-row', tabindex: '0', onclick: function () { openIdentity(r); }, onkeydown: function (e) { if (e.key === 'Enter') openIdentity(r); } }, [
        el('td', { text: r.kind }), el('td', { text: r.name }), el('td', { text: r.owner || '' }), el('td', { text: r.status || '' }), el('td', { text: r.privilege || '' }),
        el('td', { cls: 'num', text: r.ageDays !== undefined ? String(r.ageDays) : '' }), el('td', { text: (r.lastUsed || '').slice(0, 10) }),
        el('td', { cls: 'num', text: String(r.findings.length) }), el('td', { cls: 'num', text: r.highestScore ? r.highestScore.toFixed(1) : '' })
      ]));
    });
    box.appendChild(el('table', {}, [el('thead', {}, [el('tr', {}, ['kind', 'name', 'owner', 'status', 'privilege', 'age (days)', 'last used', 'findings', 'highest'].map(function (h) { return el('th', { text: h }); }))]), body]));
  }
  function renderTargets() {
    var body = $('targets-body');
    R.targets.forEach(function (t) {
      var notes = [];
      if (t.error) notes.push(el('div', { cls: 'bad', text: t.error }));
      if (t.skipped) notes.push(el('div', { cls: 'muted', text: t.skipped }));
      (t.warnings || []).forEach(function (w) { notes.push(el('div', { cls: 'warn', text: '! ' + w })); });
      if (t.looked && t.looked.length) notes.push(el('div', { cls: 'muted', text: 'looked in: ' + t.looked.join(', ') }));
      if (t.passed && t.passed.length) notes.push(el('div', { cls: 'ok', text: 'passed: ' + t.passed.join(', ') }));
      body.appendChild(el('tr', { 'data-testid': 'target-row' }, [
        el('td', {}, [el('span', { cls: 'status status-' + t.status, text: t.status })]), el('td', { text: t.kind }), el('td', { cls: 'mono', text: t.path }),
        el('td', { text: t.read }), el('td', { cls: 'num', text: String(t.findings) }), el('td', {}, notes)
      ]));
    });
  }

  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closePanel(); });
  $('panel-close').addEventListener('click', closePanel);
  renderHeader();
  renderChart();
  setupFilters();
  applyFilters();
  renderInventory();
  renderTargets();
  document.body.setAttribute('data-ready', 'true');
})();
`;
