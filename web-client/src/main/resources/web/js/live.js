import { api } from './api.js';

/**
 * A session's live event stream: one WebSocket, reopened with backoff after a drop. onEvent gets
 * each parsed message; onState gets 'connecting' | 'open' | 'reconnecting' | 'closed'.
 */
export function connectEvents(sessionId, { onEvent, onState, token } = {}) {
  let ws = null;
  let closed = false;
  let attempt = 0;
  let timer = null;

  function open() {
    onState?.(attempt === 0 ? 'connecting' : 'reconnecting');
    try {
      ws = new WebSocket(api.eventsUrl(sessionId, token));
    } catch {
      schedule();
      return;
    }
    ws.onopen = () => { attempt = 0; onState?.('open'); };
    ws.onmessage = (m) => {
      let msg;
      try { msg = JSON.parse(m.data); } catch { return; }
      onEvent?.(msg);
    };
    ws.onclose = () => { if (!closed) schedule(); };
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
