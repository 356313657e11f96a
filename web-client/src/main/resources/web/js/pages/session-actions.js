import { api } from '../api.js';
import { h, field, formValues, announce } from '../dom.js';
import { setFieldError } from '../errors.js';
import { t } from '../i18n.js';
import { formDialog } from '../dialog.js';
import { leaderOptions, presidingValue, presidingFields } from './leaders.js';

/**
 * What an administrator can still do with a scheduled session: edit it, postpone it, cancel it
 * (each move with its reason, kept in the session's history) and open its join-link sheet. The
 * server's state machine (SessionState) decides; its 409 is shown in the dialog in the user's
 * language, naming the states the session may still move to.
 */
const EDITABLE = ['SCHEDULED', 'POSTPONED'];
const JOINABLE = ['SCHEDULED', 'POSTPONED', 'LIVE', 'INTERRUPTED'];

/** Sessions are planned in Vietnam wall-clock time whatever zone the admin's PC uses. */
export function vnLocal(iso) {
  return iso ? new Date(Date.parse(iso) + 7 * 3600e3).toISOString().slice(0, 16) : '';
}

function vnInstant(local) {
  return new Date(`${local}:00+07:00`).toISOString();
}

export function sessionActions(s, { hosts = [], leaders = [], reload }) {
  const btn = (key, cls, fn) => h('button', { type: 'button', class: `btn btn-quiet ${cls}`, i18n: key, onClick: fn });
  return [
    EDITABLE.includes(s.state) ? btn('sessions.edit', 'session-edit', () => editSession(s, hosts, leaders, reload)) : null,
    s.state === 'SCHEDULED' ? btn('sessions.postpone', 'session-postpone', () => moveSession(s, 'POSTPONED', reload)) : null,
    EDITABLE.includes(s.state) ? btn('sessions.cancel', 'session-cancel', () => moveSession(s, 'CANCELLED', reload)) : null,
    JOINABLE.includes(s.state) ? h('a', { class: 'btn btn-quiet session-links', href: `#/join-links/${s.id}`, i18n: 'sessions.joinLinks' }) : null,
  ];
}

/** The presiding account or leader of the list; a name typed before either was chosen stays until one is picked. */
function presidingOptions(s, hosts, leaders) {
  const options = [...hosts.map((u) => ({ value: String(u.id), label: `${u.displayName} (${u.username})` })), ...leaderOptions(leaders)];
  if (!options.some((o) => o.value === presidingValue(s))) {
    options.unshift({ value: '', label: `${s.presidingOfficial || ''} — ${t('sessions.presidingUnlinked')}` });
  }
  return options;
}

function editSession(s, hosts, leaders, reload) {
  const postponed = s.state === 'POSTPONED';
  formDialog({
    id: 'session-edit', title: { i18n: 'sessions.editTitle', args: { title: s.title } }, submitKey: 'users.save',
    draftKey: `session-edit.${s.id}.${s.version}`,
    body: [
      field({ name: 'title', label: 'sessions.titleField', required: true, value: s.title }),
      field({ name: 'presidingUserId', label: 'sessions.presiding', type: 'select', value: presidingValue(s),
        options: presidingOptions(s, hosts, leaders) }),
      h('div', { class: 'inline' },
        field({ name: 'scheduledStart', label: 'sessions.start', type: 'datetime-local', required: true, value: vnLocal(s.scheduledStart), hint: 'sessions.vnTime' }),
        field({ name: 'scheduledEnd', label: 'sessions.end', type: 'datetime-local', required: true, value: vnLocal(s.scheduledEnd) })),
      postponed ? field({ name: 'reschedule', label: 'sessions.reschedule', type: 'checkbox', value: true, hint: 'sessions.rescheduleHint' }) : null,
    ],
    onSubmit: async (form) => {
      const v = formValues(form);
      if (!v.title.trim()) { setFieldError(form, 'title', 'err.required'); return false; }
      if (!v.scheduledStart) { setFieldError(form, 'scheduledStart', 'err.required'); return false; }
      if (!v.scheduledEnd || v.scheduledEnd <= v.scheduledStart) { setFieldError(form, 'scheduledEnd', 'sessions.endAfterStart'); return false; }
      await api.updateSession(s.id, {
        title: v.title.trim(), ...(v.presidingUserId !== presidingValue(s) ? presidingFields(v.presidingUserId) : {}),
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
