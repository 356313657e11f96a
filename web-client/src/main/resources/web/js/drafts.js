import { formValues, fillForm } from './dom.js';

/**
 * Keeps what is typed in a form in localStorage as it is typed, so a reload, a crash or a
 * failed request never loses it. The draft is dropped only when the save succeeded.
 */
export function bindDraft(form, key, { extra } = {}) {
  const storageKey = `crl.draft.${key}`;
  let timer = null;
  const save = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const values = { ...formValues(form), ...(extra ? extra() : {}) };
      localStorage.setItem(storageKey, JSON.stringify({ savedAt: new Date().toISOString(), values }));
    }, 250);
  };
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  return {
    restore() {
      const raw = localStorage.getItem(storageKey);
      if (!raw) return null;
      try {
        const { values } = JSON.parse(raw);
        fillForm(form, values);
        return values;
      } catch {
        return null;
      }
    },
    saveNow() {
      localStorage.setItem(storageKey, JSON.stringify({ savedAt: new Date().toISOString(), values: { ...formValues(form), ...(extra ? extra() : {}) } }));
    },
    discard() {
      clearTimeout(timer);
      localStorage.removeItem(storageKey);
    },
  };
}
