/**
 * Engine benchmark: Cordon's evaluator against Cedar (WebAssembly build, its
 * fastest JavaScript path) on the same policies and jobs.
 *
 *   npm run bench            (tsx bench/engine-bench.ts)
 *   BENCH_SIZES=10,100 ...   only some policy sizes
 *
 * For N in 10, 100, 1000, 10000 rules it generates (from a fixed seed) a
 * policy set in the fragment both engines express, compiles it with
 * `compilePolicy` from YAML, translates it to Cedar, and measures:
 * - cold start: JSON.parse of the snapshot + `new Engine` + first evaluation
 *   (median of 7), snapshot JSON size, and heap used by the loaded engine;
 * - per-decision latency (median, p99) from `process.hrtime.bigint()` read
 *   around every single call, and throughput from a timed loop;
 * - the same for Cedar: `preparsePolicySet` once, then `statefulIsAuthorized`
 *   per job with no entities (requests built beforehand);
 * and checks that both engines decide every benchmark job the same way
 * (exit code 1 otherwise). Results: a table on stdout and
 * bench/results/engine.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Engine } from "../src/engine/evaluator";
import type { Snapshot } from "../src/engine/types";
import { compilePolicy } from "../src/policy/compiler";
import { CedarPolicySet, cedarVersion, readAnswer } from "../test/cedar/cedar";
import {
  type FragJob,
  type FragMatch,
  type FragPolicy,
  type FragRule,
  toCedarPolicies,
  toCordonJob,
  toCordonYaml,
} from "../test/cedar/fragment";

const SEED = 0xc0_4d_0e;
const JOBS = 2000;
const SIZES = (process.env.BENCH_SIZES ?? "10,100,1000,10000").split(",").map((s) => Number(s.trim()));
/** Minimum time for each throughput loop. */
const THROUGHPUT_MS = 400;
/** Cordon latency samples per size (whole passes over the jobs). */
const CORDON_SAMPLES = 20_000;
/** Cedar latency: passes over the jobs until this many ms or samples; at least one full pass (the agreement check). */
const CEDAR_LATENCY_MS = 1000;
const CEDAR_SAMPLES = 10_000;
/**
 * Above this many rules a Cedar call costs tens of milliseconds, so checking
 * and timing all 2000 jobs against the full set would take minutes: Cedar is
 * then timed on the first CEDAR_CAPPED_JOBS jobs only (also checked against
 * the full set), and the other jobs are checked against per-service slices of
 * the Cedar policy set. BENCH_CEDAR_FULL=1 checks every job against the full
 * set instead (about 2 more minutes at 10,000 rules).
 */
const SLICE_ABOVE = 2000;
const CEDAR_CAPPED_JOBS = 300;

// ---------------------------------------------------------------------------
// Deterministic generation

/** mulberry32: small, fast, good enough for workload generation. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = ["get", "list", "create", "update", "delete", "exec", "scale", "patch"] as const;
const RESOURCES = 6;
const TAGS = ["read", "write", "destructive", "production", "secrets", "pii", "network"] as const;
const ENVS = ["prod", "prod-eu", "staging", "dev"] as const;
const TEAMS = 12;

interface Gen {
  r: () => number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

function gen(seed: number): Gen {
  const r = rng(seed);
  const g: Gen = {
    r,
    int: (n) => Math.floor(r() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T,
    chance: (p) => r() < p,
  };
  return g;
}

const services = (n: number) => Math.max(3, Math.ceil(n / 8));

/**
 * A realistic-looking policy set of n rules: many service namespaces
 * (`svc17.res3.delete`), capability-scoped rules with exact, `*` and `**`
 * globs, some tag and label conditions, a few `unless` blocks, about 80%
 * ALLOW and 20% DENY, and a small minority of global guardrails without a
 * capability (3% of the rules, at most 12: such rules cannot be indexed by
 * capability, and real policies have a handful of them).
 */
function genPolicy(n: number, g: Gen): FragPolicy {
  const nsvc = services(n);
  const svc = () => `svc${g.int(nsvc)}`;
  const res = () => `res${g.int(RESOURCES)}`;
  const global = new Set<number>();
  const nGlobal = Math.min(12, Math.floor(n * 0.03));
  while (global.size < nGlobal) global.add(g.int(n));
  const rules: FragRule[] = [];
  for (let i = 0; i < n; i++) {
    const m: FragMatch = {};
    if (global.has(i)) {
      // Guardrails: two required tags, or a tag in a labelled environment.
      if (g.chance(0.5)) m.risk_tags = g.chance(0.5) ? ["destructive", "production"] : ["secrets", "pii"];
      else {
        m.risk_tags_any = [g.pick(TAGS)];
        m.labels = { env: "prod*", team: `team${g.int(TEAMS)}` };
      }
      rules.push({ id: `guard-${i}`, decision: g.chance(0.7) ? "DENY" : "ALLOW", match: m });
      continue;
    }
    const k = g.r();
    if (k < 0.4) m.capability = `${svc()}.${res()}.${g.pick(VERBS)}`;
    else if (k < 0.6) m.capability = `${svc()}.${res()}.*`;
    else if (k < 0.7) m.capability = `${svc()}.**`;
    else if (k < 0.8) m.capability = `${svc()}.*.${g.pick(VERBS)}`;
    else if (k < 0.9) {
      const s = svc();
      m.capability = Array.from({ length: 2 + g.int(2) }, () => `${s}.${res()}.${g.pick(VERBS)}`);
    } else m.capability = `${svc()}.${res()}.**`;
    if (g.chance(0.25)) m.risk_tags = [...new Set([g.pick(TAGS), ...(g.chance(0.3) ? [g.pick(TAGS)] : [])])];
    if (g.chance(0.1)) m.risk_tags_any = [...new Set([g.pick(TAGS), g.pick(TAGS)])];
    if (g.chance(0.25)) {
      const labels: Record<string, string | string[]> = {};
      if (g.chance(0.7)) labels.env = g.pick<string | string[]>(["prod", "prod-*", ["staging", "dev"], "*"]);
      if (g.chance(0.5) || Object.keys(labels).length === 0)
        labels.team = g.chance(0.8) ? `team${g.int(TEAMS)}` : [`team${g.int(TEAMS)}`, `team${g.int(TEAMS)}`];
      m.labels = labels;
    }
    const rule: FragRule = { id: `rule-${i}`, decision: g.chance(0.8) ? "ALLOW" : "DENY", match: m };
    if (g.chance(0.08)) rule.unless = g.chance(0.5) ? { risk_tags_any: ["secrets", "pii"] } : { labels: { env: "prod*" } };
    rules.push(rule);
  }
  return { rules };
}

/** A concrete capability matching a glob. */
function instantiate(glob: string, g: Gen): string {
  const out: string[] = [];
  for (const s of glob.split(".")) {
    if (s === "**") {
      const depth = g.int(3);
      if (depth >= 1) out.push(`res${g.int(RESOURCES)}`);
      if (depth >= 2) out.push(g.pick(VERBS));
    } else if (s === "*") out.push(out.length === 1 ? `res${g.int(RESOURCES)}` : g.pick(VERBS));
    else out.push(s);
  }
  return out.join(".");
}

/**
 * Benchmark jobs: 75% aimed at a random rule (its capability instantiated,
 * usually its tags and labels), 25% random capabilities over the namespace
 * space, some of services no rule mentions.
 */
function genJobs(p: FragPolicy, n: number, count: number, g: Gen): FragJob[] {
  const nsvc = services(n);
  const jobs: FragJob[] = [];
  for (let i = 0; i < count; i++) {
    const tags = new Set<string>();
    for (let t = g.int(3); t > 0; t--) tags.add(g.pick(TAGS));
    const labels: Record<string, string> = {};
    if (g.chance(0.85)) labels.env = g.pick(ENVS);
    if (g.chance(0.7)) labels.team = `team${g.int(TEAMS)}`;
    let capability: string;
    if (g.chance(0.75)) {
      const rule = g.pick(p.rules);
      const m = rule.match;
      const caps =
        m.capability === undefined
          ? [`svc${g.int(nsvc)}.res${g.int(RESOURCES)}.${g.pick(VERBS)}`]
          : typeof m.capability === "string"
            ? [m.capability]
            : m.capability;
      capability = instantiate(g.pick(caps), g);
      if (g.chance(0.7)) for (const t of m.risk_tags ?? []) tags.add(t);
      if (m.risk_tags_any && g.chance(0.7)) tags.add(g.pick(m.risk_tags_any));
      if (m.labels && g.chance(0.7)) {
        for (const [k, v] of Object.entries(m.labels)) {
          const want = typeof v === "string" ? v : g.pick(v);
          labels[k] = want === "*" ? "x" : want.replace("*", "eu");
        }
      }
    } else {
      capability = `svc${g.int(Math.ceil(nsvc * 1.3))}.res${g.int(RESOURCES)}.${g.pick(VERBS)}`;
    }
    jobs.push({ capability, risk_tags: [...tags], labels });
  }
  return jobs;
}

// ---------------------------------------------------------------------------
// Measurement helpers

type Gc = () => void;
function getGc(): { gc: Gc | null; how: string } {
  const existing = (globalThis as { gc?: Gc }).gc;
  if (typeof existing === "function") return { gc: existing, how: "--expose-gc" };
  try {
    // Works without restarting node: enable the flag, then fetch gc from a fresh context.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    if (typeof gc === "function") return { gc: gc as Gc, how: "v8.setFlagsFromString('--expose-gc') at runtime" };
  } catch {
    // fall through
  }
  return { gc: null, how: "unavailable: heap figures include garbage" };
}
const GC = getGc();
const collect = () => {
  if (GC.gc) {
    GC.gc();
    GC.gc();
  }
};

const now = () => process.hrtime.bigint();
const ms = (ns: bigint) => Number(ns) / 1e6;

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
};

/** Overhead of one `process.hrtime.bigint()` pair around an empty call, in ns (median). */
function timerOverheadNs(): number {
  const xs = new Float64Array(50_000);
  for (let i = 0; i < xs.length; i++) {
    const t0 = now();
    const t1 = now();
    xs[i] = Number(t1 - t0);
  }
  xs.sort();
  return quantile(xs, 0.5);
}

interface Latency {
  median_us: number;
  p99_us: number;
  samples: number;
}

function summarize(samples: Float64Array, count: number): Latency {
  const s = samples.slice(0, count).sort();
  return { median_us: quantile(s, 0.5) / 1000, p99_us: quantile(s, 0.99) / 1000, samples: count };
}

/** Calls `fn` over the inputs, round-robin, in batches between clock reads, until `minMs` have passed; returns decisions per second. */
function throughput<T>(
  inputs: readonly T[],
  fn: (x: T) => unknown,
  minMs: number,
  batch: number,
  minCalls = 1,
): { per_sec: number; calls: number } {
  let calls = 0;
  let sink = 0;
  const t0 = now();
  let elapsed = 0;
  while (elapsed < minMs || calls < minCalls) {
    for (let b = 0; b < batch; b++) {
      if (fn(inputs[calls % inputs.length] as T) !== undefined) sink++;
      calls++;
    }
    elapsed = ms(now() - t0);
  }
  if (sink !== calls) throw new Error("an engine returned nothing");
  return { per_sec: calls / (elapsed / 1000), calls };
}

/**
 * The Cedar policy set cut per service, for the agreement check at large sizes.
 * Sound for the generated policies: a rule whose capability globs all start
 * with a literal segment can only match (in Cordon, and in its Cedar
 * translation) a capability with that first segment, so the slice for `svcK`
 * holds the rules with a glob starting `svcK`, plus every rule whose glob
 * starts with a wildcard or which has no capability. Computed from the policy
 * data, independently of Cordon's rule index.
 */
class CedarSlices {
  private readonly byFirst = new Map<string, string[]>();
  private readonly everywhere: string[] = [];
  private readonly sets = new Map<string, CedarPolicySet>();

  constructor(
    private readonly prefix: string,
    policy: FragPolicy,
    private readonly cedarPolicies: Record<string, string>,
  ) {
    for (const r of policy.rules) {
      const c = r.match.capability;
      const firsts =
        c === undefined
          ? [null]
          : (typeof c === "string" ? [c] : c).map((gl) => {
              const f = gl.toLowerCase().split(".")[0] ?? "";
              return f.includes("*") ? null : f;
            });
      if (firsts.includes(null)) this.everywhere.push(r.id);
      else for (const f of new Set(firsts)) this.byFirst.set(f as string, [...(this.byFirst.get(f as string) ?? []), r.id]);
    }
  }

  authorize(job: FragJob): ReturnType<CedarPolicySet["authorize"]> {
    const key = job.capability === undefined ? "" : (job.capability.toLowerCase().split(".")[0] ?? "");
    let set = this.sets.get(key);
    if (!set) {
      const ids = [...this.everywhere, ...(this.byFirst.get(key) ?? [])];
      set = new CedarPolicySet(`${this.prefix}/${key}`, Object.fromEntries(ids.map((id) => [id, this.cedarPolicies[id] as string])));
      this.sets.set(key, set);
    }
    return set.authorize(job);
  }
}

// ---------------------------------------------------------------------------

interface SizeResult {
  rules: number;
  rules_without_capability: number;
  jobs: number;
  decision_mix: { allow: number; deny_by_rule: number; default_deny: number };
  agreements: number;
  disagreements: number;
  compile_ms: number;
  cordon: Latency & { decisions_per_sec: number; throughput_calls: number };
  cedar: Latency & { decisions_per_sec: number; throughput_calls: number; preparse_ms: number; capped: boolean; full_set_checks: number };
  throughput_ratio: number;
  cold_start_ms: number;
  /** The first of the repeats (less warm JIT; only truly cold for the first size). */
  cold_start_first_ms: number;
  snapshot_bytes: number;
  heap_mib: number;
}

async function benchSize(n: number): Promise<SizeResult> {
  const g = gen(SEED + n);
  const policy = genPolicy(n, g);
  const jobs = genJobs(policy, n, JOBS, g);
  const cordonJobs = jobs.map(toCordonJob);

  // Compile.
  const yaml = toCordonYaml(policy);
  const tc = now();
  const compiled = await compilePolicy([{ kind: "base", path: "policies/bench.yaml", text: yaml }]);
  const compileMs = ms(now() - tc);
  if (!compiled.ok || !compiled.snapshot || !compiled.hash) {
    throw new Error(
      `compile failed: ${compiled.diagnostics
        .slice(0, 5)
        .map((d) => `${d.line}: ${d.message}`)
        .join("; ")}`,
    );
  }
  const hash = compiled.hash;
  const json = JSON.stringify(compiled.snapshot);
  const snapshotBytes = Buffer.byteLength(json, "utf8");

  // Cold start: parse + construct + first decision.
  const colds: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = now();
    const e = new Engine(JSON.parse(json) as Snapshot, hash);
    e.evaluate(cordonJobs[0]);
    colds.push(ms(now() - t0));
  }

  // Heap held by a loaded engine (the snapshot JSON string itself excluded).
  collect();
  const h0 = process.memoryUsage().heapUsed;
  let held: Engine | null = new Engine(JSON.parse(json) as Snapshot, hash);
  held.evaluate(cordonJobs[0]);
  collect();
  const heapMiB = (process.memoryUsage().heapUsed - h0) / (1024 * 1024);
  const engine = held;
  held = null;

  // Cordon: warm up, then time every call.
  for (let pass = 0; pass < 3; pass++) for (const j of cordonJobs) engine.evaluate(j);
  const cs = new Float64Array(CORDON_SAMPLES);
  for (let i = 0; i < CORDON_SAMPLES; i++) {
    const j = cordonJobs[i % cordonJobs.length];
    const t0 = now();
    engine.evaluate(j);
    cs[i] = Number(now() - t0);
  }
  const cordonLat = summarize(cs, CORDON_SAMPLES);
  const cordonTp = throughput(cordonJobs, (j) => engine.evaluate(j), THROUGHPUT_MS, 100);
  const cordonDecisions = cordonJobs.map((j) => engine.evaluate(j));

  // Cedar: preparse once, build requests beforehand, time each call.
  const cedarPolicies = toCedarPolicies(policy);
  const tp = now();
  const cedar = new CedarPolicySet(`bench-${n}`, cedarPolicies);
  const preparseMs = ms(now() - tp);
  const requests = jobs.map((j) => cedar.request(j));
  for (let i = 0; i < Math.min(100, requests.length); i++) cedar.authorizeRequest(requests[i] as (typeof requests)[number]);
  // Above SLICE_ABOVE rules one Cedar call takes tens of ms: time a capped sample
  // against the full set, and check the remaining jobs against per-service slices.
  const capped = n > SLICE_ABOVE && process.env.BENCH_CEDAR_FULL !== "1";
  const firstPass = capped ? Math.min(CEDAR_CAPPED_JOBS, requests.length) : requests.length;
  const ce = new Float64Array(Math.max(CEDAR_SAMPLES, firstPass));
  let count = 0;
  let agreements = 0;
  const disagreements: string[] = [];
  const compare = (i: number, cd: string, how: string) => {
    const co = (cordonDecisions[i] as (typeof cordonDecisions)[number]).decision;
    if (cd === co) agreements++;
    else disagreements.push(`job ${i} ${JSON.stringify(cordonJobs[i])}: Cordon ${co}, Cedar (${how}) ${cd}`);
  };
  const tl = now();
  while (count < firstPass || (!capped && ms(now() - tl) < CEDAR_LATENCY_MS && count < ce.length)) {
    const i = count % requests.length;
    const t0 = now();
    const answer = cedar.authorizeRequest(requests[i] as (typeof requests)[number]);
    ce[count] = Number(now() - t0);
    if (count < firstPass) compare(i, readAnswer(answer).decision, "full set");
    count++;
  }
  const cedarLat = summarize(ce, count);
  const cedarTp = throughput(requests, (r) => cedar.authorizeRequest(r), THROUGHPUT_MS, 1, capped ? 10 : 20);
  if (capped) {
    const slices = new CedarSlices(`bench-${n}`, policy, cedarPolicies);
    for (let i = firstPass; i < jobs.length; i++) compare(i, slices.authorize(jobs[i] as FragJob).decision, "service slice");
  }

  if (disagreements.length > 0) {
    console.error(`\n${n} rules: ${disagreements.length} disagreement(s), first ones:\n  ${disagreements.slice(0, 5).join("\n  ")}`);
  }

  const mix = { allow: 0, deny_by_rule: 0, default_deny: 0 };
  for (const d of cordonDecisions) {
    if (d.decision === "ALLOW") mix.allow++;
    else if (d.rule_id !== null) mix.deny_by_rule++;
    else mix.default_deny++;
  }

  return {
    rules: n,
    rules_without_capability: policy.rules.filter((r) => r.match.capability === undefined).length,
    jobs: jobs.length,
    decision_mix: mix,
    agreements,
    disagreements: disagreements.length,
    compile_ms: compileMs,
    cordon: { ...cordonLat, decisions_per_sec: cordonTp.per_sec, throughput_calls: cordonTp.calls },
    cedar: {
      ...cedarLat,
      decisions_per_sec: cedarTp.per_sec,
      throughput_calls: cedarTp.calls,
      preparse_ms: preparseMs,
      capped,
      full_set_checks: firstPass,
    },
    throughput_ratio: cordonTp.per_sec / cedarTp.per_sec,
    cold_start_ms: median(colds),
    cold_start_first_ms: colds[0] as number,
    snapshot_bytes: snapshotBytes,
    heap_mib: heapMiB,
  };
}

function fmt(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 10_000) return Math.round(x).toLocaleString("en-US");
  return x.toFixed(digits);
}

function table(rows: SizeResult[]): string {
  const head = [
    "rules",
    "cordon median µs",
    "cordon p99 µs",
    "cordon decisions/s",
    "cedar median µs",
    "cedar p99 µs",
    "cedar decisions/s",
    "throughput ratio (cordon/cedar)",
    "cold start ms",
    "snapshot KiB",
    "heap MiB",
  ];
  const body = rows.map((r) => [
    String(r.rules),
    fmt(r.cordon.median_us, 2),
    fmt(r.cordon.p99_us, 2),
    fmt(r.cordon.decisions_per_sec),
    fmt(r.cedar.median_us, 1),
    fmt(r.cedar.p99_us, 1),
    fmt(r.cedar.decisions_per_sec),
    `${fmt(r.throughput_ratio, 1)}x`,
    fmt(r.cold_start_ms, 2),
    fmt(r.snapshot_bytes / 1024, 1),
    fmt(r.heap_mib, 2),
  ]);
  const lines = [head, head.map((h) => "-".repeat(h.length)), ...body];
  const widths = head.map((_, c) => Math.max(...lines.map((l) => (l[c] as string).length)));
  return lines
    .map((l) => `| ${l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join(" | ")} |`)
    .join("\n");
}

async function main(): Promise<void> {
  const started = now();
  const overhead = timerOverheadNs();
  console.log(
    `Cordon engine benchmark: node ${process.version}, Cedar ${cedarVersion()} (wasm, nodejs build), ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}`,
  );
  console.log(`seed ${SEED}, ${JOBS} jobs per size; gc: ${GC.how}; timer overhead (hrtime.bigint pair) ~${overhead} ns, not subtracted`);
  const rows: SizeResult[] = [];
  for (const n of SIZES) {
    const t0 = now();
    const r = await benchSize(n);
    rows.push(r);
    const m = r.decision_mix;
    const check = r.cedar.capped
      ? `${r.cedar.full_set_checks} against the full Cedar set, ${r.jobs - r.cedar.full_set_checks} against per-service slices`
      : "all against the full Cedar set";
    console.log(
      `  ${String(n).padStart(5)} rules: ${r.agreements}/${r.jobs} decisions agree (${check}); ` +
        `mix ALLOW ${m.allow}, DENY by rule ${m.deny_by_rule}, default DENY ${m.default_deny}; ${r.rules_without_capability} rules without capability; ` +
        `compile ${fmt(r.compile_ms)} ms, Cedar preparse ${fmt(r.cedar.preparse_ms)} ms; ` +
        `Cedar latency from ${r.cedar.samples} calls${r.cedar.capped ? ` (CAPPED: first ${CEDAR_CAPPED_JOBS} jobs only)` : ""}, throughput from ${r.cedar.throughput_calls}; ${fmt(ms(now() - t0) / 1000, 1)} s`,
    );
  }
  console.log();
  console.log(table(rows));
  console.log();
  console.log(
    `Latency: process.hrtime.bigint() read around every single call. Cordon: ${CORDON_SAMPLES.toLocaleString("en-US")} calls round-robin over the jobs after 3 warm-up passes.`,
  );
  console.log(
    `Cedar: every job once, then more passes for up to ${CEDAR_LATENCY_MS} ms / ${CEDAR_SAMPLES.toLocaleString("en-US")} calls; above ${SLICE_ABOVE.toLocaleString("en-US")} rules CAPPED`,
  );
  console.log(
    `to the first ${CEDAR_CAPPED_JOBS} jobs (a call takes tens of ms), the other jobs' decisions checked against per-service slices of the Cedar set`,
  );
  console.log(
    "(BENCH_CEDAR_FULL=1: every job against the full set). Throughput: calls round-robin over the jobs for >= 0.4 s (Cedar at least 10-20 calls).",
  );
  console.log(
    "Cold start: JSON.parse(snapshot JSON) + new Engine + first evaluate, median of 7. Heap: heapUsed after gc with the engine loaded minus before.",
  );
  console.log("Cedar: preparsePolicySet once, statefulIsAuthorized per job, entities [], request objects built beforehand.");

  const total = rows.reduce((a, r) => a + r.jobs, 0);
  const agreed = rows.reduce((a, r) => a + r.agreements, 0);
  console.log(`\nAgreement: ${agreed}/${total} benchmark decisions identical in Cordon and Cedar.`);

  const here = dirname(fileURLToPath(import.meta.url));
  const out = join(here, "results", "engine.json");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        generated_at: new Date().toISOString(),
        node: process.version,
        cedar: cedarVersion(),
        cpu: { count: cpus().length, model: cpus()[0]?.model ?? null },
        seed: SEED,
        jobs_per_size: JOBS,
        gc: GC.how,
        timer_overhead_ns: overhead,
        method: {
          latency: "process.hrtime.bigint() around each call; median and p99 of the samples; timer overhead not subtracted",
          throughput: `round-robin over the jobs for at least ${THROUGHPUT_MS} ms`,
          cold_start: "JSON.parse(snapshot JSON) + new Engine + first evaluate, median of 7",
          heap: "heapUsed after gc with the engine loaded minus before (snapshot JSON string excluded)",
          cedar: "preparsePolicySet once; statefulIsAuthorized per job, entities [], requests prebuilt",
          cedar_cap: `above ${SLICE_ABOVE} rules: Cedar latency from the first ${CEDAR_CAPPED_JOBS} jobs against the full set; the other jobs checked against per-service slices (BENCH_CEDAR_FULL=1 to disable)`,
        },
        results: rows,
        agreements: agreed,
        decisions: total,
        total_seconds: ms(now() - started) / 1000,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`Wrote ${out} (${fmt(ms(now() - started) / 1000, 1)} s total).`);
  if (agreed !== total) {
    console.error(`FAIL: ${total - agreed} decision(s) differ between Cordon and Cedar.`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
