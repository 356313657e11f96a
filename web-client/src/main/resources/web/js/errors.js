import { t } from './i18n.js';
import { h, clear } from './dom.js';

/**
 * Server messages are English sentences; the ones we recognise are shown in the user's language,
 * the rest as the server wrote them (never as JSON).
 */
const STATE_KEYS = { SCHEDULED: 'sess.state.SCHEDULED', LIVE: 'sess.state.LIVE', INTERRUPTED: 'sess.state.INTERRUPTED', ENDED: 'sess.state.ENDED', CANCELLED: 'sess.state.CANCELLED', POSTPONED: 'sess.state.POSTPONED', ARCHIVED: 'sess.state.ARCHIVED' };
const stateName = (s) => t(STATE_KEYS[s] || 'sess.state.UNKNOWN');

/** [pattern, key, args(match)?]: the most specific first, since the first match wins. */
const KNOWN = [
  [/is not your current password/i, 'err.wrongCurrentPassword'],
  [/must differ from the current password/i, 'err.samePassword'],
  // SessionService.transition: "session 5 is CANCELLED and cannot become POSTPONED; allowed: [SCHEDULED, CANCELLED]"
  [/is (\w+) and cannot become (\w+); allowed: \[([^\]]*)\]/, 'err.sessionTransition', (m) => ({
    from: stateName(m[1]), to: stateName(m[2]),
    allowed: m[3].trim() ? m[3].split(',').map((x) => stateName(x.trim())).join(', ') : t('err.sessionFinal') })],
  [/a (\w+) session can no longer be edited/, 'err.sessionNotEditable', (m) => ({ state: stateName(m[1]) })],
  [/changed meanwhile/i, 'err.conflict'],
  [/only a complex or especially complex denunciation may be extended/i, 'err.extensionNotComplex'],
  [/a complex denunciation may be extended once/i, 'err.extensionOnce'],
  [/may be extended at most twice/i, 'err.extensionTwice'],
  [/must be accepted before its resolution can be extended/i, 'err.extensionNotAccepted'],
  [/extension cannot be decided before the acceptance/i, 'err.extensionBeforeAcceptance'],
  [/a complaint's deadlines are not extended by decision/i, 'err.extensionComplaint'],
  [/only a denunciation's resolution is extended by decision/i, 'err.extensionKind'],
  [/only a RECEIVED petition can be split/i, 'err.splitNotReceived'],
  [/name at least two parts/i, 'err.splitTwoParts'],
  [/still has valid rooms below it/i, 'err.roomHasChildren'],
  [/is before validFrom/i, 'err.validToBeforeFrom'],
  [/last enabled administrator/i, 'err.lastAdmin'],
  [/must be between (\d+) and (\d+)/i, 'err.range', (m) => ({ min: m[1], max: m[2] })],
  [/^(\d+)-(\d+) characters$/i, 'err.lengthRange', (m) => ({ min: m[1], max: m[2] })],
  [/invalid (username or password|credentials)|bad credentials|wrong password/i, 'err.invalidCredentials'],
  [/a ROOM_OPERATOR needs/i, 'err.operatorNeedsRoom'],
  [/must not be (blank|empty|null)|is required|^required|missing/i, 'err.required'],
  [/already (exists|taken|in use|registered)|duplicate|not unique/i, 'err.duplicate'],
  [/too long|at most \d+ characters|exceeds/i, 'err.tooLong'],
  [/too short|at least \d+ characters/i, 'err.tooShort'],
  [/unknown (room|parent)|room .*(does not exist|not found)|no such room|code of an existing room|no room has the code|unknown rooms/i, 'err.unknownRoom'],
  [/must be after (scheduledStart|startTime)/i, 'err.afterStart'],
  [/at most 24 hours/i, 'err.sessionTooLong'],
  [/at least one room/i, 'err.noRooms'],
  [/a ROOM_OPERATOR needs/i, 'err.operatorNeedsRoom'],
  [/only a ROOM_OPERATOR is bound/i, 'err.onlyOperatorRoom'],
  [/unknown level|level must be|invalid level|is not one of \[PROVINCE|one of PROVINCE|cannot be under/i, 'err.badLevel'],
  [/expected \d+ values, found \d+/i, 'err.columnCount'],
  [/unknown column|has no column/i, 'err.badHeader'],
  [/letters, digits/i, 'err.badCode'],
  [/cycle/i, 'err.cycle'],
  [/date|iso-?8601|yyyy-mm-dd/i, 'err.badDate'],
  [/disabled|locked/i, 'err.accountDisabled'],
  [/version|modified|concurrent/i, 'err.conflict'],
  [/must be (a )?(positive|number|integer)|not a number/i, 'err.number'],
];

export function translateMessage(msg) {
  if (!msg) return '';
  for (const [re, key, args] of KNOWN) {
    const m = msg.match(re);
    if (m) return t(key, args ? args(m) : undefined);
  }
  return msg;
}

/** The one-line, translated summary of any failure. */
export function describe(err) {
  if (!err || err.status === undefined) return t('err.unexpected');
  if (err.network) return t('err.network');
  switch (err.status) {
    case 400: return t('err.badRequest');
    case 401: return t('err.unauthorized');
    case 403: return t('err.forbidden');
    case 404: return t('err.notFound');
    case 409: return t('err.conflict');
    case 413: return t('err.tooLarge');
    case 422: return t('err.invalid');
    case 429: return t('err.tooMany');
    default: return err.status >= 500 ? t('err.server') : t('err.unexpected');
  }
}

/** Clears the error slots of a form. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((p) => clear(p));
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  const summary = form.querySelector('.form-error');
  if (summary) { clear(summary); summary.hidden = true; }
}

/**
 * Shows an ApiError on a form: each field message under its field (matched by name, or by the
 * data-field of its wrapper), the rest in the form's summary. Focuses the first invalid field.
 */
export function showErrors(form, err, { fieldAliases = {} } = {}) {
  clearErrors(form);
  const leftovers = [];
  let first = null;
  for (const [name, messages] of Object.entries(err.fieldErrors || {})) {
    const fieldName = fieldAliases[name] || name;
    const wrapper = fieldName && form.querySelector(`[data-field="${CSS.escape(fieldName)}"]`);
    const slot = wrapper && wrapper.querySelector('.field-error');
    if (!slot) { leftovers.push(...messages.map((m) => (name ? `${name}: ${translateMessage(m)}` : translateMessage(m)))); continue; }
    slot.textContent = messages.map(translateMessage).join(' ');
    const control = wrapper.querySelector('input, select, textarea');
    if (control) { control.setAttribute('aria-invalid', 'true'); first ||= control; }
  }
  const summary = form.querySelector('.form-error');
  if (summary) {
    const lines = [describe(err), ...leftovers];
    const detail = err.problem?.detail;
    if (!Object.keys(err.fieldErrors || {}).length && detail && err.status === 422) lines.push(translateMessage(detail));
    // A 409 names the rule that refused the change (a state move, a retirement): that, not the generic line, is what helps.
    if (detail && err.status === 409 && !err.problem.current) lines.splice(0, 1, translateMessage(detail));
    summary.hidden = false;
    summary.append(...lines.map((l) => h('p', {}, l)));
    if (!first) summary.focus();
  }
  if (first) first.focus();
}

export function formError() {
  return h('div', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
}

/** Puts one translated message (by key) under a named field and focuses it. */
export function setFieldError(form, name, key, args) {
  const wrapper = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!wrapper) return;
  const slot = wrapper.querySelector('.field-error');
  slot.dataset.i18n = key;
  if (args) slot.dataset.i18nArgs = JSON.stringify(args);
  slot.textContent = t(key, args);
  const control = wrapper.querySelector('input, select, textarea');
  if (control) { control.setAttribute('aria-invalid', 'true'); control.focus(); }
}
