import { api } from './api.js';
import { h, field, formValues, announce } from './dom.js';
import { formDialog } from './dialog.js';
import { setFieldError } from './errors.js';

/** The server's minimum (UserService.MIN_PASSWORD_LENGTH); checked here only to answer sooner. */
const MIN_PASSWORD_LENGTH = 12;

/**
 * The signed-in user changes their own password from the top bar: the current password, then the
 * new one. Nothing is kept as a draft: passwords are never written to the browser's storage.
 */
export function openChangePassword() {
  formDialog({
    id: 'own-password',
    title: { i18n: 'users.changeOwnTitle' },
    submitKey: 'app.changePassword',
    body: [
      h('p', { class: 'hint', i18n: 'users.changeOwnExplain' }),
      field({ name: 'currentPassword', label: 'users.currentPassword', type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
      field({ name: 'newPassword', label: 'users.newPasswordOnly', type: 'password', required: true, hint: 'users.passwordHint', attrs: { autocomplete: 'new-password', minlength: MIN_PASSWORD_LENGTH } }),
    ],
    onSubmit: async (form) => {
      const { currentPassword, newPassword } = formValues(form);
      if (!currentPassword) { setFieldError(form, 'currentPassword', 'err.required'); return false; }
      if ([...(newPassword || '')].length < MIN_PASSWORD_LENGTH) {
        setFieldError(form, 'newPassword', 'err.lengthRange', { min: MIN_PASSWORD_LENGTH, max: 200 });
        return false;
      }
      await api.changePassword(currentPassword, newPassword);
      announce('users.ownPasswordChanged');
      return true;
    },
  });
}
