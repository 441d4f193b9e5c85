/**
 * The fragment of Cordon's policy language that Cedar can express, as data:
 * fast-check arbitraries for policies and jobs over small alphabets (so that
 * rules match often), and the two translations of a policy, to Cordon YAML and
 * to Cedar policy text.
 *
 * Fragment: rules with decision ALLOW or DENY whose `match` (and optional
 * `unless`) use any subset of `capability`, `risk_tags`, `risk_tags_any` and
 * `labels`; `default_decision: DENY`. Cordon's semantics on it (any matching
 * DENY wins, else any matching ALLOW, else DENY) are Cedar's forbid-overrides-
 * permit with default deny, so the translation is rule by rule:
 * ALLOW -> `permit`, DENY -> `forbid`, match -> `when`, unless -> `unless`.
 *
 * The Cedar request for a job is `Agent::"a"` / `Action::"act"` / `Job::"j"`
 * with context `{ capability?: String, tags: Set<String>, labels: Record }`.
 * Cordon lower-cases capabilities and tags before matching; the request builder
 * does the same (see {@link cedarContext}), labels keep their case.
 */

import type { Arbitrary } from "fast-check";
import fc from "fast-check";
import { stringify } from "yaml";

export type FragDecision = "ALLOW" | "DENY";

/** A match block as the policy author writes it (a single glob may be a bare string). */
export interface FragMatch {
  capability?: string | string[];
  risk_tags?: string[];
  risk_tags_any?: string[];
  labels?: Record<string, string | string[]>;
}

export interface FragRule {
  id: string;
  decision: FragDecision;
  match: FragMatch;
  unless?: FragMatch;
}

export interface FragPolicy {
  rules: FragRule[];
}

/** A job in the fragment; the capability may be absent and may use upper case. */
export interface FragJob {
  capability?: string;
  risk_tags: string[];
  labels: Record<string, string>;
}

// ---------------------------------------------------------------------------
// Alphabets: small on purpose, so that random rules and random jobs meet.

export const SEGMENTS = ["k8s", "db", "pod", "ns", "delete", "get", "x"] as const;
export const TAGS = ["read", "write", "destructive", "production", "secrets"] as const;
export const LABEL_KEYS = ["env", "team"] as const;
export const LABEL_VALUES = ["prod", "staging", "dev", "prod-eu"] as const;
/** Label globs: `*` matches any run of characters (case-sensitive). */
export const LABEL_GLOBS = ["prod*", "prod-*", "*-eu", "*", "**", "*o*", "s*g", "d*v", "*prod"] as const;
/** Partial-segment capability globs (`*` within one segment). */
export const SEGMENT_GLOBS = ["*", "*", "*", "d*", "*e*", "*s", "p*d"] as const;

const seg = fc.constantFrom(...SEGMENTS);

/** `a.b.c`: 1..3 literal segments. */
const exactCap: Arbitrary<string> = fc.array(seg, { minLength: 1, maxLength: 3 }).map((s) => s.join("."));

/** `a.*`, `a.*.c`, `*.b`, `d*.pod`: 1..3 segments, each literal or a one-segment wildcard, at least one wildcard. */
const starCap: Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: seg }, { weight: 2, arbitrary: fc.constantFrom(...SEGMENT_GLOBS) }), {
    minLength: 1,
    maxLength: 3,
  })
  .filter((s) => s.some((x) => x.includes("*")))
  .map((s) => s.join("."));

/** `a.**`, `**`, `**.c`, `a.b.**`, `a.**.c`: literal prefix and suffix around one `**` segment. */
const doubleStarCap: Arbitrary<string> = fc
  .tuple(fc.array(seg, { minLength: 0, maxLength: 2 }), fc.array(seg, { minLength: 0, maxLength: 1 }), fc.nat(9))
  .map(([pre, post, r]) => {
    // Mostly the common `prefix.**` form.
    const suffix = r < 7 ? [] : post;
    return [...pre, "**", ...suffix].join(".");
  });

export const capabilityGlobArb: Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: exactCap },
  { weight: 3, arbitrary: starCap },
  { weight: 3, arbitrary: doubleStarCap },
);

const capabilityArb: Arbitrary<string | string[]> = fc.oneof(
  { weight: 3, arbitrary: capabilityGlobArb },
  { weight: 2, arbitrary: fc.array(capabilityGlobArb, { minLength: 1, maxLength: 3 }) },
);

const tagListArb = fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 3 });

const labelValueGlobArb: Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...LABEL_VALUES) },
  { weight: 2, arbitrary: fc.constantFrom(...LABEL_GLOBS) },
);

const labelsArb: Arbitrary<Record<string, string | string[]>> = fc.dictionary(
  fc.constantFrom(...LABEL_KEYS),
  fc.oneof(labelValueGlobArb, fc.array(labelValueGlobArb, { minLength: 1, maxLength: 3 })),
  { minKeys: 1, maxKeys: 2 },
);

/** A match block using any subset (possibly none) of the four keys. */
export const matchArb: Arbitrary<FragMatch> = fc.record(
  { capability: capabilityArb, risk_tags: tagListArb, risk_tags_any: tagListArb, labels: labelsArb },
  { requiredKeys: [] },
);

const ruleBodyArb = fc.record({
  decision: fc.constantFrom<FragDecision>("ALLOW", "ALLOW", "DENY"),
  match: matchArb,
  unless: fc.option(matchArb, { freq: 3, nil: undefined }),
});

/** A policy of 1..30 rules (ids `r0`, `r1`, ...). */
export const policyArb: Arbitrary<FragPolicy> = fc.array(ruleBodyArb, { minLength: 1, maxLength: 30 }).map((bodies) => ({
  rules: bodies.map((b, i) => {
    const rule: FragRule = { id: `r${i}`, decision: b.decision, match: b.match };
    if (b.unless !== undefined) rule.unless = b.unless;
    return rule;
  }),
}));

/** Upper-cases some letters: Cordon compares capabilities and tags case-insensitively. */
const maybeShout = (s: string, mask: number) =>
  mask === 0 ? s : [...s].map((c, i) => ((mask >> (i % 8)) & 1 ? c.toUpperCase() : c)).join("");

export const jobArb: Arbitrary<FragJob> = fc
  .record({
    capability: fc.option(fc.array(seg, { minLength: 1, maxLength: 4 }), { freq: 12, nil: undefined }),
    capMask: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 255 }) }),
    tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 5 }),
    tagMask: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 255 }) }),
    // "Prod" and "" probe case sensitivity and empty values; most values are from the alphabet.
    labels: fc.dictionary(
      fc.constantFrom(...LABEL_KEYS),
      fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...LABEL_VALUES) }, fc.constantFrom("Prod", "", "prod-us")),
      {
        maxKeys: 2,
      },
    ),
  })
  .map(({ capability, capMask, tags, tagMask, labels }) => {
    const job: FragJob = { risk_tags: tags.map((t) => maybeShout(t, tagMask)), labels };
    if (capability !== undefined) job.capability = maybeShout(capability.join("."), capMask);
    return job;
  });

/** A string matching a glob whose `*`s are wildcards: each `*` becomes one of `fills`. */
const fillGlob = (glob: string, fills: Arbitrary<string>): Arbitrary<string> => {
  const parts = glob.split(/\*+/);
  return fc
    .array(fills, { minLength: parts.length - 1, maxLength: parts.length - 1 })
    .map((fs) => parts.map((p, i) => p + (fs[i] ?? "")).join(""));
};

/** A capability matching a glob (`**` -> 0..2 segments, `*` -> a segment or part of one). */
const capabilityFor = (glob: string): Arbitrary<string> =>
  fc
    .tuple(
      ...glob
        .split(".")
        .map((s) =>
          s === "**"
            ? fc.array(seg, { maxLength: 2 }).map((xs) => xs.join("."))
            : s.includes("*")
              ? fillGlob(s, fc.constantFrom("", ...SEGMENTS))
              : fc.constant(s),
        ),
    )
    .map((segs) => segs.filter((x) => x !== "").join("."))
    .filter((c) => c !== "" && !c.startsWith(".") && !c.includes(".."));

/**
 * A job built to satisfy one rule's match (its unless may or may not hold), plus
 * random extra tags and labels: without these, random rules over even small
 * alphabets rarely meet random jobs and most decisions would be the default.
 */
export function jobForRuleArb(r: FragRule): Arbitrary<FragJob> {
  const m = r.match;
  const capability: Arbitrary<string | undefined> =
    m.capability === undefined
      ? fc.option(
          fc.array(seg, { minLength: 1, maxLength: 3 }).map((x) => x.join(".")),
          { nil: undefined },
        )
      : fc.constantFrom(...asList(m.capability)).chain(capabilityFor);
  const tags = fc
    .tuple(
      m.risk_tags_any ? fc.constantFrom(...m.risk_tags_any) : fc.constant(undefined),
      fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 2 }),
    )
    .map(([any, extra]) => [...new Set([...(m.risk_tags ?? []), ...(any === undefined ? [] : [any]), ...extra])]);
  const wanted = Object.entries(m.labels ?? {}).map(([k, v]) =>
    fc
      .constantFrom(...asList(v))
      .chain((g) => (g.includes("*") ? fillGlob(g, fc.constantFrom("", "x", "prod", "-eu")) : fc.constant(g)))
      .map((val) => [k, val] as const),
  );
  const labels = fc
    .tuple(fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), { maxKeys: 2 }), fc.tuple(...wanted))
    .map(([noise, want]) => ({ ...noise, ...Object.fromEntries(want) }));
  return fc.record({ capability, tags, labels }).map(({ capability: c, tags: t, labels: l }) => {
    const job: FragJob = { risk_tags: t, labels: l };
    if (c !== undefined) job.capability = c;
    return job;
  });
}

/** A policy with `n` jobs: about half fully random, half aimed at one of its rules. */
export function policyWithJobsArb(n: number): Arbitrary<[FragPolicy, FragJob[]]> {
  return policyArb.chain((p) =>
    fc.tuple(fc.constant(p), fc.array(fc.oneof(jobArb, fc.constantFrom(...p.rules).chain(jobForRuleArb)), { minLength: n, maxLength: n })),
  );
}

// ---------------------------------------------------------------------------
// Policy -> Cordon YAML

const asList = (v: string | string[]): string[] => (typeof v === "string" ? [v] : v);

function yamlMatch(m: FragMatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.capability !== undefined) out.capability = m.capability;
  if (m.risk_tags !== undefined) out.risk_tags = m.risk_tags;
  if (m.risk_tags_any !== undefined) out.risk_tags_any = m.risk_tags_any;
  if (m.labels !== undefined) out.labels = m.labels;
  return out;
}

export function toCordonYaml(p: FragPolicy): string {
  const doc = {
    version: 1,
    default_decision: "DENY",
    rules: p.rules.map((r) => {
      const out: Record<string, unknown> = { id: r.id, match: yamlMatch(r.match) };
      if (r.unless !== undefined) out.unless = yamlMatch(r.unless);
      out.decision = r.decision;
      out.reason = `${r.decision === "ALLOW" ? "allowed" : "denied"} by ${r.id}`;
      return out;
    }),
  };
  return stringify(doc, { lineWidth: 0 });
}

/** The job as a client sends it to Cordon. */
export function toCordonJob(j: FragJob): Record<string, unknown> {
  const out: Record<string, unknown> = { risk_tags: j.risk_tags, labels: j.labels };
  if (j.capability !== undefined) out.capability = j.capability;
  return out;
}

// ---------------------------------------------------------------------------
// Policy -> Cedar

/** A Cedar string literal. The fragment only uses printable ASCII. */
export function cedarString(s: string): string {
  if (/[^\x20-\x7e]/.test(s)) throw new Error(`outside the fragment: non-printable character in ${JSON.stringify(s)}`);
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * A Cedar `like` pattern for a Cordon glob in which every `*` is a wildcard.
 * Cordon globs cannot contain `\` (the compiler rejects it), so there is no
 * literal `*` to escape as `\*`; `"` is escaped for the string literal.
 */
export function cedarLikePattern(glob: string): string {
  if (glob.includes("\\")) throw new Error(`outside the fragment: backslash in glob ${JSON.stringify(glob)}`);
  return cedarString(glob.replace(/\*+/g, "*"));
}

/** `*` followed by n times `.*`: strings with at least n dots. */
const atLeastDots = (n: number) => `"*${".*".repeat(n)}"`;

/**
 * One capability glob (already lower-cased) as a Cedar boolean over
 * `context.capability` (the caller checks `context has capability`).
 *
 * - no wildcard: `==`.
 * - `*` wildcards only (n segments): `like` the glob, and fewer than n dots.
 *   The pattern has n-1 literal dots, so with exactly n-1 dots in the subject
 *   no Cedar `*` can span a dot: each `*` stays inside its segment, as in Cordon.
 *   (`a.*` gives `like "a.*" && !like "*.*.*"`; same set as `!like "a.*.*"`.)
 * - one `**` segment between literal segments P and S: zero segments
 *   (`== "P.S"`) or one or more (`like "P.*.S"`, where Cedar's `*` spans dots,
 *   exactly what `**` does between literals).
 */
export function cedarCapabilityGlob(glob: string, v = "context.capability"): string {
  const segs = glob.split(".");
  if (!glob.includes("*")) return `${v} == ${cedarString(glob)}`;
  const ds = segs.filter((s) => s === "**").length;
  if (ds === 0) {
    if (segs.some((s) => s.includes("**"))) throw new Error(`outside the fragment: '**' inside a segment in ${glob}`);
    return `(${v} like ${cedarLikePattern(glob)} && !(${v} like ${atLeastDots(segs.length)}))`;
  }
  const at = segs.indexOf("**");
  const pre = segs.slice(0, at);
  const post = segs.slice(at + 1);
  if (ds > 1 || [...pre, ...post].some((s) => s.includes("*"))) {
    throw new Error(`outside the fragment: '**' is only translated between literal segments (${glob})`);
  }
  if (pre.length === 0 && post.length === 0) return "true";
  const zero = `${v} == ${cedarString([...pre, ...post].join("."))}`;
  const many = [...pre, "*", ...post].join(".");
  return `(${zero} || ${v} like ${cedarLikePattern(many)})`;
}

const or = (xs: string[]) => (xs.length === 1 ? (xs[0] as string) : `(${xs.join(" || ")})`);

/** A match block as a Cedar boolean (the empty block is `true`). */
export function cedarMatch(m: FragMatch): string {
  const conds: string[] = [];
  if (m.capability !== undefined) {
    const globs = asList(m.capability).map((g) => g.toLowerCase());
    conds.push(`(context has capability && ${or(globs.map((g) => cedarCapabilityGlob(g)))})`);
  }
  const set = (tags: string[]) => `[${tags.map((t) => cedarString(t.toLowerCase())).join(", ")}]`;
  if (m.risk_tags !== undefined) conds.push(`context.tags.containsAll(${set(m.risk_tags)})`);
  if (m.risk_tags_any !== undefined) conds.push(`context.tags.containsAny(${set(m.risk_tags_any)})`);
  if (m.labels !== undefined) {
    for (const [key, values] of Object.entries(m.labels)) {
      const k = cedarString(key);
      const attr = `context.labels[${k}]`;
      const alts = asList(values).map((g) => (g.includes("*") ? `${attr} like ${cedarLikePattern(g)}` : `${attr} == ${cedarString(g)}`));
      conds.push(`(context.labels has ${k} && ${or(alts)})`);
    }
  }
  return conds.length === 0 ? "true" : conds.join(" && ");
}

/** One Cedar policy per rule, keyed by rule id (also given as an `@id` annotation). */
export function toCedarPolicies(p: FragPolicy): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of p.rules) {
    const effect = r.decision === "ALLOW" ? "permit" : "forbid";
    let text = `@id(${cedarString(r.id)})\n${effect}(principal, action, resource)\nwhen { ${cedarMatch(r.match)} }`;
    if (r.unless !== undefined) text += `\nunless { ${cedarMatch(r.unless)} }`;
    out[r.id] = `${text};`;
  }
  return out;
}

/** The whole policy set as one Cedar text, for failure messages and reading. */
export function toCedarText(p: FragPolicy): string {
  return Object.values(toCedarPolicies(p)).join("\n\n");
}

/** The Cedar context for a job: capability and tags lower-cased (as Cordon normalizes them), labels as a record. */
export function cedarContext(j: FragJob): { capability?: string; tags: string[]; labels: Record<string, string> } {
  const ctx: { capability?: string; tags: string[]; labels: Record<string, string> } = {
    tags: [...new Set(j.risk_tags.map((t) => t.toLowerCase()))],
    labels: { ...j.labels },
  };
  if (j.capability !== undefined) ctx.capability = j.capability.toLowerCase();
  return ctx;
}
