import { formValues, fillForm } from './dom.js';
import { auth } from './api.js';

const DRAFT_PREFIX = 'crl.draft.';
/** Room screens keep the officials present (names) per session: personal data too. */
const PERSONAL_PREFIXES = [DRAFT_PREFIX, 'crl.room.officials.'];

/**
 * Removes every draft and every other piece of personal data the app left in this browser; called
 * at sign-out, so the next person at a shared PC finds no petitioner's name or ID number.
 */
export function clearPersonalData() {
  const doomed = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (PERSONAL_PREFIXES.some((p) => key.startsWith(p))) doomed.push(key);
  }
  doomed.forEach((key) => localStorage.removeItem(key));
}

const owner = () => auth.user()?.username || null;

/**
 * Keeps what is typed in a form in localStorage as it is typed, so a reload, a crash or a
 * failed request (an expired sign-in included) never loses it. The draft is dropped when the save
 * succeeded, at sign-out, and when someone else signs in on the same browser (a draft restores only
 * for the account that typed it).
 */
export function bindDraft(form, key, { extra } = {}) {
  const storageKey = `${DRAFT_PREFIX}${key}`;
  let timer = null;
  const save = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!owner()) return; // signed out meanwhile: nothing of this form may stay behind
      const values = { ...formValues(form), ...(extra ? extra() : {}) };
      localStorage.setItem(storageKey, JSON.stringify({ savedAt: new Date().toISOString(), owner: owner(), values }));
    }, 250);
  };
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  return {
    restore() {
      const raw = localStorage.getItem(storageKey);
      if (!raw) return null;
      try {
        const { values, owner: typedBy } = JSON.parse(raw);
        if (typedBy !== owner()) {
          localStorage.removeItem(storageKey);
          return null;
        }
        fillForm(form, values);
        return values;
      } catch {
        return null;
      }
    },
    saveNow() {
      if (!owner()) return;
      localStorage.setItem(storageKey, JSON.stringify({ savedAt: new Date().toISOString(), owner: owner(), values: { ...formValues(form), ...(extra ? extra() : {}) } }));
    },
    discard() {
      clearTimeout(timer);
      localStorage.removeItem(storageKey);
    },
  };
}
