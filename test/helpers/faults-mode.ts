/**
 * The fault suite's two sizes: the full run (`npm run test:faults`) and the short one CI runs
 * (`npm run test:faults:short`, FAULTS_SHORT=1), which must finish within two minutes on a
 * loaded 2-core machine. Only sizes change between them, never what is asserted.
 */
export const FAULTS_SHORT = process.env.FAULTS_SHORT === '1';

/** The short value in the short run, the full value otherwise. */
export function sized<T>(short: T, full: T): T {
  return FAULTS_SHORT ? short : full;
}

/** A test's own time limit: generous, so that a loaded machine slows a run without failing it. */
export function caseTimeoutMs(shortMs: number, fullMs: number): number {
  return sized(shortMs, fullMs);
}
