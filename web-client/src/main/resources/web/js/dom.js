import { t, fmt } from './i18n.js';

/**
 * h(tag, attrs, ...children): the only way pages build DOM. attrs.i18n sets translated text
 * (retranslated on a language switch), attrs.args its placeholders, attrs.i18nAttr translated
 * attributes ({placeholder: key}); on* attributes become listeners; children may be strings,
 * nodes, arrays or null.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const a = attrs || {};
  if (a.args) el.dataset.i18nArgs = JSON.stringify(a.args);
  for (const [k, v] of Object.entries(a)) {
    if (v == null || v === false || k === 'args') continue;
    if (k === 'i18n') {
      el.dataset.i18n = v;
      el.textContent = t(v, a.args);
    } else if (k === 'i18nAttr') {
      el.dataset.i18nAttr = JSON.stringify(v);
      for (const [attr, key] of Object.entries(v)) el.setAttribute(attr, t(key));
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'style') {
      // The Content-Security-Policy refuses inline style attributes: style with a class in app.css.
      throw new Error(`h('${tag}'): no style attribute, use a class`);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'checked' || k === 'selected') {
      // The default too, as markup would set it: form.reset() then returns to the state built, not to none.
      el[k] = v;
      el[k === 'checked' ? 'defaultChecked' : 'defaultSelected'] = v;
    } else if (k === 'value' || k === 'srcObject' || k === 'muted') {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

/**
 * A date, time or number formatted in the current language and formatted again on a language
 * switch (i18n.applyI18n): kind as in i18n.fmt; a date or time is a <time> carrying the machine value.
 */
export function formatted(kind, value) {
  const number = kind === 'number';
  const el = h(number ? 'span' : 'time', { datetime: number || value == null ? null : value, dataset: { fmt: kind } }, fmt(kind, value));
  if (value != null) el.dataset.value = value;
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

let fieldSeq = 0;

/**
 * A labelled form control with its error slot. opts: name, label (key), type, required, options
 * ([{value, i18n|label}]), hint (key), attrs. The error slot is announced and tied to the control
 * with aria-describedby.
 */
export function field(opts) {
  const id = opts.id || `f-${opts.name.replace(/\W/g, '-')}-${++fieldSeq}`;
  const errId = `${id}-err`;
  const hintId = opts.hint ? `${id}-hint` : null;
  const common = {
    id, name: opts.name, required: opts.required, 'aria-describedby': [hintId, errId].filter(Boolean).join(' '),
    ...(opts.attrs || {}),
  };
  let control;
  if (opts.type === 'select') {
    control = h('select', common, (opts.options || []).map((o) => h('option', { value: o.value, i18n: o.i18n, selected: o.value === opts.value }, o.label)));
  } else if (opts.type === 'textarea') {
    control = h('textarea', { rows: opts.rows || 3, ...common, value: opts.value ?? '' });
  } else if (opts.type === 'checkbox') {
    control = h('input', { type: 'checkbox', ...common, checked: !!opts.value });
    return h('div', { class: 'field field-check', dataset: { field: opts.name } },
      control, h('label', { for: id, i18n: opts.label }),
      hintId && h('p', { class: 'hint', id: hintId, i18n: opts.hint }),
      h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' }));
  } else {
    control = h('input', { type: opts.type || 'text', ...common, value: opts.value ?? '' });
  }
  return h('div', { class: 'field', dataset: { field: opts.name } },
    h('label', { for: id }, h('span', { i18n: opts.label }), opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    hintId && h('p', { class: 'hint', id: hintId, i18n: opts.hint }),
    control,
    h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' }));
}

/** Reads a form's named controls into a plain object (checkboxes as booleans). */
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'radio') { if (el.checked) out[el.name] = el.value; }
    else if (el.type !== 'file') out[el.name] = el.value;
  }
  return out;
}

export function fillForm(form, values) {
  for (const el of form.elements) {
    if (!el.name || !(el.name in values)) continue;
    if (el.type === 'checkbox') el.checked = !!values[el.name];
    else if (el.type === 'radio') el.checked = el.value === values[el.name];
    else if (el.type !== 'file') el.value = values[el.name] ?? '';
  }
}

export function announce(key, args) {
  const live = document.getElementById('announcer');
  if (!live) return;
  live.textContent = '';
  setTimeout(() => { live.textContent = t(key, args); }, 30);
}

export function busy(button, on) {
  button.disabled = on;
  button.setAttribute('aria-busy', on ? 'true' : 'false');
  button.classList.toggle('is-busy', on);
}

/** Triggers a file download of text content (CSV with a BOM so Excel reads Vietnamese correctly). */
export function download(filename, text, type = 'text/csv;charset=utf-8') {
  const blob = new Blob([type.startsWith('text/csv') && !text.startsWith('\ufeff') ? '\ufeff' + text : text], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
}

export function csvLine(values) {
  return values.map((v) => {
    const s = v == null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',');
}
