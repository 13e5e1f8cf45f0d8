import type { Outcome, RetryClass } from '../../domain/types.js';
import type { AccountEffect } from '../../domain/verdict.js';

/**
 * What one TIM code means for us. The table is data, read in exactly one place (classify.ts), so
 * that checking it against Tencent's docs is a matter of reading this file top to bottom.
 * Sources: tim-friend_add.md §2.10 (30001–30005, 30501–30545) and NOTES.md (REST common codes
 * 60xxx/70xxx, per-item 30006–30014, the 30001 ResultInfo split).
 */
export interface CodeEntry {
  retryClass: RetryClass;
  /** Set when retryClass is `final`. */
  outcome?: Outcome;
  /** What the code does to the account or the app as a whole, beyond its targets. */
  effect?: AccountEffect;
  meaning: string;
  /** A per-item code that TIM reuses for different things, told apart by ResultInfo. */
  byInfo?: ReadonlyMap<string, CodeEntry>;
  /** When the code comes as the whole call's ErrorCode (ActionStatus FAIL), it means this instead. */
  asCallError?: CodeEntry;
}

const entry = (e: CodeEntry): CodeEntry => Object.freeze(e);
const transient = (meaning: string) => entry({ retryClass: 'transient', meaning });
const final = (outcome: Outcome, meaning: string, effect?: AccountEffect) => entry({ retryClass: 'final', outcome, meaning, ...(effect && { effect }) });
const refused = (meaning: string, effect?: AccountEffect) => final('refused', meaning, effect);
// Frequency refusals, signature expiry and "too many need confirmation" all mean: this call was
// not really tried, so call again (after the effect is dealt with) without using up an attempt.
const notTried = (effect: AccountEffect, meaning: string) => entry({ retryClass: 'rate_limited', effect, meaning });
// Our configuration is wrong (key, identifier, SDKAppID, admin rights), not the target: the
// credential is suspended for every worker, no target ends and none uses an attempt (issue 10).
const configError = (meaning: string) => notTried('suspend', `${meaning} (configuration)`);

const TABLE: ReadonlyArray<readonly [number, CodeEntry]> = [
  [0, final('added', 'added')],

  // --- §2.10 codes 30001–30005 and the per-item codes of Tencent's current docs
  [
    30001,
    entry({
      ...refused('item rejected by the relationship service'),
      byInfo: new Map([
        ['Err_SNS_FriendAdd_Friend_Exist', final('already_friends', 'already friends')],
        ['Err_SNS_FriendAdd_Source_Illegal', refused('AddSource is not legal')],
      ]),
      // At the top level 30001 means TIM could not unpack our request: a bug on our side, not a
      // business answer about the target. Sending the same bytes again cannot help, and `refused`
      // would blame the target, so every target of the call ends `failed`.
      asCallError: final('failed', 'TIM could not unpack the request'),
    }),
  ],
  [30002, configError('SDKAppID not valid')],
  [30003, refused('account not valid (no such account)')],
  [30004, configError('REST request without administrator rights: TIM_ADMIN is no app administrator')],
  [30005, refused('a relationship field contains a sensitive word')],
  [30006, transient('internal error')],
  [30007, transient('internal timeout')],
  // Concurrent writes to one user: one From_Account's calls must go one at a time.
  [30008, transient('write conflict from concurrent writes to one user')],
  [30009, refused('account banned from adding friends')],
  [30010, refused('From_Account friend list is full')],
  [30012, refused('too many pending friend requests')],
  [30014, refused('To_Account friend list is full')],

  // --- §2.10 codes 30501–30545
  [30501, refused('AddSource not valid')],
  [30502, refused('string field too long (Remark, GroupName or AddWording)')],
  [30503, refused('number of friends in one request outside [1, 1000]')],
  [30504, transient('could not get SDKAppID')],
  [30505, transient('add-friend task error')],
  [30506, transient('could not get From_Account friend list')],
  [30507, transient('could not get From_Account friend list metadata')],
  [30508, transient('could not pull From_Account friend list rows')],
  [30509, transient('could not update From_Account friend list rows')],
  [30510, transient('could not update From_Account friend list metadata')],
  [30511, transient('could not update From_Account friend info')],
  [30512, transient('could not delete From_Account pending info')],
  [30513, transient('could not pull From_Account blacklist')],
  [30514, transient('could not create add-friend task')],
  [30515, refused('To_Account is in From_Account blacklist')],
  [30516, refused('To_Account allows nobody to add them')],
  [30517, notTried('split', 'more than 100 accounts in one request need confirmation: use smaller calls')],
  [30518, refused('group count would exceed 32')],
  [30519, refused('From_Account friend list is full')],
  [30520, final('already_friends', 'already friends')],
  [30521, refused('To_Account has no profile data')],
  [30522, transient('could not get To_Account profile')],
  [30523, transient('could not get To_Account profile rows')],
  [30524, transient('could not get To_Account blacklist')],
  [30525, refused('From_Account is in To_Account blacklist')],
  [30526, transient('could not get To_Account relationship data')],
  [30527, transient('could not unpack To_Account relationship rows')],
  [30528, transient('could not get To_Account pending sequence')],
  [30529, transient('could not unpack To_Account pending sequence metadata')],
  [30530, transient('could not get To_Account pending data')],
  [30531, transient('could not unpack To_Account pending rows')],
  [30532, transient('could not delete To_Account pending data')],
  [30533, transient('could not get To_Account friend count')],
  [30534, transient('To_Account friend count sequence mismatch')],
  [30535, refused('To_Account friend list is full')],
  [30536, transient('could not pack To_Account friend table metadata')],
  [30537, transient('could not pack To_Account friend table rows')],
  [30538, transient('could not update To_Account friend table')],
  [30539, final('requested', 'request pending: To_Account must confirm')],
  [30540, entry({ retryClass: 'strike', effect: 'strike', meaning: 'struck by the security policy: adding too often' })],
  [30541, refused('AddType not valid')],
  // Only our own identifier (TIM_ADMIN) makes REST calls, so this too is our configuration.
  [30542, configError('force add without administrator rights: TIM_ADMIN is no app administrator')],
  [30543, transient('write conflict updating From_Account pending list')],
  [30544, transient('write conflict updating From_Account friend list')],
  [30545, refused('From_Account is forbidden to add friends', 'disabled')],

  // --- REST common codes (NOTES.md)
  [60007, notTried('rate_limited', 'REST API call frequency exceeds the limit')],
  [60011, notTried('rate_limited', 'frequency limit (REST common code)')],
  [60018, notTried('rate_limited', 'frequency limit (REST common code)')],
  [60019, notTried('rate_limited', 'frequency limit (REST common code)')],
  [60008, transient('service timeout')],
  [60014, transient('service timeout')],
  [70169, transient('service timeout')],
  [70001, notTried('resign', 'UserSig expired: sign again')],
  [70003, configError('UserSig not valid')],
  [70005, configError('UserSig not valid')],
  [70009, configError('UserSig verification failed: wrong key or identifier')],
  [70013, configError('UserSig identifier does not match')],
  [70014, configError('UserSig SDKAppID does not match')],
  [70050, transient('too many UserSig failures: wait a minute')],
];

export const TIM_CODES: ReadonlyMap<number, CodeEntry> = new Map(TABLE);

/** A code nobody recognises: final, keeping TIM's code and text, so that a person looks at it. */
export const UNKNOWN_CODE: CodeEntry = final('failed', 'code not in the table');
