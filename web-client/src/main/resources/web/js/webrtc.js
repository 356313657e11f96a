/**
 * WHIP (RFC 9725) and WHEP clients over fetch: one RTCPeerConnection, a complete offer (the server is
 * ICE-lite, so no trickle), 201 + Location, DELETE to leave. When the connection drops the client
 * first tries an ICE restart by PATCHing an SDP fragment to the resource; if the server refuses or
 * the restart does not reconnect, it tears down and posts a new offer. A client that was connected
 * retries after 0.5 s, 1 s, then every 2 s, and gives each attempt 5 s to connect, so that video is
 * back within 10 s of the network returning however long it was gone; one that never connected
 * (the session may not have started) backs off to 15 s. Until stop() is called.
 * States: idle, connecting, connected, reconnecting, failed, closed. An attempt that fails (an HTTP
 * error, an answer the browser rejects, ICE/DTLS not connected in time) sets `problem` (a translation
 * key and its arguments, see PROBLEM_KEYS) and, unless a connection that was up is being repaired,
 * the state 'failed' until a retry connects: the user reads why, never "connecting…" forever.
 * A refusal that waiting will not heal (401, 403, 404, 410, 422) is retried only every 30 s.
 * The server keeps one endpoint per room or account: when the same room opens the session on
 * another page, this one's ICE restart is answered 410 and the client stops for good in the state
 * 'replaced' ("opened elsewhere"), never posting again to take the session back.
 *
 * "Connected" says nothing of media: onFlow(flowing) tells whether RTP bytes are moving (sent for
 * WHIP, received on the program pair for WHEP), sampled from getStats every FLOW_SAMPLE_MS, false
 * after FLOW_STALL_MS without progress. A host's "live" badge and a room's "signal lost" read it.
 */
/** Translation keys of the client states, for status lines. */
export const MEDIA_STATE_KEYS = { idle: 'media.idle', connecting: 'media.connecting', connected: 'media.connected', reconnecting: 'media.reconnecting', failed: 'media.failed', closed: 'media.closed', replaced: 'media.replaced' };

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000];
/**
 * After a drop. Worst case once the line is back: the attempt in flight times out (5 s), the wait
 * (2 s + 20 % jitter), a new offer connects (1-2 s): under 10 s.
 */
const RECONNECT_BACKOFF_MS = [500, 1000, 2000];
/** An offer answered but not connected by then (ICE checks unanswered, a cut line) is tried again. */
const CONNECT_TIMEOUT_MS = 5000;
const GATHER_TIMEOUT_MS = 2500;
const DISCONNECT_GRACE_MS = 2000;
const RESTART_TIMEOUT_MS = 5000;
/** Retry period after a refusal that waiting will not heal (revoked token, no such session, unusable offer). */
const PERMANENT_RETRY_MS = 30000;
const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 410, 422]);
/**
 * Sets a video sender's degradation preference; a browser that refuses it still publishes with its
 * own default, so going live never fails on it.
 */
async function preferDegradation(sender, preference) {
  try {
    const parameters = sender.getParameters();
    parameters.degradationPreference = preference;
    await sender.setParameters(parameters);
  } catch (err) {
    console.warn('degradationPreference not applied', err);
  }
}

/** A room must say "signal lost" within 3 s of the host's media stopping: 1 s of silence (10 video frames, 50 audio packets), sampled 4 times a second. */
const FLOW_SAMPLE_MS = 250;
const FLOW_STALL_MS = 1000;

/** What went wrong, for users: the translation key of each failure (HTTP statuses by class). */
export const PROBLEM_KEYS = {
  401: 'media.err.unauthorized', 403: 'media.err.forbidden', 404: 'media.err.notFound', 409: 'media.err.notLive',
  422: 'media.err.unsupported', http: 'media.err.http', server: 'media.err.server', network: 'media.err.network',
  answer: 'media.err.answer', timeout: 'media.err.timeout',
};

/** The user-facing problem of a failed attempt: {key, args}. */
export function problemOf(err) {
  if (err instanceof MediaClientError) {
    if (err.kind === 'answer') return { key: PROBLEM_KEYS.answer, args: { reason: err.message } };
    if (err.kind === 'timeout') return { key: PROBLEM_KEYS.timeout, args: { s: Math.round(CONNECT_TIMEOUT_MS / 1000) } };
    if (err.status) {
      const key = PROBLEM_KEYS[err.status] || (err.status >= 500 ? PROBLEM_KEYS.server : PROBLEM_KEYS.http);
      return { key, args: { status: err.status } };
    }
  }
  return { key: PROBLEM_KEYS.network, args: { reason: (err && err.message) || String(err) } };
}

export class MediaClientError extends Error {
  /** kind: 'http' (status set), 'answer' (setRemoteDescription rejected it), 'timeout' (ICE/DTLS not up in time), 'restart'. */
  constructor(status, message, kind = 'http') {
    super(message);
    this.name = 'MediaClientError';
    this.status = status;
    this.kind = kind;
  }
}

function waitForIceGathering(pc, timeoutMs = GATHER_TIMEOUT_MS) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { pc.removeEventListener('icegatheringstatechange', check); clearTimeout(timer); resolve(); };
    const check = () => { if (pc.iceGatheringState === 'complete') done(); };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/**
 * The STUN/TURN servers of a response's Link headers (RFC 9725 §4.6: `<turn:host:3478?transport=udp>;
 * rel="ice-server"; username="..."; credential="..."`), as RTCPeerConnection iceServers. fetch joins
 * several Link headers with ", ": commas inside <...> or quoted values are not separators.
 */
export function iceServersFromLinks(header) {
  if (!header) return [];
  const servers = [];
  const link = /<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*(?:=\s*(?:"(?:[^"\\]|\\.)*"|[^;,]*))?)*)/g;
  const param = /;\s*([^;,=\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;,]*))?/g;
  for (const m of header.matchAll(link)) {
    const params = {};
    for (const p of m[2].matchAll(param)) {
      const raw = (p[2] || '').trim();
      params[p[1].toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    }
    if (params.rel !== 'ice-server' || !/^(stun|stuns|turn|turns):/.test(m[1])) continue;
    const server = { urls: m[1] };
    if (params.username !== undefined) server.username = params.username;
    if (params.credential !== undefined) server.credential = params.credential;
    servers.push(server);
  }
  return servers;
}

/** The ICE credentials and candidates of an SDP, as an RFC 8840 trickle-ice-sdpfrag. */
export function sdpFragment(sdp) {
  const lines = sdp.split(/\r?\n/);
  const ufrag = lines.find((l) => l.startsWith('a=ice-ufrag:'));
  const pwd = lines.find((l) => l.startsWith('a=ice-pwd:'));
  const out = [ufrag, pwd].filter(Boolean);
  let mid = null;
  let media = null;
  for (const l of lines) {
    if (l.startsWith('m=')) { media = l; mid = null; }
    if (l.startsWith('a=mid:') && mid === null) {
      mid = l;
      out.push(media, mid);
    }
    if (l.startsWith('a=candidate:') || l.startsWith('a=end-of-candidates')) out.push(l);
  }
  return out.filter(Boolean).join('\r\n') + '\r\n';
}

/** Replaces the ICE credentials (and candidates, when the fragment carries any) of a remote SDP. */
export function applyFragment(remoteSdp, fragment) {
  const f = fragment.split(/\r?\n/);
  const ufrag = f.find((l) => l.startsWith('a=ice-ufrag:'));
  const pwd = f.find((l) => l.startsWith('a=ice-pwd:'));
  const candidates = f.filter((l) => l.startsWith('a=candidate:'));
  let sdp = remoteSdp;
  if (ufrag) sdp = sdp.replace(/a=ice-ufrag:.*\r?\n/g, `${ufrag}\r\n`);
  if (pwd) sdp = sdp.replace(/a=ice-pwd:.*\r?\n/g, `${pwd}\r\n`);
  if (candidates.length) {
    sdp = sdp.replace(/a=candidate:.*\r?\n/g, '');
    sdp = sdp.replace(/(a=mid:[^\r\n]*\r?\n)/g, `$1${candidates.join('\r\n')}\r\n`);
  }
  return sdp;
}

/**
 * The host's three simulcast layers (issue 17), lowest first as the bridge ranks them: a quarter,
 * half and the full camera size (180p/360p/720p from a 720p camera). Each viewer is sent the one its
 * line carries; the caps keep the low layers light so a commune line still gets a picture.
 */
export const SIMULCAST_ENCODINGS = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 200_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 700_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 2_500_000 },
];

export class MediaClient {
  /**
   * opts: url (the WHIP or WHEP endpoint), token (bearer), mode ('whip' | 'whep'), stream (WHIP: the
   * tracks to publish), pairs (WHEP: 1 = the program, 2 = program and guest slot), audioOnly (WHEP:
   * one audio m-line), degradationPreference (WHIP: what the video sender gives up first when its
   * estimate is short, e.g. 'maintain-resolution'; unset leaves the browser's default), simulcast
   * (WHIP: send the video as SIMULCAST_ENCODINGS' three layers),
   * onState(state), onTrack(stream, pairIndex), onError(err), onFlow(flowing).
   * fetch can be injected for tests.
   */
  constructor(opts) {
    this.opts = opts;
    this.state = 'idle';
    this.resource = null;
    this.etag = null;
    this.pc = null;
    this.stopped = false;
    this.attempt = 0;
    this.remoteStream = new MediaStream();
    this.lastStats = null;
    this.problem = null;
    this.flowing = false;
    this.everFlowed = false;
    this.fetch = opts.fetch || window.fetch.bind(window);
    /** STUN/TURN servers from the last answer's Link headers (RFC 9725 §4.6); none until then. */
    this.iceServers = [];
    // A page closed or reloaded says goodbye, so the bridge frees the slot now rather than at consent expiry.
    this.onPageHide = () => this.teardown(true);
  }

  setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.opts.onState?.(s);
  }

  headers(extra) {
    const h = { ...extra };
    if (this.opts.token) h.Authorization = `Bearer ${this.opts.token}`;
    return h;
  }

  async start() {
    this.stopped = false;
    window.addEventListener('pagehide', this.onPageHide);
    this.startFlowWatch();
    // Until the first connection, a retry is still "connecting"; after a failure the failure stays shown.
    if (this.attempt && this.everConnected) this.setState('reconnecting');
    else this.setState(this.problem ? 'failed' : 'connecting');
    try {
      await this.connect();
    } catch (err) {
      this.fail(err);
    }
  }

  /** An attempt failed: say why, then try again (slowly when waiting will not heal it). */
  fail(err) {
    if (this.stopped) return;
    this.opts.onError?.(err);
    this.problem = problemOf(err);
    const permanent = err instanceof MediaClientError && PERMANENT_STATUSES.has(err.status);
    this.scheduleReconnect(permanent ? PERMANENT_RETRY_MS : null, permanent || !this.everConnected ? 'failed' : 'reconnecting');
  }

  /**
   * The server says the bridge carrying `endpointId` is gone (live event endpoint.moved): if that is this
   * client's endpoint, post a new offer now (it lands on a live bridge) instead of waiting for ICE to
   * notice the silence.
   */
  followMove(endpointId) {
    if (this.stopped || !this.resource || !endpointId) return;
    if (new URL(this.resource).pathname.split('/').pop() !== endpointId) return;
    this.resource = null; // already gone on the server: nothing to DELETE
    this.scheduleReconnect(0, 'reconnecting');
  }

  /** Skips the wait before the next attempt (a "try again now" button). */
  retryNow() {
    if (this.stopped || this.pc) return;
    clearTimeout(this.retryTimer);
    this.start();
  }

  async connect() {
    // The TURN servers (and this client's credential) come with the first answer: from the second
    // attempt on, a room that cannot reach the bridge directly gathers relay candidates from the start.
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: this.iceServers });
    this.pc = pc;
    if (this.opts.mode === 'whip') {
      for (const track of this.opts.stream.getTracks()) {
        const init = { direction: 'sendonly', streams: [this.opts.stream] };
        if (track.kind === 'video' && this.opts.simulcast) init.sendEncodings = SIMULCAST_ENCODINGS.map(e => ({ ...e }));
        const { sender } = pc.addTransceiver(track, init);
        if (track.kind === 'video' && this.opts.degradationPreference) await preferDegradation(sender, this.opts.degradationPreference);
      }
    } else {
      // One audio/video pair receives the program; a second pair receives the guest slot (the room
      // with the floor). Audio-only offers one audio m-line: the program's sound.
      const pairs = this.opts.audioOnly ? 1 : (this.opts.pairs || 1);
      for (let i = 0; i < pairs; i++) {
        pc.addTransceiver('audio', { direction: 'recvonly' });
        if (!this.opts.audioOnly) pc.addTransceiver('video', { direction: 'recvonly' });
      }
      this.remoteStreams = Array.from({ length: pairs }, () => new MediaStream());
      this.remoteStream = this.remoteStreams[0];
      pc.ontrack = (e) => {
        const index = pc.getTransceivers().indexOf(e.transceiver);
        const pair = this.opts.audioOnly ? 0 : Math.max(0, Math.floor(index / 2));
        this.remoteStreams[pair].addTrack(e.track);
        this.opts.onTrack?.(this.remoteStreams[pair], pair);
      };
    }
    pc.onconnectionstatechange = () => this.onConnectionState(pc);
    await pc.setLocalDescription(await pc.createOffer());
    await waitForIceGathering(pc);
    const res = await this.fetch(this.opts.url, {
      method: 'POST',
      headers: this.headers({ 'Content-Type': 'application/sdp', Accept: 'application/sdp' }),
      body: pc.localDescription.sdp,
    });
    if (res.status !== 201 && res.status !== 200) {
      pc.close();
      if (this.pc === pc) this.pc = null;
      throw new MediaClientError(res.status, `${this.opts.mode.toUpperCase()} offer refused: HTTP ${res.status}`);
    }
    const location = res.headers.get('Location');
    this.resource = location ? new URL(location, new URL(this.opts.url, window.location.href)).toString() : null;
    this.etag = res.headers.get('ETag');
    this.useIceServers(pc, iceServersFromLinks(res.headers.get('Link')));
    const answer = await res.text();
    if (this.pc !== pc || this.stopped) { pc.close(); return; }
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (err) {
      throw new MediaClientError(res.status, err.message || String(err), 'answer');
    }
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (this.pc !== pc || this.stopped || this.restarting || pc.connectionState === 'connected') return;
      this.fail(new MediaClientError(0, 'ICE/DTLS not connected in time', 'timeout'));
    }, CONNECT_TIMEOUT_MS);
  }

  /**
   * Keeps the servers for the next attempt and gives them to this connection too, whose ICE restart
   * (the first repair when it does not connect) then gathers relay candidates: the bridge is ICE-lite
   * and answers checks from any address, a TURN relay's included.
   */
  useIceServers(pc, servers) {
    if (!servers.length) return;
    this.iceServers = servers;
    try {
      pc.setConfiguration({ ...pc.getConfiguration(), iceServers: servers });
    } catch (err) {
      console.warn('ICE servers not applied', err);
    }
  }

  onConnectionState(pc) {
    if (pc !== this.pc || this.stopped) return;
    const s = pc.connectionState;
    if (s === 'connected') {
      clearTimeout(this.connectTimer);
      this.attempt = 0;
      this.everConnected = true;
      this.problem = null;
      clearTimeout(this.graceTimer);
      this.setState('connected');
    } else if (s === 'disconnected') {
      this.setState('reconnecting');
      clearTimeout(this.graceTimer);
      this.graceTimer = setTimeout(() => { if (this.pc === pc && pc.connectionState !== 'connected') this.restartIce(); }, DISCONNECT_GRACE_MS);
    } else if (s === 'failed') {
      this.setState('reconnecting');
      this.restartIce();
    }
  }

  /** ICE restart per RFC 9725 §4.3: PATCH the new credentials; fall back to a new session on refusal. */
  async restartIce() {
    const pc = this.pc;
    if (!pc || this.stopped || this.restarting) return;
    this.restarting = true;
    try {
      if (!this.resource) throw new MediaClientError(0, 'no resource to restart');
      await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
      await waitForIceGathering(pc);
      const res = await this.fetch(this.resource, {
        method: 'PATCH',
        headers: this.headers({ 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': this.etag || '*' }),
        body: sdpFragment(pc.localDescription.sdp),
      });
      if (res.status === 410) { this.replacedElsewhere(); return; }
      if (res.status !== 200 && res.status !== 204) throw new MediaClientError(res.status, `ICE restart refused: HTTP ${res.status}`);
      this.etag = res.headers.get('ETag') || this.etag;
      const frag = res.status === 200 ? await res.text() : '';
      await pc.setRemoteDescription({ type: 'answer', sdp: applyFragment(pc.remoteDescription.sdp, frag) });
      const ok = await new Promise((resolve) => {
        if (pc.connectionState === 'connected') { resolve(true); return; }
        const timer = setTimeout(() => resolve(pc.connectionState === 'connected'), RESTART_TIMEOUT_MS);
        pc.addEventListener('connectionstatechange', () => { if (pc.connectionState === 'connected') { clearTimeout(timer); resolve(true); } });
      });
      if (!ok) throw new MediaClientError(0, 'ICE restart did not reconnect');
    } catch (err) {
      this.opts.onError?.(err);
      // A new session may already have replaced this connection (stop, audio-only switch): leave it be.
      if (this.pc === pc) this.scheduleReconnect();
    } finally {
      this.restarting = false;
    }
  }

  scheduleReconnect(waitMs = null, state = null) {
    if (this.stopped) return;
    this.teardown(true);
    const steps = this.everConnected ? RECONNECT_BACKOFF_MS : BACKOFF_MS;
    const delay = (waitMs ?? steps[Math.min(this.attempt, steps.length - 1)]) * (0.8 + Math.random() * 0.4);
    this.attempt++;
    this.retryAt = Date.now() + delay;
    this.setState(state || (this.everConnected ? 'reconnecting' : 'connecting'));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.start(), delay);
  }

  /** Closes the peer connection and deletes the server resource (best effort, not awaited). */
  teardown(deleteResource) {
    clearTimeout(this.graceTimer);
    clearTimeout(this.connectTimer);
    if (this.pc) { this.pc.onconnectionstatechange = null; this.pc.close(); this.pc = null; }
    if (deleteResource && this.resource) {
      this.fetch(this.resource, { method: 'DELETE', headers: this.headers(), keepalive: true }).catch(() => {});
    }
    this.resource = null;
  }

  /** A newer page of the same room or account took this endpoint over: stop without deleting or retrying. */
  replacedElsewhere() {
    this.resource = null; // already gone on the server: nothing to DELETE
    this.stop();
    this.setState('replaced');
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.flowTimer);
    this.flowTimer = null;
    window.removeEventListener('pagehide', this.onPageHide);
    this.teardown(true);
    this.setFlowing(false);
    this.setState('closed');
  }

  /** Samples RTP progress while started; a connection without it is not "live" (see class doc). */
  startFlowWatch() {
    if (this.flowTimer) return;
    this.flowTimer = setInterval(() => this.sampleFlow().catch(() => {}), FLOW_SAMPLE_MS);
  }

  async sampleFlow() {
    const pc = this.pc;
    if (!pc || pc.connectionState !== 'connected' || this.state !== 'connected') { this.flowBytes = null; this.setFlowing(false); return; }
    const bytes = await this.mediaBytes(pc);
    const now = performance.now();
    if (pc !== this.pc) return;
    if (this.flowBytes != null && bytes > this.flowBytes) this.flowAdvancedAt = now;
    this.flowBytes = bytes;
    this.setFlowing(this.flowAdvancedAt != null && now - this.flowAdvancedAt < FLOW_STALL_MS);
  }

  /** RTP payload bytes sent (WHIP) or received on the program pair (WHEP: the first audio/video transceivers). */
  async mediaBytes(pc) {
    const report = await pc.getStats();
    const programMids = new Set(pc.getTransceivers().slice(0, this.opts.audioOnly ? 1 : 2).map((t) => t.mid));
    let bytes = 0;
    report.forEach((r) => {
      if (this.opts.mode === 'whip' && r.type === 'outbound-rtp') bytes += r.bytesSent || 0;
      if (this.opts.mode !== 'whip' && r.type === 'inbound-rtp' && (r.mid == null || programMids.has(r.mid))) bytes += r.bytesReceived || 0;
    });
    return bytes;
  }

  setFlowing(flowing) {
    if (this.flowing === flowing) return;
    this.flowing = flowing;
    if (flowing) this.everFlowed = true;
    else this.flowAdvancedAt = null;
    this.opts.onFlow?.(flowing);
  }

  /** A small summary of getStats for tiles and diagnostics; rates are since the previous call. */
  async stats() {
    if (!this.pc) return null;
    const report = await this.pc.getStats();
    const now = performance.now();
    const s = { bytes: 0, packetsLost: 0, packets: 0, framesDecoded: 0, framesSent: 0, width: 0, height: 0, fps: 0, rttMs: null, jitterMs: null };
    report.forEach((r) => {
      if (r.type === 'inbound-rtp') {
        s.bytes += r.bytesReceived || 0;
        s.packets += r.packetsReceived || 0;
        s.packetsLost += r.packetsLost || 0;
        if (r.kind === 'video') {
          s.framesDecoded = r.framesDecoded || 0; s.width = r.frameWidth || 0; s.height = r.frameHeight || 0; s.fps = r.framesPerSecond || 0;
        }
        if (r.jitter != null) s.jitterMs = Math.max(s.jitterMs || 0, r.jitter * 1000);
      } else if (r.type === 'outbound-rtp') {
        s.bytes += r.bytesSent || 0;
        s.packets += r.packetsSent || 0;
        if (r.kind === 'video') { s.framesSent = r.framesEncoded || r.framesSent || 0; s.width = r.frameWidth || 0; s.height = r.frameHeight || 0; s.fps = r.framesPerSecond || 0; }
      } else if (r.type === 'remote-inbound-rtp') {
        s.packetsLost += r.packetsLost || 0;
        if (r.roundTripTime != null) s.rttMs = r.roundTripTime * 1000;
      } else if (r.type === 'candidate-pair' && r.state === 'succeeded' && r.nominated && r.currentRoundTripTime != null) {
        s.rttMs = s.rttMs ?? r.currentRoundTripTime * 1000;
      }
    });
    const prev = this.lastStats;
    s.bitrateKbps = prev ? Math.max(0, ((s.bytes - prev.bytes) * 8) / (now - prev.at)) : 0;
    const dp = prev ? (s.packets - prev.packets) + (s.packetsLost - prev.packetsLost) : s.packets + s.packetsLost;
    s.lossPct = dp > 0 ? (100 * (s.packetsLost - (prev ? prev.packetsLost : 0))) / dp : 0;
    this.lastStats = { ...s, at: now };
    return s;
  }
}

/** An input level meter for a local stream: writes 0–100 % to el's first child width. */
export function levelMeter(stream, el) {
  if (!stream.getAudioTracks().length || !window.AudioContext) return () => {};
  const ac = new AudioContext();
  const src = ac.createMediaStreamSource(stream);
  const an = ac.createAnalyser();
  an.fftSize = 512;
  src.connect(an);
  const buf = new Uint8Array(an.fftSize);
  let raf = 0;
  const tick = () => {
    an.getByteTimeDomainData(buf);
    let peak = 0;
    for (const v of buf) peak = Math.max(peak, Math.abs(v - 128));
    const pct = Math.min(100, Math.round((peak / 128) * 140));
    el.firstElementChild.style.width = `${pct}%`;
    el.setAttribute('aria-valuenow', String(pct));
    raf = requestAnimationFrame(tick);
  };
  tick();
  return () => { cancelAnimationFrame(raf); ac.close(); };
}

/** Plays a media element, unmuted if the browser allows it, else muted; resolves to 'sound' or 'muted'. */
export async function autoplay(video) {
  video.muted = false;
  try {
    await video.play();
    return 'sound';
  } catch (err) {
    if (err.name !== 'NotAllowedError') throw err;
    video.muted = true;
    await video.play();
    return 'muted';
  }
}

export async function listDevices() {
  const all = await navigator.mediaDevices.enumerateDevices();
  return { cameras: all.filter((d) => d.kind === 'videoinput'), microphones: all.filter((d) => d.kind === 'audioinput') };
}
