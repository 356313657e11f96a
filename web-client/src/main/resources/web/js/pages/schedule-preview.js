import { api } from '../api.js';
import { h, replace, clear, formatted } from '../dom.js';
import { fmtArg } from '../i18n.js';
import { describe } from '../errors.js';

const DAY_KEYS = { MONDAY: 'weekday.MO', TUESDAY: 'weekday.TU', WEDNESDAY: 'weekday.WE', THURSDAY: 'weekday.TH', FRIDAY: 'weekday.FR', SATURDAY: 'weekday.SA', SUNDAY: 'weekday.SU' };
const OUTCOME_KEYS = { MOVED: 'sessions.preview.moved', SKIPPED: 'sessions.preview.skipped', COINCIDES: 'sessions.preview.coincides' };
/** Waits for typing to pause before asking the server, so a date typed digit by digit costs one request. */
const DEBOUNCE_MS = 400;

/** Why a day is closed: its weekday, or the holiday's name from the table, with the date. */
function reason(r) {
  const what = r.kind === 'WEEKEND' ? h('span', { i18n: DAY_KEYS[r.dayOfWeek] })
    : h('span', { i18n: 'sessions.preview.holiday', args: { name: r.holiday || '' } });
  return h('span', { class: 'reason', dataset: { kind: r.kind } }, what, ' (', formatted('date', r.date), ')');
}

function warning(w, lastYear) {
  if (lastYear == null) return h('p', { class: 'notice warn', i18n: 'sessions.preview.noTable', args: { year: w.year } });
  return h('p', { class: 'notice warn', id: 'holiday-table-warning',
    i18n: w.openEnded ? 'sessions.preview.tableEndsOpen' : 'sessions.preview.tableEnds', args: { last: lastYear, year: w.year } });
}

/**
 * The schedule form's server preview of a recurring rule: each occurrence the holiday table moves
 * or drops, with the closed days why, and the warning when the rule outruns the table. update(body)
 * with the preview body, or null to clear.
 */
export function schedulePreview() {
  const element = h('div', { class: 'schedule-preview', id: 'schedule-preview', 'aria-live': 'polite' });
  let timer = null;
  let lastKey = null;
  let seq = 0;
  const render = (p) => {
    const changed = p.occurrences.filter((o) => o.outcome !== 'KEPT');
    const kept = p.occurrences.length - changed.length;
    replace(element,
      h('p', {}, h('strong', { i18n: 'sessions.preview.title' }), ' ',
        h('span', { i18n: 'sessions.preview.kept', args: { n: kept, total: p.occurrences.length, from: fmtArg('date', p.from), to: fmtArg('date', p.to) } })),
      changed.length ? h('ul', { class: 'preview-moves', id: 'schedule-moves' }, changed.map((o) => h('li', { dataset: { ruleDate: o.ruleDate, outcome: o.outcome } },
        h('span', { i18n: OUTCOME_KEYS[o.outcome], args: { from: fmtArg('date', o.ruleDate), to: o.date ? fmtArg('date', o.date) : '' } }),
        ' — ', h('span', { i18n: 'sessions.preview.because' }), ' ',
        o.reasons.flatMap((r, i) => (i ? [', ', reason(r)] : [reason(r)]))))) : null,
      p.warnings.map((w) => warning(w, p.holidayTableLastYear)));
  };
  return {
    element,
    update(body) {
      clearTimeout(timer);
      const key = body && JSON.stringify(body);
      if (!body) { lastKey = null; clear(element); return; }
      if (key === lastKey) return;
      lastKey = key;
      const mine = ++seq;
      timer = setTimeout(async () => {
        try {
          const p = await api.previewSchedule(body);
          if (mine === seq) render(p);
        } catch (err) {
          if (mine === seq) replace(element, h('p', { class: 'muted' }, describe(err)));
        }
      }, DEBOUNCE_MS);
    },
  };
}
