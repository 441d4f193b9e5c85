import { z } from "zod";
import { type CONSTRAINT_KEYS, DECISIONS, WHEN_OPS } from "../engine/types";

/**
 * The policy file format as zod schemas: the single source for validation (with
 * positions, in the compiler) and for the published JSON Schema that editors
 * use to autocomplete and check policy files. These describe what authors
 * write; the compiler then normalizes it into the snapshot shapes of
 * `engine/types.ts`.
 */

export const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const TAG = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
export const DURATION = /^([1-9][0-9]{0,6})(s|m|h|d)$/;
export const APPROVER = /^(slack|email|user|group):[^\s:][^\s]{0,254}$/;
export const VELOCITY_KEY = /^(actor|tenant|labels\.[A-Za-z0-9][A-Za-z0-9_./-]{0,63})$/;
/** Label keys: no leading punctuation, so `__proto__` can never be one. */
export const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,63}$/;

const decision = z
  .enum([...DECISIONS, ...DECISIONS.map((d) => d.toLowerCase() as Lowercase<(typeof DECISIONS)[number]>)])
  .describe("ALLOW, DENY, REQUIRE_APPROVAL or ALLOW_WITH_CONSTRAINTS (lower-case accepted)");

const glob = z.string().min(1);
const globs = z
  .union([glob, z.array(glob).min(1)])
  .describe("A glob or a list of globs: '*' matches within one segment, a '**' segment matches any number of segments");
const tag = z.string().regex(TAG);
const duration = z.string().regex(DURATION).describe("A duration: a whole number and s, m, h or d (30s, 15m, 1h, 7d)");

export const whenConditionSchema = z.strictObject({
  field: z.string().min(1).describe("Dotted path into the job: input.namespace, action.command, labels.env"),
  op: z.enum(WHEN_OPS),
  value: z
    .json()
    .optional()
    .describe("Scalar for eq/ne/glob/regex, number for gt/gte/lt/lte, list for in/not_in, boolean for exists (default true)"),
});

export const matchSchema = z
  .strictObject({
    topic: globs.optional(),
    capability: globs.optional(),
    risk_tags: z.array(tag).min(1).optional().describe("Every listed tag must be present"),
    risk_tags_any: z.array(tag).min(1).optional().describe("At least one listed tag must be present"),
    labels: z
      .record(z.string().regex(LABEL_KEY), z.union([z.string(), z.array(z.string()).min(1)]))
      .optional()
      .describe("For every key, the label exists and matches one value (globs allowed; case-sensitive)"),
    actor: globs.optional().describe("Globs over job.actor.id"),
    when: z.array(whenConditionSchema).min(1).optional(),
  })
  .describe("All present conditions must hold; an empty match matches every job");

export const approvalSchema = z.strictObject({
  approvers: z.array(z.string().regex(APPROVER)).min(1).describe("slack:<user id>, email:<address>, user:<id> or group:<name>"),
  quorum: z.int().min(1).max(100).optional().describe("Distinct approvals needed (default 1); any single rejection vetoes"),
  ttl: duration.optional().describe("How long the approval waits before the job expires (default 1h)"),
});

const constraintShape = {
  max_runtime_sec: z.int().min(1).optional(),
  max_lines_changed: z.int().min(0).optional(),
  max_files_changed: z.int().min(0).optional(),
  network_egress_allowlist: z.array(glob).optional().describe("Hosts the job may reach (globs over '.' segments)"),
  allow_paths: z.array(glob).optional().describe("Paths the job may write (globs over '/' segments)"),
  deny_paths: z.array(glob).optional().describe("Paths the job must not touch (globs over '/' segments)"),
} satisfies Record<(typeof CONSTRAINT_KEYS)[number], z.ZodType>;
export const constraintsSchema = z.strictObject(constraintShape);

export const velocitySchema = z.strictObject({
  max: z.int().min(0).max(1_000_000),
  per: duration,
  key: z.string().regex(VELOCITY_KEY).optional().describe("actor (default), tenant or labels.<name>"),
});

export const ruleSchema = z.strictObject({
  id: z.string().regex(RULE_ID).describe("Unique rule id: letters, digits, '.', '_', '-'"),
  description: z.string().optional(),
  match: matchSchema,
  unless: matchSchema.optional().describe("Same keys as match; when these hold, the rule does not match"),
  decision,
  reason: z.string().min(1).max(500).describe("Shown to the agent and recorded in the audit trail"),
  constraints: constraintsSchema.optional(),
  approval: approvalSchema.optional(),
  velocity: velocitySchema.optional(),
  mode: z.enum(["enforce", "shadow"]).optional().describe("shadow: evaluated and recorded, never changes the decision"),
});

const groupsSchema = z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), z.array(z.string().regex(APPROVER)).min(1));
const environmentsSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), z.array(glob).min(1));

export const tenantSchema = z.strictObject({
  $schema: z.string().optional(),
  default_decision: decision.optional(),
  default_approval: approvalSchema.optional(),
  groups: groupsSchema.optional(),
  environments: environmentsSchema.optional(),
  rules: z.array(ruleSchema).optional(),
});

export const policyFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  default_decision: decision.optional().describe("When no rule matches (default DENY: fail closed)"),
  default_approval: approvalSchema.optional().describe("Approvers for jobs that default to REQUIRE_APPROVAL"),
  packs: z.array(z.string().min(1)).optional(),
  groups: groupsSchema.optional(),
  environments: environmentsSchema.optional(),
  rules: z.array(ruleSchema).optional(),
  tenants: z.record(z.string().regex(TENANT_ID), tenantSchema.omit({ $schema: true })).optional(),
});

export const overlaySchema = z.strictObject({ rules: z.array(ruleSchema) });

export const testsFileSchema = z.strictObject({
  $schema: z.string().optional(),
  tests: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        tenant: z.string().regex(TENANT_ID).optional(),
        job: z.record(z.string(), z.json()),
        velocity_counts: z.record(z.string(), z.int().min(0)).optional().describe("Counts per velocity rule id (default 0)"),
        expect: z.strictObject({
          decision,
          rule_id: z.string().nullable().optional(),
          reason: z.string().optional().describe("A substring of the reason"),
          constraints: z.record(z.string(), z.json()).optional().describe("A subset of the merged constraints"),
          risk_tags: z.array(z.string()).optional().describe("A subset of the effective risk tags"),
        }),
      }),
    )
    .min(1),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;
export type TenantFile = z.infer<typeof tenantSchema>;
export type RuleInput = z.infer<typeof ruleSchema>;
export type MatchInputSpec = z.infer<typeof matchSchema>;
export type ApprovalInput = z.infer<typeof approvalSchema>;
export type TestsFile = z.infer<typeof testsFileSchema>;

/** JSON Schemas of the three kinds of policy file, generated from the zod schemas above. */
export function policyJsonSchemas(): Record<"policy" | "tenant" | "tests", Record<string, unknown>> {
  const gen = (s: z.ZodType, title: string) => ({ title, ...z.toJSONSchema(s, { io: "input", target: "draft-2020-12" }) });
  return {
    policy: gen(policyFileSchema, "Cordon policy (policies/*.yaml)"),
    tenant: gen(tenantSchema, "Cordon tenant policy (policies/tenants/<tenant>.yaml)"),
    tests: gen(testsFileSchema, "Cordon policy tests (policies/tests/*.yaml)"),
  };
}
