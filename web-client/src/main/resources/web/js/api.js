/**
 * The one place that talks HTTP to control-api. Every endpoint the pages use is listed at the
 * bottom; those marked WAITING follow the agreed shape but were written before their route landed,
 * so wiring a changed route means editing only this file.
 *
 * Failures come back as ApiError: status, the problem+json body, and fieldErrors (field -> messages)
 * so forms can show each message beside its field. A network failure is retried with backoff; the
 * caller's form is never touched here, so nothing typed is lost when every retry fails.
 */
import { clearPersonalData } from './drafts.js';

const AUTH_KEY = 'crl.auth';
const RETRY_DELAYS_MS = [400, 1200, 3000];

export class ApiError extends Error {
  constructor(status, problem, { network = false } = {}) {
    super((problem && (problem.detail || problem.title)) || (network ? 'network error' : `HTTP ${status}`));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || {};
    this.network = network;
    this.fieldErrors = {};
    for (const e of this.problem.errors || []) (this.fieldErrors[e.field || ''] ||= []).push(e.message);
  }
}

const authListeners = new Set();

export const auth = {
  get() {
    // expiresAt is not compared with this computer's clock: a room PC's clock may be wrong by
    // hours. The server's 401 is what ends a sign-in.
    try {
      return JSON.parse(localStorage.getItem(AUTH_KEY) || 'null');
    } catch {
      return null;
    }
  },
  set(v) {
    localStorage.setItem(AUTH_KEY, JSON.stringify(v));
    authListeners.forEach((fn) => fn(v));
  },
  clear() {
    localStorage.removeItem(AUTH_KEY);
    authListeners.forEach((fn) => fn(null));
  },
  token() {
    return this.get()?.token || null;
  },
  user() {
    return this.get()?.user || null;
  },
  onChange(fn) {
    authListeners.add(fn);
    return () => authListeners.delete(fn);
  },
};

/** Emits crl:network events ({detail: {state: 'retrying'|'ok'|'offline'}}) for the status banner. */
function networkState(state, attempt) {
  window.dispatchEvent(new CustomEvent('crl:network', { detail: { state, attempt } }));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function newIdempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/**
 * request(method, path, opts): opts.json (body as JSON), opts.body + opts.contentType (raw body),
 * opts.query (object), opts.token (overrides the signed-in token, e.g. a room join token),
 * opts.accept, opts.blob (answer a binary body as {blob}), opts.retry (default true: network
 * errors are retried; a POST carries an Idempotency-Key so a retried create cannot register
 * twice), opts.signal.
 */
export async function request(method, path, opts = {}) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(opts.query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const headers = { Accept: opts.accept || 'application/json, application/problem+json' };
  const token = opts.token !== undefined ? opts.token : auth.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = opts.contentType || 'text/plain';
    body = opts.body;
  }
  if (method === 'POST') headers['Idempotency-Key'] = newIdempotencyKey();
  Object.assign(headers, opts.headers || {});

  const maxAttempts = opts.retry === false ? 1 : RETRY_DELAYS_MS.length + 1;
  let res;
  for (let attempt = 1; ; attempt++) {
    try {
      res = await fetch(url, { method, headers, body, signal: opts.signal, cache: 'no-store' });
      if (attempt > 1) networkState('ok');
      break;
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      if (attempt >= maxAttempts) {
        networkState('offline');
        throw new ApiError(0, null, { network: true });
      }
      networkState('retrying', attempt);
      await sleep(RETRY_DELAYS_MS[attempt - 1] * (0.8 + Math.random() * 0.4));
    }
  }
  return parse(res, path, opts.token === undefined, opts.blob === true);
}

/** storedToken: the request used the signed-in token, so a 401 ends that sign-in (a join token's does not). */
async function parse(res, path, storedToken, asBlob) {
  const type = res.headers.get('Content-Type') || '';
  if (!res.ok) {
    let problem = null;
    if (type.includes('json')) {
      try { problem = await res.json(); } catch { problem = null; }
    }
    const err = new ApiError(res.status, problem);
    if (res.status === 401 && storedToken && !path.endsWith('/auth/login')) {
      auth.clear();
      window.dispatchEvent(new CustomEvent('crl:unauthorized'));
    }
    throw err;
  }
  if (res.status === 204) return null;
  if (type.includes('json')) return res.json();
  if (asBlob) return { blob: await res.blob(), contentType: type };
  const text = await res.text();
  return { text, location: res.headers.get('Location'), contentType: type };
}

const get = (p, o) => request('GET', p, o);
// PATCH and POST bodies are sent once per attempt with the same Idempotency-Key (see request).
const post = (p, json, o) => request('POST', p, { ...o, json });
const patch = (p, json, o) => request('PATCH', p, { ...o, json });
const del = (p, o) => request('DELETE', p, o);
const enc = encodeURIComponent;

/** Lists come back either as an array or wrapped ({sessions: [...]}, {petitions: [...]}…): pages get an array. */
export function items(body) {
  if (Array.isArray(body)) return body;
  for (const key of ['items', 'sessions', 'petitions', 'rooms', 'schedules', 'annotations', 'versions', 'queue']) {
    if (body && Array.isArray(body[key])) return body[key];
  }
  return [];
}

const ifMatch = (version) => (version != null ? { 'If-Match': `"${version}"` } : {});

export const api = {
  // Auth: {token, expiresAt, user:{id, username, displayName, role, roomCode, disabled}}.
  login: (username, password) => post('/api/v1/auth/login', { username, password }, { token: null, retry: false }),
  /**
   * Signing out clears the drafts (petitioners' personal data) whether or not the server answers:
   * before the request, and again after it, since a draft typed just before the click is saved
   * by a timer that may fire while the request is under way.
   */
  logout: async () => {
    clearPersonalData();
    try {
      return await post('/api/v1/auth/logout', undefined, { retry: false });
    } finally {
      clearPersonalData();
    }
  },
  me: () => get('/api/v1/auth/me'),
  changePassword: (currentPassword, newPassword) => post('/api/v1/auth/password', { currentPassword, newPassword }, { retry: false }),

  // Rooms: a flat list of {code, name, level, parentCode, validFrom, validTo, predecessors, successors}.
  rooms: (token) => get('/api/v1/rooms', { token }),
  /** 200 {rows, created, updated, retired}; 422 errors[] = {field: column, message: "line N: …"}. */
  /** Merge patch of name, level, parentCode, validFrom, validTo (null clears a date). */
  updateRoom: (code, changes) => patch(`/api/v1/rooms/${enc(code)}`, changes),
  /** Rooms are retired from a last day (default today), never deleted; 409 while rooms below stay valid. */
  retireRoom: (code, validTo) => del(`/api/v1/rooms/${enc(code)}`, { query: { validTo } }),
  importRooms: (csvText) => request('POST', '/api/v1/rooms/import', { body: csvText, contentType: 'text/csv; charset=utf-8', retry: false }),

  // Users: {id, username, displayName, role, roomCode, disabled}; PATCH displayName/role/roomCode/password/disabled.
  users: () => get('/api/v1/users'),
  createUser: (u) => post('/api/v1/users', u),
  updateUser: (id, changes) => patch(`/api/v1/users/${enc(id)}`, changes),
  /** 204 (null) when deleted; 200 with the account when history refers to it and it was disabled instead. */
  deleteUser: (id) => del(`/api/v1/users/${enc(id)}`),
  /** {revoked: n}: every sign-in of the account ends; its password stays. */
  endUserSessions: (id) => del(`/api/v1/users/${enc(id)}/sessions`),

  // Audit log: {entries:[{seq, at, actorUsername, actorRole, remoteAddress, action, entityType, entityId, detail}],
  // nextBefore}; query actor, action (or a family ending in '.'), from, to (instants), before, limit.
  audit: (query) => get('/api/v1/audit', { query }),
  /** {valid, entries, firstBrokenSeq?, problem?}: the whole hash chain recomputed. */
  auditVerify: () => get('/api/v1/audit/verify'),

  // Sessions: {id, title, scheduledStart, scheduledEnd, presidingOfficial, hostRoomCode, invitation, mode,
  // recording, state, floorRoomCode, version, invitedRoomCount}; list {sessions} from/to/state/limit.
  sessions: (query) => get('/api/v1/sessions', { query }),
  session: (id, token) => get(`/api/v1/sessions/${enc(id)}`, { token }),
  createSession: (s) => post('/api/v1/sessions', s),
  updateSession: (id, changes) => patch(`/api/v1/sessions/${enc(id)}`, changes),
  setSessionState: (id, state, reason) => post(`/api/v1/sessions/${enc(id)}/state`, { state, reason: reason || null }),
  startSession: (id) => api.setSessionState(id, 'LIVE'),
  endSession: (id) => api.setSessionState(id, 'ENDED'),
  cancelSession: (id, reason) => api.setSessionState(id, 'CANCELLED', reason),
  /** {sessionId, rooms: [codes]} — the host's room included. */
  invitedRooms: (id, token) => get(`/api/v1/sessions/${enc(id)}/rooms`, { token }),
  /** {revoked: n}: every join link of the room for this session stops working. */
  revokeJoinTokens: (id, roomCode) => del(`/api/v1/sessions/${enc(id)}/rooms/${enc(roomCode)}/join-token`),
  joinToken: (id, roomCode) => post(`/api/v1/sessions/${enc(id)}/rooms/${enc(roomCode)}/join-token`),
  /** Every invited room's link at once, or body.rooms only ({joinUrlBase, rooms, replaceEarlier}) ->
   * {sessionId, count, revokedEarlier, links:[{roomCode, roomName, level, url, qrSvg, token, expiresAt}]}. */
  joinLinks: (id, body) => post(`/api/v1/sessions/${enc(id)}/join-tokens`, body, { retry: false }),

  // Recurring schedules: creating one generates its sessions up to the horizon.
  schedules: () => get('/api/v1/session-schedules'),
  createSchedule: (s) => post('/api/v1/session-schedules', s),
  /** Nothing stored: {from, to, onNonWorkingDay, occurrences:[{ruleDate, date, outcome KEPT|MOVED|SKIPPED|COINCIDES,
   * reasons:[{date, kind WEEKEND|HOLIDAY, dayOfWeek, holiday}]}], holidayTableLastYear, warnings:[{code, year, openEnded}]}. */
  previewSchedule: (s) => post('/api/v1/session-schedules/preview', s, { retry: false }),
  /** The leaders list: {leaders:[{id, name, position, active, createdAt, filedFrom}]}; administrators keep it. */
  leaders: () => get('/api/v1/leaders'),
  createLeader: (l) => post('/api/v1/leaders', l),
  updateLeader: (id, changes) => patch(`/api/v1/leaders/${enc(id)}`, changes),

  // Attendance: {invited, present, absent, late, leftEarly, rooms:[{roomCode, roomName, presence, connectedNow,
  // firstConnected, lastDisconnected, minutesConnected, officials, citizens}]}.
  attendance: (id) => get(`/api/v1/sessions/${enc(id)}/attendance`),
  attendanceCsv: (id) => get(`/api/v1/sessions/${enc(id)}/attendance.csv`, { accept: 'text/csv' }),
  addOfficial: (id, room, official, token) => post(`/api/v1/sessions/${enc(id)}/rooms/${enc(room)}/officials`, official, { token }),
  removeOfficial: (id, room, officialId, token) => del(`/api/v1/sessions/${enc(id)}/rooms/${enc(room)}/officials/${enc(officialId)}`, { token }),
  setCitizens: (id, room, citizens, token) => request('PUT', `/api/v1/sessions/${enc(id)}/rooms/${enc(room)}/citizens`, { json: { citizens }, token }),
  // A room's simulcast layer: 'low' | 'middle' | 'top' | 'auto' (its bandwidth chooses).
  pinLayer: (id, room, layer, token) => request('PUT', `/api/v1/sessions/${enc(id)}/rooms/${enc(room)}/layer`, { json: { layer }, token }),

  // Hand raise and floor: {sessionId, floorRoomCode, queue:[{roomCode, raisedAt}]}.
  floor: (id, token) => get(`/api/v1/sessions/${enc(id)}/floor`, { token }),
  raiseHand: (id, roomCode, token) => post(`/api/v1/sessions/${enc(id)}/hands`, { roomCode }, { token }),
  lowerHand: (id, roomCode, token) => del(`/api/v1/sessions/${enc(id)}/hands/${enc(roomCode)}`, { token }),
  grantFloor: (id, roomCode) => post(`/api/v1/sessions/${enc(id)}/floor`, { roomCode }),
  revokeFloor: (id) => del(`/api/v1/sessions/${enc(id)}/floor`),
  // The stage: {sessionId, layout: SPEAKER_ONLY | CONTENT_BESIDE_SPEAKER | CONTENT_INSTEAD_OF_SPEAKER,
  // content: null | {sharedBy: HOST | ROOM, roomCode}}; the live event stage.changed carries the same.
  stage: (id, token) => get(`/api/v1/sessions/${enc(id)}/stage`, { token }),
  setStageLayout: (id, layout) => request('PUT', `/api/v1/sessions/${enc(id)}/stage/layout`, { json: { layout } }),
  stopContent: (id) => del(`/api/v1/sessions/${enc(id)}/stage/content`),

  // Room messages: RoomMessage {id, sessionId, roomCode, replyTo, quick, body, fromRoom, authorName, createdAt, petitionId}.
  sendRoomMessage: (id, room, body, token) => post(`/api/v1/sessions/${enc(id)}/rooms/${enc(room)}/messages`, body, { token }),
  roomMessages: (id, room, token) => get(`/api/v1/sessions/${enc(id)}/rooms/${enc(room)}/messages`, { token }),
  sessionMessages: (id) => get(`/api/v1/sessions/${enc(id)}/messages`),
  replyMessage: (id, messageId, text) => post(`/api/v1/sessions/${enc(id)}/messages/${enc(messageId)}/replies`, { text }),
  /** {message, petition}: a petition draft (RECEIVED) from a room's message; once per message. */
  fileMessage: (id, messageId, petition) => post(`/api/v1/sessions/${enc(id)}/messages/${enc(messageId)}/petition`, petition),

  // Petitions: PetitionView {id, registerNumber, sessionId, originRoomCode, kind, headCount, groupCase,
  // personalData, petitioners, summary, requests, priorHandling, handlerAgency, status, receivedOn,
  // deadlines, nextDueOn, overdue, version, createdAt}.
  petitions: (query) => get('/api/v1/petitions', { query }),
  sessionPetitions: (id, token) => get(`/api/v1/sessions/${enc(id)}/petitions`, { token }),
  /** {petition, statusHistory, annotations, splitInto}; reveal=true is audited. */
  petition: (id, reveal) => get(`/api/v1/petitions/${enc(id)}`, { query: reveal ? { reveal: 'true' } : undefined }),
  registerPetition: (sessionId, p) => post(`/api/v1/sessions/${enc(sessionId)}/petitions`, p),
  /** 409 carries {current, yours, currentVersion} for the merge. */
  updatePetition: (id, version, changes) => patch(`/api/v1/petitions/${enc(id)}`, { ...changes, version }, { headers: ifMatch(version) }),
  changeStatus: (id, version, status, reason) => post(`/api/v1/petitions/${enc(id)}/status`, { status, reason: reason || null, version }),
  annotate: (id, version, text) => post(`/api/v1/petitions/${enc(id)}/annotations`, { text, version }),
  /** {versions:[{version, changedAt, changedBy, change, snapshot:{petition, annotations}}]}; a denunciation needs reveal (audited). */
  petitionVersions: (id, reveal) => get(`/api/v1/petitions/${enc(id)}/versions`, { query: reveal ? { reveal: 'true' } : undefined }),
  /** LTC Art. 30(1): {deadlineKind, days, decisionReference, decidedOn, version} -> the petition with its new deadlines. */
  extendDeadline: (id, version, extension) => post(`/api/v1/petitions/${enc(id)}/extensions`, { ...extension, version }),
  /** LTCD Art. 25(3): parts [{kind, summary, ...}] -> {parts:[PetitionView]}; the original is filed. */
  splitPetition: (id, version, parts) => post(`/api/v1/petitions/${enc(id)}/split`, { version, parts }),
  petitionsCsv: (query) => get('/api/v1/petitions.csv', { query, accept: 'text/csv' }),
  /** A report (kind: review-fortnight, six-months or period) for {from, to, unit}; see ReportService. */
  report: (kind, query) => get(`/api/v1/reports/${enc(kind)}`, { query }),
  /** The same report as CSV: {text}. */
  reportCsv: (kind, query) => get(`/api/v1/reports/${enc(kind)}.csv`, { query, accept: 'text/csv' }),
  /** The report as PDF/A in lang (vi|en): {blob, contentType}. */
  reportPdf: (kind, query, lang) => get(`/api/v1/reports/${enc(kind)}.pdf`, { query: { ...query, lang }, accept: 'application/pdf', blob: true }),
  /** The handling after acceptance: {status, version, due:{kind, dueOn, legalBasis}, overdue, allowedSteps, steps, links}. */
  caseFile: (id) => get(`/api/v1/petitions/${enc(id)}/steps`),
  /** {step, effectiveOn, agencyId|unitCode, sessionId, decisionNumber, signer, outcome, handling, noticeMethod, note, version} -> the case file. */
  recordStep: (id, step) => post(`/api/v1/petitions/${enc(id)}/steps`, step),
  linkPetition: (id, link) => post(`/api/v1/petitions/${enc(id)}/links`, link),
  /** The number goes in the body, never in a URL; the search is audited without it. */
  caseHistory: (idNumber) => post('/api/v1/petitions/case-history', { idNumber }),
  agencies: (activeOnly) => get('/api/v1/agencies', { query: activeOnly ? { active: 'true' } : undefined }),
  createAgency: (agency) => post('/api/v1/agencies', agency),
  updateAgency: (id, changes) => patch(`/api/v1/agencies/${enc(id)}`, changes),

  /** WebSocket URL of a session's live events; the token rides in the query (browsers cannot set headers). */
  /** The events socket's URL; the token goes as its first message (live.js), never in the URL. */
  eventsUrl(id) {
    const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${window.location.host}/api/v1/sessions/${enc(id)}/events`;
  },
};

/** Media endpoints (control-api media.WhipWhepController): 201 + Location /whip|whep/{session}/{endpoint}. */
export const media = {
  whipUrl: (sessionId) => `/whip/${enc(sessionId)}`,
  /** A shared screen into the stage's content slot (the host, or the room holding the floor). */
  whipContentUrl: (sessionId) => `/whip/${enc(sessionId)}/content`,
  whepUrl: (sessionId) => `/whep/${enc(sessionId)}`,
};
