import { api, items } from '../api.js';
import { h, field, replace, clear, busy, formValues, announce, download, csvLine } from '../dom.js';
import { t, fmtDateTime, fmtDate, fmtNumber, onLangChange } from '../i18n.js';
import { describe, showErrors, clearErrors, formError, translateMessage, setFieldError } from '../errors.js';
import { bindDraft } from '../drafts.js';
import { stateBadge } from '../sessions.js';
import { maskName, maskId, maskAddress } from '../mask.js';
import { PETITION_KINDS, PETITION_STATUSES, kindKey, statusKey, petitioners, dueDate } from './petition-model.js';

const TABS = [['rooms', 'nav.rooms'], ['users', 'nav.users'], ['sessions', 'nav.sessions'], ['attendance', 'nav.attendance'], ['petitions', 'nav.petitions']];
export const LEVELS = ['PROVINCE', 'DISTRICT', 'COMMUNE', 'WARD', 'SPECIAL_ZONE'];
export const LEVEL_KEYS = { PROVINCE: 'level.PROVINCE', DISTRICT: 'level.DISTRICT', COMMUNE: 'level.COMMUNE', WARD: 'level.WARD', SPECIAL_ZONE: 'level.SPECIAL_ZONE' };
const ROLES = ['ADMIN', 'HOST', 'SECRETARY', 'ROOM_OPERATOR'];
const ROLE_KEYS = { ADMIN: 'role.ADMIN', HOST: 'role.HOST', SECRETARY: 'role.SECRETARY', ROOM_OPERATOR: 'role.ROOM_OPERATOR' };

export async function render(ctx) {
  const tab = ctx.params[0] || 'rooms';
  ctx.main.append(
    h('h1', { i18n: 'admin.title' }),
    h('nav', { class: 'tabs', i18nAttr: { 'aria-label': 'admin.sections' } },
      TABS.map(([id, key]) => h('a', { href: `#/admin/${id}`, i18n: key, 'aria-current': id === tab ? 'page' : null }))));
  const section = h('section', { 'aria-labelledby': 'admin-section-title' });
  ctx.main.append(section);
  const pages = { rooms: roomsPage, users: usersPage, sessions: sessionsPage, attendance: attendancePage, petitions: petitionsPage };
  return pages[tab](section, ctx);
}

function sectionTitle(key) {
  return h('h2', { id: 'admin-section-title', i18n: key });
}

function loadError(box, err) {
  replace(box, err.status === 404 ? h('p', { class: 'notice warn', i18n: 'admin.apiPending' }) : h('p', { class: 'notice warn', role: 'alert' }, describe(err)));
}

/* ---------------------------------------------------------------- rooms */

function validity(room) {
  const v = room.validity || {};
  return { from: room.validFrom || v.from || v.validFrom || null, to: room.validTo || v.to || v.validTo || null };
}

/** Builds a tree from a flat list (parentCode) or passes a nested one (children) through. */
export function roomTree(list) {
  if (list.some((r) => Array.isArray(r.children) && r.children.length)) return list;
  const byCode = new Map(list.map((r) => [r.code, { ...r, children: [] }]));
  const roots = [];
  for (const r of byCode.values()) {
    const parent = r.parentCode && byCode.get(r.parentCode);
    (parent ? parent.children : roots).push(r);
  }
  const sort = (nodes) => { nodes.sort((a, b) => a.name.localeCompare(b.name, 'vi')); nodes.forEach((n) => sort(n.children)); return nodes; };
  return sort(roots);
}

export function flattenRooms(nodes, depth = 0, out = []) {
  for (const n of nodes) { out.push({ ...n, depth }); flattenRooms(n.children || [], depth + 1, out); }
  return out;
}

function roomLabel(r) {
  const v = validity(r);
  const ended = v.to && Date.parse(v.to) < Date.now();
  return h('span', { class: ended ? 'ended' : null },
    h('span', {}, r.name), ' ', h('span', { class: 'code' }, r.code), ' ',
    h('span', { class: 'badge', i18n: LEVEL_KEYS[r.level] || 'level.OTHER' }),
    v.from || v.to ? h('span', { class: 'muted' }, ' ', h('span', { i18n: 'rooms.validity', args: { from: v.from ? fmtDate(v.from) : '…', to: v.to ? fmtDate(v.to) : '…' } })) : null,
    ended ? [' ', h('span', { class: 'badge off', i18n: 'rooms.ended' })] : null);
}

function treeNodes(nodes, filter) {
  const match = (n) => !filter || `${n.name} ${n.code}`.toLowerCase().includes(filter) || (n.children || []).some(match);
  return nodes.filter(match).map((n) => {
    const kids = (n.children || []).filter(match);
    if (!kids.length) return h('li', { role: 'treeitem', class: 'leaf', dataset: { code: n.code } }, roomLabel(n));
    return h('li', { role: 'treeitem', dataset: { code: n.code } },
      h('details', { open: !!filter || n.level === 'PROVINCE' },
        h('summary', {}, roomLabel(n), ' ', h('span', { class: 'muted', i18n: 'rooms.childCount', args: { n: kids.length } })),
        h('ul', { role: 'group' }, treeNodes(kids, filter))));
  });
}

async function roomsPage(section) {
  section.append(sectionTitle('rooms.title'));
  const treeBox = h('div', {}, h('p', { class: 'progress', i18n: 'app.loading' }));
  const filter = h('input', { type: 'search', id: 'room-filter', i18nAttr: { placeholder: 'rooms.filter' } });
  let tree = [];
  const draw = () => {
    if (!tree.length) { replace(treeBox, h('p', { class: 'muted', i18n: 'rooms.empty' })); return; }
    const total = flattenRooms(tree).length;
    replace(treeBox, h('p', { class: 'muted', i18n: 'rooms.total', args: { n: total } }),
      h('ul', { class: 'tree', role: 'tree', i18nAttr: { 'aria-label': 'rooms.title' } }, treeNodes(tree, filter.value.trim().toLowerCase())));
  };
  filter.addEventListener('input', draw);
  const load = async () => {
    try { tree = roomTree(items(await api.rooms())); draw(); } catch (err) { loadError(treeBox, err); }
  };

  const csv = h('textarea', { id: 'csv-text', name: 'csv', rows: 8, spellcheck: 'false', class: 'mono', i18nAttr: { placeholder: 'rooms.import.placeholder' } });
  const file = h('input', { type: 'file', id: 'csv-file', accept: '.csv,text/csv' });
  file.addEventListener('change', async () => { if (file.files[0]) csv.value = await file.files[0].text(); });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'csv-import', i18n: 'rooms.import.submit' });
  const result = h('div', { id: 'import-result', class: 'import-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'panel', novalidate: true },
    h('h3', { i18n: 'rooms.import.title' }),
    h('p', { class: 'hint', i18n: 'rooms.import.hint' }),
    h('div', { class: 'field' }, h('label', { for: 'csv-file', i18n: 'rooms.import.file' }), file),
    h('div', { class: 'field', dataset: { field: 'csv' } }, h('label', { for: 'csv-text', i18n: 'rooms.import.text' }), csv, h('p', { class: 'field-error' })),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    if (!csv.value.trim()) { setFieldError(form, 'csv', 'err.required'); return; }
    busy(submit, true);
    replace(result, h('p', { class: 'progress', i18n: 'rooms.import.running' }));
    try {
      const res = await api.importRooms(csv.value);
      replace(result, h('p', { class: 'notice ok', role: 'status', i18n: 'rooms.import.done',
        args: { n: res?.rows ?? '?', created: res?.created ?? 0, updated: res?.updated ?? 0, retired: res?.retired ?? 0 } }));
      await load();
    } catch (err) {
      replace(result, importErrors(err, csv.value));
      result.scrollIntoView({ block: 'start' });
    } finally {
      busy(submit, false);
    }
  });

  // The import result spans the page: a table of per-line errors needs the width.
  section.append(result, h('div', { class: 'grid-main-side' },
    h('div', {}, h('div', { class: 'field' }, h('label', { for: 'room-filter', i18n: 'rooms.filterLabel' }), filter), treeBox),
    form));
  await load();
}

/** Reads a line number from an error's field ("line 3", "lines[3].code", "3", "row 3: code"). */
export function lineOf(fieldName) {
  const m = String(fieldName || '').match(/(\d+)/);
  return m ? Number(m[1]) : null;
}

function columnOf(fieldName) {
  const m = String(fieldName || '').match(/\d+\]?\.?:?\s*([A-Za-z_]+)/);
  return m ? m[1] : null;
}

/**
 * The server names the column in field and starts message with "line N: " (RoomCsv / RoomDirectory);
 * older shapes put the line in the field. Both are read.
 */
export function csvErrorRows(problem) {
  return (problem.errors || []).map((e) => {
    const m = String(e.message || '').match(/^\s*line\s+(\d+)\s*:\s*(.*)$/i);
    const line = m ? Number(m[1]) : lineOf(e.field);
    const column = e.field && !/^\d+$/.test(e.field) && !/^line/i.test(e.field) && e.field !== 'file' ? e.field : (columnOf(e.field) || '');
    return { line, column, message: m ? m[2] : e.message };
  });
}

function importErrors(err, text) {
  const rows = csvErrorRows(err.problem);
  if (!rows.length) return h('div', { class: 'form-error', role: 'alert' }, h('p', {}, describe(err)), err.problem.detail ? h('p', {}, translateMessage(err.problem.detail)) : null);
  const lines = text.split(/\r?\n/);
  rows.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return h('div', { class: 'form-error', role: 'alert', id: 'csv-errors' },
    h('p', { i18n: 'rooms.import.failed', args: { n: rows.length } }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'csv-errors' },
      h('thead', {}, h('tr', {}, h('th', { i18n: 'rooms.import.line' }), h('th', { i18n: 'rooms.import.column' }), h('th', { i18n: 'rooms.import.error' }), h('th', { i18n: 'rooms.import.content' }))),
      h('tbody', {}, rows.map((r) => {
        const translated = translateMessage(r.message);
        return h('tr', { dataset: { line: r.line ?? '' } },
          h('td', {}, r.line != null ? h('span', { i18n: 'rooms.import.lineN', args: { n: r.line } }) : '—'),
          h('td', {}, r.column),
          h('td', {}, translated, translated !== r.message ? h('div', { class: 'muted', lang: 'en' }, r.message) : null),
          h('td', {}, r.line != null && lines[r.line - 1] != null ? h('code', {}, lines[r.line - 1]) : ''));
      })))));
}

/* ---------------------------------------------------------------- users */

async function usersPage(section) {
  section.append(sectionTitle('users.title'));
  const listBox = h('div', {}, h('p', { class: 'progress', i18n: 'app.loading' }));
  let rooms = [];
  try { rooms = flattenRooms(roomTree(items(await api.rooms()))); } catch { /* room codes can still be typed */ }
  const roomOptions = () => [{ value: '', i18n: 'users.noRoom' }, ...rooms.map((r) => ({ value: r.code, label: `${'  '.repeat(r.depth)}${r.name} (${r.code})` }))];

  const load = async () => {
    try {
      const users = items(await api.users());
      replace(listBox, h('div', { class: 'table-wrap' }, h('table', { id: 'users-table' },
        h('thead', {}, h('tr', {}, ['users.username', 'users.displayName', 'users.role', 'users.room', 'users.status', 'users.actions'].map((k) => h('th', { i18n: k })))),
        h('tbody', {}, users.map((u) => {
          const disabled = u.disabled === true;
          return h('tr', { dataset: { userId: u.id } },
            h('td', {}, u.username), h('td', {}, u.displayName || ''),
            h('td', {}, h('span', { i18n: ROLE_KEYS[u.role] || 'role.UNKNOWN' })),
            h('td', {}, u.roomCode ? [rooms.find((r) => r.code === u.roomCode)?.name || '', ' ', h('span', { class: 'code muted' }, u.roomCode)] : ''),
            h('td', {}, h('span', { class: disabled ? 'badge off' : 'badge ok', i18n: disabled ? 'users.disabled' : 'users.enabled' })),
            h('td', { class: 'actions' },
              h('button', { type: 'button', class: 'btn btn-quiet', i18n: 'users.edit', onClick: () => editUser(u) }),
              h('button', { type: 'button', class: 'btn btn-quiet', i18n: disabled ? 'users.enable' : 'users.disable', onClick: () => toggleUser(u, disabled) })));
        })))));
    } catch (err) { loadError(listBox, err); }
  };

  const toggleUser = async (u, disabled) => {
    try {
      await api.updateUser(u.id, { disabled: !disabled });
      announce(disabled ? 'users.enabledDone' : 'users.disabledDone', { name: u.username });
      await load();
    } catch (err) { alert(describe(err)); }
  };

  const userForm = (u, onDone) => {
    const submit = h('button', { type: 'submit', class: 'btn', i18n: u ? 'users.save' : 'users.create' });
    const form = h('form', { class: u ? '' : 'panel', novalidate: true, id: u ? 'user-edit' : 'user-create' },
      h('h3', { i18n: u ? 'users.editTitle' : 'users.createTitle', args: u ? { name: u.username } : undefined }),
      formError(),
      u ? null : field({ name: 'username', label: 'users.username', required: true, attrs: { autocomplete: 'off' } }),
      field({ name: 'displayName', label: 'users.displayName', required: true, value: u?.displayName }),
      field({ name: 'role', label: 'users.role', type: 'select', value: u?.role || 'ROOM_OPERATOR', options: ROLES.map((r) => ({ value: r, i18n: ROLE_KEYS[r] })) }),
      field({ name: 'roomCode', label: 'users.room', type: 'select', value: u?.roomCode || '', options: roomOptions(), hint: 'users.roomHint' }),
      field({ name: 'password', label: u ? 'users.newPassword' : 'users.password', type: 'password', required: !u, hint: 'users.passwordHint', attrs: { autocomplete: 'new-password' } }),
      h('div', { class: 'actions' }, submit, u ? h('button', { type: 'button', class: 'btn btn-quiet', i18n: 'app.cancel', onClick: () => onDone(false) }) : null));
    const syncRoom = () => { form.elements.roomCode.closest('.field').hidden = form.elements.role.value !== 'ROOM_OPERATOR'; };
    form.elements.role.addEventListener('change', syncRoom);
    syncRoom();
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const v = formValues(form);
      if (!u && !v.username.trim()) { setFieldError(form, 'username', 'err.required'); return; }
      if (v.role === 'ROOM_OPERATOR' && !v.roomCode) { setFieldError(form, 'roomCode', 'users.roomRequired'); return; }
      const body = { displayName: v.displayName.trim(), role: v.role, roomCode: v.role === 'ROOM_OPERATOR' ? v.roomCode : null };
      if (!u) body.username = v.username.trim();
      if (v.password) body.password = v.password;
      busy(submit, true);
      try {
        if (u) await api.updateUser(u.id, body); else await api.createUser(body);
        announce(u ? 'users.saved' : 'users.created', { name: u ? u.username : body.username });
        if (!u) form.reset();
        onDone(true);
      } catch (err) {
        showErrors(form, err);
      } finally { busy(submit, false); }
    });
    return form;
  };

  const editUser = (u) => {
    const dlg = h('dialog', { 'aria-labelledby': 'dlg-title' });
    const close = async (changed) => { dlg.close(); dlg.remove(); if (changed) await load(); };
    dlg.append(userForm(u, close));
    dlg.querySelector('h3').id = 'dlg-title';
    document.body.append(dlg);
    dlg.addEventListener('cancel', () => dlg.remove());
    dlg.showModal();
  };

  section.append(h('div', { class: 'grid-main-side' }, listBox, userForm(null, load)));
  await load();
}

/* ---------------------------------------------------------------- sessions */

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const WEEKDAY_KEYS = { MO: 'weekday.MO', TU: 'weekday.TU', WE: 'weekday.WE', TH: 'weekday.TH', FR: 'weekday.FR', SA: 'weekday.SA', SU: 'weekday.SU' };

/** An RFC 5545 RRULE for the form's recurrence choice, or null for a one-off session. */
export function recurrenceRule(v) {
  if (!v.repeat || v.repeat === 'NONE') return null;
  const parts = [];
  if (v.repeat === 'WEEKLY') parts.push('FREQ=WEEKLY', `BYDAY=${v.weekday || 'MO'}`);
  if (v.repeat === 'MONTHLY_DAY') parts.push('FREQ=MONTHLY', `BYMONTHDAY=${Number(v.monthDay) || 15}`);
  if (v.repeat === 'MONTHLY_WEEKDAY') parts.push('FREQ=MONTHLY', `BYDAY=${Number(v.weekOrdinal) || 1}${v.weekday || 'MO'}`);
  if (v.until) parts.push(`UNTIL=${v.until.replace(/-/g, '')}T235959Z`);
  else if (v.count) parts.push(`COUNT=${Number(v.count)}`);
  return parts.join(';');
}

/** The first occurrences of the rule starting at start (a Date): shown before the admin saves. */
export function occurrences(start, v, max = 6) {
  const out = [];
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) return out;
  if (!v.repeat || v.repeat === 'NONE') return [start];
  const until = v.until ? new Date(`${v.until}T23:59:59`) : null;
  const count = v.count ? Number(v.count) : Infinity;
  const hm = [start.getHours(), start.getMinutes()];
  const wd = WEEKDAYS.indexOf(v.weekday || 'MO');
  let cursor = new Date(start);
  for (let guard = 0; out.length < Math.min(max, count) && guard < 400; guard++) {
    let d;
    if (v.repeat === 'WEEKLY') {
      d = new Date(cursor);
      d.setDate(d.getDate() + ((wd + 1) % 7 - d.getDay() + 7) % 7);
      cursor = new Date(d); cursor.setDate(cursor.getDate() + 7);
    } else {
      const y = cursor.getFullYear(); const m = cursor.getMonth();
      if (v.repeat === 'MONTHLY_DAY') {
        const day = Math.min(Number(v.monthDay) || 15, new Date(y, m + 1, 0).getDate());
        d = new Date(y, m, day);
      } else {
        const first = new Date(y, m, 1);
        const offset = ((wd + 1) % 7 - first.getDay() + 7) % 7;
        d = new Date(y, m, 1 + offset + 7 * ((Number(v.weekOrdinal) || 1) - 1));
        if (d.getMonth() !== m) d = null;
      }
      cursor = new Date(y, m + 1, 1);
    }
    if (!d) continue;
    d.setHours(hm[0], hm[1], 0, 0);
    if (d < start) continue;
    if (until && d > until) break;
    out.push(d);
  }
  return out;
}

async function sessionsPage(section) {
  section.append(sectionTitle('sessions.title'));
  const listBox = h('div', { id: 'sessions-list' }, h('p', { class: 'progress', i18n: 'app.loading' }));
  let hosts = [];
  let rooms = [];
  try { hosts = items(await api.users()).filter((u) => u.role === 'HOST' || u.role === 'ADMIN'); } catch { /* typed later */ }
  try { rooms = flattenRooms(roomTree(items(await api.rooms()))); } catch { /* none yet */ }

  const load = async () => {
    try {
      const sessions = items(await api.sessions({})).sort((a, b) => Date.parse(b.scheduledStart) - Date.parse(a.scheduledStart));
      replace(listBox, sessions.length ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['sessions.titleField', 'sessions.start', 'sessions.state', 'sessions.rooms', 'users.actions'].map((k) => h('th', { i18n: k })))),
        h('tbody', {}, sessions.map((s) => h('tr', { dataset: { sessionId: s.id } },
          h('td', {}, s.title, s.recurrence ? [' ', h('span', { class: 'badge', i18n: 'sessions.recurring' })] : null),
          h('td', {}, fmtDateTime(s.scheduledStart)),
          h('td', {}, stateBadge(s.state)),
          h('td', { class: 'num' }, s.invitedRoomCodes ? fmtNumber(s.invitedRoomCodes.length) : h('span', { i18n: 'sessions.allRooms' })),
          h('td', { class: 'actions' },
            h('a', { href: `#/admin/attendance/${s.id}`, i18n: 'nav.attendance' }),
            s.state === 'SCHEDULED' ? h('button', { type: 'button', class: 'btn btn-quiet', i18n: 'sessions.cancel', onClick: async () => {
              if (!confirm(t('sessions.cancelConfirm', { title: s.title }))) return;
              try { await api.cancelSession(s.id); await load(); } catch (err) { alert(describe(err)); }
            } }) : null)))))) : h('p', { class: 'muted', i18n: 'sess.none' }));
    } catch (err) { loadError(listBox, err); }
  };

  const submit = h('button', { type: 'submit', class: 'btn', i18n: 'sessions.schedule' });
  const preview = h('div', { class: 'notice', 'aria-live': 'polite' });
  const roomPicker = h('fieldset', { class: 'room-picker', hidden: true },
    h('legend', { i18n: 'sessions.pickRooms' }),
    h('div', { style: 'max-height: 14rem; overflow:auto' }, rooms.map((r) => h('div', { class: 'field-check', style: `padding-left:${r.depth * 1.25}rem` },
      h('input', { type: 'checkbox', id: `inv-${r.code}`, name: 'invited', value: r.code }),
      h('label', { for: `inv-${r.code}` }, `${r.name} `, h('span', { class: 'code muted' }, r.code))))));
  const form = h('form', { class: 'panel', novalidate: true, id: 'session-form' },
    h('h3', { i18n: 'sessions.new' }), formError(),
    field({ name: 'title', label: 'sessions.titleField', required: true, value: t('sessions.defaultTitle') }),
    field({ name: 'hostUserId', label: 'sessions.host', type: 'select', options: [{ value: '', i18n: 'sessions.chooseHost' }, ...hosts.map((u) => ({ value: String(u.id), label: u.displayName || u.username }))] }),
    h('div', { class: 'inline' },
      field({ name: 'scheduledStart', label: 'sessions.start', type: 'datetime-local', required: true }),
      field({ name: 'scheduledEnd', label: 'sessions.end', type: 'datetime-local', required: true })),
    field({ name: 'allRooms', label: 'sessions.allRoomsField', type: 'checkbox', value: true }),
    roomPicker,
    field({ name: 'recording', label: 'sessions.recording', type: 'checkbox', value: true, hint: 'sessions.recordingHint' }),
    h('fieldset', {}, h('legend', { i18n: 'sessions.repeat' }),
      field({ name: 'repeat', label: 'sessions.repeatKind', type: 'select', options: [
        { value: 'NONE', i18n: 'sessions.repeat.NONE' }, { value: 'MONTHLY_DAY', i18n: 'sessions.repeat.MONTHLY_DAY' },
        { value: 'MONTHLY_WEEKDAY', i18n: 'sessions.repeat.MONTHLY_WEEKDAY' }, { value: 'WEEKLY', i18n: 'sessions.repeat.WEEKLY' }] }),
      h('div', { class: 'inline repeat-detail' },
        field({ name: 'monthDay', label: 'sessions.monthDay', type: 'number', value: '15', attrs: { min: 1, max: 31 } }),
        field({ name: 'weekOrdinal', label: 'sessions.weekOrdinal', type: 'select', options: [1, 2, 3, 4].map((n) => ({ value: String(n), label: String(n) })) }),
        field({ name: 'weekday', label: 'sessions.weekday', type: 'select', options: WEEKDAYS.map((d) => ({ value: d, i18n: WEEKDAY_KEYS[d] })) })),
      h('div', { class: 'inline repeat-detail' },
        field({ name: 'until', label: 'sessions.until', type: 'date' }),
        field({ name: 'count', label: 'sessions.count', type: 'number', attrs: { min: 1, max: 120 } }))),
    preview,
    h('div', { class: 'actions' }, submit));
  const draft = bindDraft(form, 'session-new');
  draft.restore();

  const sync = () => {
    const v = formValues(form);
    roomPicker.hidden = v.allRooms;
    const show = (name, on) => { form.elements[name].closest('.field').hidden = !on; };
    show('monthDay', v.repeat === 'MONTHLY_DAY');
    show('weekOrdinal', v.repeat === 'MONTHLY_WEEKDAY');
    show('weekday', v.repeat === 'WEEKLY' || v.repeat === 'MONTHLY_WEEKDAY');
    show('until', v.repeat !== 'NONE');
    show('count', v.repeat !== 'NONE');
    const dates = occurrences(v.scheduledStart ? new Date(v.scheduledStart) : null, v);
    replace(preview, dates.length ? [h('strong', { i18n: v.repeat === 'NONE' ? 'sessions.when' : 'sessions.nextDates' }), ' ',
      dates.map((d) => fmtDateTime(d.toISOString())).join(' · ')] : h('span', { i18n: 'sessions.pickStart' }));
  };
  form.addEventListener('input', sync);
  form.addEventListener('change', sync);
  const offLang = onLangChange(sync);
  sync();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    if (!v.title.trim()) { setFieldError(form, 'title', 'err.required'); return; }
    if (!v.scheduledStart) { setFieldError(form, 'scheduledStart', 'err.required'); return; }
    if (!v.scheduledEnd || new Date(v.scheduledEnd) <= new Date(v.scheduledStart)) { setFieldError(form, 'scheduledEnd', 'sessions.endAfterStart'); return; }
    const invited = [...form.querySelectorAll('input[name="invited"]:checked')].map((c) => c.value);
    if (!v.allRooms && !invited.length) { setFieldError(form, 'allRooms', 'sessions.noRooms'); return; }
    const body = {
      title: v.title.trim(),
      scheduledStart: new Date(v.scheduledStart).toISOString(),
      scheduledEnd: new Date(v.scheduledEnd).toISOString(),
      recording: v.recording,
    };
    if (v.hostUserId) body.hostUserId = Number(v.hostUserId) || v.hostUserId;
    if (!v.allRooms) body.invitedRoomCodes = invited;
    const rule = recurrenceRule(v);
    if (rule) body.recurrence = rule;
    busy(submit, true);
    try {
      await api.createSession(body);
      draft.discard();
      announce('sessions.scheduled', { title: body.title });
      await load();
    } catch (err) {
      showErrors(form, err, { fieldAliases: { invitedRoomCodes: 'allRooms', hostId: 'hostUserId' } });
    } finally { busy(submit, false); }
  });

  section.append(h('div', { class: 'grid-2' }, listBox, form));
  await load();
  return offLang;
}

/* ---------------------------------------------------------------- attendance */

function attendanceRows(body) {
  return items(body?.rooms ? body.rooms : body);
}

export function attendanceCsv(rows) {
  const head = ['room_code', 'room_name', 'status', 'first_joined_at', 'last_left_at', 'minutes_connected', 'disconnects', 'officials', 'citizens'];
  return [csvLine(head), ...rows.map((r) => csvLine([r.roomCode, r.roomName, r.status, r.firstJoinedAt, r.lastLeftAt, r.minutesConnected,
    (r.connections || []).length ? (r.connections || []).length - 1 : '', (r.officials || []).map((o) => `${o.name} (${o.title || ''})`).join('; '), r.citizens ?? r.citizensPresent ?? ''])) ].join('\r\n') + '\r\n';
}

async function attendancePage(section, ctx) {
  section.append(sectionTitle('attendance.title'));
  const picker = h('select', { id: 'att-session' }, h('option', { value: '', i18n: 'attendance.choose' }));
  const box = h('div', { id: 'attendance' });
  section.append(h('div', { class: 'field' }, h('label', { for: 'att-session', i18n: 'attendance.session' }), picker), box);
  try {
    const sessions = items(await api.sessions({})).sort((a, b) => Date.parse(b.scheduledStart) - Date.parse(a.scheduledStart));
    sessions.forEach((s) => picker.append(h('option', { value: s.id, selected: String(s.id) === ctx.params[1] }, `${s.title} — ${fmtDateTime(s.scheduledStart)}`)));
  } catch (err) { loadError(box, err); return undefined; }
  picker.addEventListener('change', () => ctx.navigate(`#/admin/attendance/${picker.value}`));
  const id = ctx.params[1];
  if (!id) return undefined;
  replace(box, h('p', { class: 'progress', i18n: 'app.loading' }));
  try {
    const rows = attendanceRows(await api.attendance(id));
    const present = rows.filter((r) => r.status === 'PRESENT' || r.minutesConnected > 0).length;
    const csvBtn = h('button', { type: 'button', class: 'btn', id: 'attendance-csv', i18n: 'attendance.csv' });
    csvBtn.addEventListener('click', async () => {
      busy(csvBtn, true);
      try {
        let text;
        try { text = (await api.attendanceCsv(id)).text; } catch (err) { if (err.status !== 404) throw err; text = attendanceCsv(rows); }
        download(`attendance-${id}.csv`, text);
      } catch (err) { alert(describe(err)); } finally { busy(csvBtn, false); }
    });
    replace(box,
      h('p', { class: 'counts', id: 'attendance-counts' }, h('span', { i18n: 'attendance.summary', args: { present, absent: rows.length - present, total: rows.length } })),
      h('div', { class: 'actions' }, csvBtn),
      h('div', { class: 'table-wrap' }, h('table', { id: 'attendance-table' },
        h('thead', {}, h('tr', {}, ['attendance.room', 'attendance.status', 'attendance.firstJoined', 'attendance.minutes', 'attendance.gaps', 'attendance.officials', 'attendance.citizens'].map((k) => h('th', { i18n: k })))),
        h('tbody', {}, rows.map((r) => {
          const isPresent = r.status === 'PRESENT' || r.minutesConnected > 0;
          return h('tr', { dataset: { room: r.roomCode } },
            h('td', {}, r.roomName || r.roomCode, ' ', h('span', { class: 'code muted' }, r.roomCode)),
            h('td', {}, h('span', { class: isPresent ? 'badge ok' : 'badge off', i18n: isPresent ? 'attendance.present' : 'attendance.absent' })),
            h('td', {}, r.firstJoinedAt ? fmtDateTime(r.firstJoinedAt) : '—'),
            h('td', { class: 'num' }, r.minutesConnected != null ? fmtNumber(r.minutesConnected) : '—'),
            h('td', { class: 'num' }, (r.connections || []).length > 1 ? fmtNumber(r.connections.length - 1) : '0'),
            h('td', {}, (r.officials || []).map((o) => `${o.name}${o.title ? ` (${o.title})` : ''}`).join(', ')),
            h('td', { class: 'num' }, r.citizens ?? r.citizensPresent ?? ''));
        })))));
  } catch (err) { loadError(box, err); }
  return undefined;
}

/* ---------------------------------------------------------------- petitions */

export function petitionsCsv(list) {
  const head = ['register_no', 'received_at', 'origin_room', 'kind', 'group', 'head_count', 'petitioner', 'id_number', 'address', 'summary', 'requests', 'status', 'deadline'];
  return [csvLine(head), ...list.map((p) => {
    const person = petitioners(p)[0] || {};
    return csvLine([p.registerNo ?? p.number, p.receivedAt || p.createdAt, p.originRoomCode, p.kind, p.groupCase ? 'yes' : 'no', p.headCount ?? '',
      maskName(person.name), maskId(person.idNumber), maskAddress(person.address), p.summary, p.requests, p.status, dueDate(p) || '']);
  })].join('\r\n') + '\r\n';
}

async function petitionsPage(section) {
  section.append(sectionTitle('petitions.searchTitle'));
  const box = h('div', { id: 'petition-results' });
  const submit = h('button', { type: 'submit', class: 'btn', i18n: 'petitions.search' });
  const exportBtn = h('button', { type: 'button', class: 'btn btn-secondary', i18n: 'petitions.export' });
  const form = h('form', { class: 'panel', novalidate: true, role: 'search' },
    h('div', { class: 'inline' },
      field({ name: 'q', label: 'petitions.query', type: 'search' }),
      field({ name: 'kind', label: 'pet.kind', type: 'select', options: [{ value: '', i18n: 'petitions.any' }, ...PETITION_KINDS.map(([v, k]) => ({ value: v, i18n: k }))] }),
      field({ name: 'status', label: 'pet.status', type: 'select', options: [{ value: '', i18n: 'petitions.any' }, ...PETITION_STATUSES.map(([v, k]) => ({ value: v, i18n: k }))] }),
      field({ name: 'from', label: 'petitions.from', type: 'date' }),
      field({ name: 'to', label: 'petitions.to', type: 'date' })),
    h('div', { class: 'actions' }, submit, exportBtn));
  let last = [];
  const query = () => { const v = formValues(form); return { q: v.q, kind: v.kind, status: v.status, from: v.from, to: v.to }; };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    busy(submit, true);
    replace(box, h('p', { class: 'progress', i18n: 'app.loading' }));
    try {
      last = items(await api.petitions(query()));
      replace(box, last.length ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['pet.registerNo', 'pet.receivedAt', 'pet.originRoom', 'pet.kind', 'pet.petitioner', 'pet.summary', 'pet.status', 'pet.deadline'].map((k) => h('th', { i18n: k })))),
        h('tbody', {}, last.map((p) => {
          const person = petitioners(p)[0] || {};
          return h('tr', {}, h('td', {}, p.registerNo ?? p.number ?? ''), h('td', {}, fmtDateTime(p.receivedAt || p.createdAt)), h('td', {}, p.originRoomName || p.originRoomCode || ''),
            h('td', {}, h('span', { i18n: kindKey(p.kind) })), h('td', { class: 'masked' }, maskName(person.name)),
            h('td', {}, p.summary || ''), h('td', {}, h('span', { i18n: statusKey(p.status) })), h('td', {}, fmtDate(dueDate(p))));
        })))) : h('p', { class: 'muted', i18n: 'petitions.noResults' }));
    } catch (err) { loadError(box, err); } finally { busy(submit, false); }
  });
  exportBtn.addEventListener('click', async () => {
    busy(exportBtn, true);
    try {
      let text;
      try { text = (await api.petitionsCsv(query())).text; } catch (err) { if (err.status !== 404) throw err; text = petitionsCsv(last); }
      download('petition-register.csv', text);
    } catch (err) { alert(describe(err)); } finally { busy(exportBtn, false); }
  });
  section.append(form, box);
}
