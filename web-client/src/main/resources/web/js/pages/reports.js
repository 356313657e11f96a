import { api } from '../api.js';
import { h, field, replace, busy, formValues, download, formatted, announce } from '../dom.js';
import { t, onLangChange, currentLang } from '../i18n.js';
import { showErrors, clearErrors, formError } from '../errors.js';
import { kindKey, statusKey } from './petition-model.js';

/**
 * Reports / Báo cáo: the twice-monthly review, the six-month report or any period, as tables, a bar
 * chart of received, resolved and overdue petitions against the same period last year (SVG drawn
 * here: no chart library, no inline style), and the same figures as CSV and as PDF (in the app's language).
 */
const PRESETS = [['review-fortnight', 'reports.preset.review'], ['six-months', 'reports.preset.sixMonths'], ['period', 'reports.preset.period']];
const DUTY_KEYS = { PROVINCE_CHAIR: 'reports.duty.PROVINCE_CHAIR', COMMUNE_CHAIR: 'reports.duty.COMMUNE_CHAIR',
  PROVINCE_PARTY_SECRETARY: 'reports.duty.PROVINCE_PARTY_SECRETARY', COMMUNE_PARTY_SECRETARY: 'reports.duty.COMMUNE_PARTY_SECRETARY',
  AGENCY_HEAD: 'reports.duty.AGENCY_HEAD' };
const SVG = 'http://www.w3.org/2000/svg';

export async function reportsPage(section) {
  section.append(h('h2', { id: 'admin-section-title', i18n: 'reports.title' }), h('p', { class: 'hint', i18n: 'reports.hint' }));
  const submit = h('button', { type: 'submit', class: 'btn', id: 'report-run', i18n: 'reports.show' });
  const form = h('form', { class: 'panel inline', id: 'report-form', novalidate: true }, formError(),
    field({ name: 'kind', label: 'reports.preset', type: 'select', options: PRESETS.map(([value, key]) => ({ value, i18n: key })) }),
    field({ name: 'from', label: 'reports.from', type: 'date', hint: 'reports.fromHint' }),
    field({ name: 'to', label: 'reports.to', type: 'date' }),
    field({ name: 'unit', label: 'reports.unit', attrs: { autocomplete: 'off', maxlength: 64 } }),
    h('div', { class: 'actions' }, submit));
  const out = h('div', { id: 'report-result', 'aria-live': 'polite' });
  section.append(form, out);
  const toField = form.querySelector('[name="to"]');
  const syncTo = () => { toField.disabled = form.querySelector('[name="kind"]').value !== 'period'; if (toField.disabled) toField.value = ''; };
  form.querySelector('[name="kind"]').addEventListener('change', syncTo);
  syncTo();

  let shown = null;
  // The chart's and tables' words are drawn once: draw them again in the new language.
  const off = onLangChange(() => {
    if (!out.isConnected) { off(); return; }
    if (shown) replace(out, reportView(...shown));
  });
  const run = async () => {
    clearErrors(form);
    const v = formValues(form);
    const query = { from: v.from || undefined, to: v.kind === 'period' ? v.to || undefined : undefined, unit: v.unit?.trim() || undefined };
    busy(submit, true);
    try {
      const report = await api.report(v.kind, query);
      shown = [report, v.kind, query];
      replace(out, reportView(...shown));
    } catch (err) {
      showErrors(form, err);
      shown = null;
      replace(out);
    } finally { busy(submit, false); }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  await run();
}

function reportView(r, kind, query) {
  const csvButton = h('button', { type: 'button', class: 'btn btn-secondary', id: 'report-csv', i18n: 'reports.csv',
    onClick: async (e) => {
      const button = e.currentTarget;
      busy(button, true);
      try {
        download(`report-${kind}-${r.from}-${r.to}.csv`, (await api.reportCsv(kind, query)).text);
      } catch (err) {
        announce('reports.csvFailed');
        throw err;
      } finally { busy(button, false); }
    } });
  const pdfButton = h('button', { type: 'button', class: 'btn btn-secondary', id: 'report-pdf', i18n: 'reports.pdf',
    onClick: async (e) => {
      const button = e.currentTarget;
      busy(button, true);
      try {
        const lang = currentLang();
        download(`report-${kind}-${r.from}-${r.to}-${lang}.pdf`, (await api.reportPdf(kind, query, lang)).blob, 'application/pdf');
      } catch (err) {
        announce('reports.pdfFailed');
        throw err;
      } finally { busy(button, false); }
    } });
  const rate = r.resolutionRateWithinLimit == null ? '—' : `${Math.round(r.resolutionRateWithinLimit * 1000) / 10} %`;
  return [
    h('p', { class: 'report-period', id: 'report-period' }, h('span', { i18n: 'reports.period' }), ' ', formatted('date', r.from), ' – ',
      formatted('date', r.to), ' · ', h('span', { i18n: 'reports.comparedWith' }), ' ', formatted('date', r.comparisonFrom), ' – ',
      formatted('date', r.comparisonTo)),
    chart(r),
    table('report-totals', ['reports.figure', 'reports.current', 'reports.previousYear'], [
      [t('reports.received'), r.current.received, r.previousYear.received],
      [t('reports.resolved'), r.current.resolved, r.previousYear.resolved],
      [t('reports.overdue'), r.current.overdue, r.previousYear.overdue],
      [t('reports.backlog'), r.backlogCarriedOver, ''],
      [t('reports.withinLimit'), `${r.resolvedWithinLimit} (${rate})`, '']]),
    h('h3', { i18n: 'reports.byUnit' }),
    table('report-units', ['reports.unit', 'reports.originalUnits', 'reports.received'],
      r.byUnit.map((u) => [`${u.unitName} (${u.unitCode})`, u.originalUnits.join(', '), u.received])),
    h('h3', { i18n: 'reports.byKind' }),
    table('report-kinds', ['reports.kind', 'reports.received'], Object.entries(r.byKind).map(([k, n]) => [t(kindKey(k)), n])),
    h('h3', { i18n: 'reports.byStatus' }),
    table('report-statuses', ['reports.status', 'reports.received'], Object.entries(r.byStatus).map(([s, n]) => [t(statusKey(s)), n])),
    h('h3', { i18n: 'reports.byAgency' }),
    table('report-agencies', ['reports.agency', 'reports.received'], r.byAgency.map((a) => [a.agency || t('reports.noAgency'), a.received])),
    h('h3', { i18n: 'reports.leaders' }), h('p', { class: 'hint', i18n: 'reports.leadersHint' }),
    table('report-leaders', ['reports.leader', 'reports.duty', 'reports.held', 'reports.minimum'], r.leaders.map((l) => [
      l.position ? `${l.name} — ${l.position}` : l.name, t(DUTY_KEYS[l.duty]), l.held,
      l.belowMinimum ? h('strong', { class: 'report-below' }, String(l.minimum), ' ', h('span', { i18n: 'reports.below' })) : l.minimum])),
    h('div', { class: 'actions' }, csvButton, pdfButton)];
}

function table(id, headKeys, rows) {
  return h('table', { class: 'table report-table', id },
    h('thead', {}, h('tr', {}, headKeys.map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, rows.length ? rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c))))
      : h('tr', {}, h('td', { colspan: headKeys.length, class: 'muted', i18n: 'reports.none' }))));
}

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  children.forEach((c) => el.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return el;
}

/** Grouped bars: received, resolved, overdue; this period beside the same period last year. */
function chart(r) {
  const groups = [['reports.received', 'received'], ['reports.resolved', 'resolved'], ['reports.overdue', 'overdue']];
  const max = Math.max(1, ...groups.flatMap(([, k]) => [r.current[k], r.previousYear[k]]));
  const width = 480; const height = 240; const base = 200; const top = 44; const bar = 40; const gap = 8; const groupWidth = 150;
  const scale = (n) => Math.round(((base - top) * n) / max);
  const el = svg('svg', { id: 'report-chart', class: 'report-chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-labelledby': 'report-chart-title' }, svg('title', { id: 'report-chart-title' }, t('reports.chartTitle')),
  svg('line', { x1: 10, y1: base, x2: width - 10, y2: base, class: 'report-axis' }));
  groups.forEach(([key, k], i) => {
    const x = 30 + i * groupWidth;
    [['previous', r.previousYear[k]], ['current', r.current[k]]].forEach(([series, n], j) => {
      const bx = x + j * (bar + gap);
      const hgt = scale(n);
      el.append(svg('rect', { x: bx, y: base - hgt, width: bar, height: hgt, class: `report-bar report-bar-${series}`,
        'data-series': series, 'data-figure': k, 'data-value': n }, svg('title', {}, `${t(series === 'current' ? 'reports.current' : 'reports.previousYear')}: ${n}`)),
      svg('text', { x: bx + bar / 2, y: base - hgt - 4, class: 'report-value', 'text-anchor': 'middle' }, n));
    });
    el.append(svg('text', { x: x + bar + gap / 2, y: base + 18, class: 'report-label', 'text-anchor': 'middle' }, t(key)));
  });
  el.append(svg('rect', { x: 10, y: 6, width: 10, height: 10, class: 'report-key report-bar-current' }),
    svg('text', { x: 24, y: 15, class: 'report-legend' }, t('reports.current')),
    svg('rect', { x: 150, y: 6, width: 10, height: 10, class: 'report-key report-bar-previous' }),
    svg('text', { x: 164, y: 15, class: 'report-legend' }, t('reports.previousYear')));
  return h('figure', { class: 'report-figure' }, el);
}
