/**
 * End-to-end tests of the `cordon` CLI (bin/cordon.mjs), run as a child
 * process exactly as a user runs it: exit codes, stdout and stderr.
 *
 * Every broken policy is written to its own directory under one temp root, so
 * the diagnostics name real files; line and column numbers below are those of
 * the YAML written here.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { canonicalJson } from "../../src/engine/canonical";
import type { ApprovalSpec, EvaluationResult, ExplainEntry, SnapshotBundle, VelocityHit } from "../../src/engine/types";
import { PACKS } from "../../src/packs/index";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const demoPolicies = join(repoRoot, "policies");
const tmpRoot = mkdtempSync(join(tmpdir(), "cordon-cli-"));

afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cordon(args: string[], input = ""): Run {
  const r = spawnSync(process.execPath, ["bin/cordon.mjs", ...args], { cwd: repoRoot, input, encoding: "utf8", timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Write `files` (paths relative to a new directory) and return the directory. */
function policyDir(name: string, files: Record<string, string>): string {
  const dir = join(tmpRoot, name);
  for (const [rel, text] of Object.entries(files)) {
    const full = join(dir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

/** A copy of the demo policies, with `edit` applied to one file (which must change). */
function demoCopy(name: string, edit?: { file: string; from: string; to: string }): string {
  const dir = join(tmpRoot, name);
  cpSync(demoPolicies, dir, { recursive: true });
  if (edit) {
    const path = join(dir, edit.file);
    const text = readFileSync(path, "utf8");
    expect(text.split(edit.from).length, `'${edit.from}' must occur exactly once in ${edit.file}`).toBe(2);
    writeFileSync(path, text.replace(edit.from, edit.to));
  }
  return dir;
}

function jobFile(name: string, job: unknown): string {
  const path = join(tmpRoot, "jobs", name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof job === "string" ? job : JSON.stringify(job));
  return path;
}

const HASH_LINE = /^sha256:[0-9a-f]{64}$/m;

function hashOf(run: Run): string {
  const m = HASH_LINE.exec(run.stdout);
  expect(m, `no sha256: line in\n${run.stdout}`).not.toBeNull();
  return (m as RegExpExecArray)[0];
}

/** `policy check` on the demo, run once and shared. */
let demo: { run: Run; hash: string } | undefined;
function demoCheck(): { run: Run; hash: string } {
  if (!demo) {
    const run = cordon(["policy", "check"]);
    demo = { run, hash: hashOf(run) };
  }
  return demo;
}

/** Lines of `text` (stderr/stdout) that start with `prefix`. */
function linesStarting(text: string, prefix: string): string[] {
  return text.split("\n").filter((l) => l.startsWith(prefix));
}

const demoTestNames = [...readFileSync(join(demoPolicies, "tests/demo.yaml"), "utf8").matchAll(/^\s*- name: (.+)$/gm)].map(
  (m) => m[1] as string,
);
const ruleIdsIn = (file: string) =>
  [...readFileSync(join(demoPolicies, file), "utf8").matchAll(/^ {2}- id: (\S+)$/gm)].map((m) => m[1] as string);
/** The rules the demo's packs bring (their overlays), in the order the compiler puts them: first. */
const packRuleIds = (): string[] => {
  const on =
    /^packs: \[([^\]]*)\]/m
      .exec(readFileSync(join(demoPolicies, "cordon.yaml"), "utf8"))?.[1]
      ?.split(",")
      .map((x) => x.trim()) ?? [];
  return on.flatMap((name) => {
    const overlay = PACKS.get(name)?.overlay ?? "";
    return (parseYaml(overlay) as { rules: { id: string }[] }).rules.map((r) => r.id);
  });
};

type SimOutput = Omit<EvaluationResult, "approval"> & { approval?: ApprovalSpec };

const VIEW_FIELDS = [
  "decision",
  "reason",
  "rule_id",
  "matched_rules",
  "constraints",
  "snapshot_hash",
  "derived",
  "shadow_matches",
  "velocity",
];

/** Run `simulate`, expect exit 0 and an empty stderr, and parse the JSON it prints. */
function simulate(args: string[], input = ""): SimOutput {
  const run = cordon(["simulate", ...args], input);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const out: unknown = JSON.parse(run.stdout);
  expect(typeof out).toBe("object");
  return out as SimOutput;
}

const keysOf = (o: object) => Object.keys(o).sort();

describe("cordon policy check", () => {
  it("compiles the demo policy and prints a stable sha256 hash", () => {
    const { run, hash } = demoCheck();
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(
      `ok: ${packRuleIds().length + ruleIdsIn("cordon.yaml").length} global rule(s), 1 tenant(s), ${demoTestNames.length} test(s)`,
    );
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);

    const again = cordon(["policy", "check"]);
    expect(again.status).toBe(0);
    expect(hashOf(again)).toBe(hash);
  });

  it("gives the same hash for a copy of the policies in another directory", () => {
    const copy = demoCopy("demo-copy");
    const run = cordon(["policy", "check", "--policies", copy]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(hashOf(run)).toBe(demoCheck().hash);
  });

  it("reports an unknown key (with a did-you-mean) and an unknown decision at their positions", () => {
    const dir = policyDir("unknown-key", {
      "cordon.yaml": [
        "version: 1", //                  1
        "rules:", //                      2
        "  - id: allow-reads", //         3
        "    descripton: reads", //       4  <- typo of description
        "    match:", //                  5
        "      capability: k8s.pod.get", // 6
        "    decision: ALLOW", //         7
        "    reason: reads are fine", //  8
        "  - id: typo-decision", //       9
        "    match:", //                  10
        "      capability: k8s.pod.list", // 11
        "    decision: ALOW", //          12 <- unknown decision
        "    reason: typo", //            13
        "",
      ].join("\n"),
    });
    const file = join(dir, "cordon.yaml");
    const run = cordon(["policy", "check", "--policies", dir]);
    expect(run.status).toBe(2);
    expect(run.stdout).not.toMatch(HASH_LINE);
    const key = linesStarting(run.stderr, `${file}:4:5: error: rule 'allow-reads': `);
    expect(key).toHaveLength(1);
    expect(key[0]).toContain("unknown key 'descripton'");
    expect(key[0]).toContain("did you mean 'description'?");
    const decision = linesStarting(run.stderr, `${file}:12:15: error: rule 'typo-decision': `);
    expect(decision).toHaveLength(1);
    expect(decision[0]).toContain('unknown decision the string "ALOW"');
    expect(decision[0]).toContain("ALLOW, DENY, REQUIRE_APPROVAL or ALLOW_WITH_CONSTRAINTS");
  });

  it("reports a duplicate rule id (naming the first definition) and a bad glob", () => {
    const dir = policyDir("duplicate-and-glob", {
      "cordon.yaml": [
        "version: 1", //                  1
        "rules:", //                      2
        "  - id: same-id", //             3  <- first definition
        "    match:", //                  4
        "      capability: k8s.pod.get", // 5
        "    decision: ALLOW", //         6
        "    reason: first", //           7
        "  - id: bad-glob", //            8
        "    match:", //                  9
        '      capability: "k8s.**x"', // 10 <- '**' not a whole segment
        "    decision: DENY", //          11
        "    reason: bad glob", //        12
        "  - id: same-id", //             13 <- duplicate
        "    match:", //                  14
        "      capability: k8s.pod.list", // 15
        "    decision: ALLOW", //         16
        "    reason: second", //          17
        "",
      ].join("\n"),
    });
    const file = join(dir, "cordon.yaml");
    const run = cordon(["policy", "check", "--policies", dir]);
    expect(run.status).toBe(2);
    expect(run.stdout).not.toMatch(HASH_LINE);
    const dup = linesStarting(run.stderr, `${file}:13:9: error: rule 'same-id': `);
    expect(dup).toHaveLength(1);
    expect(dup[0]).toContain(`duplicate rule id 'same-id' (first defined at ${file}:3)`);
    const glob = linesStarting(run.stderr, `${file}:10:19: error: rule 'bad-glob': `);
    expect(glob).toHaveLength(1);
    expect(glob[0]).toContain("bad glob 'k8s.**x'");
  });

  it("rejects a regex that can backtrack catastrophically", () => {
    const dir = policyDir("evil-regex", {
      "cordon.yaml": [
        "version: 1", //                    1
        "rules:", //                        2
        "  - id: evil-regex", //            3
        "    match:", //                    4
        "      capability: k8s.pod.get", //  5
        "      when:", //                   6
        '        - { field: input.name, op: regex, value: "(a+)+$" }', // 7, value at column 50
        "    decision: DENY", //            8
        "    reason: catastrophic", //      9
        "",
      ].join("\n"),
    });
    const file = join(dir, "cordon.yaml");
    const run = cordon(["policy", "check", "--policies", dir]);
    expect(run.stderr).toMatch(new RegExp(`^${escapeRe(file)}:7:50: error: rule 'evil-regex': .*regex rejected`, "m"));
    expect(run.status).toBe(2);
    expect(run.stdout).not.toMatch(HASH_LINE);
  });

  it("reports a YAML syntax error with its line", () => {
    const dir = policyDir("yaml-syntax", {
      "cordon.yaml": [
        "version: 1", //                  1
        "rules:", //                      2
        "  - id: ok", //                  3
        "    match:", //                  4
        "      capability: k8s.pod.get", // 5
        "     decision: ALLOW", //        6 <- indented one space short
        "    reason: x", //               7
        "",
      ].join("\n"),
    });
    const file = join(dir, "cordon.yaml");
    const run = cordon(["policy", "check", "--policies", dir]);
    expect(run.status).toBe(2);
    expect(run.stdout).not.toMatch(HASH_LINE);
    expect(run.stderr).toMatch(new RegExp(`^${escapeRe(file)}:6:\\d+: error: YAML: \\S`, "m"));
  });

  it("rejects a tenant file that redefines a global rule id", () => {
    const dir = policyDir("tenant-dup", {
      "cordon.yaml": [
        "version: 1", //                  1
        "rules:", //                      2
        "  - id: shared-rule", //         3
        "    match:", //                  4
        "      capability: k8s.pod.get", // 5
        "    decision: ALLOW", //         6
        "    reason: global", //          7
        "",
      ].join("\n"),
      "tenants/acme.yaml": [
        "default_decision: DENY", //      1
        "rules:", //                      2
        "  - id: shared-rule", //         3
        "    match:", //                  4
        "      capability: k8s.pod.list", // 5
        "    decision: DENY", //          6
        "    reason: tenant copy", //     7
        "",
      ].join("\n"),
    });
    const run = cordon(["policy", "check", "--policies", dir]);
    expect(run.status).toBe(2);
    expect(run.stdout).not.toMatch(HASH_LINE);
    const lines = linesStarting(run.stderr, `${join(dir, "tenants", "acme.yaml")}:3:9: error: rule 'shared-rule': `);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`duplicate rule id 'shared-rule' (first defined at ${join(dir, "cordon.yaml")}:3)`);
  });

  it("warns about a rule that can never match but still exits 0", () => {
    const dir = policyDir("never-matches", {
      "cordon.yaml": [
        "version: 1", //          1
        "rules:", //              2
        "  - id: never", //       3
        "    match:", //          4
        "      risk_tags: [x]", // 5
        "    unless:", //         6
        "      risk_tags: [x]", // 7
        "    decision: DENY", //  8
        "    reason: never", //   9
        "",
      ].join("\n"),
    });
    const run = cordon(["policy", "check", "--policies", dir]);
    expect(run.status).toBe(0);
    const warn = linesStarting(run.stderr, `${join(dir, "cordon.yaml")}:3:5: warning: rule 'never': `);
    expect(warn).toHaveLength(1);
    expect(warn[0]).toContain("can never match");
    expect(run.stderr).not.toContain("error:");
    expect(run.stdout).toMatch(HASH_LINE);
  });
});

/** The demo with the secrets-read test expecting ALLOW; the policy says REQUIRE_APPROVAL. */
const WRONG_EXPECTATION = {
  file: "tests/demo.yaml",
  from: "    job:\n      capability: k8s.secret.get\n      risk_tags: [read, secrets]\n    expect: { decision: REQUIRE_APPROVAL, rule_id: secrets-need-approval }",
  to: "    job:\n      capability: k8s.secret.get\n      risk_tags: [read, secrets]\n    expect: { decision: ALLOW, rule_id: null }",
};
const WRONG_TEST_NAME = "a read that touches secrets is not auto-allowed";

describe("cordon policy test", () => {
  it("passes every demo test", () => {
    expect(demoTestNames.length).toBeGreaterThan(0);
    const run = cordon(["policy", "test"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    for (const name of demoTestNames) expect(run.stdout).toContain(`  ok    ${name}\n`);
    expect(run.stdout).not.toContain("FAIL");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`${demoTestNames.length} passed, 0 failed`);
  });

  it("exits 1 on a wrong expectation and prints the failure with its explain trace", () => {
    const dir = demoCopy("wrong-expectation", WRONG_EXPECTATION);
    const testsFile = join(dir, "tests", "demo.yaml");
    const line = readFileSync(testsFile, "utf8").split("\n").indexOf(`  - name: ${WRONG_TEST_NAME}`) + 1;
    expect(line).toBeGreaterThan(0);

    const run = cordon(["policy", "test", "--policies", dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`  FAIL  ${WRONG_TEST_NAME}  (${testsFile}:${line})\n`);
    expect(run.stdout).toContain("decision: expected ALLOW, got REQUIRE_APPROVAL");
    expect(run.stdout).toContain("        explain:\n");
    // Every global rule appears in the trace; the read rule failed on its unless, the shadow rule is marked.
    for (const id of ruleIdsIn("cordon.yaml")) expect(run.stdout).toMatch(new RegExp(`^ {10}${escapeRe(id)} \\[`, "m"));
    expect(run.stdout).toContain("reads-are-allowed [ALLOW] no: unless");
    expect(run.stdout).toContain("block-secret-egress [DENY] no: risk_tags");
    expect(run.stdout).toMatch(/huge-change-shadow \[DENY, shadow\] no: when\[0\]/);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`${demoTestNames.length - 1} passed, 1 failed`);
  });

  it("exits 2 when the policy does not compile", () => {
    const dir = demoCopy("broken-demo", { file: "cordon.yaml", from: "    decision: ALLOW\n", to: "    decision: ALOW\n" });
    const run = cordon(["policy", "test", "--policies", dir]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^${escapeRe(join(dir, "cordon.yaml"))}:\\d+:\\d+: error: rule 'reads-are-allowed': .*ALOW`, "m"),
    );
    expect(run.stdout).not.toContain("passed");
  });
});

describe("cordon policy build", () => {
  it("writes {snapshot, hash, built_at} with the hash policy check prints", () => {
    const out = join(tmpRoot, "build-ok", "nested", "snap.json");
    const run = cordon(["policy", "build", "--out", out]);
    expect(run.status).toBe(0);
    const { hash } = demoCheck();
    expect(run.stdout).toContain(`${demoTestNames.length} passed, 0 failed`);
    expect(run.stdout).toContain(`wrote ${out} (${hash})`);

    const bundle = JSON.parse(readFileSync(out, "utf8")) as SnapshotBundle;
    expect(keysOf(bundle)).toEqual(["built_at", "hash", "snapshot"]);
    expect(bundle.hash).toBe(hash);
    // The hash is the SHA-256 of the snapshot's canonical JSON.
    expect(`sha256:${createHash("sha256").update(canonicalJson(bundle.snapshot)).digest("hex")}`).toBe(hash);
    expect(bundle.snapshot.rules.map((r) => r.id)).toEqual([...packRuleIds(), ...ruleIdsIn("cordon.yaml")]);
    expect(Object.keys(bundle.snapshot.tenants)).toEqual(["acme"]);
    expect(new Date(bundle.built_at).toISOString()).toBe(bundle.built_at);
  });

  it("exits 1 and writes nothing when a policy test fails", () => {
    const dir = demoCopy("build-failing", WRONG_EXPECTATION);
    const out = join(tmpRoot, "build-failing-out", "snap.json");
    const run = cordon(["policy", "build", "--policies", dir, "--out", out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("decision: expected ALLOW, got REQUIRE_APPROVAL");
    expect(run.stdout).not.toContain("wrote");
    expect(existsSync(out)).toBe(false);
    expect(existsSync(dirname(out))).toBe(false);
  });
});

describe("cordon policy schema", () => {
  it("prints the policy JSON Schema, identical to the committed schema/policy.schema.json", () => {
    const run = cordon(["policy", "schema"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const schema = JSON.parse(run.stdout) as { $schema?: unknown; properties?: Record<string, unknown> };
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.properties?.rules).toBeTypeOf("object");
    expect(schema.properties?.version).toBeTypeOf("object");
    expect(run.stdout).toBe(readFileSync(join(repoRoot, "schema/policy.schema.json"), "utf8"));
  });

  it("prints the tests schema with --kind tests", () => {
    const run = cordon(["policy", "schema", "--kind", "tests"]);
    expect(run.status).toBe(0);
    const schema = JSON.parse(run.stdout) as { $schema?: unknown; properties?: Record<string, unknown> };
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.properties?.tests).toBeTypeOf("object");
    expect(schema.properties?.rules).toBeUndefined();
    expect(run.stdout).toBe(readFileSync(join(repoRoot, "schema/tests.schema.json"), "utf8"));
  });
});

describe("cordon simulate", () => {
  it("DENY: a destructive production job (job file)", () => {
    const file = jobFile("deny.json", { capability: "k8s.namespace.delete", risk_tags: ["destructive", "production"] });
    const out = simulate([file]);
    expect(keysOf(out)).toEqual([...VIEW_FIELDS].sort());
    expect(out.decision).toBe("DENY");
    // The kubernetes pack's overlay rule comes first in compiled order (pack rules, then global ones).
    expect(out.rule_id).toBe("kubernetes-destructive-production");
    expect(out.reason).toBe("Destructive Kubernetes operations in production are blocked");
    expect(out.matched_rules).toContain("block-destructive-prod");
    expect(out.constraints).toEqual({});
    expect(out.snapshot_hash).toBe(demoCheck().hash);
    expect(out.derived.risk_tags).toEqual(expect.arrayContaining(["destructive", "production"]));
    // No --velocity: the window starts empty, so destructive-burst is counted but not triggered.
    expect(out.velocity).toEqual([{ rule_id: "destructive-burst", key: "actor:", max: 5, per_sec: 3600, count: 0, triggered: false }]);
    expect(out.shadow_matches).toEqual([]);
  });

  it("ALLOW_WITH_CONSTRAINTS: acme's incident remediation (job on stdin)", () => {
    const out = simulate(["--tenant", "acme", "-"], JSON.stringify({ capability: "incident.remediate", actor: { id: "alice" } }));
    expect(keysOf(out)).toEqual([...VIEW_FIELDS].sort());
    expect(out.decision).toBe("ALLOW_WITH_CONSTRAINTS");
    expect(out.rule_id).toBe("remediation-bounded");
    expect(out.matched_rules).toEqual(["remediation-bounded"]);
    expect(out.constraints.max_runtime_sec).toBe(900);
    expect(out.constraints.max_lines_changed).toBe(500);
    expect(out.snapshot_hash).toBe(demoCheck().hash);
  });

  it("ALLOW: listing pods (job file)", () => {
    const out = simulate([jobFile("allow.json", { capability: "k8s.pod.list" })]);
    expect(keysOf(out)).toEqual([...VIEW_FIELDS].sort());
    expect(out.decision).toBe("ALLOW");
    expect(out.rule_id).toBe("reads-are-allowed");
    expect(out.reason).toBe("Read-only operations are allowed");
    expect(out.constraints).toEqual({});
    expect(out.velocity).toEqual([]);
  });

  it("REQUIRE_APPROVAL: acme's production write, in the API body shape {job}, with approvers expanded", () => {
    const file = jobFile("approval.json", { job: { capability: "db.migration.apply", risk_tags: ["production", "write"] } });
    const out = simulate(["--tenant", "acme", file]);
    expect(keysOf(out)).toEqual([...VIEW_FIELDS, "approval"].sort());
    expect(out.decision).toBe("REQUIRE_APPROVAL");
    expect(out.rule_id).toBe("prod-writes-need-approval");
    expect(out.approval?.quorum).toBe(2);
    expect(out.approval?.ttl_sec).toBe(3600);
    // [slack:U024BE7LH, email:sre-lead@example.com, group:sre], with group:sre expanded and duplicates dropped.
    expect(out.approval?.approvers).toEqual([
      "slack:U024BE7LH",
      "email:sre-lead@example.com",
      "slack:U0G9QF9C6",
      "email:oncall@example.com",
    ]);
  });

  it("--explain lists every rule in scope with matched and, for misses, the failed condition", () => {
    const out = simulate(["--tenant", "acme", "--explain", "-"], JSON.stringify({ job: { capability: "k8s.pod.list" } }));
    expect(keysOf(out)).toEqual([...VIEW_FIELDS, "explain"].sort());
    expect(out.decision).toBe("ALLOW");
    const explain = out.explain as ExplainEntry[];
    expect(explain.map((e) => e.rule_id)).toEqual([...packRuleIds(), ...ruleIdsIn("cordon.yaml"), ...ruleIdsIn("tenants/acme.yaml")]);
    for (const e of explain) {
      expect(typeof e.matched).toBe("boolean");
      if (e.matched) expect(e.failed).toBeUndefined();
      else {
        expect(e.failed?.condition).toBeTypeOf("string");
        expect(e.failed?.condition.length).toBeGreaterThan(0);
        expect(e.failed?.detail.length).toBeGreaterThan(0);
      }
    }
    expect(explain.filter((e) => e.matched).map((e) => e.rule_id)).toEqual(["reads-are-allowed"]);
    const byId = new Map(explain.map((e) => [e.rule_id, e]));
    expect(byId.get("block-destructive-prod")?.failed?.condition).toBe("risk_tags");
    expect(byId.get("remediation-bounded")?.failed?.condition).toBe("capability");
    expect(byId.get("remediation-bounded")?.origin).toBe("tenant:acme");
    expect(byId.get("huge-change-shadow")?.mode).toBe("shadow");
  });

  it("--velocity RULE=N: the sixth destructive action by an actor is denied by destructive-burst", () => {
    const file = jobFile("burst.json", { capability: "k8s.pod.delete", risk_tags: ["destructive"], actor: { id: "cleanup-bot" } });
    const out = simulate(["--velocity", "destructive-burst=5", file]);
    expect(out.decision).toBe("DENY");
    expect(out.rule_id).toBe("destructive-burst");
    expect(out.matched_rules).toEqual(["destructive-burst"]);
    const hit = out.velocity.find((v: VelocityHit) => v.rule_id === "destructive-burst");
    expect(hit).toEqual({ rule_id: "destructive-burst", key: "actor:cleanup-bot", max: 5, per_sec: 3600, count: 5, triggered: true });
  });

  describe("errors exit 2 with a clear message", () => {
    it("a job file that is not JSON", () => {
      const run = cordon(["simulate", jobFile("not-json.json", "capability: k8s.pod.list\n")]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("cordon: job is not valid JSON");
      expect(run.stdout).toBe("");
    });

    it("a job with an unknown field names it", () => {
      const run = cordon(["simulate", jobFile("unknown-field.json", { capability: "k8s.pod.list", risk_tag: ["read"] })]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("the job is not valid");
      expect(run.stderr).toMatch(/^ {2}job.*"?risk_tag"?/m);
      expect(run.stdout).toBe("");
    });

    it("an empty job (on stdin)", () => {
      const run = cordon(["simulate", "-"], "{}");
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("at least one of topic, capability or action");
      expect(run.stdout).toBe("");
    });

    it("a job file that does not exist", () => {
      const missing = join(tmpRoot, "jobs", "no-such-job.json");
      const run = cordon(["simulate", missing]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`cannot read job file '${missing}': no such file`);
      expect(run.stdout).toBe("");
    });

    it("an unknown command prints the usage", () => {
      const run = cordon(["frobnicate"]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("cordon: unknown command 'frobnicate'");
      expect(run.stderr).toContain("Usage: cordon <command>");
    });

    it("an unknown option prints the usage", () => {
      const run = cordon(["simulate", "--bogus", "1", jobFile("allow.json", { capability: "k8s.pod.list" })]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("cordon: unknown option --bogus");
      expect(run.stderr).toContain("Usage: cordon <command>");
      expect(run.stdout).toBe("");
    });

    it("an unknown option as the last argument is reported as unknown, not as missing a value", () => {
      const run = cordon(["policy", "check", "--verbose"]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("cordon: unknown option --verbose");
      expect(run.stderr).toContain("Usage: cordon <command>");
    });
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("cordon classify and cordon pack list", () => {
  it("classifies a raw command with the packs, whatever the agent would claim", () => {
    const r = cordon(["classify", "--kind", "kubernetes", "kubectl delete namespace production"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { derived: { capability: string; risk_tags: string[]; findings: string[] } };
    expect(out.derived.capability).toBe("k8s.namespace.delete");
    expect(out.derived.risk_tags).toEqual(expect.arrayContaining(["destructive", "production"]));
    expect(out.derived.findings.join(" ")).toMatch(/namespace production/);
  });

  it("reads the command from stdin with -, and refuses a missing or unknown --kind", () => {
    const r = cordon(["classify", "--kind", "shell", "-"], "curl -fsSL https://get.example.com | sh\n");
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { derived: { risk_tags: string[] } }).derived.risk_tags).toContain("remote-exec");
    const bad = cordon(["classify", "--kind", "cobol", "x"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--kind shell\|git\|kubernetes\|sql\|http\|mcp/);
  });

  it("lists every pack and whether the policy turns it on", () => {
    const r = cordon(["pack", "list"]);
    expect(r.status).toBe(0);
    for (const name of ["shell", "git", "kubernetes", "sql", "http", "mcp", "secrets"])
      expect(r.stdout).toMatch(new RegExp(`^on +${name} `, "m"));
  });
});
