import { redactSecrets } from "../packs/secrets/index";

const MAX_DEPTH = 32;

/**
 * A copy of a JSON value with every credential in its strings replaced by
 * `[REDACTED:<kind>]` (the secrets scanner's patterns). What the audit trail,
 * the jobs table, the API, Slack and the approval page show. The ledger and
 * the approval object keep the job as sent only where a decision needs it
 * (re-evaluation on approval), never in a record or a view.
 */
export function redactJson<T>(value: T, depth = 0): T {
  if (typeof value === "string") return redactSecrets(value) as T;
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[REDACTED:too-deep]" as T;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactJson(v, depth + 1);
  return out as T;
}
