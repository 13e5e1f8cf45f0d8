export { startTimSimulator } from './simulator.js';
export { FAULT_KINDS } from './types.js';
export type { Arrival, FaultKind, TimSimStats, TimSimulator, TimSimulatorOptions, Violation } from './types.js';
export type { TimAnswer, ResultItem } from './answer.js';
export { TIM as TIM_SIM_CODES } from './codes.js';
export { maxInSlidingWindow, minSpacing } from '../shared/arrival-stats.js';
export { setTimSimCallbacks, type TimCallbackSettings } from './callbacks.js';
