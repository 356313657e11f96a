import { api, items } from './api.js';
import { h, replace, formatted } from './dom.js';
import { t } from './i18n.js';
import { describe } from './errors.js';

export const SESSION_STATES = { SCHEDULED: 'sess.state.SCHEDULED', LIVE: 'sess.state.LIVE', INTERRUPTED: 'sess.state.INTERRUPTED', ENDED: 'sess.state.ENDED', CANCELLED: 'sess.state.CANCELLED', POSTPONED: 'sess.state.POSTPONED', ARCHIVED: 'sess.state.ARCHIVED' };

export function stateBadge(state) {
  const cls = state === 'LIVE' ? 'badge live' : state === 'SCHEDULED' ? 'badge ok' : state === 'INTERRUPTED' ? 'badge warn' : 'badge off';
  return h('span', { class: cls, i18n: SESSION_STATES[state] || 'sess.state.UNKNOWN' });
}

export function startOfTodayIso() {
  const now = new Date();
  // Sessions are planned in Vietnam time (UTC+7); "today" starts at 00:00 there.
  const vn = new Date(now.getTime() + 7 * 3600e3);
  return new Date(Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate()) - 7 * 3600e3).toISOString();
}

/** Today's and upcoming sessions (plus any still live or interrupted by a server restart), soonest first. */
export async function upcomingSessions() {
  const from = startOfTodayIso();
  const list = items(await api.sessions({ from: new Date(Date.parse(from) - 86400e3).toISOString(), limit: 200 }));
  return list
    .filter((s) => s.state === 'LIVE' || s.state === 'INTERRUPTED' || (['SCHEDULED', 'POSTPONED', 'ENDED'].includes(s.state) && Date.parse(s.scheduledEnd || s.scheduledStart) >= Date.parse(from)))
    .sort((a, b) => Date.parse(a.scheduledStart) - Date.parse(b.scheduledStart));
}

export function isToday(iso) {
  const d = Date.parse(iso);
  const start = Date.parse(startOfTodayIso());
  return d >= start && d < start + 86400e3;
}

/** Renders sessions as a list; actions(session) returns the buttons or links for one item. */
export function sessionList(sessions, actions) {
  if (!sessions.length) return h('p', { class: 'muted', i18n: 'sess.none' });
  return h('ul', { class: 'session-list' }, sessions.map((s) => h('li', { class: 'session-item', dataset: { sessionId: s.id } },
    h('span', { class: 'title' }, s.title),
    stateBadge(s.state),
    h('span', {}, isToday(s.scheduledStart) ? [h('span', { i18n: 'sess.today' }), ' ', formatted('time', s.scheduledStart)] : formatted('datetime', s.scheduledStart)),
    h('span', { class: 'actions' }, actions(s)))));
}

/** A "choose a session" page for consoles opened without a session id; extras(session) adds links after "Open". */
export async function sessionPicker(main, titleKey, hrefFor, extras = () => null) {
  main.append(h('h1', { i18n: titleKey }));
  const box = h('div', {}, h('p', { class: 'progress', i18n: 'app.loading' }));
  main.append(box);
  try {
    const sessions = await upcomingSessions();
    replace(box, sessionList(sessions, (s) => [h('a', { class: 'btn', href: hrefFor(s), i18n: 'sess.open' }), extras(s)]));
  } catch (err) {
    replace(box, err.status === 404 ? h('p', { class: 'notice warn', i18n: 'sess.unavailable' }) : h('p', { class: 'notice warn' }, describe(err)));
  }
}
