import { api } from '../api.js';
import { h, field, formValues, announce, formatted, replace, busy } from '../dom.js';
import { describe, setFieldError } from '../errors.js';
import { formDialog } from '../dialog.js';
import { statusKey, kindKey, registerNo } from './petition-model.js';

/**
 * A petition's handling after acceptance (issue 13): the current step, the deadline due now with
 * its article, every step taken, the cases linked to it, and — for the secretary and the host —
 * the form for the next step and the search for the citizen's earlier petitions. The server
 * decides which steps are allowed next (GET /petitions/{id}/steps); this view only offers them.
 */

const OUTCOMES = [['UPHELD', 'case.outcome.UPHELD'], ['PARTLY_UPHELD', 'case.outcome.PARTLY_UPHELD'], ['REJECTED', 'case.outcome.REJECTED']];
const METHODS = [['IN_PERSON', 'case.method.IN_PERSON'], ['POST', 'case.method.POST'], ['ELECTRONIC', 'case.method.ELECTRONIC'],
  ['AT_RECEPTION_SESSION', 'case.method.AT_RECEPTION_SESSION']];
const LINK_KINDS = [['REPEAT', 'case.link.REPEAT'], ['PROLONGED', 'case.link.PROLONGED'], ['GROUP', 'case.link.GROUP'],
  ['SECOND_ROUND', 'case.link.SECOND_ROUND']];
const outcomeKey = (o) => Object.fromEntries(OUTCOMES)[o] || 'pet.status.UNKNOWN';
const methodKey = (m) => Object.fromEntries(METHODS)[m] || 'pet.status.UNKNOWN';
const linkKey = (k) => Object.fromEntries(LINK_KINDS)[k] || 'pet.status.UNKNOWN';

/** Which fields each step asks for (CaseCommands.StepInput on the server). */
const STEP_FIELDS = {
  ASSIGNED: ['agencyId', 'unitCode'],
  TRANSFERRED: ['agencyId', 'unitCode'],
  DIALOGUE_HELD: ['sessionId'],
  DECIDED: ['decisionNumber', 'signer', 'outcome', 'handling'],
  NOTIFIED: ['noticeMethod'],
};
const OPTIONAL_FIELDS = ['agencyId', 'unitCode', 'sessionId', 'decisionNumber', 'signer', 'outcome', 'handling', 'noticeMethod'];

const writes = (user) => user && (user.role === 'SECRETARY' || user.role === 'HOST');

/** Opens the case file of {@code p} in a dialog; {@code onSaved(view)} hears of every step recorded. */
export async function showCaseFile(p, user, onSaved = () => {}) {
  const titleId = 'case-file-title';
  const body = h('div', { class: 'case-file-body' }, h('p', { class: 'progress', i18n: 'app.loading' }));
  const close = h('button', { type: 'button', class: 'btn', i18n: 'app.close' });
  const dlg = h('dialog', { id: 'case-file', class: 'wide', 'aria-labelledby': titleId },
    h('h2', { id: titleId, i18n: 'case.title', args: { no: registerNo(p) } }), body, h('div', { class: 'actions' }, close));
  close.addEventListener('click', () => { dlg.close(); dlg.remove(); });
  dlg.addEventListener('cancel', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  const load = async () => {
    try {
      const file = await api.caseFile(p.id);
      replace(body, caseFileView(file, p, user, async (saved) => { onSaved(saved); await load(); }));
    } catch (err) { replace(body, h('p', { class: 'error', role: 'alert' }, describe(err))); }
  };
  await load();
}

function caseFileView(file, p, user, reload) {
  const due = file.due;
  return [
    h('dl', { class: 'case-now' },
      h('dt', { i18n: 'case.current' }), h('dd', {}, h('span', { class: 'badge ok case-status', i18n: statusKey(file.status) })),
      h('dt', { i18n: 'case.due' }), h('dd', { class: 'case-due' }, due
        ? [h('strong', {}, formatted('date', due.dueOn)), ` (${due.legalBasis})`, file.overdue ? [' ', h('span', { class: 'badge live', i18n: 'pet.overdue' })] : null]
        : h('span', { class: 'muted', i18n: 'case.noDue' })),
      file.handlerAgency ? [h('dt', { i18n: 'pet.handler' }), h('dd', {}, file.handlerAgency)] : null),
    h('h3', { i18n: 'case.history' }),
    file.steps.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'case-steps' },
      h('thead', {}, h('tr', {}, ['case.col.date', 'case.col.step', 'case.col.basis', 'case.col.details', 'case.col.by', 'case.col.dueThen']
        .map((k) => h('th', { i18n: k })))),
      h('tbody', {}, file.steps.map((s) => h('tr', { dataset: { step: s.step } },
        h('td', {}, formatted('date', s.effectiveOn)),
        h('td', {}, h('span', { i18n: statusKey(s.step) })),
        h('td', { class: 'basis' }, s.legalBasis),
        h('td', {}, stepDetails(s)),
        h('td', {}, s.actorName),
        h('td', {}, s.dueOn ? [formatted('date', s.dueOn), h('span', { class: 'muted' }, ` (${s.dueBasis})`)] : '—'))))))
      : h('p', { class: 'muted', i18n: 'case.noSteps' }),
    h('h3', { i18n: 'case.links' }),
    file.links.length ? h('ul', { class: 'case-links' }, file.links.map((l) => h('li', { dataset: { linked: l.otherId } },
      h('span', { class: 'badge', i18n: linkKey(l.kind) }), ' ', l.otherRegisterNumber,
      l.outgoing ? null : h('span', { class: 'muted', i18n: 'case.linkedFrom' }))))
      : h('p', { class: 'muted', i18n: 'case.noLinks' }),
    writes(user) && file.allowedSteps.length ? h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'btn case-next', i18n: 'case.nextStep', onClick: () => nextStep(file, p, reload) })) : null,
    writes(user) ? earlierPetitions(p, file, reload) : null,
  ];
}

function stepDetails(s) {
  const parts = [];
  if (s.agencyName) parts.push(s.agencyName);
  if (s.sessionId) parts.push(h('span', { i18n: 'case.inSession', args: { id: s.sessionId } }));
  if (s.decisionNumber) parts.push(`${s.decisionNumber} · ${s.signer || ''}`);
  if (s.outcome) parts.push(h('span', { i18n: outcomeKey(s.outcome) }));
  if (s.handling) parts.push(s.handling);
  if (s.noticeMethod) parts.push(h('span', { i18n: methodKey(s.noticeMethod) }));
  if (s.note) parts.push(s.note);
  return parts.length ? parts.map((x, i) => [i ? ' — ' : '', x]) : '—';
}

/** The form of the next step: only the steps the server allows now, each with the article it follows. */
async function nextStep(file, p, reload) {
  let agencies = [];
  try { agencies = (await api.agencies(true)).agencies || []; } catch { /* the unit code still works */ }
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
  const stepSelect = field({ name: 'step', label: 'case.step', type: 'select', required: true,
    options: file.allowedSteps.map((s) => ({ value: s.step, i18n: statusKey(s.step) })) });
  const basis = h('p', { class: 'hint case-basis' });
  const fields = {
    agencyId: field({ name: 'agencyId', label: 'case.agency', type: 'select', hint: 'case.agencyHint',
      options: [{ value: '', i18n: 'case.agencyNone' }, ...agencies.map((a) => ({ value: String(a.id), label: a.name }))] }),
    unitCode: field({ name: 'unitCode', label: 'case.unitCode', attrs: { autocomplete: 'off' } }),
    sessionId: field({ name: 'sessionId', label: 'case.sessionId', type: 'number', attrs: { min: 1, inputmode: 'numeric' } }),
    decisionNumber: field({ name: 'decisionNumber', label: 'case.decisionNumber', required: true, attrs: { autocomplete: 'off' } }),
    signer: field({ name: 'signer', label: 'case.signer', required: true }),
    outcome: field({ name: 'outcome', label: 'case.outcome', type: 'select', required: true,
      options: OUTCOMES.map(([value, i18n]) => ({ value, i18n })) }),
    handling: field({ name: 'handling', label: 'case.handling', type: 'textarea', rows: 2, hint: 'case.handlingHint' }),
    noticeMethod: field({ name: 'noticeMethod', label: 'case.noticeMethod', type: 'select', required: true,
      options: METHODS.map(([value, i18n]) => ({ value, i18n })) }),
  };
  const show = () => {
    const step = stepSelect.querySelector('select').value;
    const wanted = STEP_FIELDS[step] || [];
    for (const name of OPTIONAL_FIELDS) fields[name].hidden = !wanted.includes(name);
    basis.textContent = file.allowedSteps.find((s) => s.step === step)?.legalBasis || '';
  };
  stepSelect.querySelector('select').addEventListener('change', show);
  show();
  formDialog({
    id: 'case-step', title: { i18n: 'case.nextStepTitle', args: { no: registerNo(p) } }, submitKey: 'case.save',
    body: [stepSelect, basis, field({ name: 'effectiveOn', label: 'case.effectiveOn', type: 'date', required: true, value: today }),
      OPTIONAL_FIELDS.map((f) => fields[f]), field({ name: 'note', label: 'case.note', type: 'textarea', rows: 2 })],
    onSubmit: async (form) => {
      const v = formValues(form);
      const wanted = STEP_FIELDS[v.step] || [];
      const body = { step: v.step, effectiveOn: v.effectiveOn || null, note: v.note.trim() || null, version: file.version };
      for (const name of wanted) {
        const value = (v[name] || '').trim();
        if (!value) continue;
        body[name] = name === 'agencyId' || name === 'sessionId' ? Number(value) : value;
      }
      if (v.step === 'DECIDED' && !body.decisionNumber) { setFieldError(form, 'decisionNumber', 'err.required'); return false; }
      const saved = await api.recordStep(p.id, body);
      announce('case.saved', { no: registerNo(p) });
      await reload(saved);
      return true;
    },
  });
}

/** Case history: the citizen's earlier petitions by exact ID-card number (each search audited), to link as repeat, prolonged, group or second round. */
function earlierPetitions(p, file, reload) {
  const out = h('div', { class: 'case-earlier' });
  const input = h('input', { type: 'text', name: 'idNumber', autocomplete: 'off', inputmode: 'numeric', i18nAttr: { 'aria-label': 'case.idNumber' } });
  const submit = h('button', { type: 'submit', class: 'btn btn-secondary', i18n: 'case.search' });
  const form = h('form', { class: 'inline case-search', role: 'search' }, input, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    busy(submit, true);
    try {
      const found = ((await api.caseHistory(input.value.trim())).petitions || []).filter((x) => x.id !== p.id);
      replace(out, found.length ? h('ul', { class: 'case-earlier-list' }, found.map((x) => h('li', { dataset: { petitionId: x.id } },
        h('strong', {}, registerNo(x)), ' · ', formatted('date', x.receivedOn), ' · ', h('span', { i18n: kindKey(x.kind) }), ' · ',
        h('span', { i18n: statusKey(x.status) }), ' · ', x.summary || '',
        h('span', { class: 'case-link-buttons' }, LINK_KINDS.map(([kind, key]) => h('button', { type: 'button', class: 'btn btn-quiet', dataset: { link: kind },
          onClick: async () => {
            try { await reload(await api.linkPetition(p.id, { linkedId: x.id, kind, version: file.version })); announce('case.linked'); } catch (err) { alert(describe(err)); }
          } }, h('span', { i18n: 'case.linkAs' }), ' ', h('span', { i18n: key })))))))
        : h('p', { class: 'muted', i18n: 'case.noEarlier' }));
    } catch (err) { replace(out, h('p', { class: 'error', role: 'alert' }, describe(err))); } finally { busy(submit, false); }
  });
  return h('section', { class: 'case-history' }, h('h3', { i18n: 'case.findEarlier' }), h('p', { class: 'hint', i18n: 'case.idNumberHint' }), form, out);
}

/** The administrator's list of handling agencies: add, deactivate, reactivate (never delete: earlier steps name them). */
export function agenciesPanel() {
  const box = h('div', { class: 'agencies-list' });
  const name = field({ name: 'name', label: 'agencies.name', required: true });
  const room = field({ name: 'roomCode', label: 'agencies.roomCode' });
  const submit = h('button', { type: 'submit', class: 'btn btn-secondary', i18n: 'agencies.add' });
  const form = h('form', { class: 'inline', id: 'agency-form', novalidate: true }, name, room, submit);
  const load = async () => {
    try {
      const list = (await api.agencies(false)).agencies || [];
      replace(box, list.length ? h('ul', { class: 'agencies' }, list.map((a) => h('li', { dataset: { agencyId: a.id } },
        a.name, a.roomCode ? h('span', { class: 'muted' }, ` (${a.roomCode})`) : null, ' ',
        a.active ? null : h('span', { class: 'badge', i18n: 'agencies.inactive' }), ' ',
        h('button', { type: 'button', class: 'btn btn-quiet', i18n: a.active ? 'agencies.deactivate' : 'agencies.activate',
          onClick: async () => { try { await api.updateAgency(a.id, { active: !a.active, version: a.version }); await load(); } catch (err) { alert(describe(err)); } } }))))
        : h('p', { class: 'muted', i18n: 'agencies.none' }));
    } catch (err) { replace(box, h('p', { class: 'error', role: 'alert' }, describe(err))); }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    if (!v.name.trim()) { setFieldError(form, 'name', 'err.required'); return; }
    busy(submit, true);
    try {
      await api.createAgency({ name: v.name.trim(), roomCode: v.roomCode.trim() || null });
      form.reset();
      await load();
    } catch (err) { alert(describe(err)); } finally { busy(submit, false); }
  });
  load();
  return h('section', { class: 'panel', id: 'agencies' }, h('h2', { i18n: 'agencies.title' }), h('p', { class: 'hint', i18n: 'agencies.hint' }), form, box);
}
