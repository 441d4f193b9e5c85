/**
 * The Cedar side of the differential tests and the benchmark: a policy set
 * preparsed once into the Cedar WebAssembly module's cache, then requests
 * through `statefulIsAuthorized` (Cedar's fastest path from JavaScript).
 */

import type { AuthorizationAnswer, StatefulAuthorizationCall } from "@cedar-policy/cedar-wasm/nodejs";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { cedarContext, type FragJob } from "./fragment";

export type CedarDecision = "ALLOW" | "DENY";

export interface CedarResult {
  decision: CedarDecision;
  /** The determining policies: satisfied permits on ALLOW, satisfied forbids on DENY (empty for the default deny). */
  reasons: string[];
}

const PRINCIPAL = { type: "Agent", id: "a" } as const;
const ACTION = { type: "Action", id: "act" } as const;
const RESOURCE = { type: "Job", id: "j" } as const;

export const cedarVersion = (): string => cedar.getCedarVersion();

/** The request for a job, built once so a benchmark can time only the authorization call. */
export function cedarRequest(id: string, job: FragJob): StatefulAuthorizationCall {
  return { principal: PRINCIPAL, action: ACTION, resource: RESOURCE, context: cedarContext(job), preparsedPolicySetId: id, entities: [] };
}

export function readAnswer(a: AuthorizationAnswer): CedarResult {
  if (a.type !== "success") throw new Error(`Cedar authorization failed: ${a.errors.map((e) => e.message).join("; ")}`);
  const { decision, diagnostics } = a.response;
  if (diagnostics.errors.length > 0) {
    // Evaluation errors make Cedar skip a policy; the fragment is written so that none occur.
    throw new Error(`Cedar evaluation errors: ${diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`).join("; ")}`);
  }
  return { decision: decision === "allow" ? "ALLOW" : "DENY", reasons: [...diagnostics.reason].sort() };
}

/** A policy set preparsed under `id` (preparsing the same id again replaces it). */
export class CedarPolicySet {
  readonly id: string;

  constructor(id: string, policies: Record<string, string>) {
    this.id = id;
    const r = cedar.preparsePolicySet(id, { staticPolicies: policies });
    if (r.type !== "success") throw new Error(`Cedar rejected the policy set: ${r.errors.map((e) => e.message).join("; ")}`);
  }

  request(job: FragJob): StatefulAuthorizationCall {
    return cedarRequest(this.id, job);
  }

  authorize(job: FragJob): CedarResult {
    return readAnswer(cedar.statefulIsAuthorized(this.request(job)));
  }

  /** The raw call, for timing: the request was built beforehand. */
  authorizeRequest(call: StatefulAuthorizationCall): AuthorizationAnswer {
    return cedar.statefulIsAuthorized(call);
  }
}

/** One-shot authorization without the cache (parses the policies on every call). */
export function isAuthorizedOnce(policies: Record<string, string>, job: FragJob): CedarResult {
  return readAnswer(
    cedar.isAuthorized({
      principal: PRINCIPAL,
      action: ACTION,
      resource: RESOURCE,
      context: cedarContext(job),
      policies: { staticPolicies: policies },
      entities: [],
    }),
  );
}
