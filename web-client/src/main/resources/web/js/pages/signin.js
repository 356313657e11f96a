import { api, auth } from '../api.js';
import { h, field, busy } from '../dom.js';
import { showErrors, clearErrors, formError, setFieldError } from '../errors.js';

export async function render({ main, query, navigate }) {
  const submit = h('button', { type: 'submit', class: 'btn btn-big', i18n: 'signin.submit' });
  const form = h('form', { class: 'panel narrow', novalidate: true, 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', i18n: 'signin.title' }),
    query.get('expired') ? h('p', { class: 'notice warn', i18n: 'signin.expired' }) : null,
    formError(),
    field({ name: 'username', label: 'signin.username', required: true, attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } }),
    field({ name: 'password', label: 'signin.password', type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
    h('div', { class: 'actions' }, submit));
  main.append(form);
  const username = form.elements.username;
  const password = form.elements.password;
  username.focus();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const missing = [];
    if (!username.value.trim()) missing.push('username');
    if (!password.value) missing.push('password');
    if (missing.length) {
      missing.reverse().forEach((f) => setFieldError(form, f, 'err.required'));
      return;
    }
    busy(submit, true);
    try {
      const res = await api.login(username.value.trim(), password.value);
      auth.set({ token: res.token, expiresAt: res.expiresAt, user: res.user });
      const next = query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('/signin') ? `#${next}` : '#/');
    } catch (err) {
      if (err.status === 401 || err.status === 429 || (err.status === 403 && !Object.keys(err.fieldErrors).length)) {
        // Wrong credentials (or throttled): say so next to the password, keep the username, clear the password.
        password.value = '';
        setFieldError(form, 'password', { 401: 'signin.error.invalid', 403: 'signin.error.disabled', 429: 'signin.error.throttled' }[err.status]);
      } else {
        showErrors(form, err);
      }
    } finally {
      busy(submit, false);
    }
  });
}
