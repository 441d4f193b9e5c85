import type { z } from "zod";
import type { PathSeg } from "./diagnostics";

/**
 * Turn a zod issue into words a policy author can act on. zod's own messages
 * ("Invalid input: expected string, received number") name types, not intent;
 * these name the key and, for the common formats, show a correct example.
 */

const KNOWN_KEYS = [
  "version",
  "default_decision",
  "default_approval",
  "packs",
  "groups",
  "environments",
  "rules",
  "tenants",
  "id",
  "description",
  "match",
  "unless",
  "decision",
  "reason",
  "constraints",
  "approval",
  "velocity",
  "mode",
  "topic",
  "capability",
  "risk_tags",
  "risk_tags_any",
  "labels",
  "actor",
  "when",
  "field",
  "op",
  "value",
  "approvers",
  "quorum",
  "ttl",
  "max",
  "per",
  "key",
  "max_runtime_sec",
  "max_lines_changed",
  "max_files_changed",
  "network_egress_allowlist",
  "allow_paths",
  "deny_paths",
  "tests",
  "name",
  "tenant",
  "job",
  "expect",
  "velocity_counts",
];

const FORMATS: Record<string, string> = {
  id: "a rule id uses letters, digits, '.', '_' and '-' (at most 128 characters)",
  ttl: "a duration is a whole number and s, m, h or d, like 30m or 1h",
  per: "a duration is a whole number and s, m, h or d, like 30m or 1h",
  approvers: "an approver is slack:<user id>, email:<address>, user:<id> or group:<name>",
  key: "the velocity key is actor, tenant or labels.<name>",
  risk_tags: "a tag uses letters, digits, '_', '.', ':' and '-'",
  risk_tags_any: "a tag uses letters, digits, '_', '.', ':' and '-'",
  tenant: "a tenant id is lower-case letters, digits, '-' and '_'",
  labels: "a label key starts with a letter or digit and uses letters, digits, '_', '.', '/' and '-'",
};

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let cur = value;
  for (const seg of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function kind(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

function label(path: readonly PathSeg[]): string {
  const named = [...path].reverse().find((p) => typeof p === "string");
  return named === undefined ? "the document" : String(named);
}

function closest(word: string): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of KNOWN_KEYS) {
    const d = distance(word, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

export function describeIssue(issue: z.core.$ZodIssue, root: unknown): { path: PathSeg[]; message: string; key: boolean } {
  const path = issue.path.filter((p): p is PathSeg => typeof p === "string" || typeof p === "number");
  const got = at(root, path);
  const name = label(path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const k = issue.keys[0] as string;
      const hint = closest(k);
      const where = path.length ? ` in ${name}` : "";
      return {
        path: [...path, k],
        key: true,
        message: `unknown key '${k}'${where}${hint && hint !== k ? ` (did you mean '${hint}'?)` : ""}`,
      };
    }
    case "invalid_type": {
      if (got === undefined) return { path, key: false, message: `${name} is required` };
      const want = TYPE_WORDS[issue.expected] ?? issue.expected;
      return { path, key: false, message: `${name} must be ${want}, not ${kind(got)}` };
    }
    case "invalid_union": {
      if (got === undefined) return { path, key: false, message: `${name} is required` };
      const wants = new Set<string>();
      for (const branch of issue.errors)
        for (const e of branch) if (e.code === "invalid_type" && e.path.length === 0) wants.add(TYPE_WORDS[e.expected] ?? e.expected);
      if (wants.size > 0) return { path, key: false, message: `${name} must be ${[...wants].join(" or ")}, not ${kind(got)}` };
      const inner = issue.errors.flat()[0];
      if (inner) {
        const sub = describeIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue, root);
        return sub;
      }
      return { path, key: false, message: `${name} is not valid` };
    }
    case "invalid_value": {
      if (got === undefined) return { path, key: false, message: `${name} is required` };
      if (name === "decision" || name === "default_decision") {
        return { path, key: false, message: `unknown decision ${kind(got)}: use ALLOW, DENY, REQUIRE_APPROVAL or ALLOW_WITH_CONSTRAINTS` };
      }
      if (name === "version") return { path, key: false, message: `unsupported version ${kind(got)}: this Cordon reads version 1` };
      const options = issue.values.map((v) => String(v)).join(", ");
      return { path, key: false, message: `${name} must be one of ${options}, not ${kind(got)}` };
    }
    case "invalid_format": {
      const parent = typeof path[path.length - 1] === "number" ? label(path.slice(0, -1)) : name;
      const hint = FORMATS[parent] ?? FORMATS[name];
      return { path, key: false, message: `${kind(got)} is not valid for ${parent}${hint ? `: ${hint}` : ""}` };
    }
    case "too_small": {
      if (issue.origin === "array") return { path, key: false, message: `${name} must not be empty` };
      if (issue.origin === "string") return { path, key: false, message: `${name} must not be empty` };
      return { path, key: false, message: `${name} must be at least ${String(issue.minimum)}, not ${kind(got)}` };
    }
    case "too_big": {
      if (issue.origin === "string")
        return { path, key: false, message: `${name} is too long (at most ${String(issue.maximum)} characters)` };
      return { path, key: false, message: `${name} must be at most ${String(issue.maximum)}, not ${kind(got)}` };
    }
    case "invalid_key": {
      // zod's path ends with the offending key itself.
      const parent = label(path.slice(0, -1));
      const hint = FORMATS[parent === "tenants" ? "tenant" : parent];
      return { path, key: true, message: `'${String(path[path.length - 1])}' is not a valid key in ${parent}${hint ? `: ${hint}` : ""}` };
    }
    default:
      return { path, key: false, message: `${name}: ${issue.message}` };
  }
}
