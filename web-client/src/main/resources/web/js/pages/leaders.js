import { api } from '../api.js';
import { h, field, replace, busy, formValues, announce } from '../dom.js';
import { t } from '../i18n.js';
import { clearErrors, showErrors, formError } from '../errors.js';

/** A select value naming a leader of the list, beside the plain account ids of the presiding select. */
const LEADER_PREFIX = 'leader:';

/** The leaders of the list (active ones first), or none when the server cannot say. */
export async function leaderList() {
  try { return (await api.leaders()).leaders || []; } catch { return []; }
}

/** Options for the presiding select: each active leader, after the host accounts. */
export function leaderOptions(leaders) {
  return leaders.filter((l) => l.active).map((l) => ({ value: `${LEADER_PREFIX}${l.id}`,
    label: `${l.name}${l.position ? ` — ${l.position}` : ''} (${t('leaders.listed')})` }));
}

/** The select value of a session's presiding person: its account, else its leader, else empty. */
export function presidingValue(s) {
  if (s.presidingUserId != null) return String(s.presidingUserId);
  return s.presidingLeaderId != null ? `${LEADER_PREFIX}${s.presidingLeaderId}` : '';
}

/** The request fields for a presiding select value: {presidingUserId} or {presidingLeaderId}; {} for none. */
export function presidingFields(value) {
  if (!value) return {};
  return value.startsWith(LEADER_PREFIX) ? { presidingLeaderId: Number(value.slice(LEADER_PREFIX.length)) } : { presidingUserId: Number(value) };
}

/**
 * The administrator's leaders list: who may preside besides host accounts (a Party secretary, a
 * district chairman whose office broadcasts for them). Entries are deactivated, never deleted:
 * sessions point at them. onChange runs after every change (the session form reloads its options).
 */
export function leadersPanel({ onChange }) {
  const list = h('ul', { class: 'leaders-list', id: 'leaders-list' });
  const draw = (leaders) => replace(list, leaders.length ? leaders.map((l) => h('li', { dataset: { leaderId: l.id }, class: l.active ? '' : 'muted' },
    h('strong', {}, l.name), l.position ? ` — ${l.position}` : '',
    l.filedFrom ? [' ', h('span', { class: 'badge', i18n: 'leaders.typed' })] : null,
    l.active ? null : [' ', h('span', { class: 'badge', i18n: 'leaders.inactive' })], ' ',
    h('button', { type: 'button', class: 'btn btn-quiet btn-small leader-toggle', i18n: l.active ? 'leaders.deactivate' : 'leaders.activate',
      onClick: async (e) => {
        busy(e.currentTarget, true);
        try { await api.updateLeader(l.id, { active: !l.active }); await load(); } finally { busy(e.currentTarget, false); }
      } }))) : h('li', { class: 'muted', i18n: 'leaders.none' }));
  const load = async () => { const leaders = await leaderList(); draw(leaders); onChange?.(leaders); };
  const submit = h('button', { type: 'submit', class: 'btn btn-small', i18n: 'leaders.add' });
  const form = h('form', { class: 'inline', id: 'leader-form', novalidate: true }, formError(),
    field({ name: 'name', label: 'leaders.name', required: true, attrs: { autocomplete: 'off', maxlength: 200 } }),
    field({ name: 'position', label: 'leaders.position', attrs: { autocomplete: 'off', maxlength: 200 } }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    busy(submit, true);
    try {
      const created = await api.createLeader({ name: v.name.trim(), position: v.position.trim() });
      form.reset();
      announce('leaders.added', { name: created.name });
      await load();
    } catch (err) { showErrors(form, err); } finally { busy(submit, false); }
  });
  const element = h('section', { class: 'panel', id: 'leaders-panel', 'aria-labelledby': 'leaders-title' },
    h('h3', { id: 'leaders-title', i18n: 'leaders.title' }), h('p', { class: 'hint', i18n: 'leaders.hint' }), list, form);
  return { element, load };
}
