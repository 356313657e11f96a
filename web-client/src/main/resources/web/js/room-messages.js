import { api } from './api.js';
import { h, replace, busy, announce, formatted, field, formValues } from './dom.js';
import { t } from './i18n.js';
import { describe, clearErrors, showErrors, formError } from './errors.js';

/** The room console's one-press messages (server: message.QuickMessage), with their labels. */
export const QUICK_KEYS = {
  NO_SOUND: 'msg.quick.NO_SOUND',
  NO_PICTURE: 'msg.quick.NO_PICTURE',
  CITIZEN_HERE: 'msg.quick.CITIZEN_HERE',
  READY_TO_SPEAK: 'msg.quick.READY_TO_SPEAK',
};
/** The server's cap (RoomMessageService.MAX_LENGTH): a signal or a short question, read at a glance. */
const MAX_LENGTH = 280;
const EVENT = 'room.message';
const KINDS = { COMPLAINT: 'pet.kind.COMPLAINT', DENUNCIATION: 'pet.kind.DENUNCIATION', RECOMMENDATION: 'pet.kind.RECOMMENDATION', REFLECTION: 'pet.kind.REFLECTION' };

/** The text a message shows: its quick label, then what was typed. */
function messageText(m) {
  return [m.quick ? h('strong', { class: 'msg-quick', i18n: QUICK_KEYS[m.quick] }) : null, m.quick && m.body ? ' ' : null, m.body || null];
}

/** Keeps a thread by id: a message arriving by the socket and by the list load is shown once, its latest form kept. */
class Thread {
  constructor() { this.byId = new Map(); }
  put(m) { if (m && m.id != null) this.byId.set(m.id, { ...this.byId.get(m.id), ...m }); }
  all() { return [...this.byId.values()].sort((a, b) => a.id - b.id); }
}

/**
 * The room screen's message box: quick buttons, one line of free text, and the room's own thread
 * (its messages and the office's replies). Returns {element, onEvent, load}.
 */
export function roomMessageBox({ sessionId, roomCode, token }) {
  const thread = new Thread();
  const list = h('ol', { class: 'msg-thread', id: 'room-messages', 'aria-live': 'polite' });
  const note = h('p', { class: 'muted', 'aria-live': 'polite' });
  const input = h('input', { type: 'text', id: 'room-message-text', maxlength: MAX_LENGTH, autocomplete: 'off',
    i18nAttr: { placeholder: 'msg.placeholder', 'aria-label': 'msg.placeholder' } });
  const sendBtn = h('button', { type: 'submit', class: 'btn', id: 'room-message-send', i18n: 'msg.send' });
  // Newest first: on a TV the latest answer is read without scrolling.
  const draw = () => replace(list, thread.all().reverse().map((m) => h('li', { class: m.fromRoom ? 'msg-own' : 'msg-reply', dataset: { messageId: m.id } },
    h('span', { class: 'muted' }, m.fromRoom ? h('span', { i18n: 'msg.you' }) : h('span', { i18n: 'msg.office' }), ' · ', formatted('time', m.createdAt)),
    h('p', {}, messageText(m)))));
  const send = async (body, button) => {
    busy(button, true);
    note.textContent = '';
    try {
      thread.put(await api.sendRoomMessage(sessionId, roomCode(), body, token));
      draw();
      announce('msg.sent');
      return true;
    } catch (err) {
      note.textContent = describe(err);
      return false;
    } finally { busy(button, false); }
  };
  const form = h('form', { class: 'inline msg-form', novalidate: true }, input, sendBtn);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) { note.textContent = t('msg.empty'); return; }
    if (await send({ text }, sendBtn)) input.value = '';
  });
  const quick = h('div', { class: 'actions msg-quick-buttons' }, Object.entries(QUICK_KEYS).map(([code, key]) =>
    h('button', { type: 'button', class: 'btn btn-secondary', id: `quick-${code}`, dataset: { quick: code }, i18n: key,
      onClick: (e) => send({ quick: code }, e.currentTarget) })));
  const element = h('section', { class: 'panel', id: 'room-messages-panel', 'aria-labelledby': 'room-messages-title' },
    h('h2', { id: 'room-messages-title', i18n: 'msg.roomTitle' }), quick, form, note, list);
  return {
    element,
    onEvent(e) { if (e.type === EVENT) { thread.put(e.data); draw(); if (!e.data.fromRoom) announce('msg.replied'); } },
    async load() {
      if (!roomCode()) return;
      try { (await api.roomMessages(sessionId, roomCode(), token)).messages.forEach((m) => thread.put(m)); draw(); } catch { /* before the session is live */ }
    },
  };
}

/**
 * The staff consoles' message box (host and secretaries): every room's messages as they arrive,
 * a reply to each, and — where canFile — "make a petition" with the kind and petitioner the
 * register needs. Returns {element, onEvent, load, redraw}.
 */
export function staffMessageBox({ sessionId, roomName, canFile }) {
  const thread = new Thread();
  const list = h('ol', { class: 'msg-thread', id: 'staff-messages', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const count = h('span', { class: 'badge', id: 'staff-messages-count' }, '0');
  const open = new Map(); // 'r'|'p' + message id -> its open form, kept across redraws so typing survives a new message
  const replyForm = (m) => {
    const form = h('form', { class: 'inline msg-form', novalidate: true, dataset: { replyTo: m.id } }, formError(),
      field({ name: 'text', label: 'msg.reply', attrs: { maxlength: MAX_LENGTH, autocomplete: 'off' } }),
      h('button', { type: 'submit', class: 'btn btn-small', i18n: 'msg.sendReply' }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      try {
        thread.put(await api.replyMessage(sessionId, m.id, formValues(form).text.trim()));
        open.delete(`r${m.id}`);
        draw();
        form.elements.text.value = '';
      } catch (err) { showErrors(form, err); }
    });
    return form;
  };
  const petitionForm = (m) => {
    const form = h('form', { class: 'msg-petition', novalidate: true, dataset: { petitionFrom: m.id } }, formError(),
      field({ name: 'kind', label: 'pet.kind', type: 'select', required: true, options: Object.entries(KINDS).map(([value, key]) => ({ value, i18n: key })) }),
      field({ name: 'name', label: 'msg.petitionerName', required: true, attrs: { autocomplete: 'off' } }),
      field({ name: 'address', label: 'msg.petitionerAddress', required: true, attrs: { autocomplete: 'off' } }),
      field({ name: 'summary', label: 'msg.summary', type: 'textarea', value: m.body || '' }),
      h('button', { type: 'submit', class: 'btn btn-small', i18n: 'msg.fileDraft' }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const v = formValues(form);
      try {
        const filed = await api.fileMessage(sessionId, m.id, { kind: v.kind, summary: v.summary.trim() || null,
          petitioners: [{ name: v.name.trim(), address: v.address.trim() }] });
        thread.put(filed.message);
        open.delete(`p${m.id}`);
        draw();
        announce('msg.filed', { number: filed.petition.registerNumber });
      } catch (err) { showErrors(form, err, { fieldAliases: { 'petitioners[0].name': 'name', 'petitioners[0].address': 'address', petitioners: 'name' } }); }
    });
    return form;
  };
  const toggle = (key, build) => { if (open.has(key)) open.delete(key); else open.set(key, build()); draw(); };
  const draw = () => {
    const all = thread.all();
    const replies = all.filter((m) => !m.fromRoom);
    count.textContent = String(all.filter((m) => m.fromRoom).length);
    replace(list, all.filter((m) => m.fromRoom).reverse().map((m) => h('li', { class: 'msg-item', dataset: { messageId: m.id, room: m.roomCode } },
      h('span', { class: 'muted' }, h('strong', { class: 'msg-room' }, roomName(m.roomCode)), ' · ', formatted('time', m.createdAt)),
      h('p', {}, messageText(m)),
      replies.filter((r) => r.replyTo === m.id).map((r) => h('p', { class: 'msg-reply' }, h('span', { class: 'muted' }, r.authorName, ': '), r.body)),
      m.petitionId ? h('p', { class: 'badge msg-filed', i18n: 'msg.filedAs', args: { id: m.petitionId } }) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-quiet btn-small msg-reply-btn', i18n: 'msg.reply', onClick: () => toggle(`r${m.id}`, () => replyForm(m)) }),
        canFile && !m.petitionId ? h('button', { type: 'button', class: 'btn btn-quiet btn-small msg-file-btn', i18n: 'msg.makePetition',
          onClick: () => toggle(`p${m.id}`, () => petitionForm(m)) }) : null),
      open.get(`r${m.id}`) || null,
      m.petitionId ? null : open.get(`p${m.id}`) || null)));
    if (!all.length) replace(list, h('li', { class: 'muted', i18n: 'msg.none' }));
  };
  draw();
  const element = h('section', { class: 'panel', id: 'staff-messages-panel', 'aria-labelledby': 'staff-messages-title' },
    h('div', { class: 'room-status' }, h('h2', { id: 'staff-messages-title', i18n: 'msg.staffTitle' }), count), list);
  return {
    element,
    redraw: draw,
    onEvent(e) {
      if (e.type !== EVENT) return;
      const isNew = !thread.byId.has(e.data.id);
      thread.put(e.data);
      draw();
      if (isNew && e.data.fromRoom) announce('msg.arrived', { room: roomName(e.data.roomCode) });
    },
    async load() {
      try { (await api.sessionMessages(sessionId)).messages.forEach((m) => thread.put(m)); draw(); } catch { /* none yet */ }
    },
  };
}
