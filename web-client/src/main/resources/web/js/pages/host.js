import { api, auth, items, media } from '../api.js';
import { h, replace, clear, busy, announce } from '../dom.js';
import { t, fmtTime, fmtDateTime, fmtNumber, onLangChange } from '../i18n.js';
import { describe } from '../errors.js';
import { connectEvents } from '../live.js';
import { sessionPicker, stateBadge } from '../sessions.js';
import { MediaClient, levelMeter, listDevices, autoplay, MEDIA_STATE_KEYS } from '../webrtc.js';
import { flattenRooms, roomTree, LEVEL_KEYS } from './admin.js';
import { kindKey, registerNo } from './petition-model.js';
import { recIndicator } from '../recording.js';
import { staffMessageBox } from '../room-messages.js';

/** Tile states: a room that never joined differs from one that left or is reconnecting. */
const TILE_STATES = { connected: 'wall.connected', reconnecting: 'wall.reconnecting', never: 'wall.never', left: 'wall.left' };
const TIERS = ['PROVINCE', 'DISTRICT', 'SPECIAL_ZONE', 'WARD', 'TOWNSHIP', 'COMMUNE'];
/**
 * Set while this tab broadcasts a session: a reload (or a crashed tab brought back) resumes the
 * broadcast by itself. Per tab on purpose: a second device opening the console must not take the
 * main slot from the camera that is on air.
 */
const PUBLISHING_KEY = 'crl.host.publishing';
const OVER = new Set(['ENDED', 'CANCELLED', 'ARCHIVED']);
/** How room screens lay out a share (StageLayout on the server). */
const LAYOUT_KEYS = { SPEAKER_ONLY: 'host.layoutSpeakerOnly', CONTENT_BESIDE_SPEAKER: 'host.layoutContentBeside', CONTENT_INSTEAD_OF_SPEAKER: 'host.layoutContentInstead' };
/** The host's simulcast layers as the bridge names them in room.stats (and a pin's 'auto'). */
const LAYER_KEYS = { audio_only: 'wall.layer.audio_only', auto: 'wall.layer.auto', low: 'wall.layer.low', middle: 'wall.layer.middle', top: 'wall.layer.top' };

/** "Picture layer …, estimated bandwidth … kbit/s" for a room sent simulcast layers, else ''. */
function layerLine(s) {
  if (!s || !LAYER_KEYS[s.layer]) return '';
  return t('wall.layer', { layer: t(LAYER_KEYS[s.layer]), kbps: s.estimateKbps != null ? fmtNumber(s.estimateKbps) : '—' });
}

export async function render(ctx) {
  const sessionId = ctx.params[0];
  if (!sessionId) return sessionPicker(ctx.main, 'host.pick', (s) => `#/host/${s.id}`);
  return new HostConsole(ctx, sessionId).mount();
}

class HostConsole {
  constructor(ctx, sessionId) {
    this.ctx = ctx;
    this.sessionId = sessionId;
    this.rooms = new Map(); // code -> {room, state, stats, hand, endpoints}
    this.hands = [];
    this.floor = null;
    this.petitions = [];
    this.cleanups = [];
  }

  async mount() {
    const { main } = this.ctx;
    this.titleBox = h('div', { class: 'room-status' }, h('h1', { i18n: 'host.title' }));
    this.onAir = h('span', { class: 'on-air', id: 'host-on-air', hidden: true, i18n: 'host.onAir' });
    this.titleBox.append(this.onAir);
    this.titleBox.append(recIndicator(this.sessionId).el);
    // Ending the session is far from the broadcast buttons (a slip must not end it for every room) and is confirmed.
    this.endBtn = h('button', { type: 'button', class: 'btn btn-danger-outline', id: 'end-session', i18n: 'host.end' });
    main.append(h('div', { class: 'host-head' }, this.titleBox, this.endBtn));
    // A server restart left the session interrupted: only the presiding host resumes it (or ends it above).
    this.resumeBtn = h('button', { type: 'button', class: 'btn btn-big', id: 'resume-session', i18n: 'host.resume', onClick: () => this.resume() });
    this.interruptedBox = h('div', { class: 'notice warn', id: 'host-interrupted', role: 'alert', hidden: true },
      h('p', { i18n: 'host.interrupted' }), this.resumeBtn);
    main.append(this.interruptedBox);

    // Camera and microphone with preview and level.
    this.preview = h('video', { id: 'host-preview', autoplay: true, playsinline: true, muted: true });
    this.meter = h('div', { class: 'meter', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0', i18nAttr: { 'aria-label': 'host.micLevel' } }, h('span'));
    this.camSelect = h('select', { id: 'cam-select' });
    this.micSelect = h('select', { id: 'mic-select' });
    this.goLive = h('button', { type: 'button', class: 'btn btn-big btn-danger', id: 'go-live', i18n: 'host.goLive' });
    this.mediaState = h('p', { class: 'muted', id: 'publish-state', 'aria-live': 'polite' });
    this.retryBtn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'retry-publish', hidden: true, i18n: 'media.retryNow',
      onClick: () => this.publisher?.retryNow() });
    this.goLive.addEventListener('click', () => this.toggleLive());
    this.endBtn.addEventListener('click', () => this.endSession());
    this.camSelect.addEventListener('change', () => this.openDevices());
    this.micSelect.addEventListener('change', () => this.openDevices());

    this.guestVideo = h('video', { id: 'guest-video', autoplay: true, playsinline: true });
    this.guestBox = h('div', { class: 'video-box' }, h('span', { class: 'guest-empty', i18n: 'host.noGuest' }));

    // The content slot: the host shares a screen, or sees the room on the floor share one, and chooses the rooms' layout.
    this.contentPreview = h('video', { id: 'content-preview', autoplay: true, playsinline: true, muted: true });
    this.contentState = h('p', { class: 'muted', id: 'content-state', 'aria-live': 'polite', i18n: 'host.noContent' });
    this.shareBtn = h('button', { type: 'button', class: 'btn', id: 'share-screen', 'aria-pressed': 'false', i18n: 'host.shareScreen', onClick: () => this.toggleShare() });
    this.stopContentBtn = h('button', { type: 'button', class: 'btn btn-danger-outline', id: 'stop-content', hidden: true, i18n: 'host.stopContent', onClick: () => this.stopContent() });
    this.layoutSelect = h('select', { id: 'stage-layout' }, Object.entries(LAYOUT_KEYS).map(([value, key]) => h('option', { value, i18n: key })));
    this.layoutSelect.addEventListener('change', () => this.chooseLayout(this.layoutSelect.value));
    this.contentPanel = h('section', { class: 'panel', 'aria-labelledby': 'content-title', id: 'content-panel' },
      h('h2', { id: 'content-title', i18n: 'host.content' }),
      h('div', { class: 'video-box preview-box' }, this.contentPreview),
      this.contentState,
      h('div', { class: 'actions' }, this.shareBtn, this.stopContentBtn),
      h('div', { class: 'field' }, h('label', { for: 'stage-layout', i18n: 'host.contentLayout' }), this.layoutSelect));

    this.counts = h('p', { class: 'counts', id: 'wall-counts', 'aria-live': 'polite' });
    this.wall = h('div', { id: 'room-wall' });
    this.queue = h('ol', { class: 'queue', id: 'hand-queue' });
    this.petitionBox = h('ol', { class: 'register', id: 'host-petitions' });
    this.messages = staffMessageBox({ sessionId: this.sessionId, roomName: (code) => this.name(code), canFile: false });
    this.liveState = h('span', { class: 'state connecting', i18n: 'live.connecting' });

    // The stage first: at 1366x768 the room speaking, the broadcast controls and the raised hands are seen without scrolling.
    main.append(h('div', { class: 'host-stage' },
      h('section', { class: 'panel', 'aria-labelledby': 'guest-title' }, h('h2', { id: 'guest-title', i18n: 'host.guest' }), this.guestBox),
      h('div', {},
        h('section', { class: 'panel', 'aria-labelledby': 'media-title', id: 'broadcast' },
          h('h2', { id: 'media-title', i18n: 'host.media' }),
          h('div', { class: 'video-box preview-box' }, this.preview),
          h('div', { class: 'actions' }, this.goLive, this.retryBtn), this.mediaState, this.meter,
          // Chosen once before going live: folded, so the hands asking for the floor stay in view.
          h('details', { class: 'devices' }, h('summary', { i18n: 'host.devices' }),
            h('div', { class: 'inline' },
              h('div', { class: 'field' }, h('label', { for: 'cam-select', i18n: 'host.camera' }), this.camSelect),
              h('div', { class: 'field' }, h('label', { for: 'mic-select', i18n: 'host.microphone' }), this.micSelect)))),
        h('section', { class: 'panel', 'aria-labelledby': 'queue-title' }, h('h2', { id: 'queue-title', i18n: 'host.hands' }), this.queue))));
    main.append(h('div', { class: 'grid-main-side' },
      h('div', {},
        h('section', { class: 'panel', 'aria-labelledby': 'wall-title' },
          h('div', { class: 'room-status' }, h('h2', { id: 'wall-title', i18n: 'host.wall' }), this.liveState,
            h('a', { class: 'btn btn-secondary btn-small', id: 'host-join-links', href: `#/join-links/${this.sessionId}`, i18n: 'sessions.joinLinks' })),
          this.counts, this.wall)),
      h('div', {},
        this.contentPanel,
        this.messages.element,
        h('section', { class: 'panel', 'aria-labelledby': 'hp-title' }, h('h2', { id: 'hp-title', i18n: 'host.petitions' }), this.petitionBox))));

    await this.loadSession();
    await this.loadRooms();
    this.loadPetitions();
    this.loadHands();
    this.loadStage();
    this.messages.load();
    this.drawWall(); this.drawQueue(); this.drawPetitions();
    this.events = connectEvents(this.sessionId, { onEvent: (e) => this.onEvent(e), onState: (s) => this.onLiveState(s) });
    if (OVER.has(this.session?.state)) {
      this.endLocally();
    } else {
      this.devicesReady = this.openDevices();
      // This tab was broadcasting before a reload: carry on, as the host expects of a page that only reloaded.
      if (this.session?.state === 'LIVE' && sessionStorage.getItem(PUBLISHING_KEY) === String(this.sessionId)) this.toggleLive();
    }
    this.drawPublishState();
    const statsTimer = setInterval(() => this.pollStats(), 2000);
    const offLang = onLangChange(() => { this.drawWall(); this.drawQueue(); this.drawPetitions(); this.drawPublishState(); });
    return () => {
      clearInterval(statsTimer); offLang(); this.events.close();
      this.publisher?.stop(); this.guest?.stop(); this.stopMeter?.(); this.stopSharing();
      this.stream?.getTracks().forEach((tr) => tr.stop());
    };
  }

  async loadSession() {
    try {
      this.session = await api.session(this.sessionId);
      this.titleBox.append(h('span', { class: 'muted' }, this.session.title), this.stateBadge = h('span'));
      this.drawBadge();
      // The floor is not taken from here: setFloor (through the floor snapshot) also opens the guest's video.
    } catch (err) {
      this.titleBox.append(h('p', { class: 'notice warn' }, describe(err)));
    }
  }

  async loadRooms() {
    let all = [];
    try { all = flattenRooms(roomTree(items(await api.rooms()))); } catch { /* wall stays empty */ }
    let invited = null;
    try { invited = (await api.invitedRooms(this.sessionId)).rooms; } catch { /* every room then */ }
    const hostRoom = this.session?.hostRoomCode;
    for (const r of all) {
      if (r.code === hostRoom || (!hostRoom && r.level === 'PROVINCE')) continue; // the host's own room is not a tile
      if (invited && !invited.includes(r.code)) continue;
      if (!invited && r.validTo && r.validTo < new Date().toISOString().slice(0, 10)) continue;
      this.rooms.set(r.code, { room: r, state: 'never', stats: null, hand: false, endpoints: new Set() });
    }
    try {
      for (const row of (await api.attendance(this.sessionId)).rooms || []) {
        const tile = this.rooms.get(row.roomCode);
        if (tile) tile.state = row.connectedNow ? 'connected' : row.firstConnected ? 'left' : 'never';
      }
    } catch { /* every invited room starts as never joined */ }
  }

  async loadHands() {
    try { this.applyFloor(await api.floor(this.sessionId)); } catch { /* no floor before the session is live */ }
  }

  /** The server's floor snapshot {floorRoomCode, queue:[{roomCode, raisedAt}]} after any hand or floor change. */
  applyFloor(floor) {
    if (!floor) return;
    this.hands = (floor.queue || []).map((x) => ({ roomCode: x.roomCode, at: x.raisedAt }));
    this.setFloor(floor.floorRoomCode || null);
    this.drawQueue(); this.drawWall();
  }

  async loadPetitions() {
    try { this.petitions = items(await api.sessionPetitions(this.sessionId)); this.drawPetitions(); } catch { /* none */ }
  }

  name(code) {
    return this.rooms.get(code)?.room.name || code;
  }

  drawWall() {
    const tiles = [...this.rooms.values()];
    const connected = tiles.filter((x) => x.state === 'connected').length;
    const reconnecting = tiles.filter((x) => x.state === 'reconnecting').length;
    const never = tiles.filter((x) => x.state === 'never').length;
    replace(this.counts,
      h('span', {}, h('strong', { id: 'connected-count' }, `${connected}/${tiles.length}`), ' ', h('span', { i18n: 'wall.connectedCount' })),
      h('span', { i18n: 'wall.reconnectingCount', args: { n: reconnecting } }),
      h('span', { i18n: 'wall.neverCount', args: { n: never } }));
    const byTier = new Map();
    for (const x of tiles) {
      const tier = x.room.level || 'OTHER';
      if (!byTier.has(tier)) byTier.set(tier, []);
      byTier.get(tier).push(x);
    }
    const order = [...byTier.keys()].sort((a, b) => (TIERS.indexOf(a) + 99) % 99 - (TIERS.indexOf(b) + 99) % 99);
    if (!tiles.length) { replace(this.wall, h('p', { class: 'muted', i18n: 'wall.empty' })); return; }
    replace(this.wall, order.map((tier) => {
      const list = byTier.get(tier);
      const up = list.filter((x) => x.state === 'connected').length;
      return h('section', { class: 'wall-tier' },
        h('h3', {}, h('span', { i18n: LEVEL_KEYS[tier] || 'level.OTHER' }), ' ', h('span', { class: 'muted' }, `${up}/${list.length}`)),
        h('ul', { class: 'wall', role: 'list' }, list.map((x) => this.tile(x))));
    }));
  }

  tile(x) {
    const s = x.stats;
    const statsText = s ? t('wall.stats', { kbps: fmtNumber(Math.round(s.bitrateKbps || 0)), loss: (s.lossPct ?? 0).toFixed(1), rtt: s.rttMs != null ? Math.round(s.rttMs) : '—' }) : t('wall.noStats');
    const layerText = layerLine(s);
    const label = `${x.room.name}: ${t(TILE_STATES[x.state])}. ${statsText}${layerText ? `. ${layerText}` : ''}`;
    const open = (e) => { if (e.type === 'click' || e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.tileDialog(x); } };
    return h('li', { class: `tile ${x.state}${this.floor === x.room.code ? ' floor' : ''}`, tabindex: '0', role: 'button', title: label,
      dataset: { room: x.room.code, state: x.state }, onClick: open, onKeydown: open },
      h('span', { class: 'name' }, x.room.name),
      h('span', { class: 'muted', i18n: TILE_STATES[x.state] }),
      s && LAYER_KEYS[s.layer] ? h('span', { class: 'badge layer', dataset: { layer: s.layer }, i18n: LAYER_KEYS[s.layer] }) : null,
      s?.bridge ? h('span', { class: 'muted bridge', i18n: 'wall.bridge', args: { bridge: s.bridge } }) : null,
      x.hand ? h('span', { class: 'badge warn hand', i18n: 'wall.handRaised' }) : null);
  }

  /** The host pins a room's picture layer (or hands it back to the room's bandwidth). */
  layerPinControl(x) {
    const current = x.stats?.layerPin || 'auto';
    const select = h('select', { id: 'layer-pin', class: 'layer-pin' },
      ['auto', 'low', 'middle', 'top'].map((layer) => h('option', { value: layer, selected: layer === current, i18n: LAYER_KEYS[layer] })));
    const status = h('span', { class: 'hint', 'aria-live': 'polite' });
    select.addEventListener('change', async () => {
      busy(select, true);
      try {
        const pinned = await api.pinLayer(this.sessionId, x.room.code, select.value);
        if (x.stats) x.stats.layerPin = pinned.layer;
        replace(status, pinned.layer === 'auto' ? '' : t('wall.layerPinned', { layer: t(LAYER_KEYS[pinned.layer]) }));
      } catch (err) { replace(status, h('span', { class: 'form-error' }, describe(err))); } finally { busy(select, false); }
    });
    return h('p', {}, h('label', { for: 'layer-pin', i18n: 'wall.layerPin' }), ' ', select, ' ', status);
  }

  /** One room's details: state, link statistics, the floor, and a join link carrying a room token. */
  tileDialog(x) {
    const s = x.stats;
    const linkBox = h('div', { class: 'join-link', 'aria-live': 'polite' });
    const makeLink = h('button', { type: 'button', class: 'btn btn-secondary', i18n: 'host.joinLink' });
    makeLink.addEventListener('click', async () => {
      busy(makeLink, true);
      try {
        const issued = await api.joinToken(this.sessionId, x.room.code);
        const url = `${window.location.origin}${window.location.pathname}#/join/${this.sessionId}?room=${encodeURIComponent(x.room.code)}&token=${encodeURIComponent(issued.token)}`;
        const input = h('input', { type: 'text', readonly: true, value: url, id: 'join-link-url', i18nAttr: { 'aria-label': 'host.joinLink' } });
        replace(linkBox, input, h('p', { class: 'hint', i18n: 'host.joinLinkHint', args: { until: fmtDateTime(issued.expiresAt) } }),
          h('button', { type: 'button', class: 'btn btn-quiet', i18n: 'host.copy', onClick: () => { input.select(); navigator.clipboard?.writeText(url); } }));
        input.select();
      } catch (err) { replace(linkBox, h('p', { class: 'form-error' }, describe(err))); } finally { busy(makeLink, false); }
    });
    const dlg = h('dialog', { 'aria-labelledby': 'tile-title', id: 'tile-dialog' },
      h('h2', { id: 'tile-title' }, x.room.name, ' ', h('span', { class: 'code muted' }, x.room.code)),
      h('p', {}, h('span', { class: 'badge', i18n: TILE_STATES[x.state] }), x.hand ? [' ', h('span', { class: 'badge warn', i18n: 'wall.handRaised' })] : null),
      h('p', {}, s ? t('wall.stats', { kbps: fmtNumber(Math.round(s.bitrateKbps || 0)), loss: (s.lossPct ?? 0).toFixed(1), rtt: s.rttMs != null ? Math.round(s.rttMs) : '—' }) : h('span', { class: 'muted', i18n: 'wall.noStats' })),
      layerLine(s) ? h('p', { class: 'layer-line' }, layerLine(s)) : null,
      this.layerPinControl(x),
      s?.bridge ? h('p', { class: 'bridge', i18n: 'wall.bridge', args: { bridge: s.bridge } }) : null,
      h('div', { class: 'actions' },
        this.floor !== x.room.code && x.state === 'connected' ? h('button', { type: 'button', class: 'btn btn-ok', i18n: 'host.grant', onClick: () => { this.grant(x.room.code); dlg.close(); } }) : null,
        makeLink,
        h('button', { type: 'button', class: 'btn btn-quiet', i18n: 'app.close', onClick: () => dlg.close() })),
      linkBox);
    dlg.addEventListener('close', () => dlg.remove());
    document.body.append(dlg);
    dlg.showModal();
  }

  drawQueue() {
    for (const x of this.rooms.values()) x.hand = this.hands.some((hd) => hd.roomCode === x.room.code);
    const items_ = [];
    if (this.floor) {
      items_.push(h('li', { class: 'on-floor' }, h('span', {}, h('strong', { i18n: 'host.onFloor' }), ` ${this.name(this.floor)}`),
        h('button', { type: 'button', class: 'btn btn-danger', id: 'revoke-floor', i18n: 'host.revoke', onClick: () => this.revoke() })));
    }
    for (const hd of this.hands) {
      items_.push(h('li', { dataset: { room: hd.roomCode } }, h('span', {}, this.name(hd.roomCode), ' ', h('span', { class: 'muted' }, fmtTime(hd.at))),
        h('button', { type: 'button', class: 'btn btn-ok', i18n: 'host.grant', onClick: () => this.grant(hd.roomCode) })));
    }
    replace(this.queue, items_.length ? items_ : h('li', { class: 'muted', i18n: 'host.noHands' }));
  }

  drawPetitions() {
    replace(this.petitionBox, this.petitions.length ? this.petitions.slice().reverse().map((p) => h('li', { class: 'petition' },
      h('header', {}, h('span', { class: 'reg-no' }, registerNo(p)), h('span', { class: 'badge', i18n: kindKey(p.kind) }), h('span', { class: 'muted' }, this.name(p.originRoomCode))),
      h('p', {}, p.summary))) : h('li', { class: 'muted', i18n: 'secretary.empty' }));
  }

  async grant(code) {
    try { this.applyFloor(await api.grantFloor(this.sessionId, code)); } catch (err) { alert(describe(err)); }
  }

  async revoke() {
    try { this.applyFloor(await api.revokeFloor(this.sessionId)); } catch (err) { alert(describe(err)); }
  }

  setFloor(code) {
    if (this.floor === code) return;
    this.floor = code;
    this.drawQueue(); this.drawWall();
    this.guest?.stop();
    this.guest = null;
    if (!code) { replace(this.guestBox, h('span', { class: 'guest-empty', i18n: 'host.noGuest' })); return; }
    const guestState = h('span', { id: 'guest-state' });
    replace(this.guestBox, this.guestVideo, h('div', { class: 'overlay' }, this.name(code), ' ', guestState));
    // Three pairs: the first is the host's own main slot (never played: it would echo), the second the guest,
    // the third the content slot (the preview of what the room on the floor shares).
    const guest = new MediaClient({
      mode: 'whep', url: media.whepUrl(this.sessionId), token: auth.token(), pairs: 3,
      // The guest's picture failing to arrive is said beside its name, as on the broadcast line.
      onState: (s) => {
        if (guest !== this.guest) return;
        guestState.dataset.state = s;
        if (s === 'connected') replace(guestState);
        else if (guest.problem) replace(guestState, '— ', h('span', { i18n: guest.problem.key, args: guest.problem.args }), ' ', h('span', { i18n: 'media.retrying' }));
        else replace(guestState, '— ', h('span', { i18n: MEDIA_STATE_KEYS[s] }));
      },
      onTrack: (stream, pair) => {
        if (pair === 2) { this.roomContent = stream; this.drawContent(); return; }
        if (pair !== 1) return;
        this.guestVideo.srcObject = stream;
        autoplay(this.guestVideo).catch(() => {});
      },
    });
    this.guest = guest;
    this.guest.start();
    // Diagnostics (and tests) reach the live client from the element: getStats of the guest's track.
    this.guestVideo.mediaClient = this.guest;
    announce('host.floorGiven', { room: this.name(code) });
  }

  onLiveState(state) {
    const key = { connecting: 'live.connecting', open: 'live.open', reconnecting: 'live.reconnecting', closed: 'live.closed', 'signed-out': 'live.signedOut' }[state];
    this.liveState.className = `state ${state === 'open' ? 'connected' : state}`;
    this.liveState.dataset.i18n = key;
    this.liveState.textContent = t(key);
    // Events missed while the socket was down (a restarted server marks the session interrupted before anyone reconnects).
    if (state === 'open' && this.eventsDropped) this.refreshState();
    this.eventsDropped = state === 'reconnecting' || (this.eventsDropped && state !== 'open');
  }

  async refreshState() {
    const s = await api.session(this.sessionId).catch(() => null);
    if (s?.state && s.state !== this.session?.state) this.onEvent({ type: 'session.state', data: { state: s.state } });
  }

  /** INTERRUPTED → LIVE by the presiding host; the broadcast then comes back by itself. */
  async resume() {
    busy(this.resumeBtn, true);
    try {
      const s = await api.startSession(this.sessionId);
      if (s?.state) this.onEvent({ type: 'session.state', data: { state: s.state } });
      this.loadHands();
    } catch (err) { alert(describe(err)); } finally { busy(this.resumeBtn, false); }
  }

  /** Resumed: a broadcast that was retrying tries now; one this tab had before a reload starts again. */
  afterResume() {
    if (this.publisher) this.publisher.retryNow();
    else if (!this.starting && sessionStorage.getItem(PUBLISHING_KEY) === String(this.sessionId)) this.toggleLive();
  }

  /** Server events (events.LiveEvent): {type, sessionId, data}. */
  onEvent(e) {
    const d = e.data || {};
    const tile = d.room && this.rooms.get(d.room);
    this.messages.onEvent(e);
    switch (e.type) {
      case 'room.connected':
        if (tile) { tile.endpoints.add(d.endpoint); clearTimeout(tile.leftTimer); tile.state = 'connected'; this.drawWall(); }
        break;
      case 'room.disconnected':
        if (tile) {
          tile.endpoints.delete(d.endpoint);
          if (!tile.endpoints.size) {
            // A drop is shown as reconnecting for a while; a room that does not come back has left.
            tile.state = 'reconnecting';
            clearTimeout(tile.leftTimer);
            tile.leftTimer = setTimeout(() => { if (tile.state === 'reconnecting') { tile.state = 'left'; this.drawWall(); } }, 30000);
          }
          this.drawWall();
        }
        break;
      case 'room.stats': if (tile) { tile.stats = d; this.drawWall(); } break;
      case 'endpoint.moved': this.publisher?.followMove(d.endpoint); break;
      case 'hand.raised':
        this.applyFloor(d.floor);
        announce('host.handRaised', { room: this.name(d.room) });
        break;
      case 'hand.lowered': case 'floor.granted': case 'floor.revoked': this.applyFloor(d.floor); break;
      case 'stage.changed': this.applyStage(d); break;
      case 'petition.registered': this.petitions.push(d); this.drawPetitions(); break;
      case 'petition.updated': case 'petition.status':
        this.petitions = this.petitions.map((p) => (p.id === d.id ? d : p)); this.drawPetitions(); break;
      // Events of another server instance may have been lost (its link to the database dropped): load what they would have changed.
      case 'resync': this.refreshState(); this.loadHands(); this.loadPetitions(); this.messages.load(); break;
      case 'session.state': {
        const previous = this.session?.state;
        if (this.session && d.state) { this.session.state = d.state; this.drawBadge(); }
        if (OVER.has(d.state)) this.endLocally();
        else if (d.state === 'LIVE' && previous === 'INTERRUPTED') this.afterResume();
        break;
      }
      default: break;
    }
  }

  /**
   * The session badge says live ("Đang trực tuyến") only while this console's media reaches the
   * bridge (connected and RTP bytes rising), never from the session state alone.
   */
  drawBadge() {
    if (!this.session) return;
    const flowing = !!this.publisher?.flowing;
    const b = this.session.state === 'LIVE' && !flowing
      ? h('span', { class: 'badge warn', i18n: this.publisher ? 'host.liveNoSignal' : 'host.liveNotSending' })
      : stateBadge(this.session.state);
    b.id = 'host-session-state';
    b.dataset.state = this.session.state;
    b.dataset.flowing = String(flowing);
    this.stateBadge?.replaceWith(b);
    this.stateBadge = b;
    this.onAir.hidden = !flowing;
    this.interruptedBox.hidden = this.session.state !== 'INTERRUPTED' || !!this.ended;
  }

  /** The broadcast line under the buttons: the client's state, or why the last attempt failed and that it retries. */
  drawPublishState() {
    const p = this.publisher;
    this.retryBtn.hidden = !(p && p.state === 'failed');
    if (this.ended) { this.setPublishText('host.ended'); return; }
    if (!p) { this.setPublishText(this.session?.state === 'LIVE' ? 'host.resumeHint' : 'media.idle'); return; }
    if (p.problem && (p.state === 'failed' || p.state === 'reconnecting')) {
      replace(this.mediaState, h('span', { i18n: p.problem.key, args: p.problem.args }), ' ', h('span', { i18n: 'media.retrying' }));
      this.mediaState.className = 'form-error';
      this.mediaState.dataset.state = p.state;
      return;
    }
    if (p.state === 'connected' && p.flowing && this.lastPublishStats) {
      this.setPublishText('media.publishingStats', this.lastPublishStats);
      return;
    }
    this.setPublishText(p.state === 'connected' && !p.flowing ? 'media.noFlow' : MEDIA_STATE_KEYS[p.state], null);
  }

  setPublishText(key, args) {
    replace(this.mediaState, h('span', { i18n: key, args }));
    this.mediaState.className = 'muted';
    this.mediaState.dataset.state = this.publisher?.state || 'idle';
  }

  /** The session is over, here and on any other device: the camera, the floor and the hands end with it. */
  endLocally() {
    this.ended = true;
    sessionStorage.removeItem(PUBLISHING_KEY);
    this.publisher?.stop();
    this.publisher = null;
    this.setFloor(null);
    this.stopSharing();
    this.shareBtn.hidden = true;
    this.layoutSelect.disabled = true;
    this.hands = [];
    this.drawQueue(); this.drawWall();
    this.stopMeter?.();
    this.stopMeter = null;
    this.stream?.getTracks().forEach((tr) => tr.stop());
    this.stream = null;
    this.preview.srcObject = null;
    this.goLive.hidden = true;
    this.endBtn.hidden = true;
    this.camSelect.disabled = true;
    this.micSelect.disabled = true;
    this.drawBadge();
    this.drawPublishState();
  }

  async openDevices() {
    if (this.ended) return;
    try {
      this.stopMeter?.();
      const constraints = {
        video: this.camSelect.value ? { deviceId: { exact: this.camSelect.value }, width: 1280, height: 720 } : { width: 1280, height: 720 },
        audio: this.micSelect.value ? { deviceId: { exact: this.micSelect.value } } : true,
      };
      const old = this.stream;
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      if (this.ended) { stream.getTracks().forEach((tr) => tr.stop()); return; } // ended while the camera opened
      this.stream = stream;
      old?.getTracks().forEach((tr) => tr.stop());
      this.preview.srcObject = this.stream;
      this.preview.play().catch(() => {});
      this.stopMeter = levelMeter(this.stream, this.meter);
      const { cameras, microphones } = await listDevices();
      const fill = (sel, list, key) => {
        const cur = sel.value || (key === 'video' ? this.stream.getVideoTracks()[0]?.getSettings().deviceId : this.stream.getAudioTracks()[0]?.getSettings().deviceId);
        replace(sel, list.map((d, i) => h('option', { value: d.deviceId, selected: d.deviceId === cur }, d.label || `${t(key === 'video' ? 'host.camera' : 'host.microphone')} ${i + 1}`)));
      };
      fill(this.camSelect, cameras, 'video');
      fill(this.micSelect, microphones, 'audio');
      if (this.publisher) {
        // Swap tracks in place so viewers see no interruption.
        for (const sender of this.publisher.pc?.getSenders() || []) {
          const next = this.stream.getTracks().find((tr) => tr.kind === sender.track?.kind);
          if (next) await sender.replaceTrack(next);
        }
      }
    } catch (err) {
      this.mediaState.textContent = t('host.deviceError', { reason: err.name || err.message });
    }
  }

  async toggleLive() {
    if (this.publisher) {
      sessionStorage.removeItem(PUBLISHING_KEY);
      await this.publisher.stop();
      this.publisher = null;
      this.drawBadge(); this.drawPublishState();
      this.goLive.dataset.i18n = 'host.goLive'; this.goLive.textContent = t('host.goLive');
      return;
    }
    if (this.ended) return;
    await this.devicesReady;
    if (!this.stream) await this.openDevices();
    if (!this.stream || this.publisher || this.ended || this.starting) return;
    busy(this.goLive, true);
    this.starting = true; // going live (or resuming) starts one broadcast, whatever events arrive meanwhile
    try {
      if (this.session && (this.session.state === 'SCHEDULED' || this.session.state === 'INTERRUPTED')) {
        const s = await api.startSession(this.sessionId);
        if (s?.state) this.onEvent({ type: 'session.state', data: { state: s.state } });
        this.loadHands();
      }
    } catch (err) {
      if (err.status !== 409) { this.mediaState.textContent = describe(err); busy(this.goLive, false); this.starting = false; return; }
    } finally {
      this.starting = false;
    }
    if (this.ended) { busy(this.goLive, false); return; }
    // The camera keeps its full size and gives up frame rate when short of bandwidth: otherwise
    // Chromium judges the first frames by the start bitrate, sends 640x360 or 960x540 and takes
    // 4-15 s to step up to 1280x720 (HostFastStartIT), the blurred start every room sees.
    const publisher = new MediaClient({
      mode: 'whip', url: media.whipUrl(this.sessionId), token: auth.token(), stream: this.stream,
      degradationPreference: 'maintain-resolution', simulcast: true,
      onState: () => { if (publisher === this.publisher) { this.drawBadge(); this.drawPublishState(); } },
      onFlow: () => { if (publisher === this.publisher) { this.drawBadge(); this.drawPublishState(); } },
      onError: (err) => console.warn('whip', err),
    });
    this.publisher = publisher;
    sessionStorage.setItem(PUBLISHING_KEY, String(this.sessionId));
    // Diagnostics (and tests) reach the live client from the element, as for the guest's video.
    this.preview.mediaClient = publisher;
    publisher.start();
    this.goLive.dataset.i18n = 'host.stopLive'; this.goLive.textContent = t('host.stopLive');
    busy(this.goLive, false);
  }

  async loadStage() {
    try { this.applyStage(await api.stage(this.sessionId)); } catch { /* the stage's events will tell */ }
  }

  /** The stage ({layout, content}, see api.stage): the layout chosen, who shares, and the preview of it. */
  applyStage(view) {
    if (!view) return;
    this.stage = view;
    this.layoutSelect.value = view.layout;
    const content = view.content;
    // This console's share replaced by a room's (or stopped elsewhere): stop sending, once the stage has shown it.
    if (content?.sharedBy === 'HOST' && this.sharer) this.shareSeen = true;
    else if (this.sharer && this.shareSeen) this.stopSharing();
    this.drawContent();
  }

  drawContent() {
    const content = this.stage?.content;
    const byRoom = content?.sharedBy === 'ROOM';
    const key = !content ? 'host.noContent' : byRoom ? 'host.sharedByRoom' : 'host.sharedByHost';
    replace(this.contentState, h('span', { i18n: key, args: byRoom ? { room: this.name(content.roomCode) } : undefined }));
    this.contentState.dataset.sharedBy = content?.sharedBy || '';
    this.stopContentBtn.hidden = !byRoom;
    const source = this.sharer ? this.shareStream : byRoom ? this.roomContent : null;
    if (this.contentPreview.srcObject !== (source || null)) {
      this.contentPreview.srcObject = source || null;
      if (source) this.contentPreview.play().catch(() => {});
    }
    const on = !!this.sharer;
    this.shareBtn.setAttribute('aria-pressed', String(on));
    this.shareBtn.dataset.i18n = on ? 'host.stopSharing' : 'host.shareScreen';
    this.shareBtn.textContent = t(this.shareBtn.dataset.i18n);
  }

  toggleShare() {
    if (this.sharer) this.stopSharing(); // its WHIP DELETE ends the share; a room's is stopped with #stop-content
    else this.startSharing();
  }

  /** Shares a screen or window into the content slot; it replaces whatever was shared. */
  async startSharing() {
    if (this.sharer || this.ended) return;
    const sharer = {};
    this.sharer = sharer; // claimed while the browser asks which screen
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
    } catch (err) {
      if (this.sharer === sharer) this.sharer = null;
      replace(this.contentState, h('span', { i18n: 'host.shareError', args: { reason: err.name } }));
      return;
    }
    if (this.sharer !== sharer || this.ended) { stream.getTracks().forEach((tr) => tr.stop()); return; }
    this.shareStream = stream;
    stream.getVideoTracks()[0]?.addEventListener('ended', () => this.stopSharing());
    const client = new MediaClient({
      mode: 'whip', url: media.whipContentUrl(this.sessionId), token: auth.token(), stream,
      onState: (s) => { if (client === this.sharer && s === 'replaced') this.stopSharing(); },
      onError: (err) => console.warn('share', err),
    });
    this.sharer = client;
    // Diagnostics (and tests) reach the share's client from the element, as for the camera's.
    this.contentPreview.mediaClient = client;
    client.start();
    this.drawContent();
  }

  stopSharing() {
    const client = this.sharer;
    this.sharer = null;
    this.shareSeen = false;
    client?.stop?.();
    this.shareStream?.getTracks().forEach((tr) => tr.stop());
    this.shareStream = null;
    if (this.contentState) this.drawContent();
  }

  /** Stops a room's share (the host's own stops with its button). */
  async stopContent() {
    busy(this.stopContentBtn, true);
    try { this.applyStage(await api.stopContent(this.sessionId)); } catch (err) { alert(describe(err)); } finally { busy(this.stopContentBtn, false); }
  }

  async chooseLayout(layout) {
    try { this.applyStage(await api.setStageLayout(this.sessionId, layout)); } catch (err) {
      alert(describe(err));
      if (this.stage) this.layoutSelect.value = this.stage.layout;
    }
  }

  async endSession() {
    if (!confirm(t('host.endConfirm'))) return;
    busy(this.endBtn, true);
    try {
      await api.endSession(this.sessionId);
      this.onEvent({ type: 'session.state', data: { state: 'ENDED' } });
      announce('host.ended');
    } catch (err) { alert(describe(err)); } finally { busy(this.endBtn, false); }
  }

  async pollStats() {
    const p = this.publisher;
    if (!p) return;
    const s = await p.stats().catch(() => null);
    if (p !== this.publisher) return;
    this.lastPublishStats = s && p.state === 'connected' ? { w: s.width, h: s.height, kbps: Math.round(s.bitrateKbps) } : null;
    this.drawPublishState();
  }
}
