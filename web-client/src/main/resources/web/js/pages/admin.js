import { api, items } from '../api.js';
import { h, field, replace, clear, busy, formValues, announce, download, csvLine, formatted } from '../dom.js';
import { t, fmtDateTime, fmtDate, fmtNumber, fmtArg, onLangChange } from '../i18n.js';
import { describe, showErrors, clearErrors, formError, translateMessage, setFieldError } from '../errors.js';
import { bindDraft } from '../drafts.js';
import { stateBadge } from '../sessions.js';
import { formDialog } from '../dialog.js';
import { auditPage } from './admin-audit.js';
import { reportsPage } from './reports.js';
import { sessionActions } from './session-actions.js';
import { archiveLinks } from '../recording.js';
import { schedulePreview } from './schedule-preview.js';
import { leadersPanel, leaderList, leaderOptions, presidingFields } from './leaders.js';
import { showVersions } from './petition-actions.js';
import { showCaseFile, agenciesPanel } from './case-file.js';
import { PETITION_KINDS, PETITION_STATUSES, CASE_STEPS, kindKey, statusKey, petitioners, dueDate, registerNo } from './petition-model.js';

const TABS = [['rooms', 'nav.rooms'], ['users', 'nav.users'], ['sessions', 'nav.sessions'], ['attendance', 'nav.attendance'], ['petitions', 'nav.petitions'], ['reports', 'nav.reports'], ['audit', 'nav.audit']];
export const LEVELS = ['PROVINCE', 'DISTRICT', 'COMMUNE', 'WARD', 'SPECIAL_ZONE', 'TOWNSHIP'];
export const LEVEL_KEYS = { PROVINCE: 'level.PROVINCE', DISTRICT: 'level.DISTRICT', COMMUNE: 'level.COMMUNE', WARD: 'level.WARD', SPECIAL_ZONE: 'level.SPECIAL_ZONE',
  TOWNSHIP: 'level.TOWNSHIP' };
const ROLES = ['ADMIN', 'HOST', 'SECRETARY', 'ROOM_OPERATOR'];
const ATTENDANCE_STATUS_KEYS = { PRESENT: 'attendance.status.PRESENT', LATE: 'attendance.status.LATE', LEFT_EARLY: 'attendance.status.LEFT_EARLY',
  LATE_LEFT_EARLY: 'attendance.status.LATE_LEFT_EARLY', ABSENT: 'attendance.status.ABSENT' };
const ROLE_KEYS = { ADMIN: 'role.ADMIN', HOST: 'role.HOST', SECRETARY: 'role.SECRETARY', ROOM_OPERATOR: 'role.ROOM_OPERATOR' };

export async function render(ctx) {
  const tab = ctx.params[0] || 'rooms';
  ctx.main.append(
    h('h1', { i18n: 'admin.title' }),
    h('nav', { class: 'tabs', i18nAttr: { 'aria-label': 'admin.sections' } },
      TABS.map(([id, key]) => h('a', { href: `#/admin/${id}`, i18n: key, 'aria-current': id === tab ? 'page' : null }))));
  const section = h('section', { 'aria-labelledby': 'admin-section-title' });
  ctx.main.append(section);
  const pages = { rooms: roomsPage, users: usersPage, sessions: sessionsPage, attendance: attendancePage, petitions: petitionsPage, reports: reportsPage, audit: auditPage };
  return pages[tab](section, ctx);
}

function sectionTitle(key) {
  return h('h2', { id: 'admin-section-title', i18n: key });
}

/** A status line above a list, replaced by the next one. */
function notice(box, key, args) {
  box.querySelector(':scope > .notice.action-result')?.remove();
  box.prepend(h('p', { class: 'notice ok action-result', role: 'status', i18n: key, args }));
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

/** Today in Vietnam: validity dates are Vietnamese calendar days, whatever zone this PC is set to. */
export function vnToday() {
  return new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
}

/** A room whose last valid day has passed: kept for old sessions and reports, never deleted. */
export function isRetired(room, today = vnToday()) {
  const v = validity(room);
  return !!v.to && v.to < today;
}

function roomLabel(r) {
  const v = validity(r);
  const ended = isRetired(r);
  return h('span', { class: ended ? 'ended' : null },
    h('span', {}, r.name), ' ', h('span', { class: 'code' }, r.code), ' ',
    h('span', { class: 'badge', i18n: LEVEL_KEYS[r.level] || 'level.OTHER' }),
    v.from || v.to ? h('span', { class: 'muted' }, ' ', h('span', { i18n: 'rooms.validity', args: { from: v.from ? fmtArg('date', v.from) : '…', to: v.to ? fmtArg('date', v.to) : '…' } })) : null,
    ended ? [' ', h('span', { class: 'badge off', i18n: 'rooms.ended' })] : null);
}

/** Edit and retire, beside each room; inside a <summary> a click must not also fold the branch. */
function roomButtons(r, actions) {
  if (!actions) return null;
  // The room's name completes the button's name for a screen reader without replacing its visible,
  // retranslated word (an aria-label would stay in the old language after a switch).
  const btn = (key, fn, cls) => h('button', { type: 'button', class: `btn btn-quiet btn-small ${cls}`,
    onClick: (e) => { e.preventDefault(); e.stopPropagation(); fn(r); } }, h('span', { i18n: key }), h('span', { class: 'visually-hidden' }, ` ${r.name}`));
  return h('span', { class: 'room-actions' }, btn('rooms.edit', actions.edit, 'room-edit'), isRetired(r) ? null : btn('rooms.retire', actions.retire, 'room-retire'));
}

/** status: 'all' | 'active' | 'retired'; a branch stays when any room below it matches. */
function treeNodes(nodes, filter, status = 'all', actions = null) {
  const self = (n) => (!filter || `${n.name} ${n.code}`.toLowerCase().includes(filter))
    && (status === 'all' || (status === 'retired') === isRetired(n));
  const match = (n) => self(n) || (n.children || []).some(match);
  return nodes.filter(match).map((n) => {
    const kids = (n.children || []).filter(match);
    const cls = isRetired(n) ? 'retired' : null;
    if (!kids.length) return h('li', { role: 'treeitem', class: `leaf ${cls || ''}`, dataset: { code: n.code } }, roomLabel(n), ' ', roomButtons(n, actions));
    return h('li', { role: 'treeitem', class: cls, dataset: { code: n.code } },
      h('details', { open: !!filter || status !== 'all' || n.level === 'PROVINCE' },
        h('summary', {}, roomLabel(n), ' ', h('span', { class: 'muted', i18n: 'rooms.childCount', args: { n: kids.length } }), ' ', roomButtons(n, actions)),
        h('ul', { role: 'group' }, treeNodes(kids, filter, status, actions))));
  });
}

async function roomsPage(section) {
  section.append(sectionTitle('rooms.title'));
  const treeBox = h('div', {}, h('p', { class: 'progress', i18n: 'app.loading' }));
  const filter = h('input', { type: 'search', id: 'room-filter', i18nAttr: { placeholder: 'rooms.filter' } });
  const status = h('select', { id: 'room-status' },
    h('option', { value: 'all', i18n: 'rooms.status.all' }), h('option', { value: 'active', i18n: 'rooms.status.active' }),
    h('option', { value: 'retired', i18n: 'rooms.status.retired' }));
  let tree = [];
  let flat = [];
  const actions = { edit: (r) => editRoom(r, flat, load), retire: (r) => retireRoom(r, load) };
  const draw = () => {
    if (!tree.length) { replace(treeBox, h('p', { class: 'muted', i18n: 'rooms.empty' })); return; }
    const retired = flat.filter((r) => isRetired(r)).length;
    replace(treeBox, h('p', { class: 'muted' }, h('span', { i18n: 'rooms.total', args: { n: flat.length } }), ' · ', h('span', { i18n: 'rooms.retiredCount', args: { n: retired } })),
      h('ul', { class: 'tree', role: 'tree', i18nAttr: { 'aria-label': 'rooms.title' } }, treeNodes(tree, filter.value.trim().toLowerCase(), status.value, actions)));
  };
  filter.addEventListener('input', draw);
  status.addEventListener('change', draw);
  async function load() {
    try { tree = roomTree(items(await api.rooms())); flat = flattenRooms(tree); draw(); } catch (err) { loadError(treeBox, err); }
  }

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
    h('div', {}, h('div', { class: 'inline' },
      h('div', { class: 'field' }, h('label', { for: 'room-filter', i18n: 'rooms.filterLabel' }), filter),
      h('div', { class: 'field' }, h('label', { for: 'room-status', i18n: 'rooms.statusLabel' }), status)), treeBox),
    form));
  await load();
}

/** Name, level, parent and validity of a room; only what changed is sent (merge patch). */
function editRoom(r, flat, reload) {
  const v = validity(r);
  const below = new Set(flattenRooms([flat.find((x) => x.code === r.code) || r]).map((x) => x.code));
  const parents = flat.filter((x) => !below.has(x.code));
  formDialog({
    id: 'room-edit', title: { i18n: 'rooms.editTitle', args: { name: r.name } }, submitKey: 'users.save',
    body: [
      field({ name: 'name', label: 'rooms.name', required: true, value: r.name }),
      field({ name: 'level', label: 'rooms.level', type: 'select', value: r.level, options: LEVELS.map((l) => ({ value: l, i18n: LEVEL_KEYS[l] })) }),
      field({ name: 'parentCode', label: 'rooms.parent', type: 'select', value: r.parentCode || '',
        options: [{ value: '', i18n: 'rooms.noParent' }, ...parents.map((x) => ({ value: x.code, label: `${'\u00a0\u00a0'.repeat(x.depth || 0)}${x.name} (${x.code})` }))] }),
      h('div', { class: 'inline' },
        field({ name: 'validFrom', label: 'rooms.validFrom', type: 'date', value: v.from || '' }),
        field({ name: 'validTo', label: 'rooms.validTo', type: 'date', value: v.to || '', hint: 'rooms.validToHint' })),
    ],
    onSubmit: async (form) => {
      const val = formValues(form);
      if (!val.name.trim()) { setFieldError(form, 'name', 'err.required'); return false; }
      if (val.validFrom && val.validTo && val.validTo < val.validFrom) { setFieldError(form, 'validTo', 'err.validToBeforeFrom'); return false; }
      const before = { name: r.name, level: r.level, parentCode: r.parentCode || '', validFrom: v.from || '', validTo: v.to || '' };
      const changes = {};
      for (const k of Object.keys(before)) {
        const now = k === 'name' ? val.name.trim() : val[k];
        if (now !== before[k]) changes[k] = now === '' ? null : now;
      }
      if (!Object.keys(changes).length) return true;
      await api.updateRoom(r.code, changes);
      announce('rooms.saved', { name: val.name.trim() });
      await reload();
      return true;
    },
  });
}

/** Ends a room's validity on a chosen last day; the server refuses while rooms below it stay valid. */
function retireRoom(r, reload) {
  formDialog({
    id: 'room-retire', title: { i18n: 'rooms.retireTitle', args: { name: r.name } }, submitKey: 'rooms.retire', danger: true,
    body: [
      h('p', { i18n: 'rooms.retireExplain' }),
      field({ name: 'validTo', label: 'rooms.lastDay', type: 'date', required: true, value: vnToday() }),
    ],
    onSubmit: async (form) => {
      const { validTo } = formValues(form);
      if (!validTo) { setFieldError(form, 'validTo', 'err.required'); return false; }
      await api.retireRoom(r.code, validTo);
      announce('rooms.retired', { name: r.name });
      await reload();
      return true;
    },
  });
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
              h('button', { type: 'button', class: 'btn btn-quiet', i18n: disabled ? 'users.enable' : 'users.disable', onClick: () => toggleUser(u, disabled) }),
              h('button', { type: 'button', class: 'btn btn-quiet user-password', i18n: 'users.resetPassword', onClick: () => resetPassword(u) }),
              h('button', { type: 'button', class: 'btn btn-quiet user-sessions', i18n: 'users.endSessions', onClick: () => endSessions(u) }),
              h('button', { type: 'button', class: 'btn btn-quiet user-delete', i18n: 'users.delete', onClick: () => deleteUser(u) })));
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

  const resetPassword = (u) => formDialog({
    id: 'user-password', title: { i18n: 'users.resetTitle', args: { name: u.username } }, submitKey: 'users.resetPassword',
    body: [h('p', { class: 'hint', i18n: 'users.resetExplain' }),
      field({ name: 'password', label: 'users.newPasswordOnly', type: 'password', required: true, hint: 'users.passwordHint', attrs: { autocomplete: 'new-password', minlength: 12 } })],
    onSubmit: async (form) => {
      const { password } = formValues(form);
      if (!password) { setFieldError(form, 'password', 'err.required'); return false; }
      await api.updateUser(u.id, { password });
      announce('users.passwordReset', { name: u.username });
      return true;
    },
  });

  const endSessions = async (u) => {
    if (!confirm(t('users.endSessionsConfirm', { name: u.username }))) return;
    try {
      const res = await api.endUserSessions(u.id);
      announce('users.sessionsEnded', { name: u.username, n: res?.revoked ?? 0 });
      notice(listBox, 'users.sessionsEnded', { name: u.username, n: res?.revoked ?? 0 });
    } catch (err) { alert(describe(err)); }
  };

  const deleteUser = async (u) => {
    if (!confirm(t('users.deleteConfirm', { name: u.username }))) return;
    try {
      const kept = await api.deleteUser(u.id);
      await load();
      // The server keeps an account that history refers to, disabled: say so rather than "deleted".
      notice(listBox, kept ? 'users.disabledInstead' : 'users.deleted', { name: u.username });
    } catch (err) { alert(describe(err) + (err.problem?.detail ? `\n${translateMessage(err.problem.detail)}` : '')); }
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
      field({ name: 'password', label: u ? 'users.newPassword' : 'users.password', type: 'password', required: !u, hint: 'users.passwordHint', attrs: { autocomplete: 'new-password', minlength: 12 } }),
      h('div', { class: 'actions' }, submit, u ? h('button', { type: 'button', class: 'btn btn-quiet', i18n: 'app.cancel', onClick: () => onDone(false) }) : null),
      u ? null : h('p', { class: 'notice ok', id: 'user-created', role: 'status', hidden: true }));
    const syncRoom = () => { form.elements.roomCode.closest('.field').hidden = form.elements.role.value !== 'ROOM_OPERATOR'; };
    form.elements.role.addEventListener('change', syncRoom);
    syncRoom();
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      if (!u) form.querySelector('#user-created').hidden = true;
      const v = formValues(form);
      if (!u && !v.username.trim()) { setFieldError(form, 'username', 'err.required'); return; }
      if (v.role === 'ROOM_OPERATOR' && !v.roomCode) { setFieldError(form, 'roomCode', 'users.roomRequired'); return; }
      const body = { displayName: v.displayName.trim(), role: v.role, roomCode: v.role === 'ROOM_OPERATOR' ? v.roomCode : null };
      if (!u) body.username = v.username.trim();
      if (v.password) body.password = v.password;
      busy(submit, true);
      try {
        if (u) await api.updateUser(u.id, body); else await api.createUser(body);
        if (u) announce('users.saved', { name: u.username });
        else {
          // Accounts are made in batches of one role (a district's secretaries): the role stays chosen.
          form.reset();
          form.elements.role.value = v.role;
          syncRoom();
          const done = form.querySelector('#user-created');
          done.dataset.i18n = 'users.created';
          done.dataset.i18nArgs = JSON.stringify({ name: body.username });
          done.textContent = t('users.created', { name: body.username });
          done.hidden = false;
          form.elements.username.focus();
        }
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

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const WEEKDAY_KEYS = { MONDAY: 'weekday.MO', TUESDAY: 'weekday.TU', WEDNESDAY: 'weekday.WE', THURSDAY: 'weekday.TH', FRIDAY: 'weekday.FR', SATURDAY: 'weekday.SA', SUNDAY: 'weekday.SU' };
const MODES = [['ONLINE', 'sessions.mode.ONLINE'], ['HYBRID', 'sessions.mode.HYBRID']];
const PICK_ALL_KEYS = { PROVINCE: 'sessions.pickAll.PROVINCE', DISTRICT: 'sessions.pickAll.DISTRICT', COMMUNE: 'sessions.pickAll.COMMUNE',
  WARD: 'sessions.pickAll.WARD', SPECIAL_ZONE: 'sessions.pickAll.SPECIAL_ZONE', TOWNSHIP: 'sessions.pickAll.TOWNSHIP' };

/** The HOST accounts a session can be presided by (enabled ones), as select options. */
export async function hostAccounts() {
  try { return items(await api.users()).filter((u) => u.role === 'HOST' && u.disabled !== true); } catch { return []; }
}

/**
 * How many rooms an invitation reaches, counted as the server counts a session's rooms
 * (SessionRepository): the rooms valid now under the choice, without the hosting room.
 */
export function invitationCount(active, choice, hostCode) {
  const parentOf = new Map(active.map((r) => [r.code, r.parentCode]));
  const under = (code, root) => { for (let c = code; c; c = parentOf.get(c)) if (c === root) return true; return false; };
  if (choice.type === 'LIST') return choice.rooms.filter((c) => c !== hostCode).length;
  if (choice.type === 'SUBTREE') return active.filter((r) => r.code !== hostCode && under(r.code, choice.root)).length;
  return active.filter((r) => r.code !== hostCode).length;
}

/** A datetime-local value is Vietnam wall-clock time, whatever zone the admin's PC is set to. */
export function vnInstant(local) {
  return new Date(`${local}:00+07:00`).toISOString();
}

/** The server's Recurrence for the form's choice (session.Recurrence), or null for a one-off session. */
export function recurrence(v) {
  switch (v.repeat) {
    case 'MONTHLY_DAY': return { type: 'MONTHLY_ON_DAY', dayOfMonth: Number(v.monthDay) || 15 };
    case 'MONTHLY_WEEKDAY': return { type: 'MONTHLY_NTH_WEEKDAY', ordinal: Number(v.weekOrdinal) || 1, dayOfWeek: v.weekday || 'MONDAY' };
    case 'WEEKLY': return { type: 'WEEKLY', dayOfWeek: v.weekday || 'MONDAY' };
    default: return null;
  }
}

/** The first dates (YYYY-MM-DD) of a rule from a first day on: the same rules as the server's Recurrence. */
export function occurrences(firstDay, rule, until, max = 6) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(firstDay || '')) return [];
  if (!rule) return [firstDay];
  const iso = (d) => d.toISOString().slice(0, 10);
  const from = new Date(`${firstDay}T00:00:00Z`);
  const end = until ? new Date(`${until}T00:00:00Z`) : null;
  const dow = (name) => (WEEKDAYS.indexOf(name) + 1) % 7; // JS: Sunday = 0
  const out = [];
  for (let i = 0; out.length < max && i < 400; i++) {
    let d;
    if (rule.type === 'WEEKLY') {
      d = new Date(from);
      d.setUTCDate(d.getUTCDate() + ((dow(rule.dayOfWeek) - d.getUTCDay() + 7) % 7) + 7 * i);
    } else {
      const y = from.getUTCFullYear();
      const m = from.getUTCMonth() + i;
      const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      if (rule.type === 'MONTHLY_ON_DAY') d = new Date(Date.UTC(y, m, Math.min(rule.dayOfMonth, last)));
      else if (rule.ordinal === -1) {
        d = new Date(Date.UTC(y, m, last));
        d.setUTCDate(last - ((d.getUTCDay() - dow(rule.dayOfWeek) + 7) % 7));
      } else {
        const first = new Date(Date.UTC(y, m, 1));
        d = new Date(Date.UTC(y, m, 1 + ((dow(rule.dayOfWeek) - first.getUTCDay() + 7) % 7) + 7 * (rule.ordinal - 1)));
      }
    }
    if (d < from) continue;
    if (end && d > end) break;
    out.push(iso(d));
  }
  return out;
}

async function sessionsPage(section) {
  section.append(sectionTitle('sessions.title'));
  const listBox = h('div', { id: 'sessions-list' }, h('p', { class: 'progress', i18n: 'app.loading' }));
  const scheduleBox = h('div', { id: 'schedules-list' });
  let rooms = [];
  try { rooms = flattenRooms(roomTree(items(await api.rooms()))); } catch { /* none yet */ }
  const today = new Date().toISOString().slice(0, 10);
  const active = rooms.filter((r) => !r.validTo || r.validTo >= today);
  const root = active.find((r) => r.level === 'PROVINCE') || active[0];
  const roomName = (code) => rooms.find((r) => r.code === code)?.name || code;
  const hosts = await hostAccounts();
  let leaders = await leaderList();

  // The presiding person: a host account, or a leader of the list (value 'leader:ID'); never typed text.
  const presidingChoices = () => (hosts.length || leaders.length
    ? [...hosts.map((u) => ({ value: String(u.id), label: `${u.displayName} (${u.username})` })), ...leaderOptions(leaders)]
    : [{ value: '', i18n: 'sessions.noHostsOption' }]);

  const load = async () => {
    try {
      const sessions = items(await api.sessions({ limit: 200 })).sort((a, b) => Date.parse(b.scheduledStart) - Date.parse(a.scheduledStart));
      replace(listBox, sessions.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'sessions-table' },
        h('thead', {}, h('tr', {}, ['sessions.titleField', 'sessions.start', 'sessions.state', 'sessions.rooms', 'users.actions'].map((k) => h('th', { i18n: k })))),
        h('tbody', {}, sessions.map((s) => h('tr', { dataset: { sessionId: s.id } },
          h('td', {}, s.title, s.scheduleId ? [' ', h('span', { class: 'badge', i18n: 'sessions.recurring' })] : null,
            h('div', { class: 'muted' }, s.presidingOfficial || '', ' · ', roomName(s.hostRoomCode))),
          h('td', {}, formatted('datetime', s.scheduledStart)),
          h('td', {}, stateBadge(s.state)),
          h('td', { class: 'num' }, fmtNumber(s.invitedRoomCount ?? 0)),
          h('td', { class: 'actions' },
            h('a', { href: `#/admin/attendance/${s.id}`, i18n: 'nav.attendance' }),
            archiveLinks(s),
            sessionActions(s, { rooms, hosts, leaders, reload: load }))))))) : h('p', { class: 'muted', i18n: 'sess.none' }));
    } catch (err) { loadError(listBox, err); }
    try {
      const schedules = items(await api.schedules());
      replace(scheduleBox, schedules.length ? [h('h3', { i18n: 'sessions.schedules' }), h('ul', {}, schedules.map((sc) => h('li', {},
        h('strong', {}, sc.title), ' — ', describeRule(sc.recurrence), `, ${sc.startTime}–${sc.endTime}`,
        h('span', { class: 'muted' }, ' (', formatted('date', sc.validFrom), ' – ', sc.validUntil ? formatted('date', sc.validUntil) : '…', ')'))))] : null);
    } catch { clear(scheduleBox); }
  };

  const submit = h('button', { type: 'submit', class: 'btn', i18n: 'sessions.schedule' });
  const preview = h('div', { class: 'notice', 'aria-live': 'polite' });
  const holidayPreview = schedulePreview();
  const pickable = active.filter((r) => r !== root);
  const pickSearch = h('input', { type: 'search', id: 'inv-search', autocomplete: 'off', i18nAttr: { placeholder: 'sessions.pickSearch', 'aria-label': 'sessions.pickSearch' } });
  const pickRows = h('div', { class: 'room-picker-rows room-picker-list' }, pickable.map((r) => h('div', {
    class: 'field-check room-depth', dataset: { level: r.level, search: `${r.name} ${r.code}`.toLowerCase(), depth: String(Math.min(r.depth, 4)) } },
  h('input', { type: 'checkbox', id: `inv-${r.code}`, name: 'invited', value: r.code }),
  h('label', { for: `inv-${r.code}` }, `${r.name} `, h('span', { class: 'code muted' }, r.code)))));
  const rowsShown = () => [...pickRows.children].filter((row) => !row.hidden);
  const tierButton = (level) => h('button', { type: 'button', class: 'btn btn-quiet btn-small inv-tier', dataset: { level }, i18n: PICK_ALL_KEYS[level],
    onClick: () => {
      // Ticks every room of the tier the search shows; a second press, with all of them ticked, unticks them.
      const boxes = rowsShown().filter((row) => row.dataset.level === level).map((row) => row.querySelector('input'));
      const all = boxes.every((b) => b.checked);
      boxes.forEach((b) => { b.checked = !all; });
      sync();
    } });
  const roomPicker = h('fieldset', { class: 'room-picker', hidden: true },
    h('legend', { i18n: 'sessions.pickRooms' }),
    h('div', { class: 'inline' }, pickSearch),
    h('div', { class: 'actions inv-tiers' }, LEVELS.filter((l) => pickable.some((r) => r.level === l)).map(tierButton),
      h('button', { type: 'button', class: 'btn btn-quiet btn-small', id: 'inv-none', i18n: 'sessions.pickNone',
        onClick: () => { pickRows.querySelectorAll('input:checked').forEach((b) => { b.checked = false; }); sync(); } })),
    pickRows);
  pickSearch.addEventListener('input', (e) => {
    e.stopPropagation(); // filtering the list is not an edit of the form
    const q = pickSearch.value.trim().toLowerCase();
    for (const row of pickRows.children) row.hidden = !!q && !row.dataset.search.includes(q);
  });
  const pickCount = h('p', { class: 'counts', id: 'inv-count', 'aria-live': 'polite' });
  const created = h('div', { id: 'session-created' });
  const parents = active.filter((r) => (r.children || []).length);
  const form = h('form', { class: 'panel', novalidate: true, id: 'session-form' },
    h('h3', { i18n: 'sessions.new' }), created, formError(),
    field({ name: 'title', label: 'sessions.titleField', required: true, value: t('sessions.defaultTitle') }),
    field({ name: 'presidingUserId', label: 'sessions.presiding', type: 'select', required: true, hint: hosts.length || leaders.length ? 'sessions.presidingHint' : 'sessions.noHosts',
      options: presidingChoices() }),
    field({ name: 'hostRoomCode', label: 'sessions.hostRoom', type: 'select', value: root?.code, options: active.map((r) => ({ value: r.code, label: `${'\u00a0\u00a0'.repeat(r.depth)}${r.name}` })) }),
    h('div', { class: 'inline' },
      field({ name: 'scheduledStart', label: 'sessions.start', type: 'datetime-local', required: true, hint: 'sessions.vnTime' }),
      field({ name: 'scheduledEnd', label: 'sessions.end', type: 'datetime-local', required: true })),
    field({ name: 'invitationType', label: 'sessions.invite', type: 'select', options: [
      { value: 'ALL', i18n: 'sessions.invite.ALL' }, { value: 'SUBTREE', i18n: 'sessions.invite.SUBTREE' }, { value: 'LIST', i18n: 'sessions.invite.LIST' }] }),
    field({ name: 'invitationRoot', label: 'sessions.inviteRoot', type: 'select', options: parents.map((r) => ({ value: r.code, label: `${'\u00a0\u00a0'.repeat(r.depth)}${r.name}` })) }),
    roomPicker,
    pickCount,
    h('div', { class: 'inline' },
      field({ name: 'mode', label: 'sessions.mode', type: 'select', options: MODES.map(([v, k]) => ({ value: v, i18n: k })) }),
      field({ name: 'recording', label: 'sessions.recording', type: 'checkbox', value: true, hint: 'sessions.recordingHint' })),
    h('fieldset', {}, h('legend', { i18n: 'sessions.repeat' }),
      field({ name: 'repeat', label: 'sessions.repeatKind', type: 'select', options: [
        { value: 'NONE', i18n: 'sessions.repeat.NONE' }, { value: 'MONTHLY_DAY', i18n: 'sessions.repeat.MONTHLY_DAY' },
        { value: 'MONTHLY_WEEKDAY', i18n: 'sessions.repeat.MONTHLY_WEEKDAY' }, { value: 'WEEKLY', i18n: 'sessions.repeat.WEEKLY' }] }),
      h('div', { class: 'inline repeat-detail' },
        field({ name: 'monthDay', label: 'sessions.monthDay', type: 'number', value: '15', attrs: { min: 1, max: 31 } }),
        field({ name: 'weekOrdinal', label: 'sessions.weekOrdinal', type: 'select', options: [
          ...[1, 2, 3, 4].map((n) => ({ value: String(n), label: String(n) })), { value: '-1', i18n: 'sessions.lastWeek' }] }),
        field({ name: 'weekday', label: 'sessions.weekday', type: 'select', options: WEEKDAYS.map((d) => ({ value: d, i18n: WEEKDAY_KEYS[d] })) }),
        field({ name: 'until', label: 'sessions.until', type: 'date' })),
      field({ name: 'onNonWorkingDay', label: 'sessions.onNonWorkingDay', type: 'select', hint: 'sessions.onNonWorkingDayHint', options: [
        { value: 'MOVE', i18n: 'sessions.onNonWorkingDay.MOVE' }, { value: 'SKIP', i18n: 'sessions.onNonWorkingDay.SKIP' }] })),
    preview,
    holidayPreview.element,
    h('div', { class: 'actions' }, submit));
  // The leaders panel changes the list: the select keeps what was chosen if it is still offered.
  const leadersBox = leadersPanel({ onChange: (list) => {
    leaders = list;
    const select = form.elements.presidingUserId;
    const chosen = select.value;
    replace(select, presidingChoices().map((o) => h('option', { value: o.value, i18n: o.i18n }, o.label)));
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
  } });
  const draft = bindDraft(form, 'session-new');
  draft.restore();

  const sync = () => {
    const v = formValues(form);
    form.elements.invitationRoot.closest('.field').hidden = v.invitationType !== 'SUBTREE';
    roomPicker.hidden = v.invitationType !== 'LIST';
    const ticked = [...form.querySelectorAll('input[name="invited"]:checked')].map((c) => c.value);
    const n = invitationCount(active, { type: v.invitationType, root: v.invitationRoot, rooms: ticked }, v.hostRoomCode);
    pickCount.dataset.count = String(n);
    pickCount.dataset.i18n = 'sessions.pickCount';
    pickCount.dataset.i18nArgs = JSON.stringify({ n });
    pickCount.textContent = t('sessions.pickCount', { n });
    const show = (name, on) => { form.elements[name].closest('.field').hidden = !on; };
    show('monthDay', v.repeat === 'MONTHLY_DAY');
    show('weekOrdinal', v.repeat === 'MONTHLY_WEEKDAY');
    show('weekday', v.repeat === 'WEEKLY' || v.repeat === 'MONTHLY_WEEKDAY');
    show('until', v.repeat !== 'NONE');
    show('onNonWorkingDay', v.repeat !== 'NONE');
    const rule = recurrence(v);
    holidayPreview.update(rule && v.scheduledStart ? { recurrence: rule, validFrom: v.scheduledStart.slice(0, 10), validUntil: v.until || null,
      onNonWorkingDay: v.onNonWorkingDay } : null);
    const dates = occurrences((v.scheduledStart || '').slice(0, 10), recurrence(v), v.until);
    const time = (v.scheduledStart || '').slice(11, 16);
    replace(preview, dates.length ? [h('strong', { i18n: v.repeat === 'NONE' ? 'sessions.when' : 'sessions.nextDates' }), ' ',
      dates.map((d) => `${fmtDate(d)} ${time}`).join(' · ')] : h('span', { i18n: 'sessions.pickStart' }));
  };
  const clearForm = () => {
    form.reset();
    form.elements.title.value = t('sessions.defaultTitle');
    if (root) form.elements.hostRoomCode.value = root.code;
    pickSearch.value = '';
    for (const row of pickRows.children) row.hidden = false;
    clearErrors(form);
    sync();
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
    if (!v.presidingUserId) { setFieldError(form, 'presidingUserId', 'sessions.noHosts'); return; }
    if (!v.scheduledStart) { setFieldError(form, 'scheduledStart', 'err.required'); return; }
    if (!v.scheduledEnd || v.scheduledEnd <= v.scheduledStart) { setFieldError(form, 'scheduledEnd', 'sessions.endAfterStart'); return; }
    const invited = [...form.querySelectorAll('input[name="invited"]:checked')].map((c) => c.value);
    if (v.invitationType === 'LIST' && !invited.length) { setFieldError(form, 'invitationType', 'sessions.noRooms'); return; }
    const invitation = v.invitationType === 'SUBTREE' ? { type: 'SUBTREE', root: v.invitationRoot, rooms: [] }
      : v.invitationType === 'LIST' ? { type: 'LIST', root: null, rooms: invited } : { type: 'ALL', root: null, rooms: [] };
    const common = { title: v.title.trim(), ...presidingFields(v.presidingUserId), hostRoomCode: v.hostRoomCode, invitation, mode: v.mode, recording: v.recording };
    const roomCount = invitationCount(active, invitation, v.hostRoomCode);
    const rule = recurrence(v);
    busy(submit, true);
    try {
      if (rule) {
        await api.createSchedule({ ...common, recurrence: rule, startTime: v.scheduledStart.slice(11, 16), endTime: v.scheduledEnd.slice(11, 16),
          validFrom: v.scheduledStart.slice(0, 10), validUntil: v.until || null, onNonWorkingDay: v.onNonWorkingDay });
      } else {
        await api.createSession({ ...common, scheduledStart: vnInstant(v.scheduledStart), scheduledEnd: vnInstant(v.scheduledEnd) });
      }
      draft.discard();
      // A visible confirmation, and a form back to its start: a second press cannot book the same session twice.
      replace(created, h('p', { class: 'notice ok', role: 'status', i18n: 'sessions.scheduledCount', args: { title: common.title, n: roomCount } }));
      clearForm();
      announce('sessions.scheduledCount', { title: common.title, n: roomCount });
      await load();
    } catch (err) {
      showErrors(form, err, { fieldAliases: { 'invitation.rooms': 'invitationType', 'invitation.root': 'invitationRoot', 'invitation.type': 'invitationType',
        startTime: 'scheduledStart', endTime: 'scheduledEnd', validFrom: 'scheduledStart', validUntil: 'until', recurrence: 'repeat' } });
    } finally { busy(submit, false); }
  });

  section.append(h('div', { class: 'grid-2' }, h('div', {}, listBox, scheduleBox, leadersBox.element), form));
  await load();
  await leadersBox.load();
  return offLang;
}

function describeRule(r) {
  if (!r) return '';
  if (r.type === 'MONTHLY_ON_DAY') return t('sessions.rule.monthDay', { day: r.dayOfMonth });
  if (r.type === 'WEEKLY') return t('sessions.rule.weekly', { weekday: t(WEEKDAY_KEYS[r.dayOfWeek]) });
  return t(r.ordinal === -1 ? 'sessions.rule.lastWeekday' : 'sessions.rule.nthWeekday', { n: r.ordinal, weekday: t(WEEKDAY_KEYS[r.dayOfWeek]) });
}

/* ---------------------------------------------------------------- attendance */

async function attendancePage(section, ctx) {
  section.append(sectionTitle('attendance.title'));
  const picker = h('select', { id: 'att-session' }, h('option', { value: '', i18n: 'attendance.choose' }));
  const box = h('div', { id: 'attendance' });
  section.append(h('div', { class: 'field' }, h('label', { for: 'att-session', i18n: 'attendance.session' }), picker), box);
  try {
    const sessions = items(await api.sessions({ limit: 200 })).sort((a, b) => Date.parse(b.scheduledStart) - Date.parse(a.scheduledStart));
    sessions.forEach((s) => picker.append(h('option', { value: s.id, selected: String(s.id) === ctx.params[1] }, `${s.title} — ${fmtDateTime(s.scheduledStart)}`)));
  } catch (err) { loadError(box, err); return undefined; }
  picker.addEventListener('change', () => ctx.navigate(`#/admin/attendance/${picker.value}`));
  const id = ctx.params[1];
  if (!id) return undefined;
  replace(box, h('p', { class: 'progress', i18n: 'app.loading' }));
  try {
    const report = await api.attendance(id);
    const rows = report.rooms || [];
    const csvBtn = h('button', { type: 'button', class: 'btn', id: 'attendance-csv', i18n: 'attendance.csv' });
    csvBtn.addEventListener('click', async () => {
      busy(csvBtn, true);
      try { download(`attendance-${id}.csv`, (await api.attendanceCsv(id)).text); } catch (err) { alert(describe(err)); } finally { busy(csvBtn, false); }
    });
    replace(box,
      h('p', { class: 'counts', id: 'attendance-counts' },
        h('span', { i18n: 'attendance.summary', args: { present: report.present, absent: report.absent, total: report.invited } }),
        h('span', { class: 'muted', i18n: 'attendance.lateSummary', args: { late: report.late, leftEarly: report.leftEarly } })),
      h('div', { class: 'actions' }, csvBtn),
      h('div', { class: 'table-wrap' }, h('table', { id: 'attendance-table' },
        h('thead', {}, h('tr', {}, ['attendance.room', 'attendance.status', 'attendance.firstJoined', 'attendance.minutes', 'attendance.flags', 'attendance.officials', 'attendance.citizens'].map((k) => h('th', { i18n: k })))),
        h('tbody', {}, rows.map((r) => {
          const present = r.presence === 'PRESENT';
          return h('tr', { dataset: { room: r.roomCode, presence: r.presence } },
            h('td', {}, r.roomName || r.roomCode, ' ', h('span', { class: 'code muted' }, r.roomCode)),
            h('td', {}, h('span', { class: `badge attendance-status ${r.status === 'PRESENT' ? 'ok' : present ? 'warn' : 'off'}`, dataset: { status: r.status || '' },
              i18n: ATTENDANCE_STATUS_KEYS[r.status] || (present ? 'attendance.present' : 'attendance.absent') }),
              r.connectedNow ? [' ', h('span', { class: 'badge live', i18n: 'attendance.connectedNow' })] : null),
            h('td', {}, r.firstConnected ? formatted('datetime', r.firstConnected) : '—'),
            h('td', { class: 'num connected' }, r.connected || formatted('number', r.minutesConnected ?? 0)),
            h('td', {}, gapList(r.spans)),
            h('td', {}, (r.officials || []).map((o) => `${o.name}${o.title ? ` (${o.title})` : ''}`).join(', ')),
            h('td', { class: 'num' }, r.citizens ?? ''));
        })))));
  } catch (err) { loadError(box, err); }
  return undefined;
}

/** The times a room dropped out between two connected spans: when it left and when it was back. */
function gapList(spans) {
  const gaps = (spans || []).slice(1).map((s, i) => ({ left: spans[i].to, back: s.from }));
  if (!gaps.length) return null;
  return h('ul', { class: 'gaps' }, gaps.map((g) => h('li', { class: 'gap', dataset: { left: g.left, back: g.back },
    i18n: 'attendance.gap', args: { left: fmtArg('clock', g.left), back: fmtArg('clock', g.back) } })));
}

/* ---------------------------------------------------------------- petitions */

async function petitionsPage(section, ctx) {
  section.append(sectionTitle('petitions.searchTitle'));
  const box = h('div', { id: 'petition-results' });
  const submit = h('button', { type: 'submit', class: 'btn', i18n: 'petitions.search' });
  const exportBtn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'petitions-export', i18n: 'petitions.export' });
  let rooms = [];
  try { rooms = items(await api.rooms()); } catch { /* codes shown instead */ }
  const roomName = (code) => rooms.find((r) => r.code === code)?.name || code || '';
  const form = h('form', { class: 'panel', novalidate: true, role: 'search', id: 'petition-search' },
    h('div', { class: 'inline' },
      field({ name: 'q', label: 'petitions.query', type: 'search' }),
      field({ name: 'kind', label: 'pet.kind', type: 'select', options: [{ value: '', i18n: 'petitions.any' }, ...PETITION_KINDS.map(([v, k]) => ({ value: v, i18n: k }))] }),
      field({ name: 'status', label: 'pet.status', type: 'select', options: [{ value: '', i18n: 'petitions.any' }, ...[...PETITION_STATUSES, ...CASE_STEPS].map(([v, k]) => ({ value: v, i18n: k }))] }),
      field({ name: 'year', label: 'petitions.year', type: 'number', value: String(new Date().getFullYear()), attrs: { min: 2000, max: 2100 } }),
      field({ name: 'overdue', label: 'petitions.overdue', type: 'checkbox' })),
    h('div', { class: 'actions' }, submit, exportBtn));
  const query = () => { const v = formValues(form); return { q: v.q, kind: v.kind, status: v.status, year: v.year, overdue: v.overdue ? 'true' : undefined }; };
  const search = async () => {
    busy(submit, true);
    replace(box, h('p', { class: 'progress', i18n: 'app.loading' }));
    try {
      const list = items(await api.petitions(query()));
      replace(box, list.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'petitions-table' },
        h('thead', {}, h('tr', {}, ['pet.registerNo', 'pet.receivedAt', 'pet.originRoom', 'pet.kind', 'pet.petitioner', 'pet.summary', 'pet.status', 'pet.deadline', 'users.actions'].map((k) => h('th', { i18n: k })))),
        h('tbody', {}, list.map((p) => {
          const person = petitioners(p)[0] || {};
          return h('tr', { dataset: { petitionId: p.id } }, h('td', {}, registerNo(p)), h('td', {}, formatted('date', p.receivedOn || p.createdAt)), h('td', {}, roomName(p.originRoomCode)),
            h('td', {}, h('span', { i18n: kindKey(p.kind) })), h('td', { class: p.personalData === 'FULL' ? '' : 'masked' }, person.name || ''),
            h('td', {}, p.summary || ''), h('td', {}, h('span', { i18n: statusKey(p.status) })),
            h('td', {}, formatted('date', dueDate(p)), p.overdue ? [' ', h('span', { class: 'badge live', i18n: 'pet.overdue' })] : null),
            h('td', { class: 'actions' }, h('button', { type: 'button', class: 'btn btn-quiet pet-versions', i18n: 'pet.versions', onClick: () => showVersions(p, ctx.user) }),
              h('button', { type: 'button', class: 'btn btn-quiet pet-case', i18n: 'case.open', onClick: () => showCaseFile(p, ctx.user) })));
        })))) : h('p', { class: 'muted', i18n: 'petitions.noResults' }));
    } catch (err) { loadError(box, err); } finally { busy(submit, false); }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); search(); });
  exportBtn.addEventListener('click', async () => {
    busy(exportBtn, true);
    try { download('petition-register.csv', (await api.petitionsCsv(query())).text); } catch (err) { alert(describe(err)); } finally { busy(exportBtn, false); }
  });
  section.append(form, box, agenciesPanel());
  await search();
}
