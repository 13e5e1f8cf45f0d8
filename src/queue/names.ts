/** The public queues of the contract. */
export const INPUT_QUEUE = 'friend-add';
export const RESULTS_QUEUE = 'friend-add-results';
/** Events after a result, from provider callbacks: job names `confirmed`, `incoming_request`. */
export const EVENTS_QUEUE = 'friend-add-events';
/**
 * Internal: a job a worker cannot serve moves to the hand-off queue of the service it needs,
 * which only the workers serving that service consume (src/queue/handoff-queues.ts). Queue names
 * may not contain `:`, so `tim:1400000001` becomes `friend-add.for.tim.1400000001`.
 */
export const HANDOFF_QUEUE_PREFIX = `${INPUT_QUEUE}.for.`;
export function handoffQueueName(service: string): string {
  return `${HANDOFF_QUEUE_PREFIX}${service.replaceAll(':', '.')}`;
}
