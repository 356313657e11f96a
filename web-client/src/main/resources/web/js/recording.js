import { request, auth } from './api.js';
import { h, replace } from './dom.js';
import { t, fmtNumber, currentLang } from './i18n.js';

/** Recording states the server reports (GET /api/v1/sessions/{id}/recording) and their labels. */
export const REC_STATES = {
  OFF: 'rec.state.OFF', PENDING: 'rec.state.PENDING', UNAVAILABLE: 'rec.state.UNAVAILABLE', WAITING: 'rec.state.WAITING',
  REFUSED: 'rec.state.REFUSED', RECORDING: 'rec.state.RECORDING', SEALING: 'rec.state.SEALING', COMPOSING: 'rec.state.COMPOSING',
  DONE: 'rec.state.DONE', INTERRUPTED: 'rec.state.INTERRUPTED', FAILED: 'rec.state.FAILED', STOPPED: 'rec.state.STOPPED',
};

const POLL_MS = 2000;

export function fmtDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

export function fmtMegabytes(bytes) {
  return fmtNumber(Math.round((bytes || 0) / 1048576 * 10) / 10);
}

/**
 * The host console's REC indicator: state, elapsed time and size while recording, the reason when
 * recording is unavailable or stopped (disk full). Polls the recording state until stop() or until
 * the element leaves the document.
 */
export function recIndicator(sessionId) {
  const el = h('span', { class: 'rec-indicator', id: 'rec-indicator', role: 'status', 'aria-live': 'polite', hidden: true });
  let timer = null;
  let stopped = false;
  let polled = false;

  function draw(s) {
    if (!s || s.state === 'OFF') {
      el.hidden = true;
      return;
    }
    el.hidden = false;
    el.className = `rec-indicator rec-${s.state.toLowerCase()}`;
    el.dataset.state = s.state;
    if (s.state === 'RECORDING') {
      replace(el, h('span', { class: 'rec-dot', 'aria-hidden': 'true' }), h('strong', { i18n: 'rec.rec' }), ' ',
        h('span', { class: 'rec-elapsed' }, fmtDuration(s.elapsedSeconds)), ' · ',
        h('span', { class: 'rec-size', i18n: 'rec.sizeMb', args: { mb: fmtMegabytes(s.bytes) } }));
    } else {
      replace(el, h('span', { i18n: REC_STATES[s.state] || 'rec.state.FAILED' }), s.reason ? h('span', { class: 'rec-reason' }, ` — ${s.reason}`) : null);
    }
  }

  async function poll() {
    // a page that took the indicator away (navigation) ends its polling without having to say so
    if (stopped || (polled && !el.isConnected)) return;
    polled = true;
    try {
      draw(await request('GET', `/api/v1/sessions/${encodeURIComponent(sessionId)}/recording`, { retry: false }));
    } catch {
      // a missed poll shows the last state; the next one corrects it
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  }

  poll();
  return { el, stop() { stopped = true; clearTimeout(timer); } };
}


/** States after which a session has its archive: the recording composed and the session record filed. */
const ENDED_STATES = ['ENDED', 'ARCHIVED'];

/**
 * Opens a file the server sends only with the bearer token (the session record) in a new tab: fetched
 * with the token and shown from a blob, because a token never goes into a URL.
 */
export async function openAuthorised(path, type) {
  try {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${auth.token()}` } });
    if (!res.ok) throw new Error(`${res.status}`);
    const blob = await res.blob();
    window.open(URL.createObjectURL(type ? new Blob([blob], { type }) : blob), '_blank', 'noopener');
  } catch {
    window.alert(t('archive.openFailed'));
  }
}

/** The session record (biên bản) as HTML or PDF/A, in the language the user reads the app in. */
export function openSessionRecord(sessionId, format) {
  const path = `/api/v1/sessions/${encodeURIComponent(sessionId)}/record.${format}?lang=${currentLang()}`;
  return openAuthorised(path, format === 'pdf' ? 'application/pdf' : 'text/html');
}

/**
 * An ended session's links to its archive view (when it was recorded) and to its session record, for
 * the lists of the admin and secretary pages; nothing for a session not ended. The server applies
 * the archive's access rules again on every request.
 */
export function archiveLinks(s) {
  if (!ENDED_STATES.includes(s.state)) return null;
  return h('span', { class: 'archive-links' },
    s.recording ? h('a', { href: `#/archive/${encodeURIComponent(s.id)}`, class: 'archive-link', i18n: 'archive.link.recording' }) : null,
    s.recording ? ' ' : null,
    h('button', { type: 'button', class: 'link record-link', i18n: 'archive.link.record', onclick: () => openSessionRecord(s.id, 'html') }));
}
