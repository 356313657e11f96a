import { api } from '../api.js';
import { h, field, formValues, announce, formatted } from '../dom.js';
import { t, fmtDate, fmtArg } from '../i18n.js';
import { describe, setFieldError } from '../errors.js';
import { formDialog } from '../dialog.js';
import { canSeePersonal, maskName, maskId, maskAddress } from '../mask.js';
import { PETITION_KINDS, kindKey, statusKey, registerNo } from './petition-model.js';

/**
 * The register's less frequent moves on one petition: its full version history, a deadline
 * extension citing its decision (LTC Art. 30(1)), and splitting a mixed petition (LTCD Art. 25(3)).
 * Each dialog keeps what was typed through a failed request (drafts.js) and shows the server's
 * refusal beside the field it names.
 */

/** The only deadline the law lets a decision extend: a denunciation's resolution (LTC Art. 30(1)). */
export const EXTENSIBLE = 'DENUNCIATION_RESOLUTION';
const CHANGE_KEYS = { create: 'pet.change.create', update: 'pet.change.update', status: 'pet.change.status', annotate: 'pet.change.annotate', extend: 'pet.change.extend', split: 'pet.change.split' };
const FIELD_KEYS = {
  kind: 'pet.kind', status: 'pet.status', summary: 'pet.summary', requests: 'pet.requests', priorHandling: 'pet.earlierHandling',
  handlerAgency: 'pet.handler', originRoomCode: 'pet.originRoom', headCount: 'pet.headCount', petitioners: 'pet.petitioners',
  complex: 'pet.complexity', especiallyComplex: 'pet.complexity', remoteArea: 'pet.remoteArea', nextDueOn: 'pet.deadline',
  extensions: 'pet.extensions', annotations: 'pet.annotations',
};
const COMPLEXITY = [['NORMAL', 'pet.complexity.NORMAL'], ['COMPLEX', 'pet.complexity.COMPLEX'], ['ESPECIALLY', 'pet.complexity.ESPECIALLY']];

export function complexityOf(p) {
  return p.especiallyComplex ? 'ESPECIALLY' : p.complex ? 'COMPLEX' : 'NORMAL';
}

/** The deadline a petition must meet next, with the extensions that moved it. */
export function currentDeadline(p) {
  const list = p.deadlines || [];
  return list.find((d) => d.dueOn === p.nextDueOn && (d.extensions || []).length) || list.find((d) => d.dueOn === p.nextDueOn) || list[0] || null;
}

/** One readable value of a snapshot field, retranslated on a language switch; personal data masked for roles that must not see it. */
function shown(fieldName, value, role) {
  if (value == null || value === '') return '—';
  switch (fieldName) {
    case 'kind': return h('span', { i18n: kindKey(value) });
    case 'status': return h('span', { i18n: statusKey(value) });
    case 'nextDueOn': return formatted('date', value);
    case 'complex': case 'especiallyComplex': case 'remoteArea': return h('span', { i18n: value ? 'app.yes' : 'app.no' });
    case 'annotations': return String(value.length);
    case 'extensions': return value.length ? value.map((x, i) => [i ? '; ' : '', h('span', { i18n: 'pet.extensionLine', args: { days: x.days, ref: x.decisionReference, date: fmtArg('date', x.decidedOn) } })]) : '—';
    case 'petitioners': return value.map((x) => (canSeePersonal(role)
      ? [x.name, x.idNumber, x.address] : [maskName(x.name), maskId(x.idNumber), maskAddress(x.address)]).filter(Boolean).join(' · ')).join('; ') || '—';
    default: return String(value);
  }
}

function fieldsOf(snapshot) {
  const p = snapshot?.petition || {};
  const out = {};
  for (const f of Object.keys(FIELD_KEYS)) out[f] = f === 'annotations' ? snapshot?.annotations || [] : p[f];
  // Extensions live inside the computed deadlines; the decisions they cite are what a reader looks for.
  out.extensions = (p.deadlines || []).flatMap((d) => d.extensions || []);
  return out;
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Every stored version, newest first, each with what changed from the one before and the whole text on demand. */
export async function showVersions(p, user) {
  const denunciation = p.kind === 'DENUNCIATION';
  if (denunciation && !confirm(t('pet.versionsRevealConfirm'))) return;
  let versions;
  try {
    versions = (await api.petitionVersions(p.id, denunciation)).versions || [];
  } catch (err) { alert(describe(err)); return; }
  const titleId = 'versions-title';
  const close = h('button', { type: 'button', class: 'btn', i18n: 'app.close' });
  const items = versions.map((v, i) => {
    const now = fieldsOf(v.snapshot);
    const before = i > 0 ? fieldsOf(versions[i - 1].snapshot) : null;
    const changed = before ? Object.keys(now).filter((f) => !same(now[f], before[f])) : [];
    return { v, now, before, changed };
  }).reverse();
  const dlg = h('dialog', { id: 'petition-versions', 'aria-labelledby': titleId, class: 'wide' },
    h('h2', { id: titleId, i18n: 'pet.versionsTitle', args: { no: registerNo(p), n: versions.length } }),
    h('ul', { class: 'versions' }, items.map(({ v, now, before, changed }) => h('li', { dataset: { version: v.version } },
      h('p', {}, h('strong', { i18n: 'pet.versionN', args: { v: v.version } }), ' · ', formatted('datetime', v.changedAt), ' · ',
        h('span', { i18n: CHANGE_KEYS[v.change] || 'pet.change.other' }), ' · ', h('span', { class: 'muted', i18n: 'pet.changedBy', args: { id: v.changedBy } })),
      before ? (changed.length ? h('table', { class: 'version-diff' },
        h('thead', {}, h('tr', {}, h('th', { i18n: 'pet.field' }), h('th', { i18n: 'pet.before' }), h('th', { i18n: 'pet.after' }))),
        h('tbody', {}, changed.map((f) => h('tr', { dataset: { field: f } }, h('th', { i18n: FIELD_KEYS[f] }),
          h('td', {}, shown(f, before[f], user.role)), h('td', {}, shown(f, now[f], user.role))))))
        : h('p', { class: 'muted', i18n: 'pet.noFieldChange' })) : null,
      h('details', {}, h('summary', { i18n: 'pet.fullVersion' }),
        h('dl', { class: 'version-full' }, Object.keys(now).filter((f) => f !== 'especiallyComplex').map((f) => [
          h('dt', { i18n: FIELD_KEYS[f] }), h('dd', {}, f === 'complex' ? h('span', { i18n: COMPLEXITY.find(([c]) => c === complexityOf(v.snapshot.petition))[1] }) : shown(f, now[f], user.role))])))))),
    h('div', { class: 'actions' }, close));
  close.addEventListener('click', () => { dlg.close(); dlg.remove(); });
  dlg.addEventListener('cancel', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
}

/**
 * Extends a denunciation's resolution deadline by a decision. The complexity the law ties the
 * number of extensions to is set in the same dialog, since that is when the resolver decides it.
 */
export function extendDeadline(p, onSaved) {
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
  const due = currentDeadline(p);
  formDialog({
    id: 'petition-extend', title: { i18n: 'pet.extendTitle', args: { no: registerNo(p) } }, submitKey: 'pet.extend',
    draftKey: `extend.${p.id}`,
    aliases: { deadlineKind: 'complexity', flags: 'complexity', especiallyComplex: 'complexity', version: 'decisionReference' },
    body: [
      h('p', { class: 'hint', i18n: 'pet.extendExplain' }),
      h('p', {}, h('span', { class: 'muted', i18n: 'pet.deadline' }), ': ', h('strong', {}, p.nextDueOn ? formatted('date', p.nextDueOn) : '—'),
        due?.latestDueOn && due.latestDueOn !== due.dueOn ? h('span', { class: 'muted', i18n: 'pet.latestDue', args: { date: fmtArg('date', due.latestDueOn) } }) : null),
      (due?.extensions || []).length ? h('ul', { class: 'extensions-so-far' }, due.extensions.map((x) => h('li', { i18n: 'pet.extensionLine',
        args: { days: x.days, ref: x.decisionReference, date: fmtArg('date', x.decidedOn) } }))) : null,
      field({ name: 'complexity', label: 'pet.complexity', type: 'select', value: complexityOf(p), options: COMPLEXITY.map(([value, i18n]) => ({ value, i18n })), hint: 'pet.complexityHint' }),
      field({ name: 'decisionReference', label: 'pet.decisionReference', required: true, hint: 'pet.decisionReferenceHint', attrs: { autocomplete: 'off' } }),
      h('div', { class: 'inline' },
        field({ name: 'decidedOn', label: 'pet.decidedOn', type: 'date', required: true, value: today }),
        field({ name: 'days', label: 'pet.extensionDays', type: 'number', required: true, value: '30', hint: 'pet.extensionDaysHint', attrs: { min: 1, max: 30, inputmode: 'numeric' } })),
    ],
    onSubmit: async (form) => {
      const v = formValues(form);
      if (!v.decisionReference.trim()) { setFieldError(form, 'decisionReference', 'err.required'); return false; }
      if (!v.decidedOn) { setFieldError(form, 'decidedOn', 'err.required'); return false; }
      if (!/^\d+$/.test(v.days)) { setFieldError(form, 'days', 'err.number'); return false; }
      let version = p.version;
      if (v.complexity !== complexityOf(p)) {
        const flagged = await api.updatePetition(p.id, version, { complex: v.complexity !== 'NORMAL', especiallyComplex: v.complexity === 'ESPECIALLY' });
        version = flagged.version;
        // Later failures must not send the same flag change against a stale version.
        p = flagged;
        onSaved(flagged);
      }
      const saved = await api.extendDeadline(p.id, version, {
        deadlineKind: EXTENSIBLE, days: Number(v.days), decisionReference: v.decisionReference.trim(), decidedOn: v.decidedOn,
      });
      onSaved(saved);
      announce('pet.extended', { no: registerNo(saved), date: fmtDate(saved.nextDueOn) });
      return true;
    },
  });
}

/** LTCD Art. 25(3): each part becomes a petition with its own register number; the original is filed. */
export function splitPetition(p, onSaved) {
  const key = `split.${p.id}`;
  let rows = 2;
  try {
    const saved = JSON.parse(localStorage.getItem(`crl.draft.${key}`) || 'null')?.values || {};
    rows = Math.max(2, ...Object.keys(saved).map((k) => Number((k.match(/^part(\d+)\./) || [])[1] ?? -1) + 1));
  } catch { /* a broken draft only costs its rows */ }
  const parts = h('div', { class: 'split-parts' });
  const addPart = (i) => parts.append(h('fieldset', { class: 'split-part', dataset: { part: i } },
    h('legend', { i18n: 'pet.partN', args: { n: i + 1 } }),
    field({ name: `part${i}.kind`, label: 'pet.kind', type: 'select', value: i === 0 ? 'COMPLAINT' : 'DENUNCIATION', options: PETITION_KINDS.map(([value, i18n]) => ({ value, i18n })) }),
    field({ name: `part${i}.summary`, label: 'pet.summary', type: 'textarea', required: true, rows: 3, value: p.summary })));
  for (let i = 0; i < rows; i++) addPart(i);
  const more = h('button', { type: 'button', class: 'btn btn-quiet', id: 'split-add', i18n: 'pet.addPart' });
  const aliases = {};
  for (let i = 0; i < 10; i++) for (const f of ['kind', 'summary']) aliases[`parts[${i}].${f}`] = `part${i}.${f}`;
  const { form } = formDialog({
    id: 'petition-split', title: { i18n: 'pet.splitTitle', args: { no: registerNo(p) } }, submitKey: 'pet.split',
    draftKey: key, aliases: { ...aliases, parts: 'part0.kind' },
    body: [h('p', { class: 'hint', i18n: 'pet.splitExplain' }), parts, more],
    onSubmit: async (f) => {
      const v = formValues(f);
      const n = parts.querySelectorAll('.split-part').length;
      const body = [];
      for (let i = 0; i < n; i++) {
        const summary = (v[`part${i}.summary`] || '').trim();
        if (!summary) { setFieldError(f, `part${i}.summary`, 'err.required'); return false; }
        body.push({ kind: v[`part${i}.kind`], summary });
      }
      const out = await api.splitPetition(p.id, p.version, body);
      const created = out.parts || [];
      created.forEach((x) => onSaved(x));
      try { onSaved((await api.petition(p.id)).petition); } catch { /* the live event brings the filed original too */ }
      announce('pet.splitDone', { no: registerNo(p), parts: created.map(registerNo).join(', ') });
      return true;
    },
  });
  more.addEventListener('click', () => {
    const n = parts.querySelectorAll('.split-part').length;
    if (n >= 10) return;
    addPart(n);
    form.querySelector(`[name="part${n}.summary"]`).focus();
  });
}
