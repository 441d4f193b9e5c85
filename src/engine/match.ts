import { RE2JS } from "re2js";
import { canonicalJson } from "./canonical";
import { type CompiledGlob, compileGlob } from "./glob";
import { resolvePath } from "./normalize";
import type { EffectiveJob, JsonValue, MatchSpec, WhenCondition } from "./types";

/** The job plus a tag set built once per evaluation. */
export interface MatchInput {
  job: EffectiveJob;
  tags: ReadonlySet<string>;
}

interface Condition {
  /** Name as the policy author wrote it: `capability`, `labels.env`, `when[0] input.replicas gt 3`. */
  name: string;
  test(x: MatchInput): boolean;
  /** Plain words on why the condition failed for this job (only built for explain). */
  why(x: MatchInput): string;
}

export interface CompiledMatch {
  /** Every condition holds (an empty match holds for every job). */
  test(x: MatchInput): boolean;
  /** The first condition that fails, or null when the match holds. */
  firstFailure(x: MatchInput): { condition: string; detail: string } | null;
}

const list = (xs: readonly string[]) => `[${xs.join(", ")}]`;

function globsCondition(
  name: string,
  globs: readonly string[],
  sep: "." | "",
  fold: boolean,
  get: (x: MatchInput) => string | undefined,
): Condition {
  const compiled: CompiledGlob[] = globs.map((g) => compileGlob(g, sep, fold));
  return {
    name,
    test: (x) => {
      const v = get(x);
      if (v === undefined) return false;
      for (const g of compiled) if (g.test(v)) return true;
      return false;
    },
    why: (x) => {
      const v = get(x);
      return v === undefined ? `the job has no ${name}` : `${name} '${v}' matches none of ${list(globs)}`;
    },
  };
}

function whenCondition(c: WhenCondition, i: number): Condition {
  const path = c.field.split(".");
  const name = `when[${i}] (${c.field} ${c.op} ${canonicalJson(c.value)})`;
  const get = (x: MatchInput) => {
    const v = resolvePath(x.job, path);
    return v === null ? undefined : v;
  };
  const eq = (a: unknown, b: JsonValue) =>
    a === b || (typeof a === "object" && a !== null && typeof b === "object" && b !== null && canonicalJson(a) === canonicalJson(b));
  let test: (v: unknown) => boolean;
  const value = c.value;
  switch (c.op) {
    case "eq":
      test = (v) => eq(v, value);
      break;
    case "ne":
      test = (v) => !eq(v, value);
      break;
    case "in": {
      const options = value as JsonValue[];
      test = (v) => options.some((o) => eq(v, o));
      break;
    }
    case "not_in": {
      const options = value as JsonValue[];
      test = (v) => !options.some((o) => eq(v, o));
      break;
    }
    case "glob": {
      const g = compileGlob(value as string, "/", false);
      test = (v) => typeof v === "string" && g.test(v);
      break;
    }
    case "regex": {
      // RE2 semantics: matching time is linear in the input whatever the
      // pattern, so no job string can stall an isolate. (The compiler also
      // rejects patterns that would backtrack catastrophically in a JS engine,
      // so a policy stays safe wherever else it is evaluated.)
      const re = RE2JS.compile(value as string);
      test = (v) => typeof v === "string" && re.test(v);
      break;
    }
    case "gt":
      test = (v) => typeof v === "number" && v > (value as number);
      break;
    case "gte":
      test = (v) => typeof v === "number" && v >= (value as number);
      break;
    case "lt":
      test = (v) => typeof v === "number" && v < (value as number);
      break;
    case "lte":
      test = (v) => typeof v === "number" && v <= (value as number);
      break;
    case "exists":
      return {
        name,
        test: (x) => (get(x) !== undefined) === value,
        why: (x) => (get(x) === undefined ? `${c.field} is absent` : `${c.field} is present`),
      };
  }
  // A condition on a field the job does not have does not hold, whatever the op
  // (including ne and not_in): write `exists: false` to match on absence.
  return {
    name,
    test: (x) => {
      const v = get(x);
      return v !== undefined && test(v);
    },
    why: (x) => {
      const v = get(x);
      return v === undefined ? `${c.field} is absent` : `${c.field} is ${truncate(canonicalJson(v))}`;
    },
  };
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Compile a normalized match block into its conditions, in the order they are checked and explained. */
export function compileMatch(m: MatchSpec): CompiledMatch {
  const conds: Condition[] = [];
  if (m.topic) conds.push(globsCondition("topic", m.topic, ".", true, (x) => x.job.topic));
  if (m.capability) conds.push(globsCondition("capability", m.capability, ".", true, (x) => x.job.capability));
  if (m.risk_tags) {
    const need = m.risk_tags;
    conds.push({
      name: "risk_tags",
      test: (x) => need.every((t) => x.tags.has(t)),
      why: (x) => `missing risk tag ${list(need.filter((t) => !x.tags.has(t)))}`,
    });
  }
  if (m.risk_tags_any) {
    const any = m.risk_tags_any;
    conds.push({
      name: "risk_tags_any",
      test: (x) => any.some((t) => x.tags.has(t)),
      why: () => `none of the risk tags ${list(any)} is present`,
    });
  }
  if (m.labels) {
    for (const [key, values] of Object.entries(m.labels)) {
      conds.push(
        globsCondition(`labels.${key}`, values, "", false, (x) => (Object.hasOwn(x.job.labels, key) ? x.job.labels[key] : undefined)),
      );
    }
  }
  if (m.actor) conds.push(globsCondition("actor", m.actor, "", false, (x) => x.job.actor?.id));
  for (const [i, c] of (m.when ?? []).entries()) conds.push(whenCondition(c, i));

  return {
    test: (x) => {
      for (const c of conds) if (!c.test(x)) return false;
      return true;
    },
    firstFailure: (x) => {
      for (const c of conds) if (!c.test(x)) return { condition: c.name, detail: c.why(x) };
      return null;
    },
  };
}
