import { request } from './api.js';
import { h, replace } from './dom.js';
import { fmtNumber } from './i18n.js';

/** Recording states the server reports (GET /api/v1/sessions/{id}/recording) and their labels. */
export const REC_STATES = {
  OFF: 'rec.state.OFF', PENDING: 'rec.state.PENDING', UNAVAILABLE: 'rec.state.UNAVAILABLE', WAITING: 'rec.state.WAITING',
  REFUSED: 'rec.state.REFUSED', RECORDING: 'rec.state.RECORDING', SEALING: 'rec.state.SEALING', COMPOSING: 'rec.state.COMPOSING',
  DONE: 'rec.state.DONE', INTERRUPTED: 'rec.state.INTERRUPTED', FAILED: 'rec.state.FAILED',
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

