/**
 * Differential tests: Cordon against Cedar on the fragment both express.
 *
 * Random policies (1..30 ALLOW/DENY rules over small alphabets) and random
 * jobs; each policy is compiled by Cordon from YAML and translated to Cedar
 * text; both must reach the same decision on every job, and the rules that
 * determine it must be the same (Cedar's `reason`: the satisfied permits on
 * ALLOW, the satisfied forbids on DENY).
 *
 * Default run: 150 policies x 20 jobs = 3000 comparisons.
 *   CORDON_DIFF_SEED=<int>  replay a run (the seed is printed on failure)
 *   CORDON_DIFF_RUNS=<k>    k times as many policies (e.g. 20 for 60,000 comparisons)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/evaluator";
import { compilePolicy } from "../../src/policy/compiler";
import { CedarPolicySet, cedarVersion } from "./cedar";
import { type FragJob, type FragPolicy, policyWithJobsArb, toCedarPolicies, toCedarText, toCordonJob, toCordonYaml } from "./fragment";

const JOBS_PER_POLICY = 20;
const BASE_POLICIES = 150;

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got '${raw}'`);
  return n;
}

const SEED = envInt("CORDON_DIFF_SEED") ?? (Date.now() ^ (process.pid << 8)) | 0;
const RUNS = Math.max(1, envInt("CORDON_DIFF_RUNS") ?? 1);

async function cordonEngine(p: FragPolicy): Promise<{ engine: Engine; yaml: string }> {
  const yaml = toCordonYaml(p);
  let c: Awaited<ReturnType<typeof compilePolicy>>;
  try {
    c = await compilePolicy([{ kind: "base", path: "policies/diff.yaml", text: yaml }]);
  } catch (e) {
    throw new Error(
      `Cordon's compiler threw on a generated policy: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n--- YAML ---\n${yaml}`,
    );
  }
  if (!c.ok || !c.snapshot || !c.hash) {
    throw new Error(
      `Cordon rejected a generated policy:\n${c.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n")}\n--- YAML ---\n${yaml}`,
    );
  }
  return { engine: new Engine(c.snapshot, c.hash), yaml };
}

interface Outcome {
  decision: string;
  /** Rules that determine the decision: matched DENY rules on DENY, matched ALLOW rules on ALLOW. */
  determining: string[];
}

function cordonOutcome(engine: Engine, job: FragJob, rules: FragPolicy["rules"]): Outcome {
  const r = engine.evaluate(toCordonJob(job));
  const decisionOf = new Map(rules.map((x) => [x.id, x.decision]));
  return { decision: r.decision, determining: r.matched_rules.filter((id) => decisionOf.get(id) === r.decision).sort() };
}

function disagreement(seed: number, yaml: string, p: FragPolicy, job: FragJob, cordon: Outcome, cedar: Outcome): string {
  return [
    `Cordon and Cedar disagree (seed ${seed}; replay with CORDON_DIFF_SEED=${seed}).`,
    `Cordon: ${cordon.decision} (determining rules: ${cordon.determining.join(", ") || "none: default"})`,
    `Cedar:  ${cedar.decision} (determining rules: ${cedar.determining.join(", ") || "none: default"})`,
    `Job: ${JSON.stringify(toCordonJob(job))}`,
    "--- Cordon YAML ---",
    yaml,
    "--- Cedar ---",
    toCedarText(p),
  ].join("\n");
}

const stats = { comparisons: 0, allow: 0, forbidDeny: 0, defaultDeny: 0 };

describe(`Cordon vs Cedar ${cedarVersion()} (differential)`, () => {
  it(`agrees on ${BASE_POLICIES * RUNS} random policies x ${JOBS_PER_POLICY} jobs (seed ${SEED})`, async () => {
    const cedarSet = "cordon-diff";
    try {
      await fc.assert(
        fc.asyncProperty(policyWithJobsArb(JOBS_PER_POLICY), async ([p, jobs]) => {
          const { engine, yaml } = await cordonEngine(p);
          const cedar = new CedarPolicySet(cedarSet, toCedarPolicies(p));
          for (const job of jobs) {
            const co = cordonOutcome(engine, job, p.rules);
            const ce = cedar.authorize(job);
            const cd: Outcome = { decision: ce.decision, determining: ce.reasons };
            stats.comparisons++;
            if (co.decision === "ALLOW") stats.allow++;
            else if (co.determining.length > 0) stats.forbidDeny++;
            else stats.defaultDeny++;
            if (co.decision !== cd.decision || co.determining.join(",") !== cd.determining.join(",")) {
              throw new Error(disagreement(SEED, yaml, p, job, co, cd));
            }
          }
        }),
        { seed: SEED, numRuns: BASE_POLICIES * RUNS, includeErrorInReport: true },
      );
    } catch (e) {
      // fast-check prints its own seed and path too; make ours impossible to miss.
      throw new Error(`differential run failed with CORDON_DIFF_SEED=${SEED}\n${e instanceof Error ? e.message : String(e)}`);
    }
    // Not vacuous: every kind of outcome occurs often.
    console.info(
      `differential: seed ${SEED}, ${stats.comparisons} comparisons: ${stats.allow} ALLOW, ${stats.forbidDeny} DENY by a rule, ${stats.defaultDeny} default DENY`,
    );
    const share = (n: number) => n / stats.comparisons;
    expect(stats.comparisons).toBeGreaterThanOrEqual(BASE_POLICIES * RUNS * JOBS_PER_POLICY);
    expect(share(stats.allow), JSON.stringify(stats)).toBeGreaterThan(0.1);
    expect(share(stats.forbidDeny), JSON.stringify(stats)).toBeGreaterThan(0.1);
    expect(share(stats.defaultDeny), JSON.stringify(stats)).toBeGreaterThan(0.1);
  });
});

// ---------------------------------------------------------------------------
// Hand-written cases pinning the glob translations. Each builds a one-rule
// ALLOW policy and checks both engines against the expected answer.

async function bothMatch(match: FragPolicy["rules"][number]["match"], job: FragJob): Promise<{ cordon: boolean | string; cedar: boolean }> {
  const p: FragPolicy = { rules: [{ id: "only", decision: "ALLOW", match }] };
  const { engine } = await cordonEngine(p);
  const cedar = new CedarPolicySet("cordon-pinned", toCedarPolicies(p)).authorize(job);
  let cordon: boolean | string;
  try {
    cordon = engine.evaluate(toCordonJob(job)).decision === "ALLOW";
  } catch (e) {
    // evaluate() must never throw; show the error in the comparison instead of losing the other side.
    cordon = `evaluate threw: ${e instanceof Error ? e.message : String(e)}`;
  }
  return { cordon, cedar: cedar.decision === "ALLOW" };
}

const cap = (capability: string): FragJob => ({ capability, risk_tags: [], labels: {} });

describe("pinned glob translations", () => {
  const capabilityCases: [glob: string, capability: string, expected: boolean][] = [
    ["k8s.**", "k8s", true],
    ["k8s.**", "k8s.pod", true],
    ["k8s.**", "k8s.pod.delete", true],
    ["k8s.**", "k8sx", false],
    ["k8s.**", "k8sx.pod", false],
    ["k8s.**", "db.k8s", false],
    ["a.*", "a.b", true],
    ["a.*", "a.b.c", false],
    ["a.*", "a", false],
    ["a.*.c", "a.b.c", true],
    ["a.*.c", "a.b.x.c", false],
    ["a.*.c", "a.c", false],
    ["*", "k8s", true],
    ["*", "k8s.pod", false],
    ["*.*", "a", false],
    ["*.*", "a.b", true],
    ["**", "k8s.pod.delete", true],
    ["**.delete", "delete", true],
    ["**.delete", "k8s.pod.delete", true],
    ["**.delete", "k8s.deletex", false],
    ["k8s.**.delete", "k8s.delete", true],
    ["k8s.**.delete", "k8s.pod.x.delete", true],
    ["k8s.**.delete", "k8s.pod.get", false],
    ["d*", "db", true],
    ["d*", "db.x", false],
    ["k8s.*e*", "k8s.delete", true],
    ["k8s.*e*", "k8s.pod", false],
    ["k8s.pod", "K8S.Pod", true],
    ["K8S.*", "k8s.pod", true],
    ["k8s.pod", "k8s.pod.delete", false],
  ];
  for (const [glob, capability, expected] of capabilityCases) {
    it(`capability '${glob}' ${expected ? "matches" : "does not match"} '${capability}'`, async () => {
      expect(await bothMatch({ capability: glob }, cap(capability))).toEqual({ cordon: expected, cedar: expected });
    });
  }

  it("a capability condition never matches a job without a capability (even '**')", async () => {
    expect(await bothMatch({ capability: "**" }, { risk_tags: [], labels: {} })).toEqual({ cordon: false, cedar: false });
  });

  const labelCases: [glob: string, value: string | undefined, expected: boolean][] = [
    ["prod-*", "prod-eu", true],
    ["prod-*", "prod", false],
    ["prod*", "prod", true],
    ["*-eu", "prod-eu", true],
    ["prod", "Prod", false],
    ["*", "", true],
    ["*", undefined, false],
    ["s*g", "staging", true],
    ["s*g", "sg", true],
    ["*o*", "dev", false],
  ];
  for (const [glob, value, expected] of labelCases) {
    it(`label env '${glob}' ${expected ? "matches" : "does not match"} ${value === undefined ? "an absent label" : `'${value}'`}`, async () => {
      const job: FragJob = { capability: "x", risk_tags: [], labels: value === undefined ? {} : { env: value } };
      expect(await bothMatch({ labels: { env: glob } }, job)).toEqual({ cordon: expected, cedar: expected });
    });
  }

  it("tags: all-of and any-of, case-insensitive", async () => {
    const job: FragJob = { capability: "x", risk_tags: ["Write", "PRODUCTION"], labels: {} };
    expect(await bothMatch({ risk_tags: ["write", "production"] }, job)).toEqual({ cordon: true, cedar: true });
    expect(await bothMatch({ risk_tags: ["write", "secrets"] }, job)).toEqual({ cordon: false, cedar: false });
    expect(await bothMatch({ risk_tags_any: ["secrets", "production"] }, job)).toEqual({ cordon: true, cedar: true });
    expect(await bothMatch({ risk_tags_any: ["secrets", "read"] }, job)).toEqual({ cordon: false, cedar: false });
  });

  it("forbid overrides permit; unless removes a rule; default deny", async () => {
    const p: FragPolicy = {
      rules: [
        { id: "allow-k8s", decision: "ALLOW", match: { capability: "k8s.**" } },
        {
          id: "deny-delete-prod",
          decision: "DENY",
          match: { capability: "k8s.*.delete", labels: { env: "prod*" } },
          unless: { risk_tags: ["read"] },
        },
      ],
    };
    const { engine } = await cordonEngine(p);
    const cedar = new CedarPolicySet("cordon-pinned", toCedarPolicies(p));
    const cases: [FragJob, string][] = [
      [{ capability: "k8s.pod.delete", risk_tags: [], labels: { env: "prod-eu" } }, "DENY"],
      [{ capability: "k8s.pod.delete", risk_tags: ["read"], labels: { env: "prod-eu" } }, "ALLOW"],
      [{ capability: "k8s.pod.delete", risk_tags: [], labels: { env: "dev" } }, "ALLOW"],
      [{ capability: "db.get", risk_tags: [], labels: {} }, "DENY"],
    ];
    for (const [job, expected] of cases) {
      expect([engine.evaluate(toCordonJob(job)).decision, cedar.authorize(job).decision], JSON.stringify(job)).toEqual([
        expected,
        expected,
      ]);
    }
  });

  // Label keys that name Object.prototype members: the label is absent from
  // these jobs unless given. (`__proto__` cannot be a label key at all: the
  // compiler rejects keys that start with punctuation; see the test below.)
  for (const key of ["constructor", "toString", "hasOwnProperty"]) {
    for (const glob of ["*", "x"]) {
      it(`label key '${key}' (value '${glob}') is an ordinary key`, async () => {
        const match: FragPolicy["rules"][number]["match"] = { labels: Object.fromEntries([[key, glob]]) };
        const absent: FragJob = { capability: "x", risk_tags: [], labels: {} };
        const present: FragJob = { capability: "x", risk_tags: [], labels: Object.fromEntries([[key, "x"]]) };
        const other: FragJob = { capability: "x", risk_tags: [], labels: Object.fromEntries([[key, "y"]]) };
        expect(await bothMatch(match, absent), "job without the label").toEqual({ cordon: false, cedar: false });
        expect(await bothMatch(match, present), "job with the label = 'x'").toEqual({ cordon: true, cedar: true });
        expect(await bothMatch(match, other), "job with the label = 'y'").toEqual({ cordon: glob === "*", cedar: glob === "*" });
      });
    }
  }

  it("rejects __proto__ as a label key with a clear error instead of dropping the condition", async () => {
    const r = await compilePolicy([
      {
        kind: "base",
        path: "p.yaml",
        text: "version: 1\nrules:\n  - { id: r, match: { labels: { __proto__: x } }, decision: ALLOW, reason: r }\n",
      },
    ]);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.message).toBe("the key '__proto__' is not allowed");
    expect(r.diagnostics[0]).toMatchObject({ line: 3, rule_id: "r" });
  });

  it("compiles a rule whose unless names a key its match does not have", async () => {
    const p: FragPolicy = { rules: [{ id: "r0", decision: "ALLOW", match: {}, unless: { capability: "k8s" } }] };
    const { engine } = await cordonEngine(p);
    const cedar = new CedarPolicySet("cordon-pinned", toCedarPolicies(p));
    for (const job of [cap("k8s"), cap("db"), { risk_tags: [], labels: {} }]) {
      expect(engine.evaluate(toCordonJob(job)).decision, JSON.stringify(job)).toBe(cedar.authorize(job).decision);
    }
  });

  it("the Cedar text for the brief's examples", () => {
    const text = toCedarText({
      rules: [
        {
          id: "r",
          decision: "DENY",
          match: { capability: ["a.*", "a.**", "a.*.c", "a.b.c"], labels: { env: ["x", "prod-*"] } },
          unless: { risk_tags_any: ["read"] },
        },
      ],
    });
    expect(text).toContain('context.capability like "a.*" && !(context.capability like "*.*.*")');
    expect(text).toContain('context.capability == "a" || context.capability like "a.*"');
    expect(text).toContain('context.capability like "a.*.c" && !(context.capability like "*.*.*.*")');
    expect(text).toContain('context.capability == "a.b.c"');
    expect(text).toContain('context.labels has "env" && (context.labels["env"] == "x" || context.labels["env"] like "prod-*")');
    expect(text).toContain('unless { context.tags.containsAny(["read"]) }');
    expect(text.startsWith('@id("r")\nforbid(principal, action, resource)')).toBe(true);
  });
});
