import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { describe } from '../errors.js';
import { upcomingSessions, sessionList, isToday } from '../sessions.js';
import { CONSOLES } from '../app.js';

const INTRO_KEYS = { ADMIN: 'home.intro.ADMIN', HOST: 'home.intro.HOST', SECRETARY: 'home.intro.SECRETARY', ROOM_OPERATOR: 'home.intro.ROOM_OPERATOR' };

/** What each role does with a session from the home page. */
function actionsFor(role, s) {
  const live = s.state === 'LIVE' || s.state === 'INTERRUPTED'; // interrupted: the host resumes it from the console
  switch (role) {
    case 'HOST': return [h('a', { class: 'btn', href: `#/host/${s.id}`, i18n: live ? 'home.action.hostLive' : 'home.action.host' }),
      h('a', { class: 'btn btn-secondary', href: `#/secretary/${s.id}`, i18n: 'home.action.register' })];
    case 'SECRETARY': return h('a', { class: 'btn', href: `#/secretary/${s.id}`, i18n: 'home.action.register' });
    case 'ROOM_OPERATOR': return h('a', { class: live ? 'btn btn-big btn-ok' : 'btn btn-secondary', href: `#/room/${s.id}`, i18n: live ? 'home.action.join' : 'home.action.open' });
    case 'ADMIN': return [h('a', { class: 'btn btn-secondary', href: `#/admin/attendance/${s.id}`, i18n: 'home.action.attendance' })];
    default: return null;
  }
}

export async function render({ main, user }) {
  main.append(
    h('h1', { i18n: 'home.greeting', args: { name: user.displayName || user.username } }),
    h('p', { class: 'muted' }, h('span', { i18n: INTRO_KEYS[user.role] || 'home.intro.OTHER' }),
      user.roomCode ? [' ', h('span', { i18n: 'home.yourRoom', args: { room: user.roomCode } })] : null),
    h('nav', { class: 'actions', 'aria-labelledby': 'home-consoles' },
      h('h2', { id: 'home-consoles', class: 'visually-hidden', i18n: 'home.consoles' }),
      (CONSOLES[user.role] || []).map(([href, key]) => h('a', { class: 'btn btn-secondary', href, i18n: key }))));

  const today = h('section', { 'aria-labelledby': 'home-today' }, h('h2', { id: 'home-today', i18n: 'home.today' }), h('p', { class: 'progress', i18n: 'app.loading' }));
  const upcoming = h('section', { 'aria-labelledby': 'home-upcoming' }, h('h2', { id: 'home-upcoming', i18n: 'home.upcoming' }));
  main.append(today, upcoming);
  try {
    const sessions = await upcomingSessions();
    const todays = sessions.filter((s) => s.state === 'LIVE' || s.state === 'INTERRUPTED' || isToday(s.scheduledStart));
    const later = sessions.filter((s) => !todays.includes(s));
    replace(today, h('h2', { id: 'home-today', i18n: 'home.today' }), sessionList(todays, (s) => actionsFor(user.role, s)));
    upcoming.append(sessionList(later, (s) => actionsFor(user.role, s)));
  } catch (err) {
    replace(today, h('h2', { id: 'home-today', i18n: 'home.today' }),
      err.status === 404 ? h('p', { class: 'notice warn', i18n: 'sess.unavailable' }) : h('p', { class: 'notice warn' }, describe(err)));
  }
}
