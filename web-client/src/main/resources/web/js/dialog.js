import { h, busy } from './dom.js';
import { clearErrors, showErrors, formError } from './errors.js';
import { bindDraft } from './drafts.js';

/**
 * A modal form: title, the form's error summary, its fields, a submit and a cancel button. The
 * native <dialog> traps focus, closes on Escape and gives focus back to the page.
 *
 * opts: id, title ({i18n, args}), body (nodes), submitKey, danger (a red submit for what cannot be
 * undone), draftKey (what is typed survives a failed request and a reload until the save succeeds),
 * aliases (server field -> form field), onSubmit(form) -> a promise; it may throw an ApiError, which
 * is shown beside its fields and the dialog stays open with everything typed.
 */
export function formDialog(opts) {
  const titleId = `${opts.id}-title`;
  const submit = h('button', { type: 'submit', class: opts.danger ? 'btn btn-danger' : 'btn', i18n: opts.submitKey });
  const cancel = h('button', { type: 'button', class: 'btn btn-quiet', i18n: 'app.cancel' });
  const form = h('form', { novalidate: true },
    h('h2', { id: titleId, i18n: opts.title.i18n, args: opts.title.args }),
    formError(),
    opts.body,
    h('div', { class: 'actions' }, submit, cancel));
  const dlg = h('dialog', { id: opts.id, 'aria-labelledby': titleId }, form);
  const draft = opts.draftKey ? bindDraft(form, opts.draftKey) : null;
  if (draft) draft.restore();
  const close = () => { if (dlg.open) dlg.close(); dlg.remove(); };
  cancel.addEventListener('click', close);
  dlg.addEventListener('cancel', () => dlg.remove());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    busy(submit, true);
    try {
      const done = await opts.onSubmit(form);
      if (done === false) return;
      if (draft) draft.discard();
      close();
    } catch (err) {
      if (draft) draft.saveNow();
      showErrors(form, err, { fieldAliases: opts.aliases || {} });
    } finally {
      busy(submit, false);
    }
  });
  document.body.append(dlg);
  dlg.showModal();
  return { dlg, form, close };
}
