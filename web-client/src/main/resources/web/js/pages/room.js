import { api, auth, items, media } from '../api.js';
import { h, replace, clear, busy, announce, field, formValues } from '../dom.js';
import { t, onLangChange } from '../i18n.js';
import { describe, clearErrors, setFieldError, showErrors } from '../errors.js';
import { connectEvents } from '../live.js';
import { sessionPicker } from '../sessions.js';
import { MediaClient, autoplay, MEDIA_STATE_KEYS } from '../webrtc.js';
import { roomMessageBox } from '../room-messages.js';

/**
 * What the screen says of the program: the client's state, refined by whether media flows. A
 * connected program whose bytes stopped (the host's page closed, its camera gone) is "signal lost",
 * never a frozen last frame under "connected".
 */
const STATE_KEYS = { ...MEDIA_STATE_KEYS, waiting: 'tv.state.waiting', 'signal-lost': 'tv.state.signalLost', interrupted: 'tv.state.interrupted', ended: 'tv.state.ended' };
const OVERLAY_KEYS = { idle: 'tv.waiting', connecting: 'tv.waiting', waiting: 'tv.waiting', reconnecting: 'tv.reconnecting', 'signal-lost': 'tv.signalLost', interrupted: 'tv.interrupted', ended: 'tv.ended', closed: 'tv.ended', replaced: 'tv.openedElsewhere' };

/**
 * The TV-attached room screen. Opened by a signed-in room operator (#/room/{session}) or by a join
 * link carrying a room token (#/join/{session}?token=…&room=CODE). Large type, few controls, every
 * one reachable with the keyboard or a TV remote's arrow and OK keys.
 */
export async function render(ctx) {
  const sessionId = ctx.params[0];
  if (!sessionId) return sessionPicker(ctx.main, 'tv.pick', (s) => `#/room/${s.id}`);
  document.body.classList.add('tv');
  return new RoomScreen(ctx, sessionId).mount();
}


class RoomScreen {
  constructor(ctx, sessionId) {
    this.ctx = ctx;
    this.sessionId = sessionId;
    this.joinToken = ctx.query.get('token');
    this.token = this.joinToken || auth.token();
    this.roomCode = ctx.query.get('room') || ctx.user?.roomCode || null;
    this.audioOnly = localStorage.getItem('crl.room.audioOnly') === '1';
    this.handUp = false;
    this.onFloor = false;
    this.ended = false;
    this.officials = [];
  }

  async mount() {
    const { main } = this.ctx;
    this.title = h('h1', { i18n: 'tv.title' });
    // Read from the back of a hall: which room this screen is, in the largest type on the page.
    this.roomNameEl = h('p', { class: 'room-name', id: 'room-name' }, this.roomCode || '');
    this.stateEl = h('span', { class: 'state idle', id: 'room-state', role: 'status', i18n: 'media.idle' });
    this.onAir = h('span', { class: 'on-air', id: 'room-on-air', hidden: true, i18n: 'tv.onAir' });
    this.video = h('video', { id: 'program-video', autoplay: true, playsinline: true });
    this.unmute = h('button', { type: 'button', class: 'btn btn-big', id: 'unmute', hidden: true, i18n: 'tv.unmute' });
    this.unmute.addEventListener('click', () => { this.video.muted = false; this.video.play(); this.unmute.hidden = true; });
    this.overlay = h('div', { class: 'overlay', 'aria-live': 'polite' }, h('span', { i18n: 'tv.waiting' }));
    this.guestVideo = h('video', { id: 'guest-video', autoplay: true, playsinline: true });
    this.guestInset = h('div', { class: 'guest-inset', hidden: true }, this.guestVideo, h('span', { class: 'guest-name' }));
    // The stage's content slot (a shared screen), laid out as the host chose: beside the speaker or instead of it.
    this.contentVideo = h('video', { id: 'content-video', autoplay: true, playsinline: true });
    this.contentCaption = h('span', { class: 'content-caption', id: 'content-caption' });
    this.contentBox = h('div', { class: 'content-box', id: 'content-box', hidden: true }, this.contentVideo, this.contentCaption);
    this.videoBox = h('div', { class: 'video-box', id: 'program', dataset: { layout: 'SPEAKER_ONLY' } },
      this.contentBox, this.video, this.guestInset, this.overlay);
    this.handBtn = h('button', { type: 'button', class: 'btn btn-big btn-ok', id: 'raise-hand', i18n: 'tv.raiseHand', 'aria-pressed': 'false' });
    this.handBtn.addEventListener('click', () => this.toggleHand());
    // While the room holds the floor: a banner, and a small view of what it sends instead of the hand button.
    this.selfVideo = h('video', { id: 'self-view', autoplay: true, playsinline: true, muted: true });
    this.floorBox = h('div', { class: 'floor-box', id: 'floor-box', hidden: true },
      h('p', { class: 'floor-banner', id: 'floor-banner', i18n: 'tv.onFloorBanner' }),
      h('figure', { class: 'self-view' }, this.selfVideo, h('figcaption', { i18n: 'tv.selfView' })),
      // While on the floor the room may show a document or a map to every room (the content slot).
      this.shareBtn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'share-screen', 'aria-pressed': 'false', i18n: 'tv.shareScreen',
        onClick: () => this.toggleShare() }),
      this.shareNote = h('p', { class: 'muted', id: 'share-note', 'aria-live': 'polite' }));
    const fullBtn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'fullscreen', i18n: 'tv.fullscreen', onClick: () => this.videoBox.requestFullscreen?.() });
    this.audioBtn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'audio-only', 'aria-pressed': String(this.audioOnly), i18n: this.audioOnly ? 'tv.videoOn' : 'tv.audioOnly' });
    this.audioBtn.addEventListener('click', () => this.toggleAudioOnly());
    this.messages = roomMessageBox({ sessionId: this.sessionId, roomCode: () => this.roomCode, token: this.token });

    main.append(
      this.roomNameEl,
      h('div', { class: 'room-status' }, this.title, this.stateEl, this.onAir),
      h('div', { class: 'room-layout' },
        h('div', {}, this.videoBox, h('div', { class: 'actions' }, this.unmute, fullBtn, this.audioBtn)),
        h('div', {},
          h('section', { class: 'panel', id: 'floor-panel' }, h('h2', { i18n: 'tv.floor' }), this.floorBox, this.handBtn,
            h('p', { class: 'muted', id: 'hand-note', 'aria-live': 'polite' })),
          this.messages.element,
          this.presenceForm())));

    await this.loadSession();
    this.loadFloor();
    this.loadStage();
    this.loadOfficials();
    this.messages.load();
    this.events = connectEvents(this.sessionId, { token: this.token, onEvent: (e) => this.onEvent(e), onState: (s) => this.onLiveState(s) });
    if (this.session && (this.session.state === 'ENDED' || this.session.state === 'CANCELLED')) this.end();
    else this.startProgram();
    this.keyHandler = (e) => { if (e.key === 'h' && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) this.toggleHand(); };
    document.addEventListener('keydown', this.keyHandler);
    const offLang = onLangChange(() => this.drawOfficials());
    return () => {
      offLang();
      document.removeEventListener('keydown', this.keyHandler);
      this.events.close(); this.viewer?.stop(); this.replaced?.stop(); this.stopPublishing(); this.stopSharing();
      document.body.classList.remove('tv');
    };
  }

  async loadFloor() {
    try {
      this.roomNames = Object.fromEntries(items(await api.rooms(this.token)).map((r) => [r.code, r.name]));
    } catch { /* codes then */ }
    this.drawRoomName();
    if (this.ended) return;
    try {
      const floor = await api.floor(this.sessionId, this.token);
      this.showGuest(floor.floorRoomCode && floor.floorRoomCode !== this.roomCode ? floor.floorRoomCode : null);
      if (this.roomCode && (floor.queue || []).some((x) => x.roomCode === this.roomCode)) this.setHand(true);
      if (this.roomCode && floor.floorRoomCode === this.roomCode) this.startPublishing();
    } catch { /* no floor until the session is live */ }
  }

  /** Officials already recorded for this room (by this screen or another), from the attendance the server keeps. */
  async loadOfficials() {
    // Room operators cannot read the report; what they entered is kept locally and re-sent when needed.
    this.drawOfficials();
  }

  async loadSession() {
    try {
      this.session = await api.session(this.sessionId, this.token);
      this.interrupted = this.session.state === 'INTERRUPTED';
      if (!this.roomCode && this.session.roomCode) this.roomCode = this.session.roomCode;
      this.title.removeAttribute('data-i18n');
      this.title.textContent = this.session.title;
    } catch { /* the title stays generic */ }
    this.drawRoomName();
  }

  drawRoomName() {
    this.roomNameEl.textContent = this.roomCode ? (this.roomNames?.[this.roomCode] || this.roomCode) : '';
    this.roomNameEl.hidden = !this.roomCode;
  }

  /** The program client's state (or, with no argument, the last one) shown with what flows and whether the session ended. */
  setState(s = this.mediaState) {
    this.mediaState = s;
    const client = this.viewer;
    let shown = s;
    if (this.ended) shown = 'ended';
    else if (this.interrupted && s !== 'connected') shown = 'interrupted'; // the program comes back once the host resumes
    else if (s === 'connected' && client && !client.flowing) shown = client.everFlowed ? 'signal-lost' : 'waiting';
    this.stateEl.className = `state ${shown}`;
    this.stateEl.dataset.i18n = STATE_KEYS[shown];
    this.stateEl.textContent = t(STATE_KEYS[shown]);
    this.stateEl.dataset.state = shown;
    this.videoBox.classList.toggle('no-signal', shown !== 'connected');
    if (shown === 'connected') { this.overlay.hidden = true; return; }
    this.overlay.hidden = false;
    const problem = shown === 'failed' && client?.problem;
    if (problem) replace(this.overlay, h('span', { i18n: problem.key, args: problem.args }), ' ', h('span', { i18n: 'media.retrying' }));
    else replace(this.overlay, h('span', { i18n: OVERLAY_KEYS[shown] || 'tv.waiting' }));
  }

  startProgram() {
    // Make before break: a connected program keeps playing until its replacement (audio-only and
    // back) is connected, so the room never drops out of the session, nor out of attendance.
    const previous = this.viewer?.state === 'connected' ? this.viewer : null;
    if (!previous) this.viewer?.stop();
    this.replaced?.stop();
    this.replaced = previous;
    // The program on the first pair, the room with the floor (guest slot) on the second, shown inset,
    // the shared screen (content slot) on the third: negotiated once, so a share never renegotiates.
    const client = new MediaClient({
      mode: 'whep', url: media.whepUrl(this.sessionId), token: this.token, audioOnly: this.audioOnly, pairs: 3,
      onState: (s) => {
        if (client !== this.viewer) return; // a program being replaced has nothing more to say
        if (s === 'connected' && this.replaced) { this.replaced.stop(); this.replaced = null; }
        if (!this.replaced) this.setState(s);
      },
      onFlow: () => { if (client === this.viewer && !this.replaced) this.setState(); },
      onTrack: async (stream, pair) => {
        if (pair === 2) {
          this.contentVideo.srcObject = stream;
          this.contentVideo.muted = !!this.sharer; // our own shared sound coming back would echo
          this.contentVideo.play().catch(() => {});
          return;
        }
        if (pair === 1) {
          this.guestVideo.srcObject = stream;
          this.guestVideo.muted = !!this.publisher; // our own voice coming back would echo
          this.guestVideo.play().catch(() => {});
          return;
        }
        this.video.srcObject = stream;
        try {
          const how = await autoplay(this.video);
          this.unmute.hidden = how === 'sound';
          if (how === 'muted') this.unmute.focus();
        } catch { /* play() again when the next track arrives */ }
      },
    });
    this.viewer = client;
    this.viewer.start();
    // Diagnostics (and tests) reach the live client from the page: getStats summaries, state.
    this.videoBox.mediaClient = this.viewer;
  }

  toggleAudioOnly() {
    this.audioOnly = !this.audioOnly;
    localStorage.setItem('crl.room.audioOnly', this.audioOnly ? '1' : '0');
    this.audioBtn.setAttribute('aria-pressed', String(this.audioOnly));
    this.audioBtn.dataset.i18n = this.audioOnly ? 'tv.videoOn' : 'tv.audioOnly';
    this.audioBtn.textContent = t(this.audioBtn.dataset.i18n);
    this.startProgram();
    this.applyStage(this.stageView);
  }

  async toggleHand() {
    if (this.onFloor || this.ended) return; // nothing to ask for: it has the floor, or the session is over
    if (!this.roomCode) { this.note('tv.noRoom'); return; }
    busy(this.handBtn, true);
    // The live event may arrive before the response: decide the target state before asking.
    const raise = !this.handUp;
    try {
      if (raise) await api.raiseHand(this.sessionId, this.roomCode, this.token);
      else await api.lowerHand(this.sessionId, this.roomCode, this.token);
      this.setHand(raise);
    } catch (err) {
      this.note(null, describe(err));
    } finally { busy(this.handBtn, false); }
  }

  setHand(up) {
    this.handUp = up;
    this.handBtn.setAttribute('aria-pressed', String(up));
    this.handBtn.dataset.i18n = up ? 'tv.lowerHand' : 'tv.raiseHand';
    this.handBtn.textContent = t(this.handBtn.dataset.i18n);
    this.note(up ? 'tv.handUp' : null);
  }

  note(key, text) {
    const el = document.getElementById('hand-note');
    if (key) { el.dataset.i18n = key; el.textContent = t(key); } else { delete el.dataset.i18n; el.textContent = text || ''; }
  }

  /** Server events (events.LiveEvent): {type, sessionId, data}; floor events carry the floor snapshot. */
  onEvent(e) {
    const d = e.data || {};
    if (e.type === 'subscribed' && d.room && !this.roomCode) { this.roomCode = d.room; this.drawRoomName(); this.messages.load(); }
    this.messages.onEvent(e);
    if (this.ended) return;
    if (e.type === 'endpoint.moved') { this.viewer?.followMove(d.endpoint); this.publisher?.followMove(d.endpoint); }
    // Events of another server instance may have been lost (its link to the database dropped): load what they would have changed.
    if (e.type === 'resync') { this.reloadAfterGap(); this.loadFloor(); this.messages.load(); return; }
    if (e.type === 'floor.granted' || e.type === 'floor.revoked' || e.type === 'hand.lowered' || e.type === 'hand.raised') {
      const onFloor = d.floor?.floorRoomCode;
      this.showGuest(onFloor && onFloor !== this.roomCode ? onFloor : null);
      if (onFloor && onFloor === this.roomCode) this.startPublishing();
      else if (this.publisher) this.stopPublishing();
      const queued = (d.floor?.queue || []).some((x) => x.roomCode === this.roomCode);
      if (this.handUp !== queued && onFloor !== this.roomCode) this.setHand(queued);
    }
    if (e.type === 'stage.changed') this.applyStage(d);
    if (e.type === 'session.state' && (d.state === 'ENDED' || d.state === 'CANCELLED')) this.end();
    if (e.type === 'session.state' && d.state) { this.interrupted = d.state === 'INTERRUPTED'; this.setState(); }
    if (e.type === 'session.state' && d.state === 'LIVE' && this.viewer?.state !== 'connected') this.startProgram();
  }

  /** Events missed while the socket was down (a restarted server marks the session interrupted before rooms reconnect). */
  async onLiveState(state) {
    if (state === 'reconnecting') { this.eventsDropped = true; return; }
    if (state !== 'open' || !this.eventsDropped) return;
    this.eventsDropped = false;
    await this.reloadAfterGap();
  }

  /** The session's state as it is now, after events may have been missed. */
  async reloadAfterGap() {
    const s = await api.session(this.sessionId, this.token).catch(() => null);
    if (s?.state && !this.ended) this.onEvent({ type: 'session.state', data: { state: s.state } });
  }

  /** The session is over: the program, the floor, the camera and the hand button end with it. */
  end() {
    this.ended = true;
    this.viewer?.stop(); this.replaced?.stop(); this.stopPublishing();
    this.showGuest(null);
    this.applyStage(null);
    this.handBtn.hidden = true;
    this.note(null, '');
    this.unmute.hidden = true;
    this.audioBtn.hidden = true;
    this.setState('closed');
  }

  /** The room with the floor, inset over the program (hidden when none, or when it is this room). */
  showGuest(roomCode) {
    this.guestInset.hidden = !roomCode;
    this.guestInset.querySelector('.guest-name').textContent = roomCode ? (this.roomNames?.[roomCode] || roomCode) : '';
  }

  async startPublishing() {
    if (this.publisher || this.ended) return;
    this.setHand(false);
    this.showFloor(true);
    const publisher = {};
    this.publisher = publisher; // claimed before the camera opens, so a second floor event does not open it twice
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: this.audioOnly ? false : { width: 1280, height: 720 } });
    } catch (err) {
      if (this.publisher === publisher) this.publisher = null;
      this.note(null, t('host.deviceError', { reason: err.name }));
      return;
    }
    if (this.publisher !== publisher) { stream.getTracks().forEach((tr) => tr.stop()); return; } // the floor went meanwhile
    this.localStream = stream;
    this.selfVideo.srcObject = stream;
    this.selfVideo.play().catch(() => {});
    this.publisher = new MediaClient({
      mode: 'whip', url: media.whipUrl(this.sessionId), token: this.token, stream: this.localStream,
      onState: (s) => { this.onAir.hidden = s !== 'connected'; },
    });
    this.publisher.start();
    this.onAir.hidden = false;
    this.guestVideo.muted = true;
    announce('tv.onAirNow');
  }

  stopPublishing() {
    this.stopSharing(); // the share ends with the floor (the server has ended it already)
    this.publisher?.stop?.();
    this.publisher = null;
    this.localStream?.getTracks().forEach((tr) => tr.stop());
    this.localStream = null;
    this.selfVideo.srcObject = null;
    this.onAir.hidden = true;
    this.showFloor(false);
    if (this.guestVideo) this.guestVideo.muted = false;
  }

  async loadStage() {
    try { this.applyStage(await api.stage(this.sessionId, this.token)); } catch { /* the speaker alone until an event says more */ }
  }

  /**
   * The stage as the host lays it out ({layout, content}, see api.stage): with a share on it, the content
   * beside the speaker or instead of it; without one (or with SPEAKER_ONLY), the speaker alone. A share of
   * this room that the stage no longer shows (another share replaced it) stops here too.
   */
  applyStage(view) {
    this.stageView = view;
    const content = this.ended ? null : view?.content || null;
    // Sound only receives no pictures at all: the share is not laid out over the empty program.
    const layout = content && !this.audioOnly ? view.layout : 'SPEAKER_ONLY';
    this.videoBox.dataset.layout = layout;
    this.videoBox.classList.toggle('content-beside', layout === 'CONTENT_BESIDE_SPEAKER');
    this.videoBox.classList.toggle('content-instead', layout === 'CONTENT_INSTEAD_OF_SPEAKER');
    this.contentBox.hidden = layout === 'SPEAKER_ONLY';
    if (!content) replace(this.contentCaption);
    else if (content.sharedBy === 'ROOM') replace(this.contentCaption, h('span', { i18n: 'tv.contentByRoom', args: { room: this.roomNames?.[content.roomCode] || content.roomCode } }));
    else replace(this.contentCaption, h('span', { i18n: 'tv.contentByHost' }));
    // Only once the stage has shown this room's share: an event sent before it reached the server says nothing of it.
    const ours = content?.sharedBy === 'ROOM' && content.roomCode === this.roomCode;
    if (ours && this.sharer) this.shareSeen = true;
    else if (this.sharer && this.shareSeen && view) this.stopSharing();
  }

  toggleShare() {
    if (this.sharer) this.stopSharing();
    else this.startSharing();
  }

  /** Shares a screen or window into the content slot, while this room holds the floor. */
  async startSharing() {
    if (this.sharer || !this.onFloor || this.ended) return;
    const sharer = {};
    this.sharer = sharer; // claimed while the browser asks which screen, so a second click opens nothing
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
    } catch (err) {
      if (this.sharer === sharer) this.sharer = null;
      this.shareNote.textContent = t('host.shareError', { reason: err.name });
      return;
    }
    if (this.sharer !== sharer || !this.onFloor) { stream.getTracks().forEach((tr) => tr.stop()); return; }
    this.shareStream = stream;
    // The browser's own "stop sharing" bar ends the track: the share ends with it.
    stream.getVideoTracks()[0]?.addEventListener('ended', () => this.stopSharing());
    const client = new MediaClient({
      mode: 'whip', url: media.whipContentUrl(this.sessionId), token: this.token, stream,
      onState: (s) => { if (client === this.sharer && s === 'replaced') this.stopSharing(); },
    });
    this.sharer = client;
    this.contentVideo.muted = true;
    client.start();
    this.drawShare();
  }

  stopSharing() {
    const client = this.sharer;
    this.sharer = null;
    this.shareSeen = false;
    client?.stop?.();
    this.shareStream?.getTracks().forEach((tr) => tr.stop());
    this.shareStream = null;
    if (this.contentVideo) this.contentVideo.muted = false;
    if (this.shareBtn) this.drawShare();
  }

  drawShare() {
    const on = !!this.sharer;
    this.shareBtn.setAttribute('aria-pressed', String(on));
    this.shareBtn.dataset.i18n = on ? 'tv.stopSharing' : 'tv.shareScreen';
    this.shareBtn.textContent = t(this.shareBtn.dataset.i18n);
    if (on) { this.shareNote.dataset.i18n = 'tv.sharing'; this.shareNote.textContent = t('tv.sharing'); } else { delete this.shareNote.dataset.i18n; this.shareNote.textContent = ''; }
  }

  /** On the floor the hand button gives way to the banner and the self-view; off it, the button is back. */
  showFloor(on) {
    this.onFloor = on;
    this.floorBox.hidden = !on;
    this.handBtn.hidden = on || this.ended;
  }

  presenceForm() {
    this.officialList = h('ul', { class: 'queue', id: 'officials' });
    const submit = h('button', { type: 'submit', class: 'btn', i18n: 'tv.savePresence' });
    const addBtn = h('button', { type: 'button', class: 'btn btn-secondary', i18n: 'tv.addOfficial' });
    const form = h('form', { class: 'panel', id: 'presence-form', novalidate: true },
      h('h2', { i18n: 'tv.presence' }),
      h('div', { class: 'inline' },
        field({ name: 'officialName', label: 'tv.officialName', attrs: { autocomplete: 'off' } }),
        field({ name: 'officialTitle', label: 'tv.officialTitle', attrs: { autocomplete: 'off' } })),
      addBtn, this.officialList,
      field({ name: 'citizens', label: 'tv.citizens', type: 'number', value: localStorage.getItem(`crl.room.citizens.${this.sessionId}`) || '0', attrs: { min: 0, inputmode: 'numeric' } }),
      h('div', { class: 'actions' }, submit), h('p', { class: 'muted', 'aria-live': 'polite', id: 'presence-note' }));
    try { this.officials = JSON.parse(localStorage.getItem(`crl.room.officials.${this.sessionId}`) || '[]'); } catch { this.officials = []; }
    addBtn.addEventListener('click', async () => {
      clearErrors(form);
      const v = formValues(form);
      if (!v.officialName.trim()) { setFieldError(form, 'officialName', 'err.required'); return; }
      const official = { name: v.officialName.trim(), title: v.officialTitle.trim() || null };
      busy(addBtn, true);
      try {
        const saved = await api.addOfficial(this.sessionId, this.roomCode, official, this.token);
        this.officials.push({ ...official, ...saved });
        form.elements.officialName.value = ''; form.elements.officialTitle.value = '';
      } catch (err) {
        // Kept locally and marked unsent; "Send attendance" tries again.
        this.officials.push({ ...official, pending: true });
        form.elements.officialName.value = ''; form.elements.officialTitle.value = '';
        showErrors(form, err);
      } finally { busy(addBtn, false); }
      this.keepPresence(form);
      this.drawOfficials();
      form.elements.officialName.focus();
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const citizens = Number(form.elements.citizens.value);
      if (!Number.isInteger(citizens) || citizens < 0) { setFieldError(form, 'citizens', 'err.number'); return; }
      this.keepPresence(form);
      busy(submit, true);
      const note = form.querySelector('#presence-note');
      try {
        for (const o of this.officials.filter((x) => x.pending)) {
          Object.assign(o, await api.addOfficial(this.sessionId, this.roomCode, { name: o.name, title: o.title }, this.token));
          delete o.pending;
        }
        await api.setCitizens(this.sessionId, this.roomCode, citizens, this.token);
        this.drawOfficials();
        note.dataset.i18n = 'tv.presenceSaved'; note.textContent = t('tv.presenceSaved');
      } catch (err) {
        showErrors(form, err);
        note.dataset.i18n = 'tv.presenceKept'; note.textContent = t('tv.presenceKept');
      } finally { busy(submit, false); }
    });
    form.elements.citizens.addEventListener('input', () => this.keepPresence(form));
    this.drawOfficials();
    return form;
  }

  keepPresence(form) {
    localStorage.setItem(`crl.room.officials.${this.sessionId}`, JSON.stringify(this.officials));
    localStorage.setItem(`crl.room.citizens.${this.sessionId}`, form.elements.citizens.value);
  }

  drawOfficials() {
    replace(this.officialList, this.officials.length ? this.officials.map((o, i) => h('li', {},
      h('span', {}, o.name, o.title ? h('span', { class: 'muted' }, ` — ${o.title}`) : null,
        o.pending ? [' ', h('span', { class: 'badge warn', i18n: 'tv.unsent' })] : null),
      h('button', { type: 'button', class: 'btn btn-quiet', i18nAttr: { 'aria-label': 'tv.removeOfficial' }, onClick: async () => {
        try {
          if (o.id != null) await api.removeOfficial(this.sessionId, this.roomCode, o.id, this.token);
          this.officials.splice(i, 1); this.keepPresence(document.getElementById('presence-form')); this.drawOfficials();
        } catch (err) { this.note(null, describe(err)); }
      } }, '✕'))) : h('li', { class: 'muted', i18n: 'tv.noOfficials' }));
  }
}
