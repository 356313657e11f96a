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

/**
 * Translates key, filling {name} placeholders from args. An unknown key shows itself, never blank.
 * An argument made by fmtArg is formatted in the language of the moment, so a date inside a
 * retranslated sentence follows a language switch too.
 */
export function t(key, args) {
  let s = has(key) ? dict[key] : key;
  if (args) s = s.replace(/\{(\w+)\}/g, (m, name) => {
    const v = args[name];
    if (v && typeof v === 'object' && v.fmt) return fmt(v.fmt, v.value);
    return v ?? m;
  });
  return s;
}

/** A placeholder value t() formats when it runs: fmtArg('date', '2026-12-03'); kinds as in fmt. Plain JSON, so it survives data-i18n-args. */
export function fmtArg(kind, value) {
  return { fmt: kind, value };
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
  // Dates and numbers drawn with dom.js formatted(): written again in the new language's format.
  root.querySelectorAll('[data-fmt]').forEach((el) => { el.textContent = fmt(el.dataset.fmt, el.dataset.value); });
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

const FORMATS = { date: fmtDate, datetime: fmtDateTime, time: fmtTime, clock: fmtClock, number: fmtNumber };

/** kind: date | datetime | time | clock | number. */
export function fmt(kind, value) {
  const format = FORMATS[kind];
  if (!format) throw new Error(`unknown format ${kind}`);
  return format(value);
}
