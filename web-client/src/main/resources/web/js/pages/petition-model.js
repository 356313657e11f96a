/** Petition vocabulary shared by the secretary, host and admin views (DOMAIN.md: kinds, outcomes). */
export const PETITION_KINDS = [
  ['COMPLAINT', 'pet.kind.COMPLAINT'],
  ['DENUNCIATION', 'pet.kind.DENUNCIATION'],
  ['RECOMMENDATION', 'pet.kind.RECOMMENDATION'],
  ['REFLECTION', 'pet.kind.REFLECTION'],
];

/** LTCD Art. 26, 28: what a petition can come to (server PetitionStatus); RECEIVED is where every one starts. */
export const PETITION_STATUSES = [
  ['RECEIVED', 'pet.status.RECEIVED'],
  ['ACCEPTED', 'pet.status.ACCEPTED'],
  ['ACCEPTANCE_EXTENDED', 'pet.status.ACCEPTANCE_EXTENDED'],
  ['REFUSED', 'pet.status.REFUSED'],
  ['GUIDED', 'pet.status.GUIDED'],
  ['FORWARDED', 'pet.status.FORWARDED'],
  ['EXPLAINED_RESOLVED', 'pet.status.EXPLAINED_RESOLVED'],
  ['FILED', 'pet.status.FILED'],
  ['WITHDRAWN', 'pet.status.WITHDRAWN'],
];

/**
 * The steps of handling after acceptance (server PetitionStatus.isCaseStep): recorded with their
 * details through the case file (case-file.js), never through the bare status select.
 */
export const CASE_STEPS = [
  ['ASSIGNED', 'pet.status.ASSIGNED'],
  ['TRANSFERRED', 'pet.status.TRANSFERRED'],
  ['IN_PROGRESS', 'pet.status.IN_PROGRESS'],
  ['DIALOGUE_HELD', 'pet.status.DIALOGUE_HELD'],
  ['DECIDED', 'pet.status.DECIDED'],
  ['NOTIFIED', 'pet.status.NOTIFIED'],
  ['CLOSED', 'pet.status.CLOSED'],
];
export const isCaseStep = (s) => CASE_STEPS.some(([v]) => v === s);

/** The server asks for a reason on these moves (PetitionStatus.reasonRequiredFor). */
export const STATUSES_NEEDING_REASON = ['REFUSED', 'ACCEPTANCE_EXTENDED'];

const kindKeys = Object.fromEntries(PETITION_KINDS);
const statusKeys = Object.fromEntries([...PETITION_STATUSES, ...CASE_STEPS]);
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

/** The next statutory due date the server computed (working days and holidays included). */
export function dueDate(p) {
  return p.nextDueOn || null;
}

export function registerNo(p) {
  return p.registerNumber ?? p.id;
}
