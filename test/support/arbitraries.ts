import fc from "fast-check";
import { stringify } from "yaml";

/** Small alphabets so random rules and jobs actually meet. */
export const SEGMENTS = ["k8s", "db", "pod", "ns", "delete", "get", "x"];
export const TAGS = ["read", "write", "destructive", "production", "secrets"];
export const LABEL_KEYS = ["env", "team"];
export const LABEL_VALUES = ["prod", "staging", "dev", "prod-eu"];
export const DECISIONS = ["ALLOW", "ALLOW_WITH_CONSTRAINTS", "REQUIRE_APPROVAL", "DENY"] as const;

const seg = fc.constantFrom(...SEGMENTS);
const capabilityGlob = fc.oneof(
  fc.array(seg, { minLength: 1, maxLength: 3 }).map((s) => s.join(".")),
  seg.map((s) => `${s}.*`),
  seg.map((s) => `${s}.**`),
  fc.tuple(seg, seg).map(([a, b]) => `${a}.*.${b}`),
  seg.map((s) => `**.${s}`),
);
const tags = (min: number) => fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: min, maxLength: 3 });

export const matchArb = fc.record(
  {
    capability: fc.oneof(capabilityGlob, fc.array(capabilityGlob, { minLength: 1, maxLength: 3 })),
    topic: fc.array(seg, { minLength: 1, maxLength: 2 }).map((s) => `job.${s.join(".")}`),
    risk_tags: tags(1),
    risk_tags_any: tags(1),
    labels: fc.dictionary(
      fc.constantFrom(...LABEL_KEYS),
      fc.oneof(
        fc.constantFrom(...LABEL_VALUES, "prod-*"),
        fc.uniqueArray(fc.constantFrom(...LABEL_VALUES), { minLength: 1, maxLength: 2 }),
      ),
      {
        minKeys: 1,
        maxKeys: 2,
      },
    ),
    actor: fc.constantFrom("*-bot", "alice", "deploy-bot"),
    when: fc.array(
      fc.oneof(
        fc.record({
          field: fc.constant("input.n"),
          op: fc.constantFrom("gt", "gte", "lt", "lte", "eq"),
          value: fc.integer({ min: 0, max: 5 }),
        }),
        fc.record({ field: fc.constant("input.ns"), op: fc.constantFrom("eq", "ne"), value: fc.constantFrom("a", "b") }),
        fc.record({ field: fc.constant("input.ns"), op: fc.constant("exists"), value: fc.boolean() }),
      ),
      { minLength: 1, maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

export interface RuleSpec {
  id: string;
  match: Record<string, unknown>;
  unless?: Record<string, unknown>;
  decision: (typeof DECISIONS)[number];
  reason: string;
  constraints?: Record<string, unknown>;
  approval?: Record<string, unknown>;
}

export const ruleBodyArb = fc.record(
  {
    match: matchArb,
    unless: matchArb,
    decision: fc.constantFrom(...DECISIONS),
    runtime: fc.integer({ min: 1, max: 1000 }),
  },
  { requiredKeys: ["match", "decision", "runtime"] },
);

/** Turn generated bodies into valid rules with unique ids. */
export function toRules(bodies: { match: unknown; unless?: unknown; decision: unknown; runtime: unknown }[], prefix = "r"): RuleSpec[] {
  return bodies.map((b, i) => {
    const decision = b.decision as RuleSpec["decision"];
    const rule: RuleSpec = {
      id: `${prefix}${i}`,
      match: b.match as Record<string, unknown>,
      decision,
      reason: `${prefix}${i} says ${decision}`,
    };
    if (b.unless !== undefined) rule.unless = b.unless as Record<string, unknown>;
    if (decision === "ALLOW_WITH_CONSTRAINTS") rule.constraints = { max_runtime_sec: b.runtime };
    if (decision === "REQUIRE_APPROVAL") rule.approval = { approvers: ["slack:U1"] };
    return rule;
  });
}

export const rulesArb = (max = 12) => fc.array(ruleBodyArb, { minLength: 0, maxLength: max }).map((b) => toRules(b));

export function policyYaml(rules: RuleSpec[], defaultDecision: string = "DENY"): string {
  return stringify({ version: 1, default_decision: defaultDecision, rules });
}

export const jobArb = fc.record(
  {
    capability: fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => s.join(".")),
    topic: fc.array(seg, { minLength: 1, maxLength: 2 }).map((s) => `job.${s.join(".")}`),
    risk_tags: tags(0),
    labels: fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), { maxKeys: 2 }),
    actor: fc.record({ id: fc.constantFrom("ci-bot", "alice", "deploy-bot", "bob") }),
    input: fc.record({ n: fc.integer({ min: 0, max: 5 }), ns: fc.constantFrom("a", "b") }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
