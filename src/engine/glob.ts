/**
 * Globs for topics, capabilities, hosts, paths, actors and label values.
 *
 * A pattern is split on its separator into segments. `*` matches any run of
 * characters within one segment; a segment that is exactly `**` matches zero
 * or more whole segments. With no separator (actors, label values) the whole
 * string is one segment and `*` (or `**`) matches any run of characters.
 *
 * Matching never uses a backtracking regex: both levels use the linear
 * "greedy star with one resume point" algorithm, so a hostile job string
 * cannot make a glob slow.
 */

export type GlobSeparator = "." | "/" | "";

export interface CompiledGlob {
  readonly source: string;
  /** Whole pattern is a literal: compare with `===`. */
  readonly literal: string | null;
  /** First segment when it is a literal, for indexing (`k8s` of `k8s.pod.*`). */
  readonly firstLiteral: string | null;
  /** The leading literal segments, joined (`k8s.pod` of `k8s.pod.*`), or null when the first segment has a wildcard. */
  readonly literalPrefix: string | null;
  test(value: string): boolean;
}

/** A glob that failed validation, with a plain-words reason. */
export class GlobError extends Error {}

type Seg = { kind: "lit"; text: string } | { kind: "wild"; parts: string[] } | { kind: "any" };

const FORBIDDEN = /[?[\]{}!\\]/;

/**
 * Compile a glob, or throw {@link GlobError} saying what is wrong with it.
 * `fold` lower-cases pattern and subject (topics, capabilities, tags, hosts).
 */
export function compileGlob(pattern: string, sep: GlobSeparator, fold: boolean): CompiledGlob {
  if (typeof pattern !== "string" || pattern.length === 0) throw new GlobError("a glob cannot be empty");
  if (pattern.length > 512) throw new GlobError("a glob is limited to 512 characters");
  const bad = FORBIDDEN.exec(pattern);
  if (bad) throw new GlobError(`'${bad[0]}' is not supported in globs (only * and ** are wildcards)`);
  if (sep === "." && /\s/.test(pattern)) throw new GlobError("a topic, capability or host glob cannot contain whitespace");
  const src = fold ? pattern.toLowerCase() : pattern;
  const rawSegs = sep === "" ? [src] : src.split(sep);
  const segs: Seg[] = [];
  for (const raw of rawSegs) {
    if (raw === "") {
      // A path glob may start with "/" (absolute paths); elsewhere an empty segment is a typo.
      if (!(sep === "/" && segs.length === 0))
        throw new GlobError(`empty segment in '${pattern}' (two '${sep}' in a row or one at the end)`);
      segs.push({ kind: "lit", text: "" });
      continue;
    }
    if (raw === "**") {
      if (segs.length > 0 && segs[segs.length - 1]?.kind === "any")
        throw new GlobError(`'**${sep}**' in '${pattern}' is redundant; write '**' once`);
      segs.push(sep === "" ? { kind: "wild", parts: ["", ""] } : { kind: "any" });
      continue;
    }
    if (raw.includes("**") && sep !== "") throw new GlobError(`'**' must be a whole segment in '${pattern}' (use '*' inside a segment)`);
    if (raw.includes("*")) segs.push({ kind: "wild", parts: raw.replace(/\*+/g, "*").split("*") });
    else segs.push({ kind: "lit", text: raw });
  }
  const literal = segs.every((s) => s.kind === "lit") ? src : null;
  const first = segs[0];
  const firstLiteral = sep !== "" && first?.kind === "lit" && first.text !== "" ? first.text : null;
  let lead = 0;
  while (lead < segs.length && segs[lead]?.kind === "lit") lead++;
  const literalPrefix = firstLiteral !== null ? rawSegs.slice(0, lead).join(sep) : null;
  const test =
    literal !== null
      ? (v: string) => (fold ? v.toLowerCase() : v) === literal
      : (v: string) => matchSegments(segs, sep === "" ? [fold ? v.toLowerCase() : v] : (fold ? v.toLowerCase() : v).split(sep));
  return { source: pattern, literal, firstLiteral, literalPrefix, test };
}

function matchSeg(seg: Seg, text: string): boolean {
  if (seg.kind === "lit") return seg.text === text;
  if (seg.kind === "any") return true;
  return matchWild(seg.parts, text);
}

/** `parts` are the literal pieces between `*`s: "a*b*c" -> ["a","b","c"]. Linear greedy match. */
function matchWild(parts: string[], text: string): boolean {
  const head = parts[0] ?? "";
  const tail = parts[parts.length - 1] ?? "";
  if (text.length < head.length + tail.length) return false;
  if (!text.startsWith(head) || !text.endsWith(tail)) return false;
  let pos = head.length;
  const end = text.length - tail.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const p = parts[i] ?? "";
    const at = text.indexOf(p, pos);
    if (at < 0 || at + p.length > end) return false;
    pos = at + p.length;
  }
  return true;
}

/** Segment-level match where `any` (`**`) is a star over whole segments. */
function matchSegments(pat: Seg[], txt: string[]): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < txt.length) {
    const seg = pat[p];
    if (seg !== undefined && seg.kind === "any") {
      starP = p++;
      starT = t;
    } else if (seg !== undefined && matchSeg(seg, txt[t] as string)) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pat.length && pat[p]?.kind === "any") p++;
  return p === pat.length;
}
