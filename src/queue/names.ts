/** The public queues of the contract. */
export const INPUT_QUEUE = 'friend-add';
export const RESULTS_QUEUE = 'friend-add-results';
