/** Adds (option 2) and accepts or rejects (options 3, 4): paced, and capped, apart. */
export type CallKind = 'add' | 'accept';

/** The fields of one lane, on the account's pacing hash (and, for the last send, its account hash). */
export interface PaceLane {
  /** The lane's next free slot (ms): reservations move it on by an interval each. */
  readonly nextFree: string;
  /** When the lane's last call ended (ms): the next one comes at least an interval later. */
  readonly lastSent: string;
}

/**
 * Each kind of call has its own lane, so that a backlog of adds, 15-20 minutes apart, never holds
 * up an accept, and accepts never eat into the adds' spacing. The add lane keeps the field names
 * it had before accepts had a lane, so pacing state written by earlier versions still counts.
 */
export const PACE_LANES: Readonly<Record<CallKind, PaceLane>> = {
  add: { nextFree: 'nextFree', lastSent: 'lastSent' },
  accept: { nextFree: 'nextFree:accept', lastSent: 'lastSent:accept' },
};

export function kindOfOption(option: number): CallKind {
  return option === 2 ? 'add' : 'accept';
}
