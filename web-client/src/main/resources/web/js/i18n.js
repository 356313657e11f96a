/**
 * Every visible string goes through t(key). Elements built with h(..., {i18n: key}) carry
 * data-i18n so a language switch retranslates the page in place: nothing typed in a form is lost.
 */
const SUPPORTED = ['vi', 'en'];
const STORAGE_KEY = 'crl.lang';
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

let lang = SUPPORTED.includes(localStorage.getItem(STORAGE_KEY)) ? localStorage.getItem(STORAGE_KEY) : 'vi';
let dict = {};
const listeners = new Set();

async function load(code) {
  const res = await fetch(`i18n/${code}.json`, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`i18n ${code}: HTTP ${res.status}`);
  return res.json();
}

export async function initI18n() {
  dict = await load(lang);
  document.documentElement.lang = lang;
}

export function currentLang() {
  return lang;
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(dict, key);
}

/** Translates key, filling {name} placeholders from args. An unknown key shows itself, never blank. */
export function t(key, args) {
  let s = has(key) ? dict[key] : key;
  if (args) s = s.replace(/\{(\w+)\}/g, (m, name) => (args[name] ?? m));
  return s;
}

export async function setLang(code) {
  if (!SUPPORTED.includes(code) || code === lang) return;
  dict = await load(code);
  lang = code;
  localStorage.setItem(STORAGE_KEY, code);
  document.documentElement.lang = code;
  applyI18n(document);
  listeners.forEach((fn) => fn(code));
}

/** Calls fn after every language switch; returns the unsubscribe function. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function applyI18n(root) {
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    const args = el.dataset.i18nArgs ? JSON.parse(el.dataset.i18nArgs) : undefined;
    el.textContent = t(el.dataset.i18n, args);
  });
  root.querySelectorAll('[data-i18n-attr]').forEach((el) => {
    for (const [attr, key] of Object.entries(JSON.parse(el.dataset.i18nAttr))) el.setAttribute(attr, t(key));
  });
  document.title = t('app.title');
}

function locale() {
  return lang === 'vi' ? 'vi-VN' : 'en-GB';
}

export function fmtDateTime(iso) {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(iso));
}

export function fmtDate(iso) {
  if (!iso) return '—';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00+07:00`) : new Date(iso);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: TIME_ZONE }).format(d);
}

export function fmtTime(iso) {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(iso));
}

/** A clock time to the second, for when a room left and came back. */
export function fmtClock(iso) {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'medium', timeZone: TIME_ZONE }).format(new Date(iso));
}

export function fmtNumber(n) {
  return new Intl.NumberFormat(locale()).format(n);
}
