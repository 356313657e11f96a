import { api, auth, items } from '../api.js';
import { h, replace, busy, announce, download, csvLine } from '../dom.js';
import { t, fmtDateTime, onLangChange } from '../i18n.js';
import { describe } from '../errors.js';
import { stateBadge } from '../sessions.js';
import { LEVEL_KEYS } from './admin.js';

/**
 * The join-link sheet of one session (#/join-links/{id}), for its host or an administrator: every
 * invited room with its tier, and after one step ("issue all") its link and QR code, printed eight
 * rooms to an A4 page or downloaded as CSV; one room's link re-issued (the old one stops) or
 * revoked from the same list. A link's token is shown only on the page that issued it: the server
 * keeps its hash alone. QR codes are drawn by the server (ZXing) and shown as SVG images, so this
 * page needs no QR library and a printed code stays sharp at any size.
 */
const TIER_ORDER = ['PROVINCE', 'DISTRICT', 'COMMUNE', 'WARD', 'SPECIAL_ZONE', 'TOWNSHIP'];
const STYLESHEET = 'css/join-links.css';

export async function render(ctx) {
  useStylesheet();
  const id = ctx.params[0];
  const page = new JoinLinkSheet(ctx, id);
  return page.mount();
}

function useStylesheet() {
  if (document.querySelector(`link[href="${STYLESHEET}"]`)) return;
  document.head.append(h('link', { rel: 'stylesheet', href: STYLESHEET }));
}

/**
 * A CSV cell a spreadsheet will not run: text starting with = + - @, a tab or a carriage return is
 * read as a formula by Excel and LibreOffice, so it gets a leading apostrophe (OWASP's advice).
 */
export function safeCell(value) {
  const s = value == null ? '' : String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

class JoinLinkSheet {
  constructor(ctx, sessionId) {
    this.ctx = ctx;
    this.sessionId = sessionId;
    this.rooms = []; // {code, name, level, link?: {url, qrSvg, expiresAt}, revoked?: n}
  }

  async mount() {
    const { main } = this.ctx;
    const back = auth.user()?.role === 'ADMIN' ? '#/admin/sessions' : `#/host/${this.sessionId}`;
    this.heading = h('div', { class: 'jl-heading' }, h('h1', { i18n: 'join.title' }));
    this.issueAll = h('button', { type: 'button', class: 'btn', id: 'jl-issue-all', i18n: 'join.issueAll', args: { n: 0 } });
    this.printBtn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'jl-print', i18n: 'join.print', disabled: true });
    this.csvBtn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'jl-csv', i18n: 'join.csv', disabled: true });
    this.result = h('p', { class: 'notice ok', role: 'status', id: 'links-result', hidden: true });
    this.sheet = h('ol', { class: 'jl-sheet', id: 'jl-sheet' });
    this.issueAll.addEventListener('click', () => this.issue());
    this.printBtn.addEventListener('click', () => window.print());
    this.csvBtn.addEventListener('click', () => this.downloadCsv());
    main.append(this.heading,
      h('div', { class: 'jl-toolbar no-print' },
        h('p', { class: 'hint', i18n: 'join.hint' }),
        h('div', { class: 'actions' }, this.issueAll, this.printBtn, this.csvBtn, h('a', { class: 'btn btn-quiet', href: back, i18n: 'join.back' })),
        this.result),
      this.sheet);
    await this.load();
    return onLangChange(() => this.draw());
  }

  async load() {
    try {
      const [session, invited, directory] = await Promise.all([api.session(this.sessionId), api.invitedRooms(this.sessionId), api.rooms()]);
      this.session = session;
      const byCode = new Map(items(directory).map((r) => [r.code, r]));
      this.rooms = (invited.rooms || []).filter((code) => code !== session.hostRoomCode)
        .map((code) => ({ code, name: byCode.get(code)?.name || code, level: byCode.get(code)?.level || null }))
        .sort((a, b) => tierRank(a.level) - tierRank(b.level) || a.name.localeCompare(b.name, 'vi'));
      this.sessionLine = h('p', { class: 'jl-session' });
      this.heading.append(this.sessionLine);
      this.issueAll.dataset.i18nArgs = JSON.stringify({ n: this.rooms.length });
      this.issueAll.textContent = t('join.issueAll', { n: this.rooms.length });
      this.issueAll.disabled = !this.rooms.length;
      this.draw();
    } catch (err) {
      replace(this.sheet, h('li', { class: 'notice warn', role: 'alert' }, describe(err)));
    }
  }

  /** Every room at once, or one room again (its earlier links then stop). */
  async issue(room) {
    const button = room ? this.sheet.querySelector(`[data-room="${CSS.escape(room.code)}"] .jl-reissue`) : this.issueAll;
    busy(button, true);
    try {
      const body = { joinUrlBase: `${window.location.origin}${window.location.pathname}` };
      if (room) Object.assign(body, { rooms: [room.code], replaceEarlier: true });
      const sheet = await api.joinLinks(this.sessionId, body);
      for (const link of sheet.links || []) {
        const r = this.rooms.find((x) => x.code === link.roomCode);
        if (r) { r.link = link; r.revoked = null; }
      }
      if (room) this.say('join.reissued', { room: room.name, n: sheet.revokedEarlier ?? 0 });
      else this.say('join.issued', { n: sheet.count ?? 0 });
      this.printBtn.disabled = false;
      this.csvBtn.disabled = false;
      this.draw();
    } catch (err) {
      this.sayError(err);
    } finally {
      busy(button, false);
    }
  }

  async revoke(room) {
    if (!confirm(t('join.revokeConfirm', { room: room.name }))) return;
    try {
      const res = await api.revokeJoinTokens(this.sessionId, room.code);
      room.link = null;
      room.revoked = res?.revoked ?? 0;
      this.say('sessions.linksRevoked', { n: room.revoked, room: room.name });
      this.draw();
    } catch (err) {
      this.sayError(err);
    }
  }

  async copy(room, button) {
    const url = room.link.url;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // Without clipboard permission (plain http on a LAN address) the selected field is copied instead.
      const input = this.sheet.querySelector(`[data-room="${CSS.escape(room.code)}"] .jl-url`);
      input.select();
      document.execCommand('copy');
    }
    button.textContent = t('join.copied');
    button.classList.add('copied');
    setTimeout(() => { button.textContent = t('join.copy'); button.classList.remove('copied'); }, 4000);
    this.say('join.copiedRoom', { room: room.name });
  }

  say(key, args) {
    this.result.hidden = false;
    this.result.className = 'notice ok';
    this.result.dataset.i18n = key;
    this.result.dataset.i18nArgs = JSON.stringify(args);
    this.result.textContent = t(key, args);
    announce(key, args);
  }

  sayError(err) {
    this.result.hidden = false;
    this.result.className = 'notice warn';
    delete this.result.dataset.i18n;
    this.result.textContent = describe(err);
  }

  draw() {
    const session = this.session;
    if (session && this.sessionLine) {
      replace(this.sessionLine, h('strong', {}, session.title), ' — ', fmtDateTime(session.scheduledStart), ' ', stateBadge(session.state), ' ',
        h('span', { class: 'muted', id: 'jl-count', i18n: 'join.count', args: { n: this.rooms.length } }));
    }
    if (!this.rooms.length) { replace(this.sheet, h('li', { class: 'muted', i18n: 'join.noRooms' })); return; }
    replace(this.sheet, this.rooms.map((r) => this.card(r)));
  }

  card(r) {
    const btn = (key, cls, fn) => h('button', { type: 'button', class: `btn btn-quiet btn-small ${cls}`, i18n: key,
      'aria-label': `${t(key)}: ${r.name}`, onClick: (e) => fn(e.currentTarget) });
    const link = r.link;
    return h('li', { class: `jl-card${link ? ' has-link' : ''}`, dataset: { room: r.code } },
      h('div', { class: 'jl-room' },
        h('strong', { class: 'jl-name' }, r.name), ' ',
        h('span', { class: 'badge jl-tier', i18n: LEVEL_KEYS[r.level] || 'level.OTHER' }), ' ',
        h('span', { class: 'code muted' }, r.code)),
      link ? [
        h('img', { class: 'jl-qr', alt: r.name, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(link.qrSvg)}` }),
        h('input', { type: 'text', readonly: true, class: 'jl-url mono no-print', value: link.url, 'aria-label': r.name }),
        h('p', { class: 'jl-url-print mono' }, link.url),
        h('p', { class: 'hint jl-until', i18n: 'join.validUntil', args: { until: fmtDateTime(link.expiresAt) } }),
      ] : h('p', { class: 'muted jl-none', i18n: r.revoked != null ? 'join.revokedState' : 'join.notShown' }),
      h('div', { class: 'actions no-print' },
        link ? btn('join.copy', 'jl-copy', (b) => this.copy(r, b)) : null,
        btn('join.reissue', 'jl-reissue', () => this.issue(r)),
        btn('sessions.revokeLinks', 'jl-revoke', () => this.revoke(r))));
  }

  downloadCsv() {
    const issued = this.rooms.filter((r) => r.link);
    const header = [t('join.csv.room'), t('join.csv.tier'), t('join.csv.code'), t('join.csv.link'), t('join.csv.until')];
    const rows = issued.map((r) => [r.name, t(LEVEL_KEYS[r.level] || 'level.OTHER'), r.code, r.link.url, fmtDateTime(r.link.expiresAt)]);
    const text = [header, ...rows].map((row) => csvLine(row.map(safeCell))).join('\r\n') + '\r\n';
    download(`join-links-session-${this.sessionId}.csv`, text);
  }
}

function tierRank(level) {
  const i = TIER_ORDER.indexOf(level);
  return i < 0 ? TIER_ORDER.length : i;
}
