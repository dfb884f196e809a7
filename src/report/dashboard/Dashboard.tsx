import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useMemo, useReducer, useState } from 'react';
import type { Finding } from '../../model/finding.js';
import type { Report } from '../../model/report.js';
import { SEVERITIES, type Severity } from '../../model/severity.js';
import { fixLine, inventoryByKind, placeCount, placesOf, placeText, plural, postureRows, secretText, topRisks } from '../view.js';

const COLOR: Record<Severity, string> = { critical: 'redBright', high: 'red', medium: 'yellow', low: 'cyan', info: 'gray' };
const SHORT: Record<Severity, string> = { critical: 'CRIT', high: 'HIGH', medium: 'MED ', low: 'LOW ', info: 'INFO' };

export interface DashboardProps {
  report: Report;
  showSecrets?: boolean;
  /** Terminal size (the caller passes stdout's); the view never draws more rows than this minus one. */
  columns: number;
  rows: number;
}

type Focus = 'findings' | 'categories';

interface State {
  selected: number;
  focus: Focus;
  catIndex: number;
  category?: string;
  filter: string;
  typing: boolean;
  /** Id of the finding whose details are open. */
  detail?: string;
  scroll: number;
}

const INITIAL: State = { selected: 0, focus: 'findings', catIndex: 0, filter: '', typing: false, scroll: 0 };

interface KeyEvent {
  input: string;
  key: { up: boolean; down: boolean; left: boolean; ret: boolean; esc: boolean; back: boolean; tab: boolean; pgUp: boolean; pgDown: boolean; ctrl: boolean };
}

function visible(report: Report, sorted: Finding[], st: State): Finding[] {
  return sorted.filter((f) => matches(report, f, st.filter) && (!st.category || f.owasp.includes(st.category as never)));
}

/** One key press: the next state. Pure, so keys typed faster than the screen redraws still apply in order. */
export function reduce(st: State, { input, key }: KeyEvent, report: Report, sorted: Finding[], categories: string[]): State {
  if (st.typing) {
    if (key.ret || key.esc) return { ...st, typing: false };
    if (key.back) return { ...st, filter: st.filter.slice(0, -1), selected: 0 };
    if (input && !key.ctrl) return { ...st, filter: st.filter + input.replace(/[\r\n]/g, ''), selected: 0 };
    return st;
  }
  if (st.detail) {
    if (key.esc || key.ret || key.back || key.left) return { ...st, detail: undefined, scroll: 0 };
    if (key.down || input === 'j') return { ...st, scroll: st.scroll + 1 };
    if (key.up || input === 'k') return { ...st, scroll: Math.max(0, st.scroll - 1) };
    return st;
  }
  if (input.startsWith('/')) return { ...st, typing: true, focus: 'findings', filter: st.filter + input.slice(1), selected: 0 };
  if (key.tab) return { ...st, focus: st.focus === 'findings' ? 'categories' : 'findings' };
  if (key.esc) return { ...st, filter: '', category: undefined, selected: 0 };
  if (st.focus === 'categories') {
    if (key.down || input === 'j') return { ...st, catIndex: Math.min(categories.length - 1, st.catIndex + 1) };
    if (key.up || input === 'k') return { ...st, catIndex: Math.max(0, st.catIndex - 1) };
    if (key.ret) {
      const id = categories[st.catIndex];
      return { ...st, category: st.category === id ? undefined : id, selected: 0, focus: 'findings' };
    }
    return st;
  }
  const n = visible(report, sorted, st).length;
  const sel = Math.min(st.selected, Math.max(0, n - 1));
  if (key.down || input === 'j') return { ...st, selected: Math.min(n - 1, sel + 1) };
  if (key.up || input === 'k') return { ...st, selected: Math.max(0, sel - 1) };
  if (key.pgDown) return { ...st, selected: Math.min(n - 1, sel + 10) };
  if (key.pgUp) return { ...st, selected: Math.max(0, sel - 10) };
  if (key.ret && n > 0) return { ...st, detail: visible(report, sorted, st)[sel].id, scroll: 0 };
  return st;
}

function matches(report: Report, f: Finding, q: string): boolean {
  if (!q) return true;
  const hay = [f.title, f.ruleId, f.severity, f.owasp.join(' '), f.message, ...placesOf(f).map((p) => placeText(report, p))].join('\n').toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, Math.max(0, n - 1))}…` : s;
}

/**
 * The interactive dashboard after a run (`audit -i`): the OWASP NHI Top 10 table with counts and
 * highest score, the inventory by kind, and the findings by risk with keyboard navigation —
 * ↑/↓ (or j/k) move, Enter opens a finding (places and the full remediation), Esc goes back,
 * / filters by text, Tab switches to the category table (Enter there filters by category), q quits.
 */
export function Dashboard({ report, showSecrets = false, columns, rows }: DashboardProps) {
  const { exit } = useApp();
  const sorted = useMemo(() => topRisks(report, report.findings.length), [report]);
  const categories = useMemo(() => postureRows(report), [report]);
  const kinds = useMemo(() => inventoryByKind(report.inventory), [report]);
  const [st, dispatch] = useReducer((state: State, ev: KeyEvent): State => reduce(state, ev, report, sorted, categories.map((c) => c.id)), INITIAL);
  const { focus, catIndex, category, filter, typing, scroll } = st;
  const list = visible(report, sorted, st);
  const sel = Math.min(st.selected, Math.max(0, list.length - 1));
  const detail = st.detail ? sorted.find((f) => f.id === st.detail) : undefined;

  useInput((input, key) => {
    if (!typing && !detail && (input === 'q' || (key.ctrl && input === 'c'))) {
      exit();
      return;
    }
    if (detail && input === 'q') {
      exit();
      return;
    }
    // the reducer sees the latest state even when keys arrive faster than React re-renders
    dispatch({ input, key: { up: key.upArrow, down: key.downArrow, left: key.leftArrow, ret: key.return, esc: key.escape, back: key.backspace || key.delete, tab: key.tab, pgUp: key.pageUp, pgDown: key.pageDown, ctrl: key.ctrl || key.meta } });
  });
  // Effects run in order: this one runs after useInput's, which put stdin in raw mode; the key help
  // appears only then, so whoever reads the screen knows keys will be heard.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const width = Math.max(60, columns - 1);
  const height = Math.max(12, rows - 1);
  const s = report.summary;
  const head = `nhi-audit · ${report.posture ? `posture ${report.posture.score}/100 grade ${report.posture.grade} · ` : ''}${plural(s.total, 'finding')} · ${plural(report.inventory?.length ?? 0, 'identity', 'identities')} · ${plural(report.targets.length, 'target')}`;
  const help = !ready ? '' : typing ? 'type to filter · Enter/Esc done' : detail ? '↑↓ scroll · Esc back · q quit' : `↑↓ move · Enter details · / filter · Tab ${focus === 'findings' ? 'categories' : 'findings'} · Esc clear · q quit`;

  if (detail) {
    const places = placesOf(detail);
    const secret = secretText(detail, showSecrets);
    const lines: Array<{ text: string; color?: string; bold?: boolean }> = [
      { text: `${detail.severity.toUpperCase()} ${detail.score.toFixed(1)}  ${detail.title}`, color: COLOR[detail.severity], bold: true },
      { text: `${detail.ruleId} · ${detail.owasp.join(' ')} · ${detail.source}`, color: 'gray' },
      ...(secret !== undefined ? [{ text: `secret ${secret}` }] : []),
      { text: '' },
      ...wrap(detail.message, width).map((t) => ({ text: t })),
      { text: '' },
      { text: `${plural(places.length, 'place')}:`, bold: true },
      ...places.map((p) => ({ text: `  ${placeText(report, p)}${p.source ? `  [${p.source}]` : ''}` })),
      { text: '' },
      { text: 'Remediation:', bold: true, color: 'green' },
      ...detail.remediation.split('\n').flatMap((l) => wrap(l, width - 2).map((t) => ({ text: `  ${t}` }))),
    ];
    if (detail.evidence && Object.keys(detail.evidence).length) {
      lines.push({ text: '' }, { text: 'Evidence:', bold: true });
      for (const [k, v] of Object.entries(detail.evidence)) lines.push(...wrap(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`, width).map((t) => ({ text: t })));
    }
    const room = height - 3;
    const top = Math.min(scroll, Math.max(0, lines.length - room));
    return (
      <Box flexDirection="column" width={width}>
        <Text color="cyan" bold>
          {cut(head, width)}
        </Text>
        <Text> </Text>
        {lines.slice(top, top + room).map((l, i) => (
          <Text key={i} color={l.color} bold={l.bold} wrap="truncate-end">
            {l.text || ' '}
          </Text>
        ))}
        <Text dimColor>{cut(help, width)}</Text>
      </Box>
    );
  }

  const catWidth = Math.min(70, width - 44);
  const listRoom = Math.max(3, height - 1 - 11 - 1 - 1 - 1 - 1);
  const start = Math.max(0, Math.min(sel - Math.floor(listRoom / 2), list.length - listRoom));
  const shown = list.slice(start, start + listRoom);
  const titleW = Math.max(20, width - 14 - 40);
  return (
    <Box flexDirection="column" width={width}>
      <Text color="cyan" bold>
        {cut(head, width)}
      </Text>
      <Text>
        <Text bold underline={focus === 'categories'}>
          {`OWASP NHI Top 10 (2025)`.padEnd(catWidth - 18)}findings highest
        </Text>
        {'  '}
        <Text bold>Inventory by kind</Text>
      </Text>
      {categories.map((c, i) => {
        const mark = focus === 'categories' && i === catIndex ? '›' : category === c.id ? '•' : ' ';
        const name = cut(`${c.id.padEnd(5)} ${c.name}`, catWidth - 20).padEnd(catWidth - 20);
        const val = !c.assessed ? 'not assessed'.padStart(16) : `${String(c.findings).padStart(8)} ${c.findings ? c.highestScore.toFixed(1).padStart(7) : '      –'}`;
        const k = i === 0 && kinds.length === 0 ? undefined : kinds[i];
        return (
          <Text key={c.id} wrap="truncate-end">
            <Text color={!c.assessed ? 'gray' : c.findings ? 'red' : 'green'} inverse={focus === 'categories' && i === catIndex}>
              {mark} {name} {val}
            </Text>
            {'   '}
            {i === 0 && kinds.length === 0 ? <Text dimColor>{report.inventory ? 'none seen' : 'no inventory in this report'}</Text> : null}
            {k ? (
              <Text>
                {String(k.total).padStart(4)} {cut(k.label, 22)}
                {k.withFindings ? <Text color="red"> ({k.withFindings} with findings)</Text> : null}
              </Text>
            ) : null}
          </Text>
        );
      })}
      <Text> </Text>
      <Text bold underline={focus === 'findings'}>
        {`Top risks · ${list.length === sorted.length ? plural(list.length, 'finding') : `${list.length} of ${plural(sorted.length, 'finding')}`}`}
        {category ? ` · ${category}` : ''}
        {filter || typing ? ` · filter: ${filter}${typing ? '▏' : ''}` : ''}
      </Text>
      {list.length === 0 ? <Text dimColor>{sorted.length ? 'No finding matches.' : 'No findings.'}</Text> : null}
      {shown.map((f, i) => {
        const idx = start + i;
        const active = idx === sel && focus === 'findings';
        const n = placeCount(f) - 1;
        const where = cut(`${placeText(report, placesOf(f)[0], { commit: false })}${n ? ` +${n}` : ''}`, 38);
        return (
          <Text key={f.id} inverse={active} wrap="truncate-end">
            {active ? '›' : ' '} <Text color={COLOR[f.severity]}>{SHORT[f.severity]}</Text> {f.score.toFixed(1)} {cut(f.title, titleW).padEnd(titleW)} <Text dimColor={!active}>{where}</Text>
          </Text>
        );
      })}
      <Text dimColor>{cut(list[sel] && focus === 'findings' ? `fix: ${fixLine(list[sel])}` : '', width)}</Text>
      <Text dimColor>{cut(help, width)}</Text>
    </Box>
  );
}

function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/(\s+)/)) {
    if ((line + word).length > width && line.trim()) {
      out.push(line.trimEnd());
      line = word.trimStart();
    } else line += word;
  }
  if (line.trim()) out.push(line.trimEnd());
  return out;
}

export const SEVERITY_ORDER = SEVERITIES;
