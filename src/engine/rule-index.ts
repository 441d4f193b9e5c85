import { compileGlob } from "./glob";
import type { MatchInput } from "./match";
import type { SnapshotRule } from "./types";

/**
 * Candidate lookup so evaluation cost grows with the rules that could match a
 * job, not with the size of the policy. Each rule is filed under one necessary
 * condition (its capability, else its topic, else its rarest required tag,
 * else each of its any-tags); rules with none of those are always candidates.
 * Capability and topic globs are filed by their exact value when literal, else
 * by their leading literal segments (`k8s.pod` for `k8s.pod.*`), and a job
 * looks up each of its own leading prefixes.
 * The index only narrows: every candidate is still checked in full, so a rule
 * filed too broadly costs time, never correctness (a property test compares
 * against a full scan).
 */
export class RuleIndex {
  private readonly exact = new Map<string, number[]>();
  private readonly always: number[] = [];
  private readonly stamp: Uint32Array;
  private generation = 0;

  constructor(rules: readonly SnapshotRule[]) {
    this.stamp = new Uint32Array(rules.length);
    const tagFreq = new Map<string, number>();
    for (const r of rules) for (const t of r.match.risk_tags ?? []) tagFreq.set(t, (tagFreq.get(t) ?? 0) + 1);
    rules.forEach((rule, i) => {
      const keys = this.keysFor(rule, tagFreq);
      if (keys === null) this.always.push(i);
      else for (const k of keys) this.file(k, i);
    });
  }

  private file(key: string, i: number): void {
    const bucket = this.exact.get(key);
    if (bucket) {
      if (bucket[bucket.length - 1] !== i) bucket.push(i);
    } else this.exact.set(key, [i]);
  }

  private keysFor(rule: SnapshotRule, tagFreq: Map<string, number>): string[] | null {
    const m = rule.match;
    for (const field of ["capability", "topic"] as const) {
      const globs = m[field];
      if (!globs) continue;
      const keys: string[] = [];
      for (const g of globs) {
        const c = compileGlob(g, ".", true);
        if (c.literal !== null) keys.push(`${field}=${c.literal}`);
        else if (c.literalPrefix !== null) keys.push(`${field}^${c.literalPrefix}`);
        else {
          keys.length = 0;
          break;
        }
      }
      if (keys.length > 0) return keys;
    }
    if (m.risk_tags && m.risk_tags.length > 0) {
      let best = m.risk_tags[0] as string;
      for (const t of m.risk_tags) if ((tagFreq.get(t) ?? 0) < (tagFreq.get(best) ?? 0)) best = t;
      return [`tag=${best}`];
    }
    if (m.risk_tags_any && m.risk_tags_any.length > 0) return m.risk_tags_any.map((t) => `tag=${t}`);
    return null;
  }

  /** The exact bucket, then one bucket per leading prefix: `a`, `a.b`, … `a.b.c` for `a.b.c`. */
  private addDotted(field: string, value: string, add: (b: number[] | undefined) => void): void {
    add(this.exact.get(`${field}=${value}`));
    let dot = value.indexOf(".");
    while (dot >= 0) {
      add(this.exact.get(`${field}^${value.slice(0, dot)}`));
      dot = value.indexOf(".", dot + 1);
    }
    add(this.exact.get(`${field}^${value}`));
  }

  /** Indices of the rules that could match, ascending (compiled order). */
  candidates(x: MatchInput): number[] {
    const gen = ++this.generation;
    if (gen === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    const g = this.generation;
    const out: number[] = [];
    const add = (bucket: number[] | undefined) => {
      if (!bucket) return;
      for (const i of bucket) {
        if (this.stamp[i] !== g) {
          this.stamp[i] = g;
          out.push(i);
        }
      }
    };
    add(this.always);
    const { capability, topic } = x.job;
    if (capability !== undefined) this.addDotted("capability", capability, add);
    if (topic !== undefined) this.addDotted("topic", topic, add);
    for (const t of x.tags) add(this.exact.get(`tag=${t}`));
    return out.sort((a, b) => a - b);
  }
}
