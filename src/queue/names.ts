/** The public queues of the contract. */
export const INPUT_QUEUE = 'friend-add';
export const RESULTS_QUEUE = 'friend-add-results';
/** Events after a result, from provider callbacks: job names `confirmed`, `incoming_request`. */
export const EVENTS_QUEUE = 'friend-add-events';
