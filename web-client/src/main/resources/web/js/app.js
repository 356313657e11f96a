import { initI18n, setLang, currentLang, t, applyI18n, onLangChange } from './i18n.js';
import { auth, api } from './api.js';
import { h, replace, clear } from './dom.js';

/** Hash routes: path pattern, the roles allowed (none = public), and the page module. */
const ROUTES = [
  { re: /^\/signin$/, page: () => import('./pages/signin.js'), open: true },
  { re: /^\/join\/([^/]+)$/, page: () => import('./pages/room.js'), open: true },
  { re: /^\/$/, page: () => import('./pages/home.js'), roles: null },
  { re: /^\/admin(?:\/(rooms|users|sessions|attendance|petitions|reports|audit))?(?:\/([^/]+))?$/, page: () => import('./pages/admin.js'), roles: ['ADMIN'] },
  { re: /^\/secretary(?:\/([^/]+))?$/, page: () => import('./pages/secretary.js'), roles: ['SECRETARY', 'HOST', 'ADMIN'] },
  { re: /^\/host(?:\/([^/]+))?$/, page: () => import('./pages/host.js'), roles: ['HOST', 'ADMIN'] },
  { re: /^\/join-links\/([^/]+)$/, page: () => import('./pages/join-links.js'), roles: ['HOST', 'ADMIN'] },
  { re: /^\/archive(?:\/([^/]+))?$/, page: () => import('./pages/archive.js'), roles: ['SECRETARY', 'HOST', 'ADMIN'] },
  { re: /^\/room(?:\/([^/]+))?$/, page: () => import('./pages/room.js'), roles: ['ROOM_OPERATOR', 'ADMIN'] },
];

export const ROLE_KEYS = { ADMIN: 'role.ADMIN', HOST: 'role.HOST', SECRETARY: 'role.SECRETARY', ROOM_OPERATOR: 'role.ROOM_OPERATOR' };

/** Where each role works; the home page and the top navigation both read this. */
export const CONSOLES = {
  ADMIN: [['#/admin/rooms', 'nav.rooms'], ['#/admin/users', 'nav.users'], ['#/admin/sessions', 'nav.sessions'],
    ['#/admin/attendance', 'nav.attendance'], ['#/admin/petitions', 'nav.petitions'], ['#/admin/reports', 'nav.reports'], ['#/admin/audit', 'nav.audit']],
  HOST: [['#/host', 'nav.host'], ['#/secretary', 'nav.register']],
  SECRETARY: [['#/secretary', 'nav.register']],
  ROOM_OPERATOR: [['#/room', 'nav.room']],
};

/** The top bar: an admin's sections are tabs inside the admin page, so one link suffices there. */
const TOP_NAV = { ...CONSOLES, ADMIN: [['#/admin/rooms', 'nav.admin']] };

const main = document.getElementById('main');
let cleanup = null;
let renderSeq = 0;

export function navigate(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

function parseHash() {
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(qs || '') };
}

async function route() {
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  const found = ROUTES.map((r) => ({ r, m: path.match(r.re) })).find((x) => x.m);
  const user = auth.user();
  renderChrome(user, path);
  if (!found) { showMessage('app.notFound'); return; }
  if (!found.r.open && !user) {
    window.location.replace(`#/signin?next=${encodeURIComponent(path + (query.toString() ? `?${query}` : ''))}`);
    return;
  }
  if (found.r.roles && !found.r.roles.includes(user.role)) { showMessage('app.forbidden'); return; }
  const mod = await found.r.page();
  if (seq !== renderSeq) return;
  if (cleanup) { try { cleanup(); } catch (e) { console.error(e); } cleanup = null; }
  document.body.className = '';
  clear(main);
  try {
    const c = await mod.render({ main, params: found.m.slice(1), query, user, navigate });
    if (seq === renderSeq) cleanup = typeof c === 'function' ? c : null;
    else if (typeof c === 'function') c();
  } catch (e) {
    console.error(e);
    showMessage('err.unexpected');
  }
  const heading = main.querySelector('h1');
  if (heading && document.activeElement === document.body) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
}

function showMessage(key) {
  if (cleanup) { cleanup(); cleanup = null; }
  replace(main, h('section', { class: 'panel narrow' }, h('h1', { i18n: key }), h('p', {}, h('a', { href: '#/', i18n: 'app.backHome' }))));
}

function renderChrome(user, path) {
  const nav = document.getElementById('nav');
  const links = user ? [['#/', 'nav.home'], ...(TOP_NAV[user.role] || [])] : [];
  replace(nav, links.length ? h('ul', {}, links.map(([href, key]) => {
    const section = href.replace(/^#\/([^/]*).*/, '$1');
    const current = `#${path}` === href || (href !== '#/' && path.split('/')[1] === section);
    return h('li', {}, h('a', { href, i18n: key, 'aria-current': current ? 'page' : null }));
  })) : null);
  nav.setAttribute('aria-label', t('nav.label'));
  nav.dataset.i18nAttr = JSON.stringify({ 'aria-label': 'nav.label' });
  const who = document.getElementById('who');
  replace(who, user ? [h('span', { class: 'who-name' }, user.displayName || user.username), ' ',
    h('span', { class: 'badge', i18n: ROLE_KEYS[user.role] || 'role.UNKNOWN' })] : null);
  document.getElementById('signout').hidden = !user;
  document.getElementById('change-password').hidden = !user;
}

function renderLangToggle() {
  const btn = document.getElementById('lang-toggle');
  const other = currentLang() === 'vi' ? 'en' : 'vi';
  btn.textContent = other === 'en' ? 'English' : 'Tiếng Việt';
  btn.setAttribute('lang', other);
  // The visible word is the name (WCAG 2.5.3: a voice user says what they see); the title explains it.
  btn.setAttribute('title', t('app.switchLanguage'));
  btn.dataset.target = other;
}

async function boot() {
  await initI18n();
  const skip = document.getElementById('skip-link');
  skip.dataset.i18n = 'app.skipToContent';
  const brand = document.getElementById('brand-name');
  brand.dataset.i18n = 'app.title';
  const signout = document.getElementById('signout');
  signout.dataset.i18n = 'app.signOut';
  const changePassword = document.getElementById('change-password');
  changePassword.dataset.i18n = 'app.changePassword';
  applyI18n(document);
  renderLangToggle();
  onLangChange(renderLangToggle);

  document.getElementById('lang-toggle').addEventListener('click', (e) => setLang(e.currentTarget.dataset.target));
  changePassword.addEventListener('click', async () => (await import('./account.js')).openChangePassword());
  signout.addEventListener('click', async () => {
    try { await api.logout(); } catch { /* signing out locally is what matters */ }
    auth.clear();
    navigate('#/signin');
  });

  const banner = document.getElementById('net-banner');
  window.addEventListener('crl:network', (e) => {
    const { state, attempt } = e.detail;
    if (state === 'ok') { banner.hidden = true; return; }
    banner.hidden = false;
    banner.className = `net-banner ${state}`;
    banner.dataset.i18n = state === 'retrying' ? 'net.retrying' : 'net.offline';
    banner.dataset.i18nArgs = JSON.stringify({ attempt });
    applyI18n(banner.parentElement);
  });
  window.addEventListener('crl:unauthorized', () => {
    const { path } = parseHash();
    if (path !== '/signin' && !path.startsWith('/join/')) navigate(`#/signin?next=${encodeURIComponent(path)}&expired=1`);
  });
  window.addEventListener('hashchange', route);
  await route();
  document.body.dataset.ready = 'true';
}

boot();
