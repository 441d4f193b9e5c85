import { z } from "zod";
import { jobSchema } from "../engine/job-schema";
import { DECISIONS } from "../engine/types";

/**
 * Request and response shapes of the HTTP API (api.md). The single source for
 * validation, the TypeScript types, the OpenAPI document at /openapi.json and
 * the contract tests that check every response against its documented shape.
 */

export const MAX_BODY_BYTES = 64 * 1024;

export const evaluateRequest = z.strictObject({ job: jobSchema });
export const simulateRequest = z.strictObject({
  job: jobSchema,
  policy: z
    .string()
    .min(1)
    .max(60_000)
    .optional()
    .describe("A candidate policy (one base file, YAML) to evaluate instead of the deployed one"),
  explain: z.boolean().optional().describe("Include the explain trace (default true)"),
});

const decision = z.enum(DECISIONS);
const constraints = z.strictObject({
  max_runtime_sec: z.number().optional(),
  max_lines_changed: z.number().optional(),
  max_files_changed: z.number().optional(),
  network_egress_allowlist: z.array(z.string()).optional(),
  allow_paths: z.array(z.string()).optional(),
  deny_paths: z.array(z.string()).optional(),
});
const derived = z.strictObject({
  capability: z.string().optional(),
  risk_tags: z.array(z.string()),
  labels: z.record(z.string(), z.string()),
  findings: z.array(z.string()),
});

/** The decision fields evaluate and simulate share (engine/view.ts builds them). */
const decisionFields = {
  decision,
  reason: z.string(),
  rule_id: z.string().nullable(),
  matched_rules: z.array(z.string()),
  constraints,
  snapshot_hash: z.string(),
  derived,
};

export const evaluateResponse = z.strictObject({
  job_id: z.string(),
  ...decisionFields,
  request_hash: z.string(),
  approval: z
    .strictObject({
      id: z.string(),
      status: z.literal("pending"),
      expires_at: z.string(),
      quorum: z.number(),
      approvers: z.array(z.string()),
    })
    .optional(),
});

const explainEntry = z.strictObject({
  rule_id: z.string(),
  origin: z.string(),
  decision,
  mode: z.enum(["enforce", "shadow"]),
  matched: z.boolean(),
  failed: z.strictObject({ condition: z.string(), detail: z.string() }).optional(),
});

export const simulateResponse = z.strictObject({
  ...decisionFields,
  approval: z.strictObject({ approvers: z.array(z.string()), quorum: z.number(), ttl_sec: z.number() }).optional(),
  shadow_matches: z.array(z.strictObject({ rule_id: z.string(), decision })),
  velocity: z.array(
    z.strictObject({
      rule_id: z.string(),
      key: z.string(),
      max: z.number(),
      per_sec: z.number(),
      count: z.number().nullable(),
      triggered: z.boolean(),
    }),
  ),
  explain: z.array(explainEntry).optional(),
  diagnostics: z.array(z.string()).optional().describe("Warnings from compiling a candidate policy"),
});

export const policyResponse = z.strictObject({
  snapshot_hash: z.string(),
  built_at: z.string(),
  default_decision: decision,
  packs: z.array(z.string()),
  rules: z.array(z.record(z.string(), z.unknown())),
  tenant: z
    .strictObject({ id: z.string(), default_decision: decision.optional(), rules: z.array(z.record(z.string(), z.unknown())) })
    .nullable(),
});

export const auditRecord = z.strictObject({
  seq: z.number(),
  at: z.string(),
  tenant: z.string(),
  type: z.string(),
  job_id: z.string().nullable(),
  actor: z.string().nullable(),
  decision: z.string().nullable(),
  rule_id: z.string().nullable(),
  reason: z.string().nullable(),
  risk_tags: z.array(z.string()),
  capability: z.string().nullable(),
  snapshot_hash: z.string().nullable(),
  request_hash: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  prev_hash: z.string(),
  hash: z.string(),
});

export const auditPage = z.strictObject({ records: z.array(auditRecord), next_cursor: z.string().nullable() });

export const auditQuery = z.strictObject({
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  decision: decision.optional(),
  actor: z.string().min(1).max(256).optional(),
  job_id: z.string().min(1).max(200).optional(),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, "cursor must be the next_cursor of a previous page")
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const verifyResponse = z.union([
  z.strictObject({ ok: z.literal(true), records: z.number(), head: z.strictObject({ seq: z.number(), hash: z.string() }).nullable() }),
  z.strictObject({ ok: z.literal(false), records: z.number(), broken_seq: z.number(), reason: z.string() }),
]);

const outcome = z
  .strictObject({
    state: z.enum(["approved", "denied", "rejected", "expired"]),
    reason: z.string(),
    constraints: constraints.optional(),
    decision: decision.optional().describe("The re-evaluation's decision under the policy deployed when the approval resolved"),
    rule_id: z.string().nullable().optional(),
    snapshot_hash: z.string().optional(),
    resolved_at: z.string().optional(),
  })
  .describe("How the job's approval ended; null while it is pending or when no approval was needed");

export const jobResponse = z.strictObject({
  job_id: z.string(),
  client_job_id: z.string().nullable(),
  state: z.enum(["allowed", "denied", "pending_approval", "approved", "rejected", "expired"]),
  created_at: z.string(),
  decision: evaluateResponse,
  outcome: outcome.nullable(),
  job: z.record(z.string(), z.unknown()),
  timeline: z.array(auditRecord),
});

export const jobQuery = z.strictObject({
  wait: z
    .string()
    .regex(/^(0|[1-9][0-9]?)$/, "wait must be a whole number of seconds from 0 to 60")
    .refine((w) => Number(w) <= 60, "wait must be a whole number of seconds from 0 to 60")
    .optional()
    .describe("Hold the answer until the job leaves pending_approval, at most this many seconds"),
});

const vote = z.enum(["approve", "reject"]);
/** An approver identity: `scheme:value`, as listed in a rule's approvers (slack:U…, email:…, user:…). */
const approverId = z
  .string()
  .min(3)
  .max(256)
  .regex(/^[a-z][a-z0-9_-]*:\S+$/, "approver must be 'scheme:id', e.g. slack:U024BE7LH or email:sre@example.com");

export const voteRequest = z.strictObject({
  vote,
  approver: approverId,
  note: z.string().max(1000).optional(),
});

export const approvalView = z.strictObject({
  id: z.string(),
  tenant: z.string(),
  job_id: z.string(),
  status: z.enum(["pending", "approved", "rejected", "expired"]),
  created_at: z.string(),
  expires_at: z.string(),
  resolved_at: z.string().nullable(),
  quorum: z.number(),
  approvers: z.array(z.string()),
  votes: z.array(
    z.strictObject({
      approver: z.string(),
      vote,
      note: z.string().nullable(),
      at: z.string(),
      via: z.enum(["api", "slack", "link"]),
    }),
  ),
  rule_id: z.string().nullable(),
  reason: z.string(),
  snapshot_hash: z.string(),
  request_hash: z.string(),
  actor: z.strictObject({ id: z.string(), type: z.string().optional(), on_behalf_of: z.string().optional() }).nullable(),
  job: z.record(z.string(), z.unknown()),
  derived: z.looseObject({ capability: z.string().optional(), risk_tags: z.array(z.string()) }),
  outcome: z
    .strictObject({ state: z.enum(["approved", "denied", "rejected", "expired"]), reason: z.string(), constraints: constraints.optional() })
    .nullable(),
});

export const approvalList = z.strictObject({ approvals: z.array(approvalView) });
export const approvalQuery = z.strictObject({
  status: z.enum(["pending", "approved", "rejected", "expired"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const linksRequest = z.strictObject({ approver: approverId });
export const linksResponse = z.strictObject({
  approver: z.string(),
  expires_at: z.string(),
  approve: z.string().describe("GET shows the job and a confirm button; POST casts the vote"),
  reject: z.string(),
});

export const healthResponse = z.strictObject({ ok: z.literal(true), snapshot_hash: z.string() });

export const errorResponse = z.strictObject({
  error: z.strictObject({
    code: z.enum([
      "invalid_request",
      "unauthorized",
      "forbidden",
      "not_found",
      "conflict",
      "payload_too_large",
      "rate_limited",
      "internal",
      "unavailable",
    ]),
    message: z.string(),
    details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  }),
});
