/**
 * The TIM codes the simulator answers with, and their texts. Numbers come from the friend_add doc
 * (§2.10) and the REST API common codes (60000-79999); where TIM documents no exact code for a
 * check, the closest documented one is used and the check says so.
 */
export const TIM = {
  OK: 0,
  // REST common codes
  HTTP_PARSE: 60002, // URL malformed: bad random, bad contenttype
  ACCOUNT_OR_SIG: 60004, // identifier or usersig missing from the URL
  SDKAPPID_INVALID: 60006, // sdkappid is not this app's
  RATE_LIMIT: 60007,
  NEEDS_ADMIN: 60010, // identifier is not the app administrator
  SDKAPPID_MISSING: 60012,
  SIG_EXPIRED: 70001,
  SIG_UNPARSABLE: 70003,
  SIG_WRONG_KEY: 70009, // HMAC mismatch: signed with another key
  SIG_IDENTIFIER_MISMATCH: 70013,
  SIG_SDKAPPID_MISMATCH: 70014,
  // friend_add codes
  UNPACK: 30001,
  WRITE_CONFLICT: 30008, // REST common relationship code: concurrent writes to one user
  TASK_ERROR: 30505,
  COUNT_ILLEGAL: 30503,
  LENGTH_ILLEGAL: 30502,
  IN_BLACKLIST: 30515,
  NOT_ALLOWED: 30516,
  TOO_MANY_CONFIRM: 30517,
  ALREADY_FRIENDS: 30520,
  PENDING: 30539,
  STRIKE: 30540,
  ADD_TYPE_ILLEGAL: 30541,
  PENDING_WRITE_CONFLICT: 30543,
  FRIENDS_WRITE_CONFLICT: 30544,
  FORBIDDEN: 30545,
  UNKNOWN: 39999, // not a TIM code: stands for one no client has seen before
} as const;

/** ErrorInfo / ResultInfo texts; per-item infos follow TIM's `Err_SNS_*` style where one is known. */
export const INFO: Record<number, string> = {
  [TIM.HTTP_PARSE]: 'HTTP parse error, check the request URL',
  [TIM.ACCOUNT_OR_SIG]: 'account or signature missing in the request URL',
  [TIM.SDKAPPID_INVALID]: 'SDKAppID is invalid',
  [TIM.RATE_LIMIT]: 'REST API call frequency exceeds the limit',
  [TIM.NEEDS_ADMIN]: 'the request needs an App administrator',
  [TIM.SDKAPPID_MISSING]: 'the REST API needs an SDKAppID in the URL',
  [TIM.SIG_EXPIRED]: 'UserSig expired',
  [TIM.SIG_UNPARSABLE]: 'UserSig could not be parsed',
  [TIM.SIG_WRONG_KEY]: 'UserSig verification failed: signed with another key',
  [TIM.SIG_IDENTIFIER_MISMATCH]: 'the identifier in the request does not match the UserSig',
  [TIM.SIG_SDKAPPID_MISMATCH]: 'the SDKAppID in the request does not match the UserSig',
  [TIM.UNPACK]: 'Err_SNS_Unpack_Failed',
  [TIM.WRITE_CONFLICT]: 'write conflict: concurrent writes to one user',
  [TIM.TASK_ERROR]: 'Err_SNS_FriendAdd_Task_Error',
  [TIM.COUNT_ILLEGAL]: 'Err_SNS_FriendAdd_Count_Illegal: AddFriendItem must hold 1 to 1000 items',
  [TIM.LENGTH_ILLEGAL]: 'Err_SNS_FriendAdd_Length_Illegal',
  [TIM.IN_BLACKLIST]: 'Err_SNS_FriendAdd_In_Blacklist',
  [TIM.NOT_ALLOWED]: 'Err_SNS_FriendAdd_Not_Allowed',
  [TIM.TOO_MANY_CONFIRM]: 'more than 100 accounts in this request need confirmation',
  [TIM.ALREADY_FRIENDS]: 'Err_SNS_FriendAdd_Already_Friends',
  [TIM.PENDING]: 'Err_SNS_FriendAdd_Pending',
  [TIM.STRIKE]: 'Err_SNS_FriendAdd_Security_Strike: do not add friends so often',
  [TIM.ADD_TYPE_ILLEGAL]: 'Err_SNS_FriendAdd_AddType_Illegal',
  [TIM.PENDING_WRITE_CONFLICT]: 'Err_SNS_FriendAdd_Pending_Write_Conflict',
  [TIM.FRIENDS_WRITE_CONFLICT]: 'Err_SNS_FriendAdd_Friend_Write_Conflict',
  [TIM.FORBIDDEN]: 'Err_SNS_FriendAdd_Forbidden: From_Account may not add friends',
  [TIM.UNKNOWN]: 'mystery',
};

/** Per-item 30001 infos: the item's ResultInfo tells these apart. */
export const ITEM_INFO = {
  FRIEND_EXIST: 'Err_SNS_FriendAdd_Friend_Exist',
  SOURCE_ILLEGAL: 'Err_SNS_FriendAdd_Source_Illegal',
} as const;

export function infoFor(code: number): string {
  return INFO[code] ?? '';
}
