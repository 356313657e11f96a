/**
 * Personal data masking (LTC Art. 9, PDPL 91/2025): a petitioner's identity is shown masked unless
 * the viewer's role needs it and they asked to reveal it. The server decides what it sends; this
 * masks whatever a view must not show in full, so a room screen or an export never leaks it.
 */
export const ROLES_SEEING_PERSONAL_DATA = ['SECRETARY', 'HOST'];

export function canSeePersonal(role) {
  return ROLES_SEEING_PERSONAL_DATA.includes(role);
}

/** "Nguyễn Văn An" -> "N***** V** A*": initials stay so a secretary can tell two people apart. */
export function maskName(name) {
  if (!name) return '';
  return name.trim().split(/\s+/).map((w) => w[0] + '*'.repeat(Math.max(1, w.length - 1))).join(' ');
}

/** Keeps the last three digits of an ID number. */
export function maskId(id) {
  if (!id) return '';
  const s = String(id);
  return '*'.repeat(Math.max(0, s.length - 3)) + s.slice(-3);
}

/** Keeps only the last part of an address (the province or ward). */
export function maskAddress(addr) {
  if (!addr) return '';
  const parts = addr.split(',').map((p) => p.trim()).filter(Boolean);
  return parts.length > 1 ? `***, ${parts[parts.length - 1]}` : '***';
}

export function isMasked(value) {
  return typeof value === 'string' && value.includes('*');
}
