import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/evaluator";
import { STRICTNESS } from "../../src/engine/types";
import { compilePolicy } from "../../src/policy/compiler";
import { jobArb, policyYaml, type RuleSpec, rulesArb } from "../support/arbitraries";

async function build(rules: RuleSpec[], def = "DENY"): Promise<Engine> {
  const r = await compilePolicy([{ kind: "base", path: "p.yaml", text: policyYaml(rules, def) }]);
  if (!r.ok || !r.snapshot || !r.hash) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return new Engine(r.snapshot, r.hash);
}

const runs = { numRuns: 150 };

describe("evaluator properties", () => {
  it("never throws on any job, and always answers one of the four decisions", async () => {
    await fc.assert(
      fc.asyncProperty(rulesArb(), fc.array(fc.oneof(fc.anything(), jobArb), { minLength: 1, maxLength: 10 }), async (rules, jobs) => {
        const e = await build(rules);
        for (const job of jobs) {
          const r = e.evaluate(job, { explain: true });
          expect(Object.keys(STRICTNESS)).toContain(r.decision);
        }
      }),
      runs,
    );
  });

  it("adding a DENY rule that matches the job always yields DENY", async () => {
    await fc.assert(
      fc.asyncProperty(rulesArb(), jobArb, fc.constantFrom("ALLOW", "DENY", "REQUIRE_APPROVAL"), async (rules, job, def) => {
        const deny: RuleSpec = { id: "added-deny", match: {}, decision: "DENY", reason: "added" };
        if (job.capability) deny.match = { capability: job.capability };
        const e = await build([...rules, deny], def === "REQUIRE_APPROVAL" ? "DENY" : def);
        const r = e.evaluate(job);
        expect(r.decision).toBe("DENY");
        expect(r.matched_rules).toContain("added-deny");
      }),
      runs,
    );
  });

  it("adding an ALLOW rule never weakens a decision", async () => {
    await fc.assert(
      fc.asyncProperty(rulesArb(), rulesArb(1), jobArb, async (rules, extra, job) => {
        const allow: RuleSpec[] = extra.map((r, i) => ({ id: `extra${i}`, match: r.match, decision: "ALLOW", reason: "added allow" }));
        const before = (await build(rules)).evaluate(job);
        const after = (await build([...rules, ...allow])).evaluate(job);
        if (before.rule_id !== null) {
          // Some rule already decided: an ALLOW can add itself to the matches, never change the outcome.
          expect(after.decision).toBe(before.decision);
          expect(after.rule_id).toBe(before.rule_id);
        } else {
          // Only the default decided: the added ALLOW either does not match, or it is the one rule that does.
          expect(after.decision === before.decision || (after.decision === "ALLOW" && after.rule_id?.startsWith("extra"))).toBe(true);
        }
      }),
      runs,
    );
  });

  it("rule order never changes the decision or the merged numeric constraints", async () => {
    await fc.assert(
      fc.asyncProperty(
        rulesArb().chain((rules) =>
          fc.tuple(fc.constant(rules), fc.shuffledSubarray(rules, { minLength: rules.length, maxLength: rules.length })),
        ),
        fc.array(jobArb, { minLength: 1, maxLength: 8 }),
        async ([rules, shuffled], jobs) => {
          const a = await build(rules);
          const b = await build(shuffled);
          for (const job of jobs) {
            const ra = a.evaluate(job);
            const rb = b.evaluate(job);
            expect(rb.decision).toBe(ra.decision);
            expect(rb.constraints.max_runtime_sec).toBe(ra.constraints.max_runtime_sec);
            expect([...rb.matched_rules].sort()).toEqual([...ra.matched_rules].sort());
          }
        },
      ),
      runs,
    );
  });

  it("the rule index never changes a result: indexed evaluation equals a full scan", async () => {
    await fc.assert(
      fc.asyncProperty(rulesArb(30), fc.array(jobArb, { minLength: 1, maxLength: 10 }), async (rules, jobs) => {
        const e = await build(rules);
        for (const job of jobs) {
          const { explain, ...full } = e.evaluate(job, { explain: true });
          expect(e.evaluate(job)).toEqual(full);
          expect(explain?.filter((x) => x.matched).map((x) => x.rule_id)).toEqual(full.matched_rules);
        }
      }),
      runs,
    );
  });
});
