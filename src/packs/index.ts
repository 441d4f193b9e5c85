import type { Derived } from "../engine/types";
import { sortTags } from "./common";
import { gitPack } from "./git/index";
import { httpPack } from "./http/index";
import { kubernetesPack } from "./kubernetes/index";
import { mcpPack } from "./mcp/index";
import { secretsPack } from "./secrets/index";
import { shellPack } from "./shell/index";
import { sqlPack } from "./sql/index";

/**
 * Packs classify a raw action (a shell line, a kubectl command, an SQL statement,
 * an HTTP request, an MCP tool call) into a capability, risk tags and labels,
 * server-side, so an agent cannot mislabel what it does.
 *
 * This is the registry the compiler validates `packs:` against and the
 * evaluator derives through: a policy turns packs on by name, and a name that
 * is not here fails to compile rather than being silently skipped.
 */
export interface PackContext {
  /** Environment patterns (`production: [prod, "prod-*"]`) in force for the tenant. */
  environments: Record<string, string[]>;
}

export interface Pack {
  name: string;
  summary: string;
  /** Classify `action`, or return null when the action is not of this pack's kind. */
  classify(action: Record<string, unknown>, ctx: PackContext): Derived | null;
  /** The pack's default rules, as policy YAML (a `rules:` list). */
  overlay: string;
}

export const PACKS: ReadonlyMap<string, Pack> = new Map<string, Pack>(
  [shellPack, gitPack, kubernetesPack, sqlPack, httpPack, mcpPack, secretsPack].map((p) => [p.name, p]),
);

/** Run every enabled pack over the job's action; what each derives is merged. */
export function derive(action: Record<string, unknown> | undefined, packs: readonly Pack[], ctx: PackContext): Derived {
  const out: Derived = { risk_tags: [], labels: {}, findings: [] };
  if (!action) return out;
  for (const pack of packs) {
    const d = pack.classify(action, ctx);
    if (!d) continue;
    if (d.capability !== undefined && out.capability === undefined) out.capability = d.capability;
    out.risk_tags.push(...d.risk_tags);
    Object.assign(out.labels, d.labels);
    out.findings.push(...d.findings);
  }
  const tags: string[] = [];
  for (const t of out.risk_tags) {
    const l = t.toLowerCase();
    if (!tags.includes(l)) tags.push(l);
  }
  out.risk_tags = sortTags(tags);
  return out;
}
