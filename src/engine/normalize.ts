import type { Derived, EffectiveJob } from "./types";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * Build the job the rules see from whatever the client sent. Never throws:
 * a field of the wrong type is treated as absent (the HTTP layer rejects such
 * bodies before they get here; the evaluator stays total regardless).
 *
 * Derived tags are added to the client's (a client can add risk, never remove
 * it); a derived capability replaces the client's; derived labels override.
 * Topics, capabilities and tags are compared case-insensitively, so they are
 * lower-cased here once.
 */
export function effectiveJob(job: unknown, derived: Derived): EffectiveJob {
  const j = isRecord(job) ? job : {};
  const tags = new Set<string>();
  if (Array.isArray(j.risk_tags)) for (const t of j.risk_tags) if (typeof t === "string" && t !== "") tags.add(t.toLowerCase());
  for (const t of derived.risk_tags) tags.add(t.toLowerCase());

  // No prototype: a label named __proto__ or constructor is an ordinary key.
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  if (isRecord(j.labels)) for (const [k, v] of Object.entries(j.labels)) if (typeof v === "string") labels[k] = v;
  for (const [k, v] of Object.entries(derived.labels)) labels[k] = v;

  const out: EffectiveJob = { risk_tags: [...tags].sort(), labels };
  const id = str(j.id);
  if (id !== undefined) out.id = id;
  const topic = str(j.topic);
  if (topic !== undefined) out.topic = topic.toLowerCase();
  const capability = derived.capability ?? str(j.capability);
  if (capability !== undefined) out.capability = capability.toLowerCase();
  if (isRecord(j.actor)) {
    const actor: EffectiveJob["actor"] = {};
    for (const k of ["id", "type", "on_behalf_of"] as const) {
      const v = str(j.actor[k]);
      if (v !== undefined) actor[k] = v;
    }
    out.actor = actor;
  }
  if (isRecord(j.action)) out.action = j.action;
  if (j.input !== undefined) out.input = j.input;
  return out;
}

/** Resolve a dotted path (`input.namespace`, `labels.env`, `input.args.0`) in the effective job. */
export function resolvePath(job: EffectiveJob, path: readonly string[]): unknown {
  let cur: unknown = job;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(seg)) return undefined;
      cur = cur[Number(seg)];
    } else if (isRecord(cur)) {
      if (!Object.hasOwn(cur, seg)) return undefined;
      cur = cur[seg];
    } else {
      return undefined;
    }
  }
  return cur;
}
