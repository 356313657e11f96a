/** Petition vocabulary shared by the secretary, host and admin views (DOMAIN.md: kinds, outcomes). */
export const PETITION_KINDS = [
  ['COMPLAINT', 'pet.kind.COMPLAINT'],
  ['DENUNCIATION', 'pet.kind.DENUNCIATION'],
  ['RECOMMENDATION', 'pet.kind.RECOMMENDATION'],
  ['REFLECTION', 'pet.kind.REFLECTION'],
];

/** LTCD Art. 26, 28: what a petition can come to; RECEIVED is where every petition starts. */
export const PETITION_STATUSES = [
  ['RECEIVED', 'pet.status.RECEIVED'],
  ['ACCEPTED', 'pet.status.ACCEPTED'],
  ['REVIEW_EXTENDED', 'pet.status.REVIEW_EXTENDED'],
  ['REFUSED', 'pet.status.REFUSED'],
  ['GUIDED', 'pet.status.GUIDED'],
  ['FORWARDED', 'pet.status.FORWARDED'],
  ['EXPLAINED', 'pet.status.EXPLAINED'],
  ['FILED', 'pet.status.FILED'],
  ['WITHDRAWN', 'pet.status.WITHDRAWN'],
  ['RESOLVED', 'pet.status.RESOLVED'],
];

const kindKeys = Object.fromEntries(PETITION_KINDS);
const statusKeys = Object.fromEntries(PETITION_STATUSES);
export const kindKey = (k) => kindKeys[k] || 'pet.kind.UNKNOWN';
export const statusKey = (s) => statusKeys[s || 'RECEIVED'] || 'pet.status.UNKNOWN';

/** LTCD Art. 29: a group case is 5 or more people; 1–2 representatives for 5–10, up to 5 above. */
export const GROUP_MIN = 5;
export function maxRepresentatives(headCount) {
  return headCount > 10 ? 5 : 2;
}

export function petitioners(p) {
  if (Array.isArray(p.petitioners)) return p.petitioners;
  if (p.petitioner) return [p.petitioner];
  return [];
}

export function dueDate(p) {
  if (!p.deadline) return null;
  return typeof p.deadline === 'string' ? p.deadline : (p.deadline.dueDate || p.deadline.date || null);
}
