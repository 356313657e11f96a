import { api } from '../api.js';
import { h, field, formValues, announce } from '../dom.js';
import { setFieldError } from '../errors.js';
import { t } from '../i18n.js';
import { formDialog } from '../dialog.js';

/**
 * What an administrator can still do with a scheduled session: edit it, postpone it, cancel it
 * (each move with its reason, kept in the session's history) and stop a room's join links. The
 * server's state machine (SessionState) decides; its 409 is shown in the dialog in the user's
 * language, naming the states the session may still move to.
 */
const EDITABLE = ['SCHEDULED', 'POSTPONED'];
const JOINABLE = ['SCHEDULED', 'POSTPONED', 'LIVE'];

/** Sessions are planned in Vietnam wall-clock time whatever zone the admin's PC uses. */
export function vnLocal(iso) {
  return iso ? new Date(Date.parse(iso) + 7 * 3600e3).toISOString().slice(0, 16) : '';
}

function vnInstant(local) {
  return new Date(`${local}:00+07:00`).toISOString();
}

export function sessionActions(s, { rooms, reload }) {
  const btn = (key, cls, fn) => h('button', { type: 'button', class: `btn btn-quiet ${cls}`, i18n: key, onClick: fn });
  return [
    EDITABLE.includes(s.state) ? btn('sessions.edit', 'session-edit', () => editSession(s, reload)) : null,
    s.state === 'SCHEDULED' ? btn('sessions.postpone', 'session-postpone', () => moveSession(s, 'POSTPONED', reload)) : null,
    EDITABLE.includes(s.state) ? btn('sessions.cancel', 'session-cancel', () => moveSession(s, 'CANCELLED', reload)) : null,
    JOINABLE.includes(s.state) ? btn('sessions.joinLinks', 'session-links', () => revokeLinks(s, rooms)) : null,
  ];
}

function editSession(s, reload) {
  const postponed = s.state === 'POSTPONED';
  formDialog({
    id: 'session-edit', title: { i18n: 'sessions.editTitle', args: { title: s.title } }, submitKey: 'users.save',
    draftKey: `session-edit.${s.id}.${s.version}`,
    body: [
      field({ name: 'title', label: 'sessions.titleField', required: true, value: s.title }),
      field({ name: 'presidingOfficial', label: 'sessions.presiding', required: true, value: s.presidingOfficial || '' }),
      h('div', { class: 'inline' },
        field({ name: 'scheduledStart', label: 'sessions.start', type: 'datetime-local', required: true, value: vnLocal(s.scheduledStart), hint: 'sessions.vnTime' }),
        field({ name: 'scheduledEnd', label: 'sessions.end', type: 'datetime-local', required: true, value: vnLocal(s.scheduledEnd) })),
      postponed ? field({ name: 'reschedule', label: 'sessions.reschedule', type: 'checkbox', value: true, hint: 'sessions.rescheduleHint' }) : null,
    ],
    onSubmit: async (form) => {
      const v = formValues(form);
      if (!v.title.trim()) { setFieldError(form, 'title', 'err.required'); return false; }
      if (!v.presidingOfficial.trim()) { setFieldError(form, 'presidingOfficial', 'err.required'); return false; }
      if (!v.scheduledStart) { setFieldError(form, 'scheduledStart', 'err.required'); return false; }
      if (!v.scheduledEnd || v.scheduledEnd <= v.scheduledStart) { setFieldError(form, 'scheduledEnd', 'sessions.endAfterStart'); return false; }
      await api.updateSession(s.id, {
        title: v.title.trim(), presidingOfficial: v.presidingOfficial.trim(),
        scheduledStart: vnInstant(v.scheduledStart), scheduledEnd: vnInstant(v.scheduledEnd), version: s.version,
      });
      if (postponed && v.reschedule) await api.setSessionState(s.id, 'SCHEDULED', null);
      announce('sessions.saved', { title: v.title.trim() });
      await reload();
      return true;
    },
  });
}

/** Postpone or cancel: the reason is required here (the law asks a published schedule to be explained). */
function moveSession(s, target, reload) {
  const cancel = target === 'CANCELLED';
  formDialog({
    id: 'session-state', title: { i18n: cancel ? 'sessions.cancelTitle' : 'sessions.postponeTitle', args: { title: s.title } },
    submitKey: cancel ? 'sessions.cancel' : 'sessions.postpone', danger: cancel,
    draftKey: `session-state.${s.id}.${target}`,
    aliases: { state: 'reason' },
    body: [
      h('p', { class: 'hint', i18n: cancel ? 'sessions.cancelExplain' : 'sessions.postponeExplain' }),
      field({ name: 'reason', label: 'sessions.reason', type: 'textarea', required: true, rows: 3 }),
    ],
    onSubmit: async (form) => {
      const { reason } = formValues(form);
      if (!reason.trim()) { setFieldError(form, 'reason', 'err.required'); return false; }
      await api.setSessionState(s.id, target, reason.trim());
      announce(cancel ? 'sessions.cancelled' : 'sessions.postponed', { title: s.title });
      await reload();
      return true;
    },
  });
}

/** A leaked or forwarded join link is stopped for one room; the room operator's own sign-in still works. */
async function revokeLinks(s, rooms) {
  let invited = [];
  try { invited = (await api.invitedRooms(s.id)).rooms || []; } catch { /* the select stays empty and the server answers */ }
  const name = (code) => rooms.find((r) => r.code === code)?.name || code;
  const { form } = formDialog({
    id: 'session-links', title: { i18n: 'sessions.linksTitle', args: { title: s.title } }, submitKey: 'sessions.revokeLinks', danger: true,
    body: [
      h('p', { class: 'hint', i18n: 'sessions.linksExplain' }),
      field({ name: 'roomCode', label: 'sessions.linksRoom', type: 'select', required: true,
        options: [{ value: '', i18n: 'users.noRoom' }, ...invited.map((c) => ({ value: c, label: `${name(c)} (${c})` }))] }),
      h('p', { class: 'notice ok', role: 'status', hidden: true, id: 'links-result' }),
    ],
    onSubmit: async (f) => {
      const { roomCode } = formValues(f);
      if (!roomCode) { setFieldError(f, 'roomCode', 'err.required'); return false; }
      const res = await api.revokeJoinTokens(s.id, roomCode);
      const out = f.querySelector('#links-result');
      out.hidden = false;
      out.dataset.i18n = 'sessions.linksRevoked';
      out.dataset.i18nArgs = JSON.stringify({ n: res?.revoked ?? 0, room: name(roomCode) });
      out.textContent = t('sessions.linksRevoked', { n: res?.revoked ?? 0, room: name(roomCode) });
      announce('sessions.linksRevoked', { n: res?.revoked ?? 0, room: name(roomCode) });
      return false; // stays open: the admin may stop another room's links
    },
  });
  return form;
}
