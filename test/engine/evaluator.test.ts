import { describe, expect, it } from "vitest";
import { mergeConstraints } from "../../src/engine/constraints";
import { engineFrom, oneRule } from "../support/policy";

const decide = async (match: string, job: unknown, extra?: string) => (await engineFrom(oneRule(match, extra))).evaluate(job);
const matches = async (match: string, job: unknown) => (await decide(match, job)).decision === "ALLOW";

describe("match conditions", () => {
  it("an empty match matches every job", async () => {
    expect(await matches("{}", { topic: "x" })).toBe(true);
  });

  it("topic: any glob matches job.topic, case-insensitively; no topic, no match", async () => {
    expect(await matches("{ topic: job.k8s.* }", { topic: "job.k8s.exec" })).toBe(true);
    expect(await matches("{ topic: [a.b, JOB.K8S.EXEC] }", { topic: "job.k8s.exec" })).toBe(true);
    expect(await matches("{ topic: job.k8s.* }", { topic: "job.sql.exec" })).toBe(false);
    expect(await matches("{ topic: job.k8s.* }", { capability: "job.k8s.exec" })).toBe(false);
  });

  it("capability: globs over the effective capability", async () => {
    expect(await matches("{ capability: k8s.namespace.delete }", { capability: "K8s.Namespace.Delete" })).toBe(true);
    expect(await matches('{ capability: "k8s.**" }', { capability: "k8s.pod.exec" })).toBe(true);
    expect(await matches('{ capability: ["db.*", "k8s.*.get"] }', { capability: "k8s.pod.get" })).toBe(true);
    expect(await matches('{ capability: ["db.*", "k8s.*.get"] }', { capability: "k8s.pod.delete" })).toBe(false);
  });

  it("risk_tags: every listed tag must be present (case-insensitive)", async () => {
    expect(await matches("{ risk_tags: [destructive, production] }", { topic: "t", risk_tags: ["Production", "DESTRUCTIVE", "x"] })).toBe(
      true,
    );
    expect(await matches("{ risk_tags: [destructive, production] }", { topic: "t", risk_tags: ["destructive"] })).toBe(false);
    expect(await matches("{ risk_tags: [destructive] }", { topic: "t" })).toBe(false);
  });

  it("risk_tags_any: at least one listed tag is present", async () => {
    expect(await matches("{ risk_tags_any: [secrets, egress] }", { topic: "t", risk_tags: ["egress"] })).toBe(true);
    expect(await matches("{ risk_tags_any: [secrets, egress] }", { topic: "t", risk_tags: ["read"] })).toBe(false);
  });

  it("labels: every key exists and matches one value; values are case-sensitive globs", async () => {
    const m = '{ labels: { env: [staging, "dev-*"], team: sre } }';
    expect(await matches(m, { topic: "t", labels: { env: "dev-eu", team: "sre" } })).toBe(true);
    expect(await matches(m, { topic: "t", labels: { env: "staging", team: "sre" } })).toBe(true);
    expect(await matches(m, { topic: "t", labels: { env: "Staging", team: "sre" } })).toBe(false);
    expect(await matches(m, { topic: "t", labels: { env: "staging" } })).toBe(false);
    expect(await matches(m, { topic: "t", labels: { env: "prod", team: "sre" } })).toBe(false);
  });

  it("actor: globs over job.actor.id; no actor, no match", async () => {
    expect(await matches('{ actor: "*-bot" }', { topic: "t", actor: { id: "deploy-bot" } })).toBe(true);
    expect(await matches('{ actor: ["alice@example.com", "*-bot"] }', { topic: "t", actor: { id: "alice@example.com" } })).toBe(true);
    expect(await matches('{ actor: "*-bot" }', { topic: "t", actor: { id: "alice" } })).toBe(false);
    expect(await matches('{ actor: "*-bot" }', { topic: "t" })).toBe(false);
  });

  it("all present conditions must hold together", async () => {
    const m = "{ capability: k8s.pod.delete, risk_tags: [production], actor: ci }";
    expect(await matches(m, { capability: "k8s.pod.delete", risk_tags: ["production"], actor: { id: "ci" } })).toBe(true);
    expect(await matches(m, { capability: "k8s.pod.delete", risk_tags: ["production"], actor: { id: "cd" } })).toBe(false);
  });
});

describe("when: every op", () => {
  const w = (field: string, op: string, value: string) => `{ when: [{ field: ${field}, op: ${op}, value: ${value} }] }`;
  const job = {
    topic: "t",
    capability: "db.query",
    labels: { env: "prod" },
    actor: { id: "bot" },
    action: { kind: "shell", command: "rm -rf /tmp/x" },
    input: { namespace: "payments", replicas: 3, tags: ["a", "b"], nested: { deep: { flag: true } }, nothing: null },
  };
  const cases: [string, string, string, boolean][] = [
    ["input.namespace", "eq", "payments", true],
    ["input.namespace", "eq", "billing", false],
    ["input.replicas", "eq", "3", true],
    ["input.replicas", "eq", '"3"', false],
    ["input.nested.deep.flag", "eq", "true", true],
    ["input.namespace", "ne", "billing", true],
    ["input.namespace", "ne", "payments", false],
    ["input.namespace", "in", "[billing, payments]", true],
    ["input.namespace", "in", "[billing]", false],
    ["input.namespace", "not_in", "[billing]", true],
    ["input.namespace", "not_in", "[payments]", false],
    ["action.command", "glob", '"rm -rf /tmp/*"', true],
    ["action.command", "glob", '"rm -rf /etc/*"', false],
    ["action.command", "regex", '"^rm\\\\s+-rf\\\\b"', true],
    ["action.command", "regex", '"^kubectl"', false],
    ["input.replicas", "gt", "2", true],
    ["input.replicas", "gt", "3", false],
    ["input.replicas", "gte", "3", true],
    ["input.replicas", "gte", "4", false],
    ["input.replicas", "lt", "4", true],
    ["input.replicas", "lt", "3", false],
    ["input.replicas", "lte", "3", true],
    ["input.replicas", "lte", "2", false],
    ["input.namespace", "exists", "true", true],
    ["input.missing", "exists", "true", false],
    ["input.missing", "exists", "false", true],
    ["input.nothing", "exists", "false", true],
    ["input.tags.1", "eq", "b", true],
    ["input.tags.x", "exists", "true", false],
    ["labels.env", "eq", "prod", true],
    ["actor.id", "eq", "bot", true],
    ["capability", "eq", "db.query", true],
    ["input.namespace", "gt", "1", false],
    ["input.replicas", "regex", '"3"', false],
  ];
  for (const [field, op, value, want] of cases) {
    it(`${field} ${op} ${value} -> ${want}`, async () => {
      expect(await matches(w(field, op, value), job)).toBe(want);
    });
  }

  it("a condition on an absent field does not hold, whatever the op (ne and not_in included)", async () => {
    for (const [op, v] of [
      ["eq", "x"],
      ["ne", "x"],
      ["in", "[x]"],
      ["not_in", "[x]"],
      ["gt", "0"],
      ["glob", '"*"'],
      ["regex", '"."'],
    ]) {
      expect(await matches(w("input.absent", op as string, v as string), job)).toBe(false);
    }
  });

  it("paths never reach into prototypes", async () => {
    expect(await matches(w("input.constructor", "exists", "true"), job)).toBe(false);
    expect(await matches(w("input.__proto__", "exists", "true"), job)).toBe(false);
  });
});

describe("unless", () => {
  it("a rule whose unless holds does not match; explain says so", async () => {
    const e = await engineFrom(
      oneRule("{ capability: k8s.*.get }", "unless: { risk_tags_any: [secrets] }\n    decision: ALLOW\n    reason: reads"),
    );
    expect(e.evaluate({ capability: "k8s.pod.get" }).decision).toBe("ALLOW");
    const r = e.evaluate({ capability: "k8s.secret.get", risk_tags: ["secrets"] }, { explain: true });
    expect(r.decision).toBe("DENY");
    expect(r.explain?.[0]).toMatchObject({ rule_id: "r", matched: false, failed: { condition: "unless" } });
  });
});

const precedence = `version: 1
rules:
  - { id: allow-1, match: { capability: "x.**" }, decision: ALLOW, reason: allow one }
  - { id: awc-1, match: { risk_tags: [awc] }, decision: ALLOW_WITH_CONSTRAINTS, reason: bounded one, constraints: { max_runtime_sec: 600 } }
  - { id: approve-1, match: { risk_tags: [approve] }, decision: REQUIRE_APPROVAL, reason: approval one, approval: { approvers: [slack:U1] } }
  - { id: deny-1, match: { risk_tags: [deny] }, decision: DENY, reason: deny one }
  - { id: approve-2, match: { risk_tags: [approve] }, decision: REQUIRE_APPROVAL, reason: approval two, approval: { approvers: [slack:U2] } }
  - { id: deny-2, match: { risk_tags: [deny] }, decision: DENY, reason: deny two }
`;

describe("combining rules: strictest wins", () => {
  const cases: [string[], string, string][] = [
    [[], "ALLOW", "allow-1"],
    [["awc"], "ALLOW_WITH_CONSTRAINTS", "awc-1"],
    [["approve"], "REQUIRE_APPROVAL", "approve-1"],
    [["awc", "approve"], "REQUIRE_APPROVAL", "approve-1"],
    [["deny", "approve", "awc"], "DENY", "deny-1"],
    [["deny"], "DENY", "deny-1"],
  ];
  for (const [tags, decision, rule] of cases) {
    it(`tags [${tags.join(", ")}] -> ${decision} by ${rule}`, async () => {
      const r = (await engineFrom(precedence)).evaluate({ capability: "x.y", risk_tags: tags });
      expect(r.decision).toBe(decision);
      expect(r.rule_id).toBe(rule);
    });
  }

  it("reports every matching rule in compiled order, and the first rule carrying the winning decision", async () => {
    const r = (await engineFrom(precedence)).evaluate({ capability: "x.y", risk_tags: ["deny", "approve", "awc"] });
    expect(r.matched_rules).toEqual(["allow-1", "awc-1", "approve-1", "deny-1", "approve-2", "deny-2"]);
    expect(r.reason).toBe("deny one");
    expect(r.constraints).toEqual({});
  });

  it("REQUIRE_APPROVAL keeps the merged constraints (they apply after approval) and its approval", async () => {
    const r = (await engineFrom(precedence)).evaluate({ capability: "x.y", risk_tags: ["awc", "approve"] });
    expect(r.constraints).toEqual({ max_runtime_sec: 600 });
    expect(r.approval).toEqual({ approvers: ["slack:U1"], quorum: 1, ttl_sec: 3600 });
  });

  it("a tenant cannot relax a global DENY: its ALLOW rule counts, the DENY still wins", async () => {
    const e = await engineFrom(
      "version: 1\nrules:\n  - { id: no-prod-delete, match: { risk_tags: [destructive, production] }, decision: DENY, reason: blocked }\n",
      { acme: "default_decision: ALLOW\nrules:\n  - { id: acme-allow-all, match: {}, decision: ALLOW, reason: anything goes }\n" },
    );
    const r = e.evaluate({ capability: "k8s.ns.delete", risk_tags: ["destructive", "production"] }, { tenant: "acme" });
    expect(r.decision).toBe("DENY");
    expect(r.rule_id).toBe("no-prod-delete");
    expect(r.matched_rules).toEqual(["no-prod-delete", "acme-allow-all"]);
    expect(e.evaluate({ capability: "k8s.pod.get" }, { tenant: "acme" }).decision).toBe("ALLOW");
  });
});

describe("defaults", () => {
  const base = "version: 1\ndefault_decision: allow\nrules:\n  - { id: d, match: { risk_tags: [bad] }, decision: DENY, reason: bad }\n";
  it("the global default applies when nothing matches, with rule_id null and a reason that says so", async () => {
    const r = (await engineFrom(base)).evaluate({ capability: "a.b" });
    expect(r).toMatchObject({ decision: "ALLOW", rule_id: null, matched_rules: [] });
    expect(r.reason).toMatch(/No rule matched/);
  });

  it("the tenant's default beats the global one; an unknown tenant gets the global one", async () => {
    const e = await engineFrom(base, {
      acme: "default_decision: REQUIRE_APPROVAL\ndefault_approval: { approvers: [email:a@example.com] }\n",
    });
    const r = e.evaluate({ capability: "a.b" }, { tenant: "acme" });
    expect(r.decision).toBe("REQUIRE_APPROVAL");
    expect(r.reason).toMatch(/tenant acme/);
    expect(r.approval?.approvers).toEqual(["email:a@example.com"]);
    expect(e.evaluate({ capability: "a.b" }, { tenant: "nobody" }).decision).toBe("ALLOW");
  });

  it("with no default anywhere the answer is DENY (fail closed)", async () => {
    const r = (await engineFrom("version: 1\n")).evaluate({ capability: "a.b" });
    expect(r.decision).toBe("DENY");
  });
});

describe("constraint merging: tightest wins", () => {
  it("numbers take the minimum, allowlists intersect, deny lists union", () => {
    const merged = mergeConstraints([
      {
        max_runtime_sec: 900,
        max_lines_changed: 500,
        network_egress_allowlist: ["api.github.com", "*.internal.example.com"],
        deny_paths: ["secrets/**"],
      },
      {
        max_runtime_sec: 300,
        network_egress_allowlist: ["api.github.com", "db.internal.example.com", "evil.com"],
        deny_paths: ["**/.env*", "secrets/**"],
      },
    ]);
    expect(merged).toEqual({
      max_runtime_sec: 300,
      max_lines_changed: 500,
      network_egress_allowlist: ["api.github.com", "db.internal.example.com"],
      deny_paths: ["secrets/**", "**/.env*"],
    });
  });

  it("two different globs that only overlap are dropped (tighter, never looser)", () => {
    expect(mergeConstraints([{ allow_paths: ["src/**"] }, { allow_paths: ["src/*.ts"] }])).toEqual({ allow_paths: [] });
    expect(mergeConstraints([{ allow_paths: ["src/**"] }, { allow_paths: ["src/**", "docs/a.md"] }])).toEqual({ allow_paths: ["src/**"] });
  });

  it("disjoint allowlists intersect to nothing allowed", () => {
    expect(mergeConstraints([{ network_egress_allowlist: ["a.com"] }, { network_egress_allowlist: ["b.com"] }])).toEqual({
      network_egress_allowlist: [],
    });
  });

  it("the evaluator merges every matching ALLOW_WITH_CONSTRAINTS rule", async () => {
    const e = await engineFrom(`version: 1
rules:
  - { id: a, match: { capability: "ci.**" }, decision: ALLOW_WITH_CONSTRAINTS, reason: a, constraints: { max_runtime_sec: 900, allow_paths: ["src/**"] } }
  - { id: b, match: { actor: "*-bot" }, decision: ALLOW_WITH_CONSTRAINTS, reason: b, constraints: { max_runtime_sec: 60, max_files_changed: 10 } }
`);
    const r = e.evaluate({ capability: "ci.run", actor: { id: "ci-bot" } });
    expect(r.rule_id).toBe("a");
    expect(r.constraints).toEqual({ max_runtime_sec: 60, allow_paths: ["src/**"], max_files_changed: 10 });
  });
});

describe("shadow rules", () => {
  it("are evaluated and reported, never change the decision", async () => {
    const e = await engineFrom(`version: 1
rules:
  - { id: allow, match: { capability: "git.**" }, decision: ALLOW, reason: ok }
  - { id: try-deny, mode: shadow, match: { when: [{ field: input.lines, op: gt, value: 1000 }] }, decision: DENY, reason: big }
`);
    const r = e.evaluate({ capability: "git.push", input: { lines: 5000 } }, { explain: true });
    expect(r.decision).toBe("ALLOW");
    expect(r.matched_rules).toEqual(["allow"]);
    expect(r.shadow_matches).toEqual([{ rule_id: "try-deny", decision: "DENY" }]);
    expect(r.explain?.find((x) => x.rule_id === "try-deny")).toMatchObject({ matched: true, mode: "shadow" });
  });
});

describe("velocity", () => {
  const policy = `version: 1
default_decision: ALLOW
rules:
  - { id: burst, match: { risk_tags: [destructive] }, decision: DENY, reason: too many, velocity: { max: 5, per: 1h } }
  - { id: per-env, match: { risk_tags: [deploy] }, decision: DENY, reason: env burst, velocity: { max: 2, per: 10m, key: labels.env } }
  - { id: per-tenant, match: { risk_tags: [export] }, decision: DENY, reason: tenant burst, velocity: { max: 1, per: 1d, key: tenant } }
`;
  it("applies only once the key has matched max times in the window", async () => {
    const e = await engineFrom(policy);
    const job = { capability: "k8s.pod.delete", risk_tags: ["destructive"], actor: { id: "bot-1" } };
    const below = e.evaluate(job, { velocityCounts: { burst: 4 } });
    expect(below.decision).toBe("ALLOW");
    expect(below.velocity).toEqual([{ rule_id: "burst", key: "actor:bot-1", max: 5, per_sec: 3600, count: 4, triggered: false }]);
    const at = e.evaluate(job, { velocityCounts: { burst: 5 } });
    expect(at.decision).toBe("DENY");
    expect(at.rule_id).toBe("burst");
  });

  it("fails closed when the count is not available", async () => {
    const r = (await engineFrom(policy)).evaluate({ capability: "x", risk_tags: ["destructive"] });
    expect(r.decision).toBe("DENY");
    expect(r.velocity[0]).toMatchObject({ count: null, triggered: true });
  });

  it("keys by actor, label or tenant", async () => {
    const e = await engineFrom(policy, { acme: "rules: []\n" });
    expect(
      e.evaluate({ capability: "x", risk_tags: ["deploy"], labels: { env: "prod" } }, { velocityCounts: { "per-env": 0 } }).velocity[0]
        ?.key,
    ).toBe("labels.env:prod");
    expect(
      e.evaluate({ capability: "x", risk_tags: ["export"] }, { tenant: "acme", velocityCounts: { "per-tenant": 0 } }).velocity[0]?.key,
    ).toBe("tenant:acme");
  });

  it("a job the rule's conditions do not match is not counted", async () => {
    const r = (await engineFrom(policy)).evaluate({ capability: "x", risk_tags: ["read"] }, { velocityCounts: { burst: 99 } });
    expect(r.velocity).toEqual([]);
    expect(r.decision).toBe("ALLOW");
  });
});

describe("approvals resolve groups per tenant", () => {
  it("a tenant's group replaces the global group of the same name", async () => {
    const e = await engineFrom(
      `version: 1
groups: { sre: [slack:UGLOBAL1, slack:UGLOBAL2] }
rules:
  - id: prod
    match: { risk_tags: [production] }
    decision: REQUIRE_APPROVAL
    reason: sign-off
    approval: { approvers: [group:sre, slack:UGLOBAL1, email:lead@example.com], quorum: 2, ttl: 15m }
`,
      { acme: "groups: { sre: [slack:UACME] }\n" },
    );
    expect(e.evaluate({ capability: "x", risk_tags: ["production"] }).approval).toEqual({
      approvers: ["slack:UGLOBAL1", "slack:UGLOBAL2", "email:lead@example.com"],
      quorum: 2,
      ttl_sec: 900,
    });
    expect(e.evaluate({ capability: "x", risk_tags: ["production"] }, { tenant: "acme" }).approval?.approvers).toEqual([
      "slack:UACME",
      "slack:UGLOBAL1",
      "email:lead@example.com",
    ]);
  });
});

describe("explain", () => {
  it("lists every rule considered, in order, with the first condition that failed", async () => {
    const r = (await engineFrom(precedence)).evaluate({ capability: "y.z", risk_tags: ["approve"] }, { explain: true });
    expect(r.explain?.map((x) => x.rule_id)).toEqual(["allow-1", "awc-1", "approve-1", "deny-1", "approve-2", "deny-2"]);
    expect(r.explain?.[0]).toMatchObject({
      matched: false,
      failed: { condition: "capability", detail: "capability 'y.z' matches none of [x.**]" },
    });
    expect(r.explain?.[1]).toMatchObject({ matched: false, failed: { condition: "risk_tags", detail: "missing risk tag [awc]" } });
    expect(r.explain?.[2]).toMatchObject({ matched: true });
    expect(r.explain?.[2]?.failed).toBeUndefined();
  });

  it("gives the same decision with and without explain", async () => {
    const e = await engineFrom(precedence);
    for (const tags of [[], ["awc"], ["deny"], ["approve", "awc"]]) {
      const { explain: _, ...withExplain } = e.evaluate({ capability: "x.q", risk_tags: tags }, { explain: true });
      expect(withExplain).toEqual(e.evaluate({ capability: "x.q", risk_tags: tags }));
    }
  });
});

describe("robustness", () => {
  it("never throws on malformed jobs, and fails closed", async () => {
    const e = await engineFrom(precedence);
    for (const job of [
      null,
      undefined,
      42,
      "x",
      [],
      { risk_tags: "deny" },
      { labels: [1] },
      { actor: "bob" },
      { capability: 7 },
      { action: [] },
    ]) {
      const r = e.evaluate(job);
      expect(["DENY", "ALLOW"]).toContain(r.decision);
      expect(r.decision).toBe("DENY");
    }
  });

  it("is deterministic: the same job gives the same answer", async () => {
    const e = await engineFrom(precedence);
    const job = { capability: "x.y", risk_tags: ["approve", "awc"], labels: { a: "b" } };
    expect(e.evaluate(job)).toEqual(e.evaluate(structuredClone(job)));
  });
});
