import { derive, PACKS, type Pack } from "../packs/index";
import { mergeConstraints } from "./constraints";
import { type CompiledMatch, compileMatch, type MatchInput } from "./match";
import { effectiveJob } from "./normalize";
import { RuleIndex } from "./rule-index";
import {
  type ApprovalSpec,
  type Constraints,
  type Decision,
  type EffectiveJob,
  type EvaluateOptions,
  type EvaluationResult,
  type ExplainEntry,
  type Snapshot,
  type SnapshotRule,
  STRICTNESS,
  type VelocityHit,
} from "./types";

interface CompiledRule {
  rule: SnapshotRule;
  match: CompiledMatch;
  unless: CompiledMatch | null;
  strictness: number;
}

interface Scope {
  tenant: string | null;
  rules: CompiledRule[];
  index: RuleIndex;
  defaultDecision: Decision;
  defaultApproval: ApprovalSpec | undefined;
  groups: Record<string, string[]>;
  environments: Record<string, string[]>;
}

/**
 * A loaded snapshot, ready to evaluate jobs. Pure: no I/O, no clock, no
 * randomness; the same snapshot and job always give the same result.
 * Load once per isolate (the Worker keeps it in module scope).
 */
export class Engine {
  readonly snapshot: Snapshot;
  readonly hash: string;
  private readonly globalRules: CompiledRule[];
  private readonly scopes = new Map<string, Scope>();
  private readonly globalScope: Scope;
  private readonly packs: Pack[];

  constructor(snapshot: Snapshot, hash: string, packs: ReadonlyMap<string, Pack> = PACKS) {
    this.snapshot = snapshot;
    this.hash = hash;
    this.packs = snapshot.packs.map((name) => {
      const p = packs.get(name);
      if (!p) throw new Error(`snapshot enables pack '${name}', which this build does not have`);
      return p;
    });
    this.globalRules = snapshot.rules.map(compileRule);
    this.globalScope = this.makeScope(null);
  }

  private makeScope(tenant: string | null): Scope {
    const t = tenant === null ? undefined : this.snapshot.tenants[tenant];
    const rules = t ? [...this.globalRules, ...t.rules.map(compileRule)] : this.globalRules;
    return {
      tenant,
      rules,
      index: new RuleIndex(rules.map((r) => r.rule)),
      defaultDecision: t?.default_decision ?? this.snapshot.default_decision,
      defaultApproval: t?.default_approval ?? this.snapshot.default_approval,
      groups: { ...this.snapshot.groups, ...t?.groups },
      environments: { ...this.snapshot.environments, ...t?.environments },
    };
  }

  /** Scopes are built on first use per tenant, so a cold start pays only for the global rules. */
  private scope(tenant: string | undefined): Scope {
    if (tenant === undefined || !Object.hasOwn(this.snapshot.tenants, tenant)) return this.globalScope;
    let s = this.scopes.get(tenant);
    if (!s) {
      s = this.makeScope(tenant);
      this.scopes.set(tenant, s);
    }
    return s;
  }

  /** Decide a job. Never throws on any input. */
  evaluate(job: unknown, opts: EvaluateOptions = {}): EvaluationResult {
    const scope = this.scope(opts.tenant);
    const action = (job as { action?: unknown } | null)?.action;
    const derived = derive(
      typeof action === "object" && action !== null && !Array.isArray(action) ? (action as Record<string, unknown>) : undefined,
      this.packs,
      { environments: scope.environments },
    );
    const eff = effectiveJob(job, derived);
    const x: MatchInput = { job: eff, tags: new Set(eff.risk_tags) };

    const explain: ExplainEntry[] | undefined = opts.explain ? [] : undefined;
    const order = explain ? scope.rules.map((_, i) => i) : scope.index.candidates(x);
    const matched: CompiledRule[] = [];
    const shadow: EvaluationResult["shadow_matches"] = [];
    const velocity: VelocityHit[] = [];

    for (const i of order) {
      const cr = scope.rules[i] as CompiledRule;
      const { rule } = cr;
      let failed: ExplainEntry["failed"];
      let ok = cr.match.test(x);
      if (!ok) {
        if (explain) failed = cr.match.firstFailure(x) ?? undefined;
      } else if (cr.unless?.test(x)) {
        ok = false;
        failed = { condition: "unless", detail: "the rule's unless conditions hold" };
      } else if (rule.velocity) {
        const hit = velocityHit(rule, eff, opts, scope.tenant);
        velocity.push(hit);
        if (!hit.triggered) {
          ok = false;
          failed = {
            condition: "velocity",
            detail: `${hit.key} matched ${hit.count} time(s) in the window; the rule applies from ${rule.velocity.max}`,
          };
        }
      }
      if (ok) {
        if (rule.mode === "shadow") shadow.push({ rule_id: rule.id, decision: rule.decision });
        else matched.push(cr);
      }
      if (explain) {
        const entry: ExplainEntry = { rule_id: rule.id, origin: rule.origin, decision: rule.decision, mode: rule.mode, matched: ok };
        if (failed) entry.failed = failed;
        explain.push(entry);
      }
    }

    const result = this.decide(scope, matched, eff, derived);
    result.shadow_matches = shadow;
    result.velocity = velocity;
    if (explain) result.explain = explain;
    return result;
  }

  private decide(scope: Scope, matched: CompiledRule[], eff: EffectiveJob, derived: EvaluationResult["derived"]): EvaluationResult {
    const base = {
      snapshot_hash: this.hash,
      effective_job: eff,
      shadow_matches: [],
      velocity: [],
      derived: {
        ...(eff.capability !== undefined ? { capability: eff.capability } : {}),
        risk_tags: eff.risk_tags,
        labels: derived.labels,
        findings: derived.findings,
      },
    };
    if (matched.length === 0) {
      const d = scope.defaultDecision;
      const where = scope.tenant === null ? "the global default" : `the default for tenant ${scope.tenant}`;
      return {
        ...base,
        decision: d,
        reason: `No rule matched; ${where} is ${d}`,
        rule_id: null,
        matched_rules: [],
        constraints: {},
        approval: d === "REQUIRE_APPROVAL" && scope.defaultApproval ? resolveApproval(scope.defaultApproval, scope.groups) : null,
      };
    }
    let winner = matched[0] as CompiledRule;
    for (const cr of matched) if (cr.strictness > winner.strictness) winner = cr;
    const decision = winner.rule.decision;
    const constraints: Constraints =
      decision === "DENY"
        ? {}
        : mergeConstraints(matched.filter((cr) => cr.rule.decision === "ALLOW_WITH_CONSTRAINTS").map((cr) => cr.rule.constraints ?? {}));
    return {
      ...base,
      decision,
      reason: winner.rule.reason,
      rule_id: winner.rule.id,
      matched_rules: matched.map((cr) => cr.rule.id),
      constraints,
      approval: decision === "REQUIRE_APPROVAL" && winner.rule.approval ? resolveApproval(winner.rule.approval, scope.groups) : null,
    };
  }
}

function compileRule(rule: SnapshotRule): CompiledRule {
  return {
    rule,
    match: compileMatch(rule.match),
    unless: rule.unless ? compileMatch(rule.unless) : null,
    strictness: STRICTNESS[rule.decision],
  };
}

/** The counter key for a velocity rule; the service counts (rule, key) pairs. */
function velocityHit(rule: SnapshotRule, job: EffectiveJob, opts: EvaluateOptions, tenant: string | null): VelocityHit {
  const v = rule.velocity as NonNullable<SnapshotRule["velocity"]>;
  let key: string;
  if (v.key === "actor") key = `actor:${job.actor?.id ?? ""}`;
  else if (v.key === "tenant") key = `tenant:${tenant ?? ""}`;
  else {
    const name = v.key.slice("labels.".length);
    key = `${v.key}:${Object.hasOwn(job.labels, name) ? job.labels[name] : ""}`;
  }
  const given = opts.velocityCounts?.[rule.id];
  const count = typeof given === "number" && Number.isFinite(given) ? given : null;
  // No count means the counter could not be read: fail closed. The compiler only
  // allows velocity on DENY and REQUIRE_APPROVAL rules, so "applies" is the strict side.
  const triggered = count === null || count >= v.max;
  return { rule_id: rule.id, key, max: v.max, per_sec: v.per_sec, count, triggered };
}

/** Expand `group:<name>` with the tenant's groups; keep order, drop duplicates. */
export function resolveApproval(a: ApprovalSpec, groups: Record<string, string[]>): ApprovalSpec {
  const out: string[] = [];
  for (const ap of a.approvers) {
    const members = ap.startsWith("group:") ? (groups[ap.slice(6)] ?? []) : [ap];
    for (const m of members) if (!out.includes(m)) out.push(m);
  }
  return { approvers: out, quorum: a.quorum, ttl_sec: a.ttl_sec };
}
