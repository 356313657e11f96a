import { api, auth, items } from '../api.js';
import { h, field, replace, clear, busy, formValues, fillForm, announce } from '../dom.js';
import { t, fmtDateTime, fmtTime, fmtDate, onLangChange } from '../i18n.js';
import { describe, showErrors, clearErrors, formError, setFieldError, translateMessage } from '../errors.js';
import { connectEvents } from '../live.js';
import { staffMessageBox } from '../room-messages.js';
import { sessionPicker, stateBadge } from '../sessions.js';
import { canSeePersonal } from '../mask.js';
import { PETITION_KINDS, PETITION_STATUSES, CASE_STEPS, STATUSES_NEEDING_REASON, kindKey, statusKey, GROUP_MIN, maxRepresentatives, petitioners, dueDate, registerNo } from './petition-model.js';
import { flattenRooms, roomTree } from './admin.js';
import { showVersions, extendDeadline, splitPetition, currentDeadline } from './petition-actions.js';
import { archiveLinks } from '../recording.js';
import { showCaseFile } from './case-file.js';

const DRAFT_KEY = (sessionId) => `crl.draft.petition.${sessionId}`;
const PERSON_FIELDS = ['name', 'idNumber', 'address'];

export async function render(ctx) {
  const sessionId = ctx.params[0];
  if (!sessionId) return sessionPicker(ctx.main, 'secretary.pick', (s) => `#/secretary/${s.id}`, archiveLinks);
  return new SecretaryConsole(ctx, sessionId).mount();
}

class SecretaryConsole {
  constructor(ctx, sessionId) {
    this.ctx = ctx;
    this.user = ctx.user;
    this.sessionId = sessionId;
    this.petitions = new Map();
    this.revealed = new Map(); // petition id -> unmasked petitioners (each reveal is audited by the server)
    this.details = new Map(); // petition id -> {annotations, statusHistory}, loaded when opened
    this.openDetails = new Set();
    this.rooms = [];
    this.floorRoom = null;
    this.originTouched = false;
  }

  async mount() {
    const { main } = this.ctx;
    this.header = h('div', { class: 'room-status' }, h('h1', { i18n: 'secretary.title' }));
    this.liveState = h('span', { class: 'state connecting', id: 'live-state', i18n: 'live.connecting' });
    main.append(this.header);
    main.append(h('p', { class: 'kbd-hint', id: 'kbd-hint' }, h('span', { i18n: 'secretary.keys' })));
    this.registerBox = h('ol', { class: 'register', id: 'register', 'aria-live': 'polite', 'aria-relevant': 'additions' });
    this.count = h('span', { class: 'badge', id: 'register-count', i18n: 'secretary.count', args: { n: 0 } });
    this.form = this.buildForm();
    this.messages = staffMessageBox({ sessionId: this.sessionId, roomName: (code) => this.roomName(code), canFile: true });
    main.append(h('div', { class: 'grid-2' },
      this.form,
      h('section', { 'aria-labelledby': 'register-title' },
        h('div', { class: 'room-status' }, h('h2', { id: 'register-title', i18n: 'secretary.register' }), this.count, this.liveState),
        this.registerBox, this.messages.element)));

    await Promise.all([this.loadSession(), this.loadRooms()]);
    this.restoreDraft();
    await this.loadPetitions();
    this.messages.load();
    this.events = connectEvents(this.sessionId, { onEvent: (e) => this.onEvent(e), onState: (s) => this.onLiveState(s) });
    this.keyHandler = (e) => this.onKey(e);
    document.addEventListener('keydown', this.keyHandler);
    const offLang = onLangChange(() => this.redrawRegister());
    this.kindRadio().focus();
    return () => { this.events.close(); document.removeEventListener('keydown', this.keyHandler); offLang(); };
  }

  async loadSession() {
    try {
      this.session = await api.session(this.sessionId);
      this.header.append(h('span', { class: 'muted' }, this.session.title), this.stateBadge = stateBadge(this.session.state), archiveLinks(this.session));
      this.floorRoom = this.session.floorRoomCode || null;
    } catch (err) {
      this.header.append(h('p', { class: 'notice warn' }, describe(err)));
    }
  }

  async loadRooms() {
    try { this.rooms = flattenRooms(roomTree(items(await api.rooms()))); } catch { this.rooms = []; }
    let invited = null;
    try { invited = (await api.invitedRooms(this.sessionId)).rooms || null; } catch { /* every room then */ }
    const select = this.form.elements.originRoomCode;
    replace(select, h('option', { value: '', i18n: 'secretary.chooseRoom' }),
      this.rooms.filter((r) => !invited || invited.includes(r.code) || r.level === 'PROVINCE')
        .map((r) => h('option', { value: r.code }, `${'\u00a0\u00a0'.repeat(r.depth)}${r.name}`)));
    this.applyFloorDefault();
  }

  applyFloorDefault() {
    const select = this.form.elements.originRoomCode;
    if (!this.originTouched && this.floorRoom) select.value = this.floorRoom;
    this.floorNote.hidden = !this.floorRoom;
    if (this.floorRoom) {
      this.floorNote.dataset.i18nArgs = JSON.stringify({ room: this.roomName(this.floorRoom) });
      this.floorNote.textContent = t('secretary.onFloor', { room: this.roomName(this.floorRoom) });
    }
  }

  roomName(code) {
    return this.rooms.find((r) => r.code === code)?.name || code || '';
  }

  /* ---------------- entry form ---------------- */

  buildForm() {
    const kinds = h('fieldset', { class: 'kind-fieldset', dataset: { field: 'kind' } },
      h('legend', { i18n: 'pet.kind' }),
      h('div', { class: 'kind-group' }, PETITION_KINDS.map(([value, key], i) => h('label', {},
        h('input', { type: 'radio', name: 'kind', value, checked: i === 0 }), ' ', h('span', { i18n: key }), ' ', h('kbd', {}, String(i + 1))))),
      h('p', { class: 'field-error' }));
    this.people = h('div', { class: 'people' });
    this.groupBox = h('div', { class: 'group-box', hidden: true },
      field({ name: 'headCount', label: 'pet.headCount', type: 'number', attrs: { min: GROUP_MIN, inputmode: 'numeric' }, hint: 'pet.groupHint' }));
    const addPerson = h('button', { type: 'button', class: 'btn btn-quiet', id: 'add-person', i18n: 'pet.addPerson', onClick: () => { this.addPersonRow(); this.personRows().at(-1).querySelector('input').focus(); } });
    this.floorNote = h('p', { class: 'hint', hidden: true });
    this.submit = h('button', { type: 'submit', class: 'btn btn-big', i18n: 'secretary.save' });
    this.draftNote = h('p', { class: 'hint', id: 'draft-note', 'aria-live': 'polite' });
    this.saveStatus = h('p', { class: 'notice ok', id: 'save-status', role: 'status', hidden: true });
    const form = h('form', { class: 'panel', id: 'petition-form', novalidate: true, 'aria-labelledby': 'entry-title' },
      h('h2', { id: 'entry-title', i18n: 'secretary.newPetition' }),
      formError(),
      kinds,
      field({ name: 'complaintRound', label: 'pet.complaintRound', type: 'select', options: [{ value: '1', i18n: 'pet.round.1' }, { value: '2', i18n: 'pet.round.2' }] }),
      field({ name: 'groupCase', label: 'pet.groupCase', type: 'checkbox', hint: 'pet.groupCaseHint' }),
      this.groupBox,
      h('fieldset', { dataset: { field: 'petitioners' } }, h('legend', { class: 'people-legend', i18n: 'pet.petitioners' }), this.people, addPerson, h('p', { class: 'field-error' })),
      field({ name: 'originRoomCode', label: 'pet.originRoom', type: 'select', options: [] }),
      this.floorNote,
      field({ name: 'summary', label: 'pet.summary', type: 'textarea', required: true, rows: 4 }),
      field({ name: 'requests', label: 'pet.requests', type: 'textarea', rows: 3 }),
      field({ name: 'priorHandling', label: 'pet.earlierHandling', type: 'textarea', rows: 2 }),
      h('div', { class: 'actions' }, this.submit, h('span', { class: 'kbd-hint' }, h('kbd', {}, 'Ctrl+Enter')),
        h('button', { type: 'button', class: 'btn btn-quiet', i18n: 'secretary.clear', onClick: () => this.resetForm(true) })),
      this.saveStatus,
      this.draftNote);
    this.addPersonRow();
    form.elements.groupCase.addEventListener('change', () => this.syncGroup());
    form.addEventListener('change', (e) => { if (e.target.name === 'kind') this.syncKind(); });
    form.elements.originRoomCode.addEventListener('change', () => { this.originTouched = true; });
    form.addEventListener('input', () => this.saveDraft());
    form.addEventListener('change', () => this.saveDraft());
    form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    return form;
  }

  personRows() {
    return [...this.people.querySelectorAll('.person')];
  }

  addPersonRow(values = {}) {
    const i = this.personRows().length;
    const row = h('div', { class: 'person inline', dataset: { index: i } },
      // The server requires each listed person's name and address (PetitionRules, LTCD Art. 25(2)).
      field({ name: `p${i}.name`, label: 'pet.name', required: true, value: values.name, attrs: { autocomplete: 'off' } }),
      field({ name: `p${i}.idNumber`, label: 'pet.idNumber', value: values.idNumber, attrs: { autocomplete: 'off', inputmode: 'numeric' } }),
      field({ name: `p${i}.address`, label: 'pet.address', required: true, value: values.address, attrs: { autocomplete: 'off' } }));
    this.people.append(row);
    return row;
  }

  syncKind() {
    const kind = this.form.querySelector('input[name="kind"]:checked')?.value;
    this.form.elements.complaintRound.closest('.field').hidden = kind !== 'COMPLAINT';
  }

  syncGroup() {
    const group = this.form.elements.groupCase.checked;
    this.groupBox.hidden = !group;
    const legend = this.form.querySelector('.people-legend');
    legend.dataset.i18n = group ? 'pet.representatives' : 'pet.petitioners';
    legend.textContent = t(legend.dataset.i18n);
  }

  /** The body of POST /sessions/{id}/petitions (PetitionInput). */
  collect() {
    const v = formValues(this.form);
    const people = this.personRows().map((_, i) => Object.fromEntries(PERSON_FIELDS.map((f) => [f, (v[`p${i}.${f}`] || '').trim() || null])))
      .filter((p) => p.name || p.idNumber || p.address)
      .map((p) => ({ ...p, representative: !!v.groupCase }));
    const body = {
      kind: v.kind,
      originRoomCode: v.originRoomCode || null,
      petitioners: people,
      summary: v.summary.trim(),
      requests: v.requests.trim() || null,
      priorHandling: v.priorHandling.trim() || null,
    };
    if (v.kind === 'COMPLAINT') body.complaintRound = Number(v.complaintRound) || 1;
    if (v.groupCase) body.headCount = Number(v.headCount) || null;
    return body;
  }

  /**
   * Client checks that mirror the server's (PetitionRules, PetitionService.merge), so the secretary
   * hears of every missing field at once and before the server does: [field, key, args] in form order.
   */
  validate(body) {
    const problems = [];
    if (!body.kind) problems.push(['kind', 'err.required']);
    if (this.form.elements.groupCase.checked) {
      if (!body.headCount || body.headCount < GROUP_MIN) problems.push(['headCount', 'pet.groupTooSmall', { min: GROUP_MIN }]);
      else {
        const max = maxRepresentatives(body.headCount);
        if (body.petitioners.length > max) problems.push(['petitioners', 'pet.tooManyRepresentatives', { max, n: body.headCount }]);
      }
    }
    const v = formValues(this.form);
    const rows = this.personRows().map((_, i) => i).filter((i) => PERSON_FIELDS.some((f) => (v[`p${i}.${f}`] || '').trim()));
    for (const i of rows.length ? rows : [0]) {
      for (const f of ['name', 'address']) if (!(v[`p${i}.${f}`] || '').trim()) problems.push([`p${i}.${f}`, 'err.required']);
    }
    if (!body.summary) problems.push(['summary', 'err.required']);
    return problems;
  }

  async save() {
    if (this.saving) return; // a second Ctrl+Enter while the first is on its way must not register twice
    clearErrors(this.form);
    this.saveStatus.hidden = true;
    const body = this.collect();
    const problems = this.validate(body);
    if (problems.length) {
      // In reverse, so the focus ends on the first field to fix.
      [...problems].reverse().forEach(([name, key, args]) => setFieldError(this.form, name, key, args));
      return;
    }
    this.saving = true;
    busy(this.submit, true);
    let created;
    try {
      created = await api.registerPetition(this.sessionId, body);
    } catch (err) {
      // Field names from the server may be petitioners[0].name: map them onto the row inputs.
      const aliases = {};
      for (const k of Object.keys(err.fieldErrors || {})) {
        const m = k.match(/^(?:petitioners|representatives)\[(\d+)\]\.(\w+)$/);
        if (m) aliases[k] = `p${m[1]}.${m[2]}`;
      }
      showErrors(this.form, err, { fieldAliases: aliases });
      this.draftNote.dataset.i18n = 'secretary.keptDraft';
      this.draftNote.textContent = t('secretary.keptDraft');
      return;
    } finally {
      this.saving = false;
      busy(this.submit, false);
    }
    // Saved. Only the answer above decides that: nothing drawn from here on may report it as unsaved.
    this.discardDraft();
    this.upsert(created, true);
    this.resetForm(false);
    this.saveStatus.dataset.i18n = 'secretary.saved';
    this.saveStatus.dataset.i18nArgs = JSON.stringify({ no: registerNo(created) });
    this.saveStatus.textContent = t('secretary.saved', { no: registerNo(created) });
    this.saveStatus.hidden = false;
  }

  resetForm(ask) {
    if (ask && !confirm(t('secretary.clearConfirm'))) return;
    this.form.reset();
    clearErrors(this.form);
    clear(this.people);
    this.addPersonRow();
    this.syncGroup();
    this.syncKind();
    this.originTouched = false;
    this.applyFloorDefault();
    this.discardDraft();
    this.kindRadio().focus();
  }

  /** The chosen kind's radio (the first when none is chosen): where Alt+N and a new petition start. */
  kindRadio() {
    const radios = [...this.form.querySelectorAll('input[name="kind"]')];
    const checked = radios.find((r) => r.checked);
    if (!checked) { radios[0].checked = true; this.syncKind(); }
    return checked || radios[0];
  }

  /** Forgets the draft, a write still waiting for its debounce included (it would bring the saved petition back). */
  discardDraft() {
    clearTimeout(this.draftTimer);
    localStorage.removeItem(DRAFT_KEY(this.sessionId));
    delete this.draftNote.dataset.i18n;
    this.draftNote.textContent = '';
  }

  saveDraft() {
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => {
      // Signed out meanwhile: the petitioner's data typed here must not stay on this PC.
      const owner = auth.user()?.username;
      if (!owner) return;
      localStorage.setItem(DRAFT_KEY(this.sessionId), JSON.stringify({ owner, rows: this.personRows().length, values: formValues(this.form), savedAt: new Date().toISOString() }));
      this.draftNote.dataset.i18n = 'secretary.draftSaved';
      this.draftNote.textContent = t('secretary.draftSaved');
    }, 300);
  }

  restoreDraft() {
    const raw = localStorage.getItem(DRAFT_KEY(this.sessionId));
    if (!raw) return;
    try {
      const { owner, rows, values } = JSON.parse(raw);
      // Restored only for the account that typed it: another user of a shared PC never sees it.
      if (owner !== auth.user()?.username) { localStorage.removeItem(DRAFT_KEY(this.sessionId)); return; }
      while (this.personRows().length < rows) this.addPersonRow();
      fillForm(this.form, values);
      if (values.originRoomCode) this.originTouched = true;
      this.syncGroup();
      this.syncKind();
      this.draftNote.dataset.i18n = 'secretary.draftRestored';
      this.draftNote.textContent = t('secretary.draftRestored');
    } catch { /* a broken draft is ignored, not fatal */ }
  }

  onKey(e) {
    if (e.ctrlKey && e.key === 'Enter' && this.form.contains(document.activeElement)) { e.preventDefault(); this.save(); return; }
    // Alt+digit switches browser tabs on Linux, so kinds are picked by digit inside the kind group
    // and cycled with Alt+K from anywhere in the form.
    const radios = [...this.form.querySelectorAll('input[name="kind"]')];
    const pick = (radio) => { radio.checked = true; radio.focus(); this.syncKind(); this.saveDraft(); };
    if (!e.altKey && !e.ctrlKey && /^[1-4]$/.test(e.key) && radios.includes(document.activeElement)) {
      e.preventDefault();
      pick(radios[Number(e.key) - 1]);
      return;
    }
    if (e.altKey && (e.key === 'k' || e.key === 'K')) {
      e.preventDefault();
      const i = radios.findIndex((r) => r.checked);
      pick(radios[(i + 1) % radios.length]);
      return;
    }
    if (e.altKey && (e.key === 'g' || e.key === 'G')) { e.preventDefault(); const g = this.form.elements.groupCase; g.checked = !g.checked; this.syncGroup(); g.focus(); this.saveDraft(); return; }
    if (e.altKey && (e.key === 'n' || e.key === 'N')) { e.preventDefault(); this.kindRadio().focus(); }
  }

  /* ---------------- live register ---------------- */

  async loadPetitions() {
    try {
      items(await api.sessionPetitions(this.sessionId)).forEach((p) => this.petitions.set(String(p.id), p));
      this.redrawRegister();
    } catch (err) {
      replace(this.registerBox, h('li', { class: 'notice warn' }, describe(err)));
    }
  }

  onLiveState(state) {
    const key = { connecting: 'live.connecting', open: 'live.open', reconnecting: 'live.reconnecting', closed: 'live.closed', 'signed-out': 'live.signedOut' }[state];
    this.liveState.className = `state ${state === 'open' ? 'connected' : state}`;
    this.liveState.dataset.i18n = key;
    this.liveState.textContent = t(key);
    if (state === 'open' && this.wasDown) { this.loadPetitions(); this.refreshState(); }
    this.wasDown = state === 'reconnecting';
  }

  /** After the socket was down (a server restart marks a live session interrupted meanwhile): the state as it is now. */
  async refreshState() {
    const s = await api.session(this.sessionId).catch(() => null);
    if (s?.state) this.showState(s.state);
  }

  showState(state) {
    if (!this.session || !this.stateBadge) return;
    this.session.state = state;
    const b = stateBadge(state);
    this.stateBadge.replaceWith(b);
    this.stateBadge = b;
  }

  /** Server events (events.LiveEvent): {type, sessionId, data}. */
  onEvent(e) {
    const d = e.data || {};
    this.messages.onEvent(e);
    switch (e.type) {
      case 'session.state': if (d.state) this.showState(d.state); break;
      // Events of another server instance may have been lost (its link to the database dropped): load what they would have changed.
      case 'resync': this.loadPetitions(); this.refreshState(); this.messages.load(); break;
      case 'petition.registered': this.upsert(d, true); break;
      case 'petition.updated': case 'petition.status': this.upsert(d, false); break;
      case 'petition.annotated': {
        const p = this.petitions.get(String(d.petitionId));
        if (p && d.version > p.version) p.version = d.version;
        const det = this.details.get(String(d.petitionId));
        if (det && d.annotation && !det.annotations.some((a) => a.id === d.annotation.id)) det.annotations.push(d.annotation);
        if (p) { p.annotationCount = (p.annotationCount || 0) + 1; this.redrawRegister(); }
        break;
      }
      case 'floor.granted': case 'floor.revoked':
        this.floorRoom = d.floor?.floorRoomCode || null;
        this.applyFloorDefault();
        break;
      default: break;
    }
  }

  upsert(p, isNew) {
    if (!p || p.id == null) return;
    const prev = this.petitions.get(String(p.id));
    if (prev && prev.version > p.version) return;
    // An event carries the staff view; a reveal this secretary asked for stays revealed.
    this.petitions.set(String(p.id), { ...prev, ...p });
    this.redrawRegister(isNew && !prev ? String(p.id) : null);
  }

  redrawRegister(flashId) {
    const list = [...this.petitions.values()].sort((a, b) => b.id - a.id);
    this.count.dataset.i18nArgs = JSON.stringify({ n: list.length });
    this.count.textContent = t('secretary.count', { n: list.length });
    if (!list.length) { replace(this.registerBox, h('li', { class: 'muted', i18n: 'secretary.empty' })); return; }
    const focusedId = document.activeElement?.closest?.('.petition')?.dataset.petitionId;
    replace(this.registerBox, list.map((p) => this.petitionItem(p, String(p.id) === flashId)));
    if (focusedId) this.registerBox.querySelector(`[data-petition-id="${CSS.escape(focusedId)}"] .annotate input`)?.focus();
  }

  personView(p) {
    const id = String(p.id);
    const revealed = this.revealed.get(id);
    const people = revealed || petitioners(p);
    if (!people.length) return null;
    const masked = !revealed && p.personalData !== 'FULL';
    const mayReveal = canSeePersonal(this.user.role) && (masked || revealed);
    return h('div', { class: 'people-view' },
      h('span', { class: 'muted', i18n: p.groupCase ? 'pet.representatives' : 'pet.petitioners' }), ': ',
      people.map((x, i) => h('span', { class: masked ? 'masked' : '' }, i ? '; ' : '',
        [x.name, x.idNumber ? ` · ${x.idNumber}` : '', x.address ? ` · ${x.address}` : ''])),
      p.personalData === 'CONFIDENTIAL' ? [' ', h('span', { class: 'badge warn', i18n: 'pet.confidential' })] : null,
      mayReveal ? [' ', h('button', { type: 'button', class: 'btn btn-quiet', i18n: revealed ? 'pet.hide' : 'pet.reveal', onClick: () => this.toggleReveal(p) })] : null);
  }

  /** A reveal is asked of the server, which writes it to the audit log (LTC Art. 9). */
  async toggleReveal(p) {
    const id = String(p.id);
    if (this.revealed.has(id)) { this.revealed.delete(id); this.redrawRegister(); return; }
    try {
      const detail = await api.petition(id, true);
      this.revealed.set(id, petitioners(detail.petition));
      this.redrawRegister();
    } catch (err) { alert(describe(err)); }
  }

  async loadDetail(id) {
    try {
      const d = await api.petition(id);
      this.details.set(id, { annotations: d.annotations || [], statusHistory: d.statusHistory || [] });
      const cur = this.petitions.get(id);
      if (cur) cur.annotationCount = (d.annotations || []).length;
      this.redrawRegister();
    } catch (err) { alert(describe(err)); }
  }

  /** A petition written by a dialog: into the register, and its open history reloaded. */
  afterAction(p) {
    if (!p) return;
    this.upsert(p, !this.petitions.has(String(p.id)));
    this.details.delete(String(p.id));
    if (this.openDetails.has(String(p.id))) this.loadDetail(String(p.id));
  }

  petitionItem(p, flash) {
    const id = String(p.id);
    const writer = ['SECRETARY', 'HOST'].includes(this.user.role);
    const due = dueDate(p);
    const detail = this.details.get(id);
    const input = h('input', { type: 'text', name: 'annotation', i18nAttr: { 'aria-label': 'pet.annotate', placeholder: 'pet.annotatePlaceholder' } });
    const annotate = h('form', { class: 'annotate inline' }, input, h('button', { type: 'submit', class: 'btn btn-secondary', i18n: 'pet.addNote' }));
    annotate.addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      const btn = annotate.querySelector('button');
      busy(btn, true);
      try {
        const cur = this.petitions.get(id);
        const out = await api.annotate(id, cur.version, text);
        input.value = '';
        cur.version = Math.max(cur.version, out.version);
        const det = this.details.get(id);
        if (det && !det.annotations.some((a) => a.id === out.annotation.id)) det.annotations.push(out.annotation);
        if (!det) await this.loadDetail(id); else this.redrawRegister();
      } catch (err) {
        if (err.status === 409) {
          // A stale version only means someone else wrote first: take theirs and send the note again.
          const fresh = err.problem.current;
          if (fresh) { this.upsert(fresh, false); }
        }
        alert(describe(err)); // the text stays in the input
      } finally { busy(btn, false); }
    });
    const deadline = (p.deadlines || [])[0];
    const more = h('details', { class: 'petition-more', open: this.openDetails.has(id) },
      h('summary', { i18n: 'pet.history', args: { n: detail ? detail.annotations.length : (p.annotationCount ?? '…') } }),
      detail ? [
        detail.annotations.length ? h('ol', { class: 'annotations', i18nAttr: { 'aria-label': 'pet.annotations' } }, detail.annotations.map((a) => h('li', {},
          h('span', { class: 'muted' }, `${fmtDateTime(a.createdAt)} · ${a.authorName || ''}: `), a.text))) : h('p', { class: 'muted', i18n: 'pet.noNotes' }),
        detail.statusHistory.length ? [h('h3', { class: 'status-history-title', i18n: 'pet.statusHistory' }),
          h('ol', { class: 'status-history' }, detail.statusHistory.map((x) => h('li', {},
            `${fmtDateTime(x.at)} · `, x.from ? [h('span', { i18n: statusKey(x.from) }), ' → '] : null, h('span', { i18n: statusKey(x.to) }),
            x.effectiveOn ? h('span', { class: 'muted', i18n: 'pet.effectiveOn', args: { date: fmtDate(x.effectiveOn) } }) : null,
            x.reason ? ` — ${x.reason}` : '')))] : null,
      ] : h('p', { class: 'progress', i18n: 'app.loading' }));
    more.addEventListener('toggle', () => {
      if (more.open) { this.openDetails.add(id); if (!this.details.has(id)) this.loadDetail(id); } else this.openDetails.delete(id);
    });
    return h('li', { class: `petition${flash ? ' new' : ''}`, dataset: { petitionId: p.id, version: p.version } },
      h('header', {},
        h('span', { class: 'reg-no' }, registerNo(p)),
        h('span', { class: 'badge', i18n: kindKey(p.kind) }),
        p.groupCase ? h('span', { class: 'badge warn', i18n: 'pet.groupN', args: { n: p.headCount ?? '?' } }) : null,
        h('span', { class: 'muted' }, this.roomName(p.originRoomCode)),
        h('span', { class: 'muted' }, fmtTime(p.createdAt)),
        h('span', { class: 'badge ok', i18n: statusKey(p.status) })),
      this.personView(p),
      h('p', { class: 'summary' }, p.summary),
      p.requests ? h('p', {}, h('span', { class: 'muted', i18n: 'pet.requests' }), ': ', p.requests) : null,
      p.handlerAgency ? h('p', {}, h('span', { class: 'muted', i18n: 'pet.handler' }), ': ', p.handlerAgency) : null,
      h('p', { class: 'deadline' }, h('span', { class: 'muted', i18n: 'pet.deadline' }), ': ',
        due ? h('strong', {}, fmtDate(due)) : h('span', { class: 'muted', i18n: 'pet.deadlinePending' }),
        p.overdue ? [' ', h('span', { class: 'badge live', i18n: 'pet.overdue' })] : null,
        deadline?.legalBasis ? h('span', { class: 'muted' }, ` (${deadline.legalBasis})`) : null),
      (currentDeadline(p)?.extensions || []).map((x) => h('p', { class: 'extension' }, h('span', { class: 'badge warn', i18n: 'pet.extendedBadge' }), ' ',
        h('span', { i18n: 'pet.extensionLine', args: { days: x.days, ref: x.decisionReference, date: fmtDate(x.decidedOn) } }))),
      more,
      h('div', { class: 'actions' }, annotate, h('button', { type: 'button', class: 'btn btn-quiet', i18n: 'pet.edit', onClick: () => this.edit(this.petitions.get(id)) }),
        h('button', { type: 'button', class: 'btn btn-quiet pet-versions', i18n: 'pet.versions', onClick: () => showVersions(this.petitions.get(id), this.user) }),
        h('button', { type: 'button', class: 'btn btn-quiet pet-case', i18n: 'case.open', onClick: () => showCaseFile(this.petitions.get(id), this.user,
          async () => { try { this.upsert((await api.petition(id)).petition, false); } catch { /* the list refreshes on the live event */ } }) }),
        writer && p.kind === 'DENUNCIATION' ? h('button', { type: 'button', class: 'btn btn-quiet pet-extend', i18n: 'pet.extend',
          onClick: () => extendDeadline(this.petitions.get(id), (x) => this.afterAction(x)) }) : null,
        writer && (p.status || 'RECEIVED') === 'RECEIVED' ? h('button', { type: 'button', class: 'btn btn-quiet pet-split', i18n: 'pet.split',
          onClick: () => splitPetition(this.petitions.get(id), (x) => this.afterAction(x)) }) : null));
  }

  /* ---------------- edit with conflict merge ---------------- */

  edit(p) {
    const EDITABLE = ['summary', 'requests', 'handlerAgency'];
    const dlg = h('dialog', { 'aria-labelledby': 'edit-title', id: 'petition-edit' });
    const submit = h('button', { type: 'submit', class: 'btn', i18n: 'pet.saveChanges' });
    const form = h('form', { novalidate: true },
      h('h2', { id: 'edit-title', i18n: 'pet.editTitle', args: { no: registerNo(p) } }),
      formError(),
      h('div', { class: 'merge-box' }),
      field({ name: 'summary', label: 'pet.summary', type: 'textarea', value: p.summary, rows: 4 }),
      field({ name: 'requests', label: 'pet.requests', type: 'textarea', value: p.requests || '' }),
      field({ name: 'handlerAgency', label: 'pet.handler', value: p.handlerAgency || '' }),
      // A step after acceptance is recorded in the case file; here it is only shown, so saving leaves it as it is.
      field({ name: 'status', label: 'pet.status', type: 'select', value: p.status || 'RECEIVED', options: [...PETITION_STATUSES, ...CASE_STEPS.filter(([v]) => v === p.status)].map(([v, k]) => ({ value: v, i18n: k })) }),
      field({ name: 'reason', label: 'pet.statusReason', type: 'textarea', rows: 2, hint: 'pet.statusReasonHint' }),
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', class: 'btn btn-quiet', i18n: 'app.cancel', onClick: () => { dlg.close(); dlg.remove(); } })));
    let base = p;
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const v = formValues(form);
      const changes = Object.fromEntries(EDITABLE.filter((f) => (v[f] || '') !== (base[f] || '')).map((f) => [f, v[f]]));
      const statusChanged = v.status !== (base.status || 'RECEIVED');
      if (statusChanged && STATUSES_NEEDING_REASON.includes(v.status) && !v.reason.trim()) { setFieldError(form, 'reason', 'err.required'); return; }
      busy(submit, true);
      try {
        let saved = base;
        if (Object.keys(changes).length) saved = await api.updatePetition(p.id, base.version, changes);
        if (statusChanged) saved = await api.changeStatus(p.id, saved.version, v.status, v.reason.trim());
        this.upsert(saved, false);
        this.details.delete(String(p.id));
        if (this.openDetails.has(String(p.id))) this.loadDetail(String(p.id));
        dlg.close(); dlg.remove();
        announce('pet.savedChanges');
      } catch (err) {
        if (err.status === 409 && err.problem.current) {
          base = err.problem.current;
          this.showMerge(form, EDITABLE, v, base, p);
        } else showErrors(form, err);
      } finally { busy(submit, false); }
    });
    dlg.append(form);
    document.body.append(dlg);
    dlg.addEventListener('cancel', () => dlg.remove());
    dlg.showModal();
  }

  /** Shows mine and theirs side by side for each field both changed; the chosen value fills the form. */
  showMerge(form, fields, mine, theirs, original) {
    const box = form.querySelector('.merge-box');
    const differing = fields.filter((f) => (mine[f] || '') !== (theirs[f] || ''));
    // Three-way: a field this secretary did not touch takes the saved version by default.
    const untouched = (f) => (mine[f] || '') === (original[f] || '');
    differing.forEach((f) => { if (untouched(f)) form.elements[f].value = theirs[f] || ''; });
    const render = (f, val) => (f === 'status' ? t(statusKey(val)) : val || '—');
    replace(box, h('div', { class: 'notice warn', role: 'alert' },
      h('p', { i18n: 'pet.conflict', args: { v: theirs.version } }),
      h('table', { class: 'merge-table' },
        h('thead', {}, h('tr', {}, h('th', { i18n: 'pet.field' }), h('th', { i18n: 'pet.mine' }), h('th', { i18n: 'pet.theirs' }))),
        h('tbody', {}, differing.map((f) => h('tr', { dataset: { field: f } },
          h('th', { i18n: { summary: 'pet.summary', requests: 'pet.requests', handlerAgency: 'pet.handler' }[f] }),
          h('td', {}, h('label', {}, h('input', { type: 'radio', name: `pick-${f}`, value: 'mine', checked: !untouched(f), onChange: () => { form.elements[f].value = mine[f] || ''; } }), ' ', render(f, mine[f]))),
          h('td', {}, h('label', {}, h('input', { type: 'radio', name: `pick-${f}`, value: 'theirs', checked: untouched(f), onChange: () => { form.elements[f].value = theirs[f] || ''; } }), ' ', render(f, theirs[f]))))))),
      h('p', { class: 'hint', i18n: 'pet.mergeHint' })));
    const firstRadio = box.querySelector('input[type="radio"]');
    if (firstRadio) firstRadio.focus();
    this.upsert(theirs, false);
  }
}
