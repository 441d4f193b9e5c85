import { canonicalJson } from "../engine/canonical";
import type { Engine } from "../engine/evaluator";
import type { EvaluationResult, JsonValue } from "../engine/types";
import type { PolicyTestCase } from "./compiler";

export interface PolicyTestOutcome {
  test: PolicyTestCase;
  pass: boolean;
  /** One line per expectation that did not hold: what was expected, what came out. */
  failures: string[];
  result: EvaluationResult;
}

/**
 * Run policy tests against a loaded snapshot. Every velocity rule counts 0
 * unless the test sets `velocity_counts`, so tests describe a fresh window by
 * default. Each failing test carries the explain trace.
 */
export function runPolicyTests(engine: Engine, tests: readonly PolicyTestCase[]): PolicyTestOutcome[] {
  const velocityRules = [...engine.snapshot.rules, ...Object.values(engine.snapshot.tenants).flatMap((t) => t.rules)].filter(
    (r) => r.velocity,
  );
  return tests.map((test) => {
    const counts: Record<string, number> = Object.fromEntries(velocityRules.map((r) => [r.id, 0]));
    Object.assign(counts, test.velocity_counts);
    const opts = { explain: true, velocityCounts: counts, ...(test.tenant !== undefined ? { tenant: test.tenant } : {}) };
    const result = engine.evaluate(test.job, opts);
    const failures: string[] = [];
    const e = test.expect;
    if (result.decision !== e.decision) failures.push(`decision: expected ${e.decision}, got ${result.decision}`);
    if (e.rule_id !== undefined && result.rule_id !== e.rule_id) {
      failures.push(`rule_id: expected ${JSON.stringify(e.rule_id)}, got ${JSON.stringify(result.rule_id)}`);
    }
    if (e.reason !== undefined && !result.reason.includes(e.reason)) {
      failures.push(`reason: expected to contain ${JSON.stringify(e.reason)}, got ${JSON.stringify(result.reason)}`);
    }
    if (e.constraints !== undefined) {
      const got = result.constraints as Record<string, JsonValue | undefined>;
      for (const [k, v] of Object.entries(e.constraints)) {
        if (got[k] === undefined || canonicalJson(got[k]) !== canonicalJson(v)) {
          failures.push(`constraints.${k}: expected ${canonicalJson(v)}, got ${got[k] === undefined ? "nothing" : canonicalJson(got[k])}`);
        }
      }
    }
    if (e.risk_tags !== undefined) {
      const missing = e.risk_tags.map((t) => t.toLowerCase()).filter((t) => !result.derived.risk_tags.includes(t));
      if (missing.length)
        failures.push(`risk_tags: expected to include [${missing.join(", ")}], got [${result.derived.risk_tags.join(", ")}]`);
    }
    return { test, pass: failures.length === 0, failures, result };
  });
}
