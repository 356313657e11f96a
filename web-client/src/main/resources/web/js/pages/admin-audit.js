import { api } from '../api.js';
import { h, field, replace, busy, formValues, append, formatted } from '../dom.js';
import { t, fmtNumber } from '../i18n.js';
import { describe, showErrors, clearErrors, formError } from '../errors.js';

/**
 * The audit log for administrators: the hash chain's verification first (is anything altered,
 * inserted or removed?), then the entries newest first, narrowed by actor, action and days, one
 * page at a time. Details are shown as "key: value" lines; they never hold personal data (the
 * server refuses such keys), so nothing here needs masking.
 */
const PAGE = 50;
/** Common action families for the filter; any other action can still be typed. */
const FAMILIES = ['auth.', 'user.', 'room.', 'session.', 'petition.', 'attendance.', 'floor.'];
const ROLE_KEYS = { ADMIN: 'role.ADMIN', HOST: 'role.HOST', SECRETARY: 'role.SECRETARY', ROOM_OPERATOR: 'role.ROOM_OPERATOR' };
const ENTITY_TYPES = [['user', 'audit.entity.user'], ['room', 'audit.entity.room'], ['session', 'audit.entity.session'], ['petition', 'audit.entity.petition']];

/** A Vietnam calendar day's first instant, so a day filter means the same day the office sees. */
export function vnDayStart(day, plusDays = 0) {
  const d = new Date(`${day}T00:00:00+07:00`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d.toISOString();
}

/** {a: 1, b: {c: 2}} -> ["a: 1", "b.c: 2"]: readable, never raw JSON. */
export function detailLines(detail, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(detail || {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...detailLines(v, key));
    else out.push(`${key}: ${Array.isArray(v) ? v.join(', ') : v}`);
  }
  return out;
}

const ENTITY_KEYS = Object.fromEntries(ENTITY_TYPES);

export async function auditPage(section) {
  section.append(h('h2', { id: 'admin-section-title', i18n: 'audit.title' }));
  const verifyBox = h('div', { id: 'audit-verify', 'aria-live': 'polite' });
  const verifyBtn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'audit-verify-run', i18n: 'audit.verify' });
  const verify = async () => {
    busy(verifyBtn, true);
    replace(verifyBox, h('p', { class: 'progress', i18n: 'audit.verifying' }));
    try {
      const v = await api.auditVerify();
      replace(verifyBox, v.valid
        ? h('p', { class: 'notice ok', role: 'status', dataset: { valid: 'true' }, i18n: 'audit.valid', args: { n: fmtNumber(v.entries) } })
        : h('div', { class: 'notice warn', role: 'alert', dataset: { valid: 'false' } },
          h('p', { i18n: 'audit.broken', args: { seq: v.firstBrokenSeq, n: fmtNumber(v.entries) } }),
          v.problem ? h('p', { class: 'muted', lang: 'en' }, v.problem) : null));
    } catch (err) {
      replace(verifyBox, h('p', { class: 'notice warn', role: 'alert' }, describe(err)));
    } finally { busy(verifyBtn, false); }
  };
  verifyBtn.addEventListener('click', verify);

  const submit = h('button', { type: 'submit', class: 'btn', i18n: 'audit.filter' });
  const families = h('datalist', { id: 'audit-actions' }, FAMILIES.map((f) => h('option', { value: f })));
  const form = h('form', { class: 'panel', novalidate: true, role: 'search', id: 'audit-filter' },
    formError(),
    h('div', { class: 'inline' },
      field({ name: 'actor', label: 'audit.actor', attrs: { autocomplete: 'off' }, hint: 'audit.actorHint' }),
      field({ name: 'action', label: 'audit.action', attrs: { list: 'audit-actions', autocomplete: 'off' }, hint: 'audit.actionHint' }),
      field({ name: 'from', label: 'audit.from', type: 'date' }),
      field({ name: 'to', label: 'audit.to', type: 'date' })),
    h('div', { class: 'inline' },
      field({ name: 'entityType', label: 'audit.entity', type: 'select', options: [{ value: '', i18n: 'audit.entity.any' }, ...ENTITY_TYPES.map(([value, i18n]) => ({ value, i18n }))] }),
      field({ name: 'entityId', label: 'audit.entityId', attrs: { autocomplete: 'off' }, hint: 'audit.entityIdHint' })),
    families,
    h('div', { class: 'actions' }, submit));

  const tbody = h('tbody', {});
  const table = h('div', { class: 'table-wrap' }, h('table', { id: 'audit-table' },
    h('thead', {}, h('tr', {}, ['audit.seq', 'audit.at', 'audit.actor', 'audit.action', 'audit.entity', 'audit.detail', 'audit.remote'].map((k) => h('th', { i18n: k })))),
    tbody));
  const status = h('p', { class: 'muted', id: 'audit-count', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', id: 'audit-more', i18n: 'audit.older', hidden: true });
  let query = {};
  let nextBefore = null;
  let shown = 0;

  const row = (e) => h('tr', { dataset: { seq: e.seq, action: e.action } },
    h('td', { class: 'num' }, String(e.seq)),
    h('td', {}, formatted('datetime', e.at)),
    h('td', {}, e.actorUsername || h('span', { class: 'muted', i18n: 'audit.system' }),
      e.actorRole ? h('div', { class: 'muted', i18n: ROLE_KEYS[e.actorRole] || 'role.UNKNOWN' }) : null),
    h('td', {}, h('code', {}, e.action)),
    h('td', {}, ENTITY_KEYS[e.entityType] ? h('span', { i18n: ENTITY_KEYS[e.entityType] }) : e.entityType,
      e.entityId ? [' ', h('button', { type: 'button', class: 'btn-link code', i18nAttr: { title: 'audit.onlyThis' }, onClick: () => onlyThis(e) }, e.entityId)] : null),
    h('td', { class: 'audit-detail' }, detailLines(e.detail).map((l) => h('div', {}, l))),
    h('td', {}, e.remoteAddress || ''));

  /** Everything that happened to one subject: the question an audit usually starts from. */
  const onlyThis = (e) => {
    form.elements.entityType.value = ENTITY_KEYS[e.entityType] ? e.entityType : '';
    form.elements.entityId.value = e.entityId;
    form.elements.action.value = '';
    form.requestSubmit();
  };

  const fetchPage = async (append_) => {
    const page = await api.audit({ ...query, before: append_ ? nextBefore : undefined, limit: PAGE });
    const entries = page.entries || [];
    if (!append_) { replace(tbody); shown = 0; }
    append(tbody, entries.map(row));
    shown += entries.length;
    nextBefore = page.nextBefore ?? null;
    more.hidden = nextBefore == null;
    status.dataset.i18n = shown ? 'audit.shown' : 'audit.none';
    status.dataset.i18nArgs = JSON.stringify({ n: shown });
    status.textContent = t(status.dataset.i18n, { n: shown });
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    query = { actor: v.actor.trim(), action: v.action.trim(), from: v.from ? vnDayStart(v.from) : undefined, to: v.to ? vnDayStart(v.to, 1) : undefined,
      entityType: v.entityType || undefined, entityId: v.entityId.trim() || undefined };
    busy(submit, true);
    try { await fetchPage(false); } catch (err) { showErrors(form, err); } finally { busy(submit, false); }
  });
  more.addEventListener('click', async () => {
    busy(more, true);
    try { await fetchPage(true); } catch (err) { showErrors(form, err); } finally { busy(more, false); }
  });

  section.append(
    h('div', { class: 'panel' }, h('h3', { i18n: 'audit.chain' }), h('p', { class: 'hint', i18n: 'audit.chainHint' }), verifyBox, h('div', { class: 'actions' }, verifyBtn)),
    form, status, table, h('div', { class: 'actions' }, more));
  await Promise.all([verify(), fetchPage(false).catch((err) => replace(tbody, h('tr', {}, h('td', { colspan: 7 }, describe(err)))))]);
}
