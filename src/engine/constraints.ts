import { compileGlob, type GlobSeparator } from "./glob";
import type { Constraints } from "./types";

/**
 * Merge the constraints of every matching ALLOW_WITH_CONSTRAINTS rule, tightest
 * wins: numbers take the minimum, allowlists intersect, deny lists union.
 *
 * Allowlists hold globs, and the exact intersection of two glob sets is not
 * always a glob set. An entry survives when the other list has the same entry,
 * or when it is a literal that a glob of the other list covers. Two different
 * globs that merely overlap are dropped: the result may be tighter than the
 * true intersection, never looser (fail closed).
 */
export function mergeConstraints(all: readonly Constraints[]): Constraints {
  const out: Constraints = {};
  for (const c of all) {
    for (const key of ["max_runtime_sec", "max_lines_changed", "max_files_changed"] as const) {
      const v = c[key];
      if (v !== undefined) out[key] = out[key] === undefined ? v : Math.min(out[key], v);
    }
    if (c.network_egress_allowlist) {
      out.network_egress_allowlist = out.network_egress_allowlist
        ? intersect(out.network_egress_allowlist, c.network_egress_allowlist, ".", true)
        : [...c.network_egress_allowlist];
    }
    if (c.allow_paths) {
      out.allow_paths = out.allow_paths ? intersect(out.allow_paths, c.allow_paths, "/", false) : [...c.allow_paths];
    }
    if (c.deny_paths) out.deny_paths = union(out.deny_paths ?? [], c.deny_paths);
  }
  return out;
}

function isLiteral(s: string): boolean {
  return !s.includes("*");
}

function intersect(a: readonly string[], b: readonly string[], sep: GlobSeparator, fold: boolean): string[] {
  const norm = (s: string) => (fold ? s.toLowerCase() : s);
  const covers = (list: readonly string[], entry: string) =>
    list.some((g) => norm(g) === norm(entry) || (isLiteral(entry) && compileGlob(g, sep, fold).test(entry)));
  const out: string[] = [];
  for (const e of a) if (covers(b, e)) out.push(e);
  for (const e of b) if (isLiteral(e) && covers(a, e)) out.push(e);
  return union([], out, norm);
}

function union(a: readonly string[], b: readonly string[], norm: (s: string) => string = (s) => s): string[] {
  const seen = new Set(a.map(norm));
  const out = [...a];
  for (const e of b) {
    if (!seen.has(norm(e))) {
      seen.add(norm(e));
      out.push(e);
    }
  }
  return out;
}
