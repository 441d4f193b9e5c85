import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import demoYaml from "../../policies/cordon.yaml?raw";
import acmeYaml from "../../policies/tenants/acme.yaml?raw";
import demoTestsYaml from "../../policies/tests/demo.yaml?raw";
import committedPolicySchema from "../../schema/policy.schema.json";
import committedTenantSchema from "../../schema/tenant.schema.json";
import committedTestsSchema from "../../schema/tests.schema.json";
import { Engine } from "../../src/engine/evaluator";
import { compilePolicy, type PolicySource } from "../../src/policy/compiler";
import { formatDiagnostic } from "../../src/policy/diagnostics";
import { policyJsonSchemas } from "../../src/policy/schema";
import { runPolicyTests } from "../../src/policy/test-runner";
import { compile } from "../support/policy";

const demoSources: PolicySource[] = [
  { kind: "base", path: "policies/cordon.yaml", text: demoYaml },
  { kind: "tenant", path: "policies/tenants/acme.yaml", text: acmeYaml },
  { kind: "tests", path: "policies/tests/demo.yaml", text: demoTestsYaml },
];

/** Compile and return the error lines, formatted as the CLI prints them. */
async function errors(base: string, tenants: Record<string, string> = {}): Promise<string[]> {
  const r = await compile(base, tenants);
  expect(r.ok).toBe(false);
  return r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
}

describe("the demo policy", () => {
  it("compiles and passes its own tests in the Workers runtime", async () => {
    const r = await compilePolicy(demoSources);
    expect(r.diagnostics).toEqual([]);
    expect(r.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    if (!r.snapshot || !r.hash) throw new Error("demo policy did not compile");
    const outcomes = runPolicyTests(new Engine(r.snapshot, r.hash), r.tests);
    expect(outcomes.length).toBeGreaterThanOrEqual(12);
    expect(outcomes.filter((o) => !o.pass).map((o) => `${o.test.name}: ${o.failures.join("; ")}`)).toEqual([]);
    const decisions = new Set(outcomes.map((o) => o.test.expect.decision));
    expect([...decisions].sort()).toEqual(["ALLOW", "ALLOW_WITH_CONSTRAINTS", "DENY", "REQUIRE_APPROVAL"]);
  });
});

describe("the snapshot hash", () => {
  const base = `version: 1
default_decision: DENY
rules:
  - id: a
    match: { capability: "k8s.*.delete", risk_tags: [Production] }
    decision: deny
    reason: no
`;
  it("is the same for the same sources, whatever their order, comments, layout or key order", async () => {
    const h1 = (await compile(base)).hash;
    const reordered = `# a comment\nrules:\n  - reason: no\n    decision: DENY\n    match:\n      risk_tags: [production]\n      capability: K8S.*.DELETE\n    id: a\ndefault_decision: DENY\nversion: 1\n`;
    expect((await compile(reordered)).hash).toBe(h1);
    const a = await compilePolicy(demoSources);
    const b = await compilePolicy([...demoSources].reverse());
    expect(b.hash).toBe(a.hash);
  });

  it("changes when the meaning changes", async () => {
    const h1 = (await compile(base)).hash;
    expect((await compile(base.replace("reason: no", "reason: nope"))).hash).not.toBe(h1);
    expect((await compile(base.replace("deny\n", "allow\n"))).hash).not.toBe(h1);
  });

  it("matches the canonical JSON of the snapshot", async () => {
    const { canonicalJson, sha256Tagged } = await import("../../src/engine/canonical");
    const r = await compile(base);
    expect(await sha256Tagged(canonicalJson(r.snapshot))).toBe(r.hash);
    expect(canonicalJson({ b: 1, a: [true, null, "x"], c: { z: 1, y: 2 } })).toBe('{"a":[true,null,"x"],"b":1,"c":{"y":2,"z":1}}');
  });
});

describe("compile errors name file:line:column, the rule and the problem", () => {
  it("unknown keys, with a suggestion", async () => {
    const e = await errors("version: 1\nrules:\n  - id: r1\n    match:\n      risk_tag: [x]\n    decision: DENY\n    reason: x\n");
    expect(e).toEqual(["policies/base.yaml:5:7: error: rule 'r1': unknown key 'risk_tag' in match (did you mean 'risk_tags'?)"]);
  });

  it("unknown decisions (lower-case is fine, anything else is not)", async () => {
    const ok = await compile("version: 1\nrules:\n  - { id: r1, match: {}, decision: deny, reason: x }\n");
    expect(ok.ok).toBe(true);
    expect(ok.snapshot?.rules[0]?.decision).toBe("DENY");
    const e = await errors("version: 1\nrules:\n  - { id: r1, match: {}, decision: Deny, reason: x }\n");
    expect(e[0]).toMatch(/^policies\/base\.yaml:3:36: error: rule 'r1': unknown decision the string "Deny"/);
  });

  it("duplicate rule ids, across files", async () => {
    const e = await errors(
      "version: 1\nrules:\n  - { id: dup, match: {}, decision: DENY, reason: x }\n  - { id: dup, match: {}, decision: DENY, reason: y }\n",
      {
        acme: "rules:\n  - { id: dup, match: {}, decision: ALLOW, reason: z }\n",
      },
    );
    expect(e).toContain("policies/base.yaml:4:11: error: rule 'dup': duplicate rule id 'dup' (first defined at policies/base.yaml:3)");
    expect(e).toContain(
      "policies/tenants/acme.yaml:2:11: error: rule 'dup': duplicate rule id 'dup' (first defined at policies/base.yaml:3)",
    );
  });

  it("two tenants may reuse a rule id of their own", async () => {
    const r = await compile("version: 1\n", {
      acme: "rules:\n  - { id: mine, match: {}, decision: ALLOW, reason: z }\n",
      globex: "rules:\n  - { id: mine, match: {}, decision: DENY, reason: z }\n",
    });
    expect(r.ok).toBe(true);
  });

  it("bad globs and unsafe regexes", async () => {
    const e = await errors(`version: 1
rules:
  - id: g
    match:
      capability: ["ok.*", "k8s.**x"]
      when:
        - { field: action.command, op: regex, value: "(a+)+$" }
    decision: DENY
    reason: x
`);
    expect(e[0]).toBe(
      "policies/base.yaml:5:28: error: rule 'g': bad glob 'k8s.**x': '**' must be a whole segment in 'k8s.**x' (use '*' inside a segment)",
    );
    expect(e[1]).toMatch(/^policies\/base\.yaml:7:54: error: rule 'g': when 'action.command regex': regex rejected: /);
  });

  it("type errors say what was expected and what was found", async () => {
    const e = await errors("version: 1\nrules:\n  - id: t\n    match: { risk_tags: production }\n    decision: DENY\n    reason: x\n");
    expect(e).toEqual(["policies/base.yaml:4:25: error: rule 't': risk_tags must be a list, not the string \"production\""]);
  });

  it("YAML syntax errors and duplicate keys", async () => {
    expect((await errors("version: 1\nrules:\n  - id: a\n   match: {}\n"))[0]).toMatch(/^policies\/base\.yaml:\d+:\d+: error: YAML: /);
    expect((await errors("version: 1\nversion: 1\n"))[0]).toMatch(/^policies\/base\.yaml:2:1: error: YAML: Map keys must be unique/);
  });

  it("decision-specific blocks", async () => {
    const e = await errors(`version: 1
rules:
  - { id: a, match: {}, decision: ALLOW_WITH_CONSTRAINTS, reason: x }
  - { id: b, match: {}, decision: REQUIRE_APPROVAL, reason: x }
  - { id: c, match: {}, decision: DENY, reason: x, constraints: { max_runtime_sec: 5 } }
  - { id: d, match: {}, decision: ALLOW, reason: x, velocity: { max: 1, per: 1h } }
  - { id: e, match: {}, decision: REQUIRE_APPROVAL, reason: x, approval: { approvers: [slack:U1], quorum: 2 } }
  - { id: f, match: {}, decision: REQUIRE_APPROVAL, reason: x, approval: { approvers: [group:ghosts] } }
  - { id: g, match: {}, decision: REQUIRE_APPROVAL, reason: x, approval: { approvers: [slack:U1], ttl: 10s } }
`);
    expect(e.join("\n")).toMatch(/rule 'a': ALLOW_WITH_CONSTRAINTS needs a constraints block/);
    expect(e.join("\n")).toMatch(/rule 'b': REQUIRE_APPROVAL needs an approval block/);
    expect(e.join("\n")).toMatch(/rule 'c': constraints only apply to ALLOW_WITH_CONSTRAINTS rules, not DENY/);
    expect(e.join("\n")).toMatch(/rule 'd': velocity applies to DENY and REQUIRE_APPROVAL rules/);
    expect(e.join("\n")).toMatch(/rule 'e': quorum 2 can never be reached: only 1 distinct approver/);
    expect(e.join("\n")).toMatch(/rule 'f': unknown group 'ghosts'/);
    expect(e.join("\n")).toMatch(/rule 'g': ttl 10s is out of range/);
  });

  it("unknown packs, bad tenant ids and defaults that cannot be enforced", async () => {
    const e = await errors("version: 1\npacks: [nonexistent]\ndefault_decision: ALLOW_WITH_CONSTRAINTS\n");
    expect(e).toEqual([
      "policies/base.yaml:2:9: error: unknown pack 'nonexistent' (available: shell, git, kubernetes, sql, http, mcp, secrets)",
      "policies/base.yaml:3:19: error: default_decision cannot be ALLOW_WITH_CONSTRAINTS: a default has no constraints to enforce; write a rule with `match: {}` and constraints instead",
    ]);
    expect(await errors("version: 1\ntenants:\n  Bad_Id: {}\n")).toEqual([
      "policies/base.yaml:3:3: error: 'Bad_Id' is not a valid key in tenants: a tenant id is lower-case letters, digits, '-' and '_'",
    ]);
  });

  it("tests that name an unknown tenant", async () => {
    const r = await compile(
      "version: 1\n",
      {},
      "tests:\n  - name: t\n    tenant: ghost\n    job: { capability: x }\n    expect: { decision: DENY }\n",
    );
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "policies/tests/t.yaml:3:13: error: test 't' names tenant 'ghost', which no policy defines",
    ]);
  });

  it("a wrong version", async () => {
    expect(await errors("version: 2\n")).toEqual([
      "policies/base.yaml:1:10: error: unsupported version number 2: this Cordon reads version 1",
    ]);
  });
});

describe("warnings: rules that can never match", () => {
  const cases: [string, RegExp][] = [
    ["{ match: { risk_tags: [x] }, unless: { risk_tags: [x] } }", /whenever its match holds, its unless holds too/],
    ["{ match: { capability: a.b }, unless: {} }", /its unless block is empty/],
    ["{ match: { when: [{ field: a, op: eq, value: 1 }, { field: a, op: eq, value: 2 }] } }", /cannot equal two different values/],
    ["{ match: { when: [{ field: a, op: gt, value: 5 }, { field: a, op: lt, value: 3 }] } }", /no number satisfies/],
    ["{ match: { when: [{ field: a, op: exists, value: false }, { field: a, op: eq, value: 2 }] } }", /must be absent and also compared/],
  ];
  for (const [rule, why] of cases) {
    it(`${rule}`, async () => {
      const r = await compile(`version: 1\nrules:\n  - { id: w, decision: DENY, reason: x, ${rule.slice(2)}\n`);
      expect(r.ok).toBe(true);
      const warnings = r.diagnostics.filter((d) => d.severity === "warning");
      expect(warnings).toHaveLength(1);
      expect(warnings.map(formatDiagnostic)[0]).toMatch(/^policies\/base\.yaml:3:5: warning: rule 'w': can never match: /);
      expect(warnings[0]?.message).toMatch(why);
    });
  }

  it("does not warn about ordinary rules", async () => {
    const r = await compilePolicy(demoSources);
    expect(r.diagnostics.filter((d) => d.severity === "warning")).toEqual([]);
  });
});

describe("robustness: random input gives a clear error or a valid snapshot, never a crash", () => {
  const checkResult = (r: Awaited<ReturnType<typeof compilePolicy>>) => {
    if (r.ok) {
      expect(r.hash).toMatch(/^sha256:/);
    } else {
      for (const d of r.diagnostics) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
        expect(d.message.length).toBeGreaterThan(3);
        expect(d.message).not.toMatch(/undefined|\[object Object\]/);
      }
    }
  };

  it("random text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        checkResult(await compilePolicy([{ kind: "base", path: "p.yaml", text }]));
      }),
      { numRuns: 300 },
    );
  });

  it("random YAML documents shaped like policies", async () => {
    const key = fc.constantFrom(
      "version",
      "rules",
      "tenants",
      "default_decision",
      "packs",
      "groups",
      "environments",
      "id",
      "match",
      "decision",
      "reason",
      "capability",
      "risk_tags",
      "when",
      "approval",
      "constraints",
      "velocity",
      "unless",
      "labels",
      "mode",
    );
    const leaf = fc.oneof(
      fc.constantFrom(1, "DENY", "allow", "x.*", "**", "k8s..x", "(a+)+", "1h", "group:sre", true, null),
      fc.string({ maxLength: 8 }),
      fc.integer(),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(key, tie("node"), { maxKeys: 4 }),
      ),
    })).node;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, tree, { maxKeys: 5 }), fc.boolean(), async (doc, withVersion) => {
        const value = withVersion ? { version: 1, ...doc } : doc;
        checkResult(await compilePolicy([{ kind: "base", path: "p.yaml", text: stringify(value) }]));
        checkResult(
          await compilePolicy([
            { kind: "base", path: "p.yaml", text: "version: 1\n" },
            { kind: "tenant", path: "tenants/t.yaml", text: stringify(doc) },
          ]),
        );
      }),
      { numRuns: 400 },
    );
  });

  it("resists alias bombs", async () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`;
    const r = await compilePolicy([{ kind: "base", path: "p.yaml", text: bomb }]);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.message).toMatch(/YAML/);
  });
});

describe("the published JSON Schemas", () => {
  it("are generated from the same zod schemas and the committed files are current", () => {
    const s = policyJsonSchemas();
    expect(committedPolicySchema).toEqual(JSON.parse(JSON.stringify(s.policy)));
    expect(committedTenantSchema).toEqual(JSON.parse(JSON.stringify(s.tenant)));
    expect(committedTestsSchema).toEqual(JSON.parse(JSON.stringify(s.tests)));
    expect(s.policy).toMatchObject({ type: "object", additionalProperties: false, required: ["version"] });
    expect(Object.keys((s.policy as { properties: object }).properties)).toEqual(
      expect.arrayContaining(["version", "default_decision", "packs", "rules", "tenants", "groups", "environments"]),
    );
  });
});
