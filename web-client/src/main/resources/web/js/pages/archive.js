import { request } from '../api.js';
import { h, replace, busy } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { describe } from '../errors.js';
import { sessionPicker } from '../sessions.js';
import { recIndicator, fmtDuration, fmtMegabytes, openSessionRecord } from '../recording.js';

const KIND_KEYS = { PROGRAM: 'archive.kind.PROGRAM', SLOT: 'archive.kind.SLOT', CHAPTERS: 'archive.kind.CHAPTERS', RECORD: 'archive.kind.RECORD' };

/** #/archive/{session}: a session's recordings — player with chapters, hashes, verify, download, the session record. */
export async function render(ctx) {
  const sessionId = ctx.params[0];
  if (!sessionId) return sessionPicker(ctx.main, 'archive.pick', (s) => `#/archive/${s.id}`);
  const base = `/api/v1/sessions/${encodeURIComponent(sessionId)}`;
  const status = recIndicator(sessionId);
  const player = h('div', { class: 'video-box', id: 'archive-player' });
  const chapters = h('ol', { class: 'chapters', id: 'archive-chapters' });
  const list = h('div', { id: 'archive-list' });
  const record = h('p', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', id: 'record-pdf', i18n: 'archive.recordPdf', onclick: () => openSessionRecord(sessionId, 'pdf') }),
    h('button', { type: 'button', class: 'btn btn-secondary', id: 'record-html', i18n: 'archive.recordHtml', onclick: () => openSessionRecord(sessionId, 'html') }));
  ctx.main.append(h('h1', { i18n: 'archive.title' }), status.el,
    h('section', { class: 'panel' }, h('h2', { i18n: 'archive.program' }), player, h('h3', { i18n: 'archive.chapters' }), chapters),
    h('section', { class: 'panel' }, h('h2', { i18n: 'archive.files' }), list),
    h('section', { class: 'panel' }, h('h2', { i18n: 'archive.record' }), record));

  let body;
  try {
    body = await request('GET', `${base}/recordings`);
  } catch (e) {
    replace(list, h('p', { class: 'error' }, describe(e)));
    return () => status.stop();
  }
  const recordings = body.recordings || [];
  if (!recordings.length) replace(list, h('p', { class: 'muted', i18n: 'archive.none' }));
  else replace(list, h('table', { class: 'table' },
    h('thead', {}, h('tr', {}, ['archive.col.file', 'archive.col.kind', 'archive.col.start', 'archive.col.duration', 'archive.col.size',
      'archive.col.sha256', 'archive.col.actions'].map((k) => h('th', { i18n: k })))),
    h('tbody', {}, recordings.map(row))));

  const program = recordings.find((r) => r.kind === 'PROGRAM' && !r.disposedAt);
  const vtt = recordings.find((r) => r.kind === 'CHAPTERS' && !r.disposedAt);
  if (program) {
    // A <video> cannot send the bearer token, so the server issues a short-lived signed link to this
    // one file: the browser streams it and seeks with Range requests instead of loading it whole.
    const video = h('video', { controls: true, id: 'archive-video', preload: 'metadata' });
    replace(player, video);
    let expiresAt = 0;
    const load = (at) => playbackLink(program.id).then((link) => {
      expiresAt = Date.parse(link.expiresAt);
      video.src = link.url;
      if (at) video.currentTime = at;
    }).catch((e) => replace(player, h('p', { class: 'error' }, describe(e))));
    // Paused past the link's ten minutes, the next Range request is refused: resume with a new link.
    video.addEventListener('error', () => { if (expiresAt && Date.now() >= expiresAt) load(video.currentTime); });
    load(0);
    if (vtt) {
      request('GET', `/api/v1/recordings/${vtt.id}/content`, { accept: 'text/vtt' }).then((r) => {
        replace(chapters, parseVtt(r.text).map((c) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => { video.currentTime = c.start; video.play(); } },
          `${fmtDuration(c.start)} — ${c.title}`))));
      }).catch(() => {});
    }
  } else {
    replace(player, h('p', { class: 'muted', i18n: 'archive.noProgram' }));
  }
  return () => status.stop();
}

function row(r) {
  const verdict = h('span', { class: 'verify-result', dataset: { recordingId: r.id } });
  const verify = h('button', { type: 'button', class: 'btn btn-small', i18n: 'archive.verify' });
  verify.addEventListener('click', async () => {
    busy(verify, true);
    try {
      const v = await request('GET', `/api/v1/recordings/${r.id}/verify`);
      replace(verdict, h('span', { class: v.valid ? 'badge ok' : 'badge live', i18n: v.valid ? 'archive.verifyOk' : 'archive.verifyFailed' }));
    } catch (e) {
      replace(verdict, h('span', { class: 'error' }, describe(e)));
    } finally {
      busy(verify, false);
    }
  });
  const download = h('button', { type: 'button', class: 'btn btn-small btn-secondary', i18n: 'archive.download',
    onclick: () => downloadLinked(r) });
  return h('tr', { dataset: { recordingId: r.id } },
    h('td', {}, r.fileName, r.interrupted ? h('span', { class: 'badge off', i18n: 'archive.interrupted' }) : null,
      r.dueForDisposal ? h('span', { class: 'badge off', i18n: 'archive.due' }) : null),
    h('td', { i18n: KIND_KEYS[r.kind] || 'archive.kind.SLOT' }),
    h('td', {}, fmtDateTime(r.startedAt)),
    h('td', {}, fmtDuration(r.durationMs / 1000)),
    h('td', { i18n: 'rec.sizeMb', args: { mb: fmtMegabytes(r.sizeBytes) } }),
    h('td', {}, h('code', { class: 'hash' }, r.sha256)),
    h('td', {}, r.disposedAt ? h('span', { i18n: 'archive.disposed' }) : [verify, ' ', download, ' ', verdict]));
}

/** WebVTT cues as chapters: {start seconds, title}. */
export function parseVtt(text) {
  const cues = [];
  const re = /(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> [^\n]*\n([^\n]+)/g;
  for (let m = re.exec(text || ''); m; m = re.exec(text)) {
    cues.push({ start: +m[1] * 3600 + +m[2] * 60 + +m[3] + +m[4] / 1000, title: m[5] });
  }
  return cues;
}

/** A 10-minute link to one recording's file (inline url, downloadUrl): no token in any URL. */
function playbackLink(recordingId) {
  return request('POST', `/api/v1/recordings/${encodeURIComponent(recordingId)}/playback`);
}

/** Downloads through a playback link, so a large file streams to disk instead of into memory. */
async function downloadLinked(r) {
  try {
    const link = await playbackLink(r.id);
    const a = h('a', { href: link.downloadUrl, download: r.fileName });
    document.body.append(a);
    a.click();
    a.remove();
  } catch (e) {
    window.alert(t('archive.openFailed'));
  }
}
