/** What makes `spec3 deploy` ask before it changes anything (as `cdk deploy --require-approval`). */
export const APPROVAL_LEVELS = ['never', 'broadening', 'any'] as const;
export type ApprovalLevel = (typeof APPROVAL_LEVELS)[number];

/** The level a deploy applies: the flag, else the config's `requireApproval`, else "broadening". */
export function approvalLevel(flag: ApprovalLevel | undefined, config: ApprovalLevel | undefined): ApprovalLevel {
  return flag ?? config ?? 'broadening';
}
