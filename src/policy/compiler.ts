import { RE2JS } from "re2js";
import type { z } from "zod";
import { canonicalJson, sha256Tagged } from "../engine/canonical";
import { compileGlob, GlobError, type GlobSeparator } from "../engine/glob";
import {
  type ApprovalSpec,
  type Constraints,
  type Decision,
  type JsonValue,
  type MatchSpec,
  SNAPSHOT_FORMAT,
  type Snapshot,
  type SnapshotRule,
  type TenantPolicy,
  type WhenCondition,
} from "../engine/types";
import { PACKS, type Pack } from "../packs/index";
import { type Diagnostic, type PathSeg, SourceFile, sortDiagnostics } from "./diagnostics";
import { regexSafetyProblem } from "./regex-safety";
import {
  type ApprovalInput,
  type MatchInputSpec,
  overlaySchema,
  type PolicyFile,
  policyFileSchema,
  type RuleInput,
  ruleSchema,
  TENANT_ID,
  type TenantFile,
  type TestsFile,
  tenantSchema,
  testsFileSchema,
} from "./schema";
import { describeIssue } from "./zod-messages";

/** One policy source: a base file (`policies/*.yaml`), a tenant file or a tests file. */
export interface PolicySource {
  kind: "base" | "tenant" | "tests";
  /** Shown in diagnostics, e.g. `policies/tenants/acme.yaml`. */
  path: string;
  text: string;
}

/** A policy test case, with where it was written. */
export interface PolicyTestCase {
  name: string;
  file: string;
  line: number;
  tenant?: string;
  job: Record<string, JsonValue>;
  velocity_counts?: Record<string, number>;
  expect: {
    decision: Decision;
    rule_id?: string | null;
    reason?: string;
    constraints?: Record<string, JsonValue>;
    risk_tags?: string[];
  };
}

export interface CompileResult {
  ok: boolean;
  snapshot?: Snapshot;
  hash?: string;
  diagnostics: Diagnostic[];
  tests: PolicyTestCase[];
}

const DEFAULT_TTL_SEC = 3600;

/**
 * Compile policy sources into one canonical snapshot and its `sha256:` hash.
 * Pure apart from hashing: the CLI reads the files, the Worker compiles inline
 * candidate policies, both through this function. Collects every problem
 * rather than stopping at the first.
 */
export async function compilePolicy(sources: readonly PolicySource[], packs: ReadonlyMap<string, Pack> = PACKS): Promise<CompileResult> {
  const c = new Compiler(packs);
  const ordered = [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const s of ordered) if (s.kind === "base") c.base(s);
  for (const s of ordered) if (s.kind === "tenant") c.tenantFile(s);
  c.finishRules();
  for (const s of ordered) if (s.kind === "tests") c.testsFile(s);
  const diagnostics = sortDiagnostics(c.diagnostics);
  const ok = !diagnostics.some((d) => d.severity === "error");
  if (!ok) return { ok, diagnostics, tests: c.tests };
  const snapshot = c.snapshot();
  const hash = await sha256Tagged(canonicalJson(snapshot));
  return { ok, snapshot, hash, diagnostics, tests: c.tests };
}

interface RuleSite {
  file: SourceFile;
  path: PathSeg[];
  scope: string | null; // tenant id or null for pack/global
}

function parseDuration(s: string): number {
  const m = /^(\d+)([smhd])$/.exec(s);
  if (!m) return Number.NaN;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"];
  return Number(m[1]) * unit;
}

class Compiler {
  readonly diagnostics: Diagnostic[] = [];
  readonly tests: PolicyTestCase[] = [];
  private version: 1 | undefined;
  private defaultDecision: { value: Decision; file: string } | undefined;
  private defaultApproval: ApprovalSpec | undefined;
  private readonly packNames: string[] = [];
  private readonly groups: Record<string, string[]> = {};
  private readonly environments: Record<string, string[]> = {};
  private readonly packRules: SnapshotRule[] = [];
  private readonly globalRules: SnapshotRule[] = [];
  private readonly tenants: Record<string, TenantPolicy> = {};
  private readonly tenantSites = new Map<string, { file: SourceFile; path: PathSeg[] }>();
  private readonly ruleSites = new Map<SnapshotRule, RuleSite>();
  private readonly packs: ReadonlyMap<string, Pack>;

  constructor(packs: ReadonlyMap<string, Pack>) {
    this.packs = packs;
  }

  private err(file: SourceFile | string, path: readonly PathSeg[], message: string, ruleId?: string, key = false): void {
    this.report("error", file, path, message, ruleId, key);
  }

  private report(
    severity: Diagnostic["severity"],
    file: SourceFile | string,
    path: readonly PathSeg[],
    message: string,
    ruleId?: string,
    key = false,
  ): void {
    const [line, column] = typeof file === "string" ? [1, 1] : file.pos(path, key);
    const d: Diagnostic = { severity, file: typeof file === "string" ? file : file.path, line, column, message };
    if (ruleId !== undefined) d.rule_id = ruleId;
    this.diagnostics.push(d);
  }

  /** Parse + shape-check one file; returns the typed value or null after reporting. */
  private load<T>(file: SourceFile, schema: z.ZodType<T>, prefix: PathSeg[] = []): T | null {
    if (file.syntaxErrors.length > 0) {
      this.diagnostics.push(...file.syntaxErrors);
      return null;
    }
    if (file.value === undefined || file.value === null) {
      this.err(file, [], "the file is empty");
      return null;
    }
    // zod's records skip a `__proto__` key silently, which would drop a
    // condition from a rule; refuse such keys anywhere in the file instead.
    const proto = findProtoKey(file.value, []);
    if (proto) {
      this.err(file, [...prefix, ...proto], "the key '__proto__' is not allowed", ruleIdAt(file.value, proto), true);
      return null;
    }
    const r = schema.safeParse(file.value);
    if (r.success) return r.data;
    for (const issue of r.error.issues) {
      const { path, message, key } = describeIssue(issue, file.value);
      this.err(file, [...prefix, ...path], message, ruleIdAt(file.value, path), key);
    }
    return null;
  }

  base(src: PolicySource): void {
    const file = new SourceFile(src.path, src.text);
    const p = this.load<PolicyFile>(file, policyFileSchema);
    if (!p) {
      this.salvageRules(file, [], "global", null);
      return;
    }
    this.version = 1;
    if (p.default_decision !== undefined) {
      if (this.defaultDecision)
        this.err(
          file,
          ["default_decision"],
          `default_decision is already set in ${this.defaultDecision.file}; set it in one file only`,
          undefined,
          true,
        );
      const d = this.decision(file, ["default_decision"], p.default_decision);
      if (d) this.defaultDecision = { value: d, file: file.path };
    }
    if (p.default_approval) this.defaultApproval = this.approval(file, ["default_approval"], p.default_approval, undefined, null);
    for (const [i, name] of (p.packs ?? []).entries()) {
      const pack = this.packs.get(name);
      if (!pack) {
        const known = [...this.packs.keys()];
        this.err(
          file,
          ["packs", i],
          `unknown pack '${name}' (${known.length ? `available: ${known.join(", ")}` : "this build has no packs yet"})`,
        );
      } else if (!this.packNames.includes(name)) {
        this.packNames.push(name);
        this.packOverlay(pack);
      }
    }
    this.mergeNamed(file, ["groups"], p.groups, this.groups, "group");
    this.mergeNamed(file, ["environments"], p.environments, this.environments, "environment");
    for (const [i, r] of (p.rules ?? []).entries()) {
      const rule = this.rule(file, ["rules", i], r, "global", null);
      if (rule) this.globalRules.push(rule);
    }
    for (const [id, t] of Object.entries(p.tenants ?? {})) this.tenant(file, ["tenants", id], id, t);
  }

  tenantFile(src: PolicySource): void {
    const file = new SourceFile(src.path, src.text);
    const base = src.path.split("/").pop() ?? src.path;
    const id = base.replace(/\.ya?ml$/, "");
    if (!TENANT_ID.test(id)) {
      this.err(
        file,
        [],
        `'${base}' does not name a valid tenant: the file name must be <tenant>.yaml with a lower-case tenant id (letters, digits, '-', '_')`,
      );
      return;
    }
    const t = this.load<TenantFile>(file, tenantSchema);
    if (t) this.tenant(file, [], id, t);
    else this.salvageRules(file, [], `tenant:${id}`, id);
  }

  private tenant(file: SourceFile, path: PathSeg[], id: string, t: TenantFile): void {
    const prev = this.tenantSites.get(id);
    if (prev) {
      const [line] = prev.file.pos(prev.path);
      this.err(file, path, `tenant '${id}' is already defined at ${prev.file.path}:${line}`, undefined, path.length > 0);
      return;
    }
    this.tenantSites.set(id, { file, path });
    const tp: TenantPolicy = { groups: {}, environments: {}, rules: [] };
    if (t.default_decision !== undefined) {
      const d = this.decision(file, [...path, "default_decision"], t.default_decision);
      if (d) tp.default_decision = d;
    }
    this.mergeNamed(file, [...path, "groups"], t.groups, tp.groups, "group");
    this.mergeNamed(file, [...path, "environments"], t.environments, tp.environments, "environment");
    this.tenants[id] = tp;
    if (t.default_approval) {
      const a = this.approval(file, [...path, "default_approval"], t.default_approval, undefined, id);
      if (a) tp.default_approval = a;
    }
    for (const [i, r] of (t.rules ?? []).entries()) {
      const rule = this.rule(file, [...path, "rules", i], r, `tenant:${id}`, id);
      if (rule) tp.rules.push(rule);
    }
  }

  /**
   * After a file failed its shape check, still run the semantic checks (globs,
   * regexes, duplicate ids, ...) on the rules that are well-formed on their own,
   * so one run reports every problem rather than one category at a time. The
   * compile has failed already; these rules are only checked, never kept.
   */
  private salvageRules(file: SourceFile, path: PathSeg[], origin: string, tenant: string | null): void {
    const value = file.value as { rules?: unknown } | undefined;
    if (!value || typeof value !== "object" || !Array.isArray(value.rules)) return;
    const sink = tenant === null ? this.globalRules : [];
    for (const [i, raw] of value.rules.entries()) {
      const r = ruleSchema.safeParse(raw);
      if (!r.success) continue;
      const rule = this.rule(file, [...path, "rules", i], r.data, origin, tenant);
      if (rule) sink.push(rule);
    }
  }

  private packOverlay(pack: Pack): void {
    const file = new SourceFile(`pack:${pack.name}`, pack.overlay);
    const o = this.load(file, overlaySchema);
    if (!o) return;
    for (const [i, r] of o.rules.entries()) {
      const rule = this.rule(file, ["rules", i], r, `pack:${pack.name}`, null);
      if (rule) this.packRules.push(rule);
    }
  }

  private mergeNamed(
    file: SourceFile,
    path: PathSeg[],
    from: Record<string, string[]> | undefined,
    into: Record<string, string[]>,
    what: string,
  ): void {
    for (const [name, values] of Object.entries(from ?? {})) {
      if (Object.hasOwn(into, name)) {
        this.err(file, [...path, name], `${what} '${name}' is defined twice`, undefined, true);
        continue;
      }
      if (what === "group") {
        values.forEach((v, i) => {
          if (v.startsWith("group:")) this.err(file, [...path, name, i], `groups cannot contain groups ('${v}'); list the members`);
        });
      } else {
        for (const [i, v] of values.entries()) this.glob(file, [...path, name, i], v, ".", undefined);
      }
      into[name] = [...new Set(values)];
    }
  }

  private decision(file: SourceFile, path: PathSeg[], raw: string): Decision | null {
    const d = raw.toUpperCase() as Decision;
    if (path[path.length - 1] === "default_decision" && d === "ALLOW_WITH_CONSTRAINTS") {
      this.err(
        file,
        path,
        "default_decision cannot be ALLOW_WITH_CONSTRAINTS: a default has no constraints to enforce; write a rule with `match: {}` and constraints instead",
      );
      return null;
    }
    return d;
  }

  private glob(file: SourceFile, path: PathSeg[], pattern: string, sep: GlobSeparator, ruleId: string | undefined): boolean {
    try {
      compileGlob(pattern, sep, sep === ".");
      return true;
    } catch (e) {
      if (!(e instanceof GlobError)) throw e;
      this.err(file, path, `bad glob '${pattern}': ${e.message}`, ruleId);
      return false;
    }
  }

  private match(file: SourceFile, path: PathSeg[], m: MatchInputSpec, ruleId: string): MatchSpec {
    const out: MatchSpec = {};
    const globList = (key: "topic" | "capability" | "actor", sep: GlobSeparator) => {
      const v = m[key];
      if (v === undefined) return;
      const list = typeof v === "string" ? [v] : v;
      for (const [i, g] of list.entries()) this.glob(file, typeof v === "string" ? [...path, key] : [...path, key, i], g, sep, ruleId);
      out[key] = sep === "." ? list.map((g) => g.toLowerCase()) : list;
    };
    globList("topic", ".");
    globList("capability", ".");
    if (m.risk_tags) out.risk_tags = [...new Set(m.risk_tags.map((t) => t.toLowerCase()))];
    if (m.risk_tags_any) out.risk_tags_any = [...new Set(m.risk_tags_any.map((t) => t.toLowerCase()))];
    if (m.labels) {
      out.labels = {};
      for (const [k, v] of Object.entries(m.labels)) {
        const list = typeof v === "string" ? [v] : v;
        for (const [i, g] of list.entries())
          this.glob(file, typeof v === "string" ? [...path, "labels", k] : [...path, "labels", k, i], g, "", ruleId);
        out.labels[k] = list;
      }
    }
    globList("actor", "");
    if (m.when) {
      out.when = [];
      m.when.forEach((w, i) => {
        const c = this.when(file, [...path, "when", i], w, ruleId);
        if (c) out.when?.push(c);
      });
    }
    return out;
  }

  private when(
    file: SourceFile,
    path: PathSeg[],
    w: { field: string; op: WhenCondition["op"]; value?: JsonValue | undefined },
    ruleId: string,
  ): WhenCondition | null {
    const bad = (msg: string) => {
      this.err(file, [...path, "value"], `when '${w.field} ${w.op}': ${msg}`, ruleId);
      return null;
    };
    if (w.field.split(".").some((s) => s === "")) {
      this.err(file, [...path, "field"], `'${w.field}' is not a field path: write dotted names like input.namespace`, ruleId);
      return null;
    }
    const v = w.value;
    const isScalar = (x: unknown) => typeof x === "string" || typeof x === "number" || typeof x === "boolean";
    switch (w.op) {
      case "exists":
        if (v === undefined) return { field: w.field, op: "exists", value: true };
        if (typeof v !== "boolean") return bad("exists takes true or false");
        break;
      case "eq":
      case "ne":
        if (v === undefined || v === null) return bad(`${w.op} needs a value`);
        break;
      case "in":
      case "not_in":
        if (!Array.isArray(v) || v.length === 0) return bad(`${w.op} takes a non-empty list of values`);
        break;
      case "gt":
      case "gte":
      case "lt":
      case "lte":
        if (typeof v !== "number") return bad(`${w.op} compares numbers; the value must be a number`);
        break;
      case "glob":
        if (typeof v !== "string") return bad("glob takes a string pattern");
        if (!this.glob(file, [...path, "value"], v, "/", ruleId)) return null;
        break;
      case "regex": {
        if (typeof v !== "string") return bad("regex takes a string pattern");
        const problem = regexSafetyProblem(v);
        if (problem) return bad(`regex rejected: ${problem}`);
        try {
          RE2JS.compile(v);
        } catch (e) {
          return bad(`regex rejected: RE2 cannot run it (${(e as Error).message})`);
        }
        break;
      }
    }
    if (w.op !== "in" && w.op !== "not_in" && !isScalar(v)) return bad(`${w.op} takes a single value (string, number or boolean)`);
    return { field: w.field, op: w.op, value: v as JsonValue };
  }

  private approval(file: SourceFile, path: PathSeg[], a: ApprovalInput, ruleId: string | undefined, tenant: string | null): ApprovalSpec {
    const out: ApprovalSpec = {
      approvers: [...new Set(a.approvers)],
      quorum: a.quorum ?? 1,
      ttl_sec: a.ttl === undefined ? DEFAULT_TTL_SEC : parseDuration(a.ttl),
    };
    if (out.ttl_sec < 60 || out.ttl_sec > 30 * 86400)
      this.err(file, [...path, "ttl"], `ttl ${a.ttl} is out of range: between 1m and 30d`, ruleId);
    // Group membership is resolved per tenant at evaluation time; check it later, once every group is known.
    this.pendingApprovals.push({ file, path, spec: out, ruleId, tenant });
    return out;
  }

  private readonly pendingApprovals: {
    file: SourceFile;
    path: PathSeg[];
    spec: ApprovalSpec;
    ruleId: string | undefined;
    tenant: string | null;
  }[] = [];

  private rule(file: SourceFile, path: PathSeg[], r: RuleInput, origin: string, tenant: string | null): SnapshotRule | null {
    const decision = this.decision(file, [...path, "decision"], r.decision) as Decision;
    const rule: SnapshotRule = {
      id: r.id,
      origin,
      mode: r.mode ?? "enforce",
      decision,
      reason: r.reason,
      match: this.match(file, [...path, "match"], r.match, r.id),
    };
    if (r.unless) rule.unless = this.match(file, [...path, "unless"], r.unless, r.id);
    if (r.constraints !== undefined) {
      if (decision !== "ALLOW_WITH_CONSTRAINTS") {
        this.err(file, [...path, "constraints"], `constraints only apply to ALLOW_WITH_CONSTRAINTS rules, not ${decision}`, r.id, true);
      } else if (Object.keys(r.constraints).length === 0) {
        this.err(file, [...path, "constraints"], "constraints is empty; name at least one bound", r.id);
      }
      const c: Constraints = { ...r.constraints };
      for (const [i, g] of (c.network_egress_allowlist ?? []).entries())
        this.glob(file, [...path, "constraints", "network_egress_allowlist", i], g, ".", r.id);
      for (const key of ["allow_paths", "deny_paths"] as const)
        for (const [i, g] of (c[key] ?? []).entries()) this.glob(file, [...path, "constraints", key, i], g, "/", r.id);
      rule.constraints = c;
    } else if (decision === "ALLOW_WITH_CONSTRAINTS") {
      this.err(file, [...path, "decision"], "ALLOW_WITH_CONSTRAINTS needs a constraints block", r.id);
    }
    if (r.approval !== undefined) {
      if (decision !== "REQUIRE_APPROVAL")
        this.err(file, [...path, "approval"], `approval only applies to REQUIRE_APPROVAL rules, not ${decision}`, r.id, true);
      rule.approval = this.approval(file, [...path, "approval"], r.approval, r.id, tenant);
    } else if (decision === "REQUIRE_APPROVAL") {
      this.err(file, [...path, "decision"], "REQUIRE_APPROVAL needs an approval block with approvers", r.id);
    }
    if (r.velocity !== undefined) {
      if (decision !== "DENY" && decision !== "REQUIRE_APPROVAL") {
        this.err(
          file,
          [...path, "velocity"],
          `velocity applies to DENY and REQUIRE_APPROVAL rules (it makes a rule apply after too many matches), not ${decision}`,
          r.id,
          true,
        );
      }
      const per = parseDuration(r.velocity.per);
      if (per > 30 * 86400)
        this.err(file, [...path, "velocity", "per"], `velocity window ${r.velocity.per} is too long: at most 30d`, r.id);
      rule.velocity = { max: r.velocity.max, per_sec: per, key: r.velocity.key ?? "actor" };
    }
    this.ruleSites.set(rule, { file, path, scope: tenant });
    return rule;
  }

  /** Checks that need every file: rule id uniqueness, groups, quorum, rules that can never match. */
  finishRules(): void {
    const shared = [...this.packRules, ...this.globalRules];
    const seen = new Map<string, SnapshotRule>();
    for (const r of shared) this.checkDuplicate(seen, r);
    for (const t of Object.values(this.tenants)) {
      const mine = new Map(seen);
      for (const r of t.rules) this.checkDuplicate(mine, r);
    }
    for (const a of this.pendingApprovals) {
      const tenants = a.tenant !== null ? [a.tenant] : [null, ...Object.keys(this.tenants)];
      for (const t of tenants) {
        const groups = { ...this.groups, ...(t !== null ? this.tenants[t]?.groups : {}) };
        const people = new Set<string>();
        let missing = false;
        for (const [i, ap] of a.spec.approvers.entries()) {
          if (!ap.startsWith("group:")) {
            people.add(ap);
            continue;
          }
          const g = groups[ap.slice(6)];
          if (g) for (const m of g) people.add(m);
          else if (!missing) {
            missing = true;
            this.err(
              a.file,
              [...a.path, "approvers", i],
              `unknown group '${ap.slice(6)}'${t !== null ? ` for tenant ${t}` : ""}: define it under groups`,
              a.ruleId,
            );
          }
        }
        if (!missing && a.spec.quorum > people.size) {
          this.err(
            a.file,
            [...a.path, "quorum"],
            `quorum ${a.spec.quorum} can never be reached: only ${people.size} distinct approver(s)${t !== null ? ` for tenant ${t}` : ""}`,
            a.ruleId,
          );
          break;
        }
        if (missing) break;
      }
    }
    for (const [rule, site] of this.ruleSites) {
      const why = neverMatches(rule);
      if (why) this.report("warning", site.file, site.path, `can never match: ${why}`, rule.id);
    }
    for (const [id, t] of Object.entries(this.tenants)) {
      if (t.default_decision === "REQUIRE_APPROVAL" && !t.default_approval && !this.defaultApproval) {
        const site = this.tenantSites.get(id);
        if (site)
          this.report(
            "warning",
            site.file,
            [...site.path, "default_decision"],
            `tenant '${id}' defaults to REQUIRE_APPROVAL but no default_approval names who approves`,
          );
      }
    }
  }

  private checkDuplicate(seen: Map<string, SnapshotRule>, r: SnapshotRule): void {
    const prev = seen.get(r.id);
    const site = this.ruleSites.get(r);
    if (prev && site) {
      const ps = this.ruleSites.get(prev);
      const where = ps ? `${ps.file.path}:${ps.file.pos(ps.path)[0]}` : prev.origin;
      this.err(site.file, [...site.path, "id"], `duplicate rule id '${r.id}' (first defined at ${where})`, r.id);
    } else seen.set(r.id, r);
  }

  testsFile(src: PolicySource): void {
    const file = new SourceFile(src.path, src.text);
    const t = this.load<TestsFile>(file, testsFileSchema);
    if (!t) return;
    t.tests.forEach((tc, i) => {
      if (tc.tenant !== undefined && !Object.hasOwn(this.tenants, tc.tenant)) {
        this.err(file, ["tests", i, "tenant"], `test '${tc.name}' names tenant '${tc.tenant}', which no policy defines`);
      }
      const c: PolicyTestCase = {
        name: tc.name,
        file: file.path,
        line: file.pos(["tests", i])[0],
        job: tc.job,
        expect: { ...tc.expect, decision: tc.expect.decision.toUpperCase() as Decision },
      };
      if (tc.tenant !== undefined) c.tenant = tc.tenant;
      if (tc.velocity_counts) c.velocity_counts = tc.velocity_counts;
      this.tests.push(c);
    });
  }

  snapshot(): Snapshot {
    const s: Snapshot = {
      format: SNAPSHOT_FORMAT,
      version: this.version ?? 1,
      default_decision: this.defaultDecision?.value ?? "DENY",
      packs: this.packNames,
      groups: this.groups,
      environments: this.environments,
      rules: [...this.packRules, ...this.globalRules],
      tenants: this.tenants,
    };
    if (this.defaultApproval) s.default_approval = this.defaultApproval;
    return s;
  }
}

function findProtoKey(v: unknown, path: PathSeg[]): PathSeg[] | null {
  if (typeof v !== "object" || v === null) return null;
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      const p = findProtoKey(x, [...path, i]);
      if (p) return p;
    }
    return null;
  }
  for (const k of Object.keys(v)) {
    if (k === "__proto__") return [...path, k];
    const p = findProtoKey((v as Record<string, unknown>)[k], [...path, k]);
    if (p) return p;
  }
  return null;
}

/** The id of the rule a path points into, for diagnostics. */
function ruleIdAt(value: unknown, path: readonly PathSeg[]): string | undefined {
  let cur: unknown = value;
  let id: string | undefined;
  for (let i = 0; i < path.length; i++) {
    if (typeof cur !== "object" || cur === null) break;
    cur = (cur as Record<string | number, unknown>)[path[i] as string | number];
    if (path[i - 1] === "rules" && typeof path[i] === "number" && typeof cur === "object" && cur !== null) {
      const maybe = (cur as { id?: unknown }).id;
      id = typeof maybe === "string" ? maybe : undefined;
    }
  }
  return id;
}

/** Plain words on why a rule can never match, or null. Only certain cases: no false alarms. */
export function neverMatches(rule: SnapshotRule): string | null {
  const m = rule.match;
  const u = rule.unless;
  if (u) {
    if (Object.keys(u).length === 0) return "its unless block is empty, so it always holds";
    const keys = Object.keys(u) as (keyof MatchSpec)[];
    const implied = keys.every((k) => {
      if (k === "risk_tags") return (u.risk_tags ?? []).every((t) => m.risk_tags?.includes(t));
      if (k === "risk_tags_any") return (u.risk_tags_any ?? []).some((t) => m.risk_tags?.includes(t));
      if (k === "labels") return false;
      if (k === "when") return false;
      return m[k] !== undefined && canonicalJson(u[k]) === canonicalJson(m[k]);
    });
    if (implied) return "whenever its match holds, its unless holds too";
  }
  for (const tag of m.risk_tags ?? []) {
    if (u?.risk_tags_any?.includes(tag) && Object.keys(u).length === 1) return `it requires tag '${tag}' and its unless excludes it`;
  }
  const byField = new Map<string, WhenCondition[]>();
  for (const w of m.when ?? []) byField.set(w.field, [...(byField.get(w.field) ?? []), w]);
  for (const [field, conds] of byField) {
    const eqs = conds.filter((c) => c.op === "eq").map((c) => canonicalJson(c.value));
    if (new Set(eqs).size > 1) return `${field} cannot equal two different values`;
    const absent = conds.some((c) => c.op === "exists" && c.value === false);
    if (absent && conds.some((c) => c.op !== "exists")) return `${field} must be absent and also compared`;
    if (conds.some((c) => c.op === "exists" && c.value === true) && absent) return `${field} must both exist and be absent`;
    let lo = Number.NEGATIVE_INFINITY;
    let hi = Number.POSITIVE_INFINITY;
    let loIncl = true;
    let hiIncl = true;
    for (const c of conds) {
      const v = c.value as number;
      if (c.op === "gt" && v >= lo) [lo, loIncl] = [v, false];
      if (c.op === "gte" && v > lo) [lo, loIncl] = [v, true];
      if (c.op === "lt" && v <= hi) [hi, hiIncl] = [v, false];
      if (c.op === "lte" && v < hi) [hi, hiIncl] = [v, true];
    }
    if (lo > hi || (lo === hi && !(loIncl && hiIncl))) return `no number satisfies every comparison on ${field}`;
    for (const c of conds) {
      if (c.op === "eq" && conds.some((d) => d.op === "ne" && canonicalJson(d.value) === canonicalJson(c.value)))
        return `${field} must equal and not equal ${canonicalJson(c.value)}`;
      if (
        c.op === "eq" &&
        conds.some((d) => d.op === "in" && !(d.value as JsonValue[]).some((x) => canonicalJson(x) === canonicalJson(c.value)))
      )
        return `${field} must equal ${canonicalJson(c.value)} and be in a list without it`;
    }
  }
  return null;
}
