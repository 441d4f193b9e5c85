import type { EvaluationResult } from "./types";

/**
 * The decision fields a client sees, in one place so the CLI's `simulate` and
 * the API's simulate response can never drift apart.
 */
export function decisionView(r: EvaluationResult, explain: boolean) {
  return {
    decision: r.decision,
    reason: r.reason,
    rule_id: r.rule_id,
    matched_rules: r.matched_rules,
    constraints: r.constraints,
    snapshot_hash: r.snapshot_hash,
    derived: r.derived,
    ...(r.approval ? { approval: r.approval } : {}),
    shadow_matches: r.shadow_matches,
    velocity: r.velocity,
    ...(explain ? { explain: r.explain ?? [] } : {}),
  };
}
