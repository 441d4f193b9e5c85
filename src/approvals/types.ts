/**
 * An approval as the API, the Slack message and the signed-link page show it.
 * One Durable Object per approval holds it (`src/approvals/approval-object.ts`).
 */
import type { Constraints } from "../engine/types";

export type ApprovalStatus = "pending" | "approved" | "rejected" | "expired";
export type VoteValue = "approve" | "reject";

export interface ApprovalVote {
  approver: string;
  vote: VoteValue;
  note: string | null;
  at: string;
  /** How the vote came in: the API, Slack, or a signed link. */
  via: "api" | "slack" | "link";
}

export interface ApprovalView {
  id: string;
  tenant: string;
  job_id: string;
  status: ApprovalStatus;
  created_at: string;
  expires_at: string;
  resolved_at: string | null;
  quorum: number;
  /** Everyone whose vote counts: the rule's approvers with `group:` names expanded. */
  approvers: string[];
  votes: ApprovalVote[];
  rule_id: string | null;
  reason: string;
  snapshot_hash: string;
  request_hash: string;
  /** Who asks: the job's actor. */
  actor: { id: string; type?: string; on_behalf_of?: string } | null;
  /** What exactly would run: the job as sent (capability, action, labels, ...). */
  job: Record<string, unknown>;
  /** What the packs read from the action: capability, tags, labels and, in plain words, why (`findings`). */
  derived: { capability?: string; risk_tags: string[]; labels?: Record<string, string>; findings?: string[] };
  /** After resolution: the job's final state and, when approved, its constraints. */
  outcome: { state: "approved" | "denied" | "rejected" | "expired"; reason: string; constraints?: Constraints } | null;
}
