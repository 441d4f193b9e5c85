/**
 * The data shapes shared by the compiler, the evaluator, the CLI and the Worker.
 * A `Snapshot` is the canonical, compiled form of all policy files; its hash is
 * what every decision cites.
 */

/** Decisions in ascending strictness. */
export const DECISIONS = ["ALLOW", "ALLOW_WITH_CONSTRAINTS", "REQUIRE_APPROVAL", "DENY"] as const;
export type Decision = (typeof DECISIONS)[number];

/** Higher is stricter: DENY > REQUIRE_APPROVAL > ALLOW_WITH_CONSTRAINTS > ALLOW. */
export const STRICTNESS: Readonly<Record<Decision, number>> = {
  ALLOW: 0,
  ALLOW_WITH_CONSTRAINTS: 1,
  REQUIRE_APPROVAL: 2,
  DENY: 3,
};

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const WHEN_OPS = ["eq", "ne", "in", "not_in", "glob", "regex", "gt", "gte", "lt", "lte", "exists"] as const;
export type WhenOp = (typeof WHEN_OPS)[number];

export interface WhenCondition {
  field: string;
  op: WhenOp;
  value: JsonValue;
}

/** A normalized match block: every glob list is a list, tags are lower-case. */
export interface MatchSpec {
  topic?: string[];
  capability?: string[];
  risk_tags?: string[];
  risk_tags_any?: string[];
  labels?: Record<string, string[]>;
  actor?: string[];
  when?: WhenCondition[];
}

export const CONSTRAINT_KEYS = [
  "max_runtime_sec",
  "max_lines_changed",
  "max_files_changed",
  "network_egress_allowlist",
  "allow_paths",
  "deny_paths",
] as const;

export interface Constraints {
  max_runtime_sec?: number;
  max_lines_changed?: number;
  max_files_changed?: number;
  /** Hosts (globs, `.`-separated) the job may reach; intersected across rules. */
  network_egress_allowlist?: string[];
  /** Paths (globs, `/`-separated) the job may write; intersected across rules. */
  allow_paths?: string[];
  /** Paths the job must not touch; unioned across rules. */
  deny_paths?: string[];
}

export interface ApprovalSpec {
  /** `slack:U…`, `email:…`, `user:…` or `group:<name>` (resolved per tenant). */
  approvers: string[];
  quorum: number;
  ttl_sec: number;
}

export interface VelocitySpec {
  max: number;
  per_sec: number;
  /** `actor`, `tenant` or `labels.<name>`. */
  key: string;
}

export type RuleMode = "enforce" | "shadow";

export interface SnapshotRule {
  id: string;
  /** `pack:<name>`, `global` or `tenant:<id>`. */
  origin: string;
  mode: RuleMode;
  decision: Decision;
  reason: string;
  match: MatchSpec;
  unless?: MatchSpec;
  constraints?: Constraints;
  approval?: ApprovalSpec;
  velocity?: VelocitySpec;
}

export interface TenantPolicy {
  default_decision?: Decision;
  default_approval?: ApprovalSpec;
  groups: Record<string, string[]>;
  environments: Record<string, string[]>;
  rules: SnapshotRule[];
}

export const SNAPSHOT_FORMAT = "cordon.snapshot/v1";

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: 1;
  default_decision: Decision;
  default_approval?: ApprovalSpec;
  packs: string[];
  groups: Record<string, string[]>;
  environments: Record<string, string[]>;
  /** Pack overlay rules first, then global rules, each in file order. */
  rules: SnapshotRule[];
  tenants: Record<string, TenantPolicy>;
}

/** What the build step writes for the Worker: the snapshot, its hash and when it was built. */
export interface SnapshotBundle {
  snapshot: Snapshot;
  hash: string;
  built_at: string;
}

/** A job as an agent sends it. The evaluator accepts anything and never throws. */
export interface Job {
  id?: string;
  topic?: string;
  capability?: string;
  risk_tags?: string[];
  labels?: Record<string, string>;
  actor?: { id?: string; type?: string; on_behalf_of?: string };
  action?: { kind?: string; [key: string]: unknown };
  input?: unknown;
}

/** The job the rules see: normalized, with what packs derived merged in. */
export interface EffectiveJob {
  id?: string;
  topic?: string;
  capability?: string;
  risk_tags: string[];
  labels: Record<string, string>;
  actor?: { id?: string; type?: string; on_behalf_of?: string };
  action?: Record<string, unknown>;
  input?: unknown;
}

export interface Derived {
  capability?: string;
  risk_tags: string[];
  labels: Record<string, string>;
  findings: string[];
}

export interface ExplainEntry {
  rule_id: string;
  origin: string;
  decision: Decision;
  mode: RuleMode;
  matched: boolean;
  /** For a rule that did not match: the first condition that failed, in plain words. */
  failed?: { condition: string; detail: string };
}

export interface VelocityHit {
  rule_id: string;
  /** The counter key, e.g. `actor:deploy-bot`; the service counts per (rule, key). */
  key: string;
  max: number;
  per_sec: number;
  /** The count the evaluator was given, or null when none was (then the rule fails closed). */
  count: number | null;
  triggered: boolean;
}

export interface EvaluationResult {
  decision: Decision;
  reason: string;
  rule_id: string | null;
  matched_rules: string[];
  constraints: Constraints;
  snapshot_hash: string;
  /** For REQUIRE_APPROVAL: approvers resolved with the tenant's groups, quorum and ttl. */
  approval: ApprovalSpec | null;
  shadow_matches: { rule_id: string; decision: Decision }[];
  /** Every velocity rule whose conditions held: the service increments these counters. */
  velocity: VelocityHit[];
  derived: Derived;
  /** The job the rules saw; its canonical JSON hash is the request hash an approval binds to. */
  effective_job: EffectiveJob;
  explain?: ExplainEntry[];
}

export interface EvaluateOptions {
  tenant?: string;
  explain?: boolean;
  /** Current counts per velocity rule id, for this job's key, within the rule's window. */
  velocityCounts?: Record<string, number>;
}
