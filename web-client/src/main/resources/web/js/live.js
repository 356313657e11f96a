import { api, auth } from './api.js';

/** Close codes of control-api's events socket (SessionEventsSocket). */
const SIGNED_OUT = 4401;
const FINAL_CODES = new Set([4403, 4404, 4410]); // not allowed, no such session, session closed

/**
 * A session's live event stream: one WebSocket, reopened with backoff after a drop. The token goes
 * as the first message, never in the URL. onEvent gets each parsed message; onState gets
 * 'connecting' | 'open' | 'reconnecting' | 'closed' | 'signed-out'. A revoked sign-in (4401) ends
 * the stored sign-in like an HTTP 401 does; a revoked join token just stops.
 */
export function connectEvents(sessionId, { onEvent, onState, token } = {}) {
  let ws = null;
  let closed = false;
  let attempt = 0;
  let timer = null;

  function open() {
    onState?.(attempt === 0 ? 'connecting' : 'reconnecting');
    try {
      ws = new WebSocket(api.eventsUrl(sessionId));
    } catch {
      schedule();
      return;
    }
    ws.onopen = () => {
      ws.send(JSON.stringify({ token: token || auth.token() || '' }));
      // The server answers again (after a restart, say): a "cannot reach the server" banner left by a request made meanwhile is stale.
      if (attempt > 0) window.dispatchEvent(new CustomEvent('crl:network', { detail: { state: 'ok' } }));
      attempt = 0;
      onState?.('open');
    };
    ws.onmessage = (m) => {
      let msg;
      try { msg = JSON.parse(m.data); } catch { return; }
      onEvent?.(msg);
    };
    ws.onclose = (e) => {
      if (closed) return;
      if (e.code === SIGNED_OUT) {
        closed = true;
        onState?.('signed-out');
        if (!token) {
          auth.clear();
          window.dispatchEvent(new CustomEvent('crl:unauthorized'));
        }
        return;
      }
      if (FINAL_CODES.has(e.code)) {
        closed = true;
        onState?.('closed');
        return;
      }
      schedule();
    };
    ws.onerror = () => { /* onclose follows and reschedules */ };
  }

  function schedule() {
    attempt++;
    onState?.('reconnecting');
    const delay = Math.min(15000, 500 * 2 ** Math.min(attempt, 5)) * (0.8 + Math.random() * 0.4);
    timer = setTimeout(open, delay);
  }

  open();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (ws) ws.close();
      onState?.('closed');
    },
  };
}
