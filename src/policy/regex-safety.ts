/**
 * Static ReDoS check for the `regex` operator.
 *
 * A policy regex is compiled with `new RegExp(source, "u")` and run with `test()`
 * against attacker-controlled strings of up to 64 KiB. JavaScript's engine
 * backtracks, so a regex that can match the same text in many different ways
 * can take exponential (or high-degree polynomial) time on a crafted input
 * that almost matches. We cannot time-limit a regex in a Worker, so the policy
 * compiler rejects such regexes up front, with a reason an author can act on.
 *
 * The check parses the regex into a small tree and looks for the shapes that
 * make backtracking blow up:
 *
 *  - a repeated group that can match one piece of text in two ways, or split a
 *    run of text into iterations in two ways: `(a+)+`, `(a|ab)*`, `(a?a)+`,
 *    `(\w+\s?)*`. Each extra iteration doubles the work (exponential).
 *  - three or more unbounded quantifiers in a row that can all match the same
 *    characters: `\d+\d+\d+`, `.*a.*b.*` (polynomial, n^3 and up).
 *  - many optional parts or alternatives (also inside small bounded repeats)
 *    that can all match the same text, `a?a?a?…aaa`, `((a|a){5}){5}`: they
 *    multiply even without an unbounded loop.
 *  - backreferences and lookbehind, which we do not analyse; lookahead is
 *    allowed, but counts as a scan when it contains an unbounded quantifier.
 *
 * The analysis is conservative: whenever it cannot prove two parts of a
 * pattern match different characters, it assumes they overlap. Some harmless
 * patterns are therefore rejected (for example `(?:com|co)+`, because both
 * alternatives start with "c"); a dangerous one should never be accepted.
 *
 * Deliberate gap: an unanchored pattern is tried at every start position, so
 * one or two overlapping unbounded quantifiers still cost O(n^2) to O(n^3) on
 * a hostile input (`\s+$`, `.*foo.*`: seconds at 64 KiB). They are allowed
 * because they are too common to forbid; anchoring with `^` avoids the cost.
 */

/** Longest regex source we analyse or accept. */
const MAX_SOURCE_LENGTH = 1000;
/** Overlapping unbounded quantifiers allowed in a row (`.*foo.*` is 2). */
const MAX_CHAIN = 2;
/** A bounded quantifier `{n,m}` with more than this many choices (m - n) counts as unbounded. */
const LONG_RANGE = 10;
/**
 * Most ways the bounded parts of a regex may match the same text. An
 * unanchored regex is retried at every position of the input, so it gets a
 * much smaller budget than one anchored with `^` (tried once).
 */
const MAX_AMBIGUITY = 1_000;
const MAX_AMBIGUITY_ANCHORED = 100_000;
/** Most parse states tracked for the adjacency rule before merging them (keeps the check linear). */
const MAX_STATES = 64;

/** Returns null when `source` is a regex that is safe to run with JavaScript's backtracking engine on hostile input, or a plain-English reason why it is rejected. */
export function regexSafetyProblem(source: string): string | null {
  if (source.length > MAX_SOURCE_LENGTH) {
    return `regular expression is ${source.length} characters long; the limit is ${MAX_SOURCE_LENGTH}`;
  }
  try {
    new RegExp(source, "u");
  } catch (e) {
    return `invalid regular expression: ${e instanceof Error ? e.message : String(e)}`;
  }
  try {
    const tree = new Parser(source).parse();
    new Analysis(source).run(tree);
    return null;
  } catch (e) {
    if (e instanceof Rejection) return e.message;
    // A construct the parser does not understand: refuse rather than guess.
    return `regular expression could not be checked for safety (${e instanceof Error ? e.message : String(e)}); simplify it`;
  }
}

/** Thrown inside the module to stop at the first problem found. */
class Rejection extends Error {}

// ---------------------------------------------------------------------------
// Character sets
// ---------------------------------------------------------------------------

const MAX_CODE_POINT = 0x10ffff;

type Range = readonly [number, number];

/**
 * A set of code points as sorted, disjoint, inclusive ranges. Exact for
 * everything except Unicode property escapes (`\p{…}`), which we widen to "any
 * character": a wider set only makes `overlaps` say yes more often, which is
 * the safe direction.
 */
class CharSet {
  static readonly EMPTY = new CharSet([]);
  static readonly ANY = new CharSet([[0, MAX_CODE_POINT]]);

  private constructor(readonly ranges: readonly Range[]) {}

  static of(ranges: readonly Range[]): CharSet {
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [lo, hi] of sorted) {
      const last = merged[merged.length - 1];
      if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else merged.push([lo, hi]);
    }
    return new CharSet(merged);
  }

  static char(cp: number): CharSet {
    return new CharSet([[cp, cp]]);
  }

  static chars(text: string): CharSet {
    return CharSet.of([...text].map((ch) => [ch.codePointAt(0) ?? 0, ch.codePointAt(0) ?? 0] as const));
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** Stable text form, used to de-duplicate analysis states. */
  get key(): string {
    return this.ranges.map(([lo, hi]) => `${lo}-${hi}`).join(",");
  }

  union(other: CharSet): CharSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return CharSet.of([...this.ranges, ...other.ranges]);
  }

  intersect(other: CharSet): CharSet {
    const out: Range[] = [];
    let i = 0;
    let j = 0;
    while (i < this.ranges.length && j < other.ranges.length) {
      const a = this.ranges[i] as Range;
      const b = other.ranges[j] as Range;
      const lo = Math.max(a[0], b[0]);
      const hi = Math.min(a[1], b[1]);
      if (lo <= hi) out.push([lo, hi]);
      if (a[1] < b[1]) i++;
      else j++;
    }
    return new CharSet(out);
  }

  complement(): CharSet {
    const out: Range[] = [];
    let next = 0;
    for (const [lo, hi] of this.ranges) {
      if (lo > next) out.push([next, lo - 1]);
      next = hi + 1;
    }
    if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
    return new CharSet(out);
  }

  overlaps(other: CharSet): boolean {
    return !this.intersect(other).isEmpty;
  }
}

// The classes below are exact for the "u" flag without "i": \d, \w and \s are
// ASCII (plus the Unicode spaces for \s), and "." excludes line terminators.
const DIGIT = CharSet.of([[0x30, 0x39]]);
const WORD = CharSet.of([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]);
const SPACE = CharSet.of([
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
const DOT = CharSet.chars("\n\r\u2028\u2029").complement();

// ---------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------

/** Every node remembers where it came from, so reasons can quote the pattern. */
interface Span {
  readonly start: number;
  readonly end: number;
}

type Node =
  /** One character from a set: a literal, `.`, `\d`, `[a-z]`… */
  | (Span & { readonly kind: "char"; readonly set: CharSet })
  /** Zero-width: `^`, `$`, `\b`, `\B`. */
  | (Span & { readonly kind: "assert"; readonly symbol: "^" | "$" | "\\b" | "\\B" })
  /** `(?=…)` or `(?!…)`. */
  | (Span & { readonly kind: "look"; readonly body: Node })
  | (Span & { readonly kind: "seq"; readonly items: readonly Node[] })
  | (Span & { readonly kind: "alt"; readonly branches: readonly Node[] })
  /** `body{min,max}`; `*`, `+` and `?` included; max is Infinity when unbounded. */
  | (Span & { readonly kind: "repeat"; readonly body: Node; readonly min: number; readonly max: number });

type RepeatNode = Extract<Node, { kind: "repeat" }>;
type LookNode = Extract<Node, { kind: "look" }>;

/**
 * Recursive-descent parser for the JavaScript regex grammar with the "u" flag.
 * It only runs after `new RegExp(source, "u")` has accepted the source, so it
 * can trust the syntax and concentrate on meaning.
 */
class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.disjunction();
    if (this.pos !== this.src.length) throw new Error(`unexpected '${this.peek()}' at offset ${this.pos}`);
    return node;
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? "";
  }

  private at(text: string, offset = 0): boolean {
    return this.src.startsWith(text, this.pos + offset);
  }

  private expect(text: string): void {
    if (!this.at(text)) throw new Error(`expected '${text}' at offset ${this.pos}`);
    this.pos += text.length;
  }

  private disjunction(): Node {
    const start = this.pos;
    const branches = [this.alternative()];
    while (this.peek() === "|") {
      this.pos++;
      branches.push(this.alternative());
    }
    const [only] = branches;
    if (branches.length === 1 && only) return only;
    return { kind: "alt", branches, start, end: this.pos };
  }

  private alternative(): Node {
    const start = this.pos;
    const items: Node[] = [];
    while (this.pos < this.src.length && this.peek() !== "|" && this.peek() !== ")") items.push(this.term());
    const [only] = items;
    if (items.length === 1 && only) return only;
    return { kind: "seq", items, start, end: this.pos };
  }

  private term(): Node {
    const start = this.pos;
    const c = this.peek();
    if (c === "^" || c === "$") {
      this.pos++;
      return { kind: "assert", symbol: c, start, end: this.pos };
    }
    if (this.at("\\b") || this.at("\\B")) {
      this.pos += 2;
      return { kind: "assert", symbol: this.at("\\B", -2) ? "\\B" : "\\b", start, end: this.pos };
    }
    if (this.at("(?<=") || this.at("(?<!")) {
      throw new Rejection("lookbehind ((?<=…) and (?<!…)) is not supported; match the text before it directly instead");
    }
    if (this.at("(?=") || this.at("(?!")) {
      this.pos += 3;
      const body = this.disjunction();
      this.expect(")");
      // With "u", a lookahead cannot take a quantifier, so no quantifier check here.
      return { kind: "look", body, start, end: this.pos };
    }
    return this.quantified(this.atom(), start);
  }

  private quantified(atom: Node, start: number): Node {
    let min: number;
    let max: number;
    const c = this.peek();
    if (c === "*") [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === "+") [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      // With "u", "{" is always a quantifier here: {n}, {n,} or {n,m}.
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) throw new Error(`bad quantifier at offset ${this.pos}`);
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
      this.pos += m[0].length - 1;
    } else return atom;
    this.pos++;
    // A lazy quantifier (`*?`) tries the same alternatives in another order; on
    // input that does not match it explores exactly as many paths.
    if (this.peek() === "?") this.pos++;
    return { kind: "repeat", body: atom, min, max, start, end: this.pos };
  }

  private atom(): Node {
    const start = this.pos;
    const c = this.peek();
    if (c === "(") return this.group();
    if (c === ".") {
      this.pos++;
      return { kind: "char", set: DOT, start, end: this.pos };
    }
    if (c === "[") {
      const set = this.charClass();
      return { kind: "char", set, start, end: this.pos };
    }
    if (c === "\\") {
      this.pos++;
      const e = this.escape(false);
      return { kind: "char", set: typeof e === "number" ? CharSet.char(e) : e, start, end: this.pos };
    }
    return { kind: "char", set: CharSet.char(this.codePoint()), start, end: this.pos };
  }

  /** A literal code point (one or two UTF-16 units). */
  private codePoint(): number {
    const cp = this.src.codePointAt(this.pos) ?? 0;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private group(): Node {
    const start = this.pos;
    this.pos++; // "("
    if (this.at("?:")) this.pos += 2;
    else if (this.at("?<")) {
      this.pos = this.src.indexOf(">", this.pos) + 1; // named group; lookbehind was handled in term()
    } else if (this.peek() === "?") {
      throw new Rejection("inline modifiers such as (?i:…) are not supported");
    }
    const body = this.disjunction();
    this.expect(")");
    // Groups need no node of their own; widen the span so reasons quote the parentheses.
    return { ...body, start, end: this.pos };
  }

  /** `[…]`, with `pos` on the "[". */
  private charClass(): CharSet {
    this.pos++;
    const negated = this.peek() === "^";
    if (negated) this.pos++;
    let set = CharSet.EMPTY;
    let widened = false;
    while (this.peek() !== "]") {
      if (this.pos >= this.src.length) throw new Error("unterminated character class");
      const from = this.classAtom();
      if (from === "property") {
        widened = true;
        continue;
      }
      if (typeof from === "number" && this.peek() === "-" && this.peek(1) !== "]") {
        this.pos++;
        const to = this.classAtom();
        if (typeof to !== "number") throw new Error("character class range must end in a single character");
        set = set.union(CharSet.of([[from, to]]));
      } else {
        set = set.union(typeof from === "number" ? CharSet.char(from) : from);
      }
    }
    this.pos++;
    // A class containing \p{…} is treated as "any character", negated or not.
    if (widened) return CharSet.ANY;
    return negated ? set.complement() : set;
  }

  private classAtom(): number | CharSet | "property" {
    if (this.peek() !== "\\") return this.codePoint();
    this.pos++;
    if (this.peek() === "p" || this.peek() === "P") {
      this.escape(true);
      return "property";
    }
    return this.escape(true);
  }

  /**
   * The escape after a "\" (`pos` is on the character after it). Returns a code
   * point for single characters, so class ranges can use it, or a set.
   */
  private escape(inClass: boolean): number | CharSet {
    const c = this.peek();
    this.pos++;
    switch (c) {
      case "d":
        return DIGIT;
      case "D":
        return DIGIT.complement();
      case "w":
        return WORD;
      case "W":
        return WORD.complement();
      case "s":
        return SPACE;
      case "S":
        return SPACE.complement();
      case "p":
      case "P": {
        // Unicode property: we do not carry the Unicode tables, so assume "any character".
        this.pos = this.src.indexOf("}", this.pos) + 1;
        return CharSet.ANY;
      }
      case "k":
        throw new Rejection("backreferences (\\k<name>) are not supported; they force backtracking");
      case "b":
        if (inClass) return 0x08;
        throw new Error("\\b handled as an assertion");
      case "f":
        return 0x0c;
      case "n":
        return 0x0a;
      case "r":
        return 0x0d;
      case "t":
        return 0x09;
      case "v":
        return 0x0b;
      case "0":
        return 0;
      case "c":
        return this.codePoint() % 32;
      case "x":
        return this.hex(2);
      case "u":
        return this.unicodeEscape();
      default:
        if (c >= "1" && c <= "9") {
          throw new Rejection(`backreferences (\\${c}) are not supported; they force backtracking`);
        }
        // Identity escape: \. \* \/ \- and the like stand for the character itself.
        this.pos--;
        return this.codePoint();
    }
  }

  private hex(digits: number): number {
    const text = this.src.slice(this.pos, this.pos + digits);
    if (!/^[0-9a-fA-F]+$/.test(text) || text.length !== digits) throw new Error(`bad hex escape at offset ${this.pos}`);
    this.pos += digits;
    return Number.parseInt(text, 16);
  }

  /** `\uXXXX`, `\u{X…}`, and a `\uXXXX\uXXXX` surrogate pair, which "u" reads as one character. */
  private unicodeEscape(): number {
    if (this.peek() === "{") {
      const close = this.src.indexOf("}", this.pos);
      const cp = Number.parseInt(this.src.slice(this.pos + 1, close), 16);
      this.pos = close + 1;
      return cp;
    }
    const cp = this.hex(4);
    if (cp >= 0xd800 && cp <= 0xdbff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(this.src.slice(this.pos))) {
      this.pos += 2;
      const low = this.hex(4);
      return (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
    }
    return cp;
  }
}

// ---------------------------------------------------------------------------
// Analysis
// ---------------------------------------------------------------------------

/**
 * What a matcher can see at some point of the pattern: the characters it may
 * consume next, and whether it can reach the "target" point (the end of the
 * pattern, or the end of a loop iteration) without consuming anything more.
 */
interface Follow {
  readonly first: CharSet;
  readonly reachesEnd: boolean;
}

/**
 * A point where the engine picks one of several ways forward and, on failure,
 * comes back to try the others: which alternative, whether to take an
 * optional part, whether to repeat a quantified part once more.
 */
interface Choice {
  readonly kind: "alt" | "optional" | "repeat";
  readonly node: Node;
  readonly options: readonly { readonly node: Node | null; readonly follow: Follow }[];
  /** How many times the choice can be made in one match: the product of the enclosing small loop counts. */
  readonly times: number;
}

/** Which parts of the pattern {@link Analysis.choices} looks into. */
interface ChoiceScope {
  /** Inside unbounded (long) quantifiers. */
  readonly long: boolean;
  /** Inside lookahead bodies; they run separately and end at their ")". */
  readonly lookahead: boolean;
}

/** An unbounded quantifier, or a bounded one with so many choices it behaves like one. */
function isLong(n: RepeatNode): boolean {
  return n.max === Number.POSITIVE_INFINITY || n.max - n.min > LONG_RANGE;
}

/** A quantifier that repeats at most {@link LONG_RANGE} times: ambiguity inside it is bounded, so it is counted, not forbidden. */
function isSmallLoop(n: RepeatNode): boolean {
  return n.max >= 2 && n.max <= LONG_RANGE;
}

/** Two options collide when the same next character (or the same empty step) could lead into both. */
function collide(a: Follow, b: Follow): boolean {
  return a.first.overlaps(b.first) || (a.reachesEnd && b.reachesEnd);
}

/**
 * Chain state for the adjacency rule (see {@link Analysis.chains}): the
 * overlapping unbounded quantifiers matched in a row so far, the characters
 * the last one can match, and the characters the pattern must consume since.
 */
interface ChainState {
  readonly members: readonly RepeatNode[];
  readonly last: CharSet;
  readonly since: readonly CharSet[];
}

const NO_CHAIN: ChainState = { members: [], last: CharSet.EMPTY, since: [] };

class Analysis {
  private readonly firstMemo = new Map<Node, CharSet>();
  private readonly nullableMemo = new Map<Node, boolean>();
  private readonly charsMemo = new Map<Node, CharSet>();

  constructor(private readonly src: string) {}

  run(root: Node): void {
    this.lookaheadsInLoops(root, false);
    for (const loop of this.repeats(root)) this.checkLoop(loop);
    this.chains(root, [NO_CHAIN]);
    this.checkAmbiguity(root);
  }

  // --- basic properties ----------------------------------------------------

  /** Quote part of the pattern in a reason. */
  private quote(n: Node): string {
    const text = this.src.slice(n.start, n.end);
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  }

  /** Can `n` match the empty string? Assertions and lookaheads count as empty. */
  private nullable(n: Node): boolean {
    const known = this.nullableMemo.get(n);
    if (known !== undefined) return known;
    let result: boolean;
    switch (n.kind) {
      case "char":
        result = false;
        break;
      case "assert":
      case "look":
        result = true;
        break;
      case "seq":
        result = n.items.every((i) => this.nullable(i));
        break;
      case "alt":
        result = n.branches.some((b) => this.nullable(b));
        break;
      case "repeat":
        result = n.min === 0 || n.max === 0 || this.nullable(n.body);
        break;
    }
    this.nullableMemo.set(n, result);
    return result;
  }

  /** Characters `n` can start with. */
  private first(n: Node): CharSet {
    const known = this.firstMemo.get(n);
    if (known) return known;
    let result = CharSet.EMPTY;
    switch (n.kind) {
      case "char":
        result = n.set;
        break;
      case "assert":
      case "look":
        break;
      case "seq":
        for (const item of n.items) {
          result = result.union(this.first(item));
          if (!this.nullable(item)) break;
        }
        break;
      case "alt":
        for (const b of n.branches) result = result.union(this.first(b));
        break;
      case "repeat":
        if (n.max > 0) result = this.first(n.body);
        break;
    }
    this.firstMemo.set(n, result);
    return result;
  }

  /** Every character `n` can consume anywhere (lookahead bodies excluded: they consume nothing). */
  private chars(n: Node): CharSet {
    const known = this.charsMemo.get(n);
    if (known) return known;
    let result = CharSet.EMPTY;
    switch (n.kind) {
      case "char":
        result = n.set;
        break;
      case "assert":
      case "look":
        break;
      case "seq":
        for (const item of n.items) result = result.union(this.chars(item));
        break;
      case "alt":
        for (const b of n.branches) result = result.union(this.chars(b));
        break;
      case "repeat":
        if (n.max > 0) result = this.chars(n.body);
        break;
    }
    this.charsMemo.set(n, result);
    return result;
  }

  /** What the matcher sees when `n` comes right before `after`. */
  private prepend(n: Node, after: Follow): Follow {
    if (!this.nullable(n)) return { first: this.first(n), reachesEnd: false };
    return { first: this.first(n).union(after.first), reachesEnd: after.reachesEnd };
  }

  /** All repeat nodes in source order, outer before inner. */
  private repeats(n: Node, out: RepeatNode[] = []): RepeatNode[] {
    switch (n.kind) {
      case "repeat":
        out.push(n);
        this.repeats(n.body, out);
        break;
      case "look":
        this.repeats(n.body, out);
        break;
      case "seq":
        for (const i of n.items) this.repeats(i, out);
        break;
      case "alt":
        for (const b of n.branches) this.repeats(b, out);
        break;
      default:
        break;
    }
    return out;
  }

  // --- choice points -----------------------------------------------------------

  /**
   * Collect the choice points inside `n`, each with what every option lets the
   * matcher consume next, given that `tail` follows `n`. `times` is how often
   * `n` itself can run in one match (see {@link Choice.times}).
   */
  private choices(n: Node, tail: Follow, scope: ChoiceScope, out: Choice[] = [], times = 1): Choice[] {
    switch (n.kind) {
      case "char":
      case "assert":
        break;
      case "look":
        if (scope.lookahead) this.choices(n.body, { first: CharSet.EMPTY, reachesEnd: true }, scope, out, times);
        break;
      case "seq": {
        let after = tail;
        for (let i = n.items.length - 1; i >= 0; i--) {
          const item = n.items[i] as Node;
          this.choices(item, after, scope, out, times);
          after = this.prepend(item, after);
        }
        break;
      }
      case "alt":
        out.push({ kind: "alt", node: n, options: n.branches.map((b) => ({ node: b, follow: this.prepend(b, tail) })), times });
        for (const b of n.branches) this.choices(b, tail, scope, out, times);
        break;
      case "repeat": {
        if (n.max === 0 || (isLong(n) && !scope.long)) break;
        // After one pass through the body comes either another pass or whatever follows the quantifier.
        const afterBody: Follow = n.max >= 2 ? { first: this.first(n.body).union(tail.first), reachesEnd: tail.reachesEnd } : tail;
        if (n.min < n.max) {
          out.push({
            kind: n.max === 1 ? "optional" : "repeat",
            node: n,
            options: [
              { node: n.body, follow: this.prepend(n.body, afterBody) },
              { node: null, follow: tail },
            ],
            times,
          });
        }
        this.choices(n.body, afterBody, scope, out, isSmallLoop(n) ? times * n.max : times);
        break;
      }
    }
    return out;
  }

  /** The first pair of options of `c` that collide, if any. */
  private collision(c: Choice): [number, number] | null {
    for (let i = 0; i < c.options.length; i++) {
      for (let j = i + 1; j < c.options.length; j++) {
        const a = c.options[i];
        const b = c.options[j];
        if (a && b && collide(a.follow, b.follow)) return [i, j];
      }
    }
    return null;
  }

  // --- rules 4 and 5: exponential backtracking inside a loop ------------------

  /**
   * A repeated part must be unambiguous: every decision inside one iteration
   * (which alternative, take an optional part or not, repeat an inner
   * quantifier or stop) must be settled by the next character. If two options
   * can go on with the same character, the engine can match a run of text as
   * one iteration or as two, or with either alternative, and on failure it
   * tries every combination: 2^n for n iterations.
   *
   * The end of an iteration is treated as reachable and followed by another
   * iteration; leaving the loop is not considered here (it happens once per
   * match, and the adjacency rule covers it).
   *
   * A small loop (at most {@link LONG_RANGE} repetitions) may contain ambiguous
   * alternatives or optional parts: the harm is bounded, so
   * {@link checkAmbiguity} counts it instead (`(25[0-5]|2[0-4]\d|…){3}` in an
   * IPv4 pattern is fine, `((a|a){5}){5}` with 2^25 ways is not). An unbounded
   * quantifier that can run into the next iteration is rejected even there:
   * `(a+){3}` is `a+a+a+`.
   */
  private checkLoop(loop: RepeatNode): void {
    if (loop.max < 2) return;
    const wrap: Follow = { first: this.first(loop.body), reachesEnd: true };
    const found = this.choices(loop.body, wrap, { long: true, lookahead: true }).sort((a, b) => a.node.start - b.node.start);
    for (const c of found) {
      const pair = this.collision(c);
      if (!pair) continue;
      if (isSmallLoop(loop) && !(c.node.kind === "repeat" && isLong(c.node))) continue;
      const outer = this.quote(loop);
      const inner = this.quote(c.node);
      if (c.kind === "repeat") {
        throw new Rejection(
          `nested quantifier: ${outer} repeats ${inner}, which can take exponential time on text that almost matches; remove the inner or outer quantifier, or separate the repetitions with a character the inner part cannot match`,
        );
      }
      if (c.kind === "optional") {
        throw new Rejection(
          `ambiguous repetition: in ${outer} the optional part ${inner} can be taken or skipped for the same text, which can take exponential time; make each repetition start with a character the others cannot match`,
        );
      }
      const options = pair.map((k) => c.options[k]?.node).map((b) => (b ? this.quote(b) : "(empty)"));
      throw new Rejection(
        `overlapping alternatives under a quantifier: in ${outer} the alternatives ${options[0]} and ${options[1]} of ${inner} can start with the same character, which can take exponential time; make the alternatives start with different characters`,
      );
    }
  }

  // --- rule 6: adjacent overlapping unbounded quantifiers -----------------------

  /**
   * Unbounded quantifiers in a row that can all match the same text, like
   * `\d+\d+\d+`, let the engine split a run of n characters between them in
   * about n^k ways for k quantifiers. Two are allowed (`^rm\s+-rf\s+.*$` has
   * `\s+.*`), three are not.
   *
   * Two quantifiers X* and Y* are "in a row" when some text w can be matched
   * by X*, by Y*, and by the path from X to Y. We approximate w's characters by
   * X ∩ Y: they link when X ∩ Y is not empty and every character the pattern
   * requires between them could be in X ∩ Y. A required character outside
   * that, like "@" in `[^@]+@[^@]+`, breaks the chain.
   *
   * The pattern is walked left to right carrying the possible chain states;
   * optional parts and alternatives fork them. Inside a repeated group the body
   * is walked once: {@link checkLoop} has already made sure an unbounded
   * quantifier inside cannot run on into the next iteration. Returns the
   * states after `n`.
   */
  private chains(n: Node, states: readonly ChainState[]): readonly ChainState[] {
    switch (n.kind) {
      case "assert":
        return states;
      case "char":
        return dedupe(
          states.map((s) => {
            if (s.members.length === 0) return s;
            // A required character the last quantifier cannot match ends the chain.
            if (!n.set.overlaps(s.last)) return NO_CHAIN;
            return { ...s, since: [...s.since, n.set] };
          }),
        );
      case "seq": {
        let current = states;
        for (const item of n.items) current = this.chains(item, current);
        return current;
      }
      case "alt":
        return dedupe(n.branches.flatMap((b) => this.chains(b, states)));
      case "look":
        this.checkLookahead(n, states);
        return states;
      case "repeat": {
        if (n.max === 0) return states;
        const skippable = this.nullable(n);
        if (isLong(n)) {
          const linked = states.map((s) => this.link(s, n));
          return dedupe(skippable ? [...states, ...linked] : linked);
        }
        const through = this.chains(n.body, states);
        return dedupe(skippable ? [...states, ...through] : through);
      }
    }
  }

  /** Extend the chain in `s` with the unbounded quantifier `q`, or start a new chain at `q`. */
  private link(s: ChainState, q: RepeatNode): ChainState {
    const set = this.chars(q.body);
    const common = s.last.intersect(set);
    const joins = s.members.length > 0 && !common.isEmpty && s.since.every((c) => c.overlaps(common));
    const members = joins ? [...s.members, q] : [q];
    if (members.length > MAX_CHAIN) {
      const names = members.map((m) => this.quote(m));
      const list = `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
      throw new Rejection(
        `too many adjacent quantifiers: ${list} can all match the same characters, which takes polynomial time (n^${members.length}) on text that almost matches; separate them with a character that some of them cannot match, or merge them into one`,
      );
    }
    return { members, last: set, since: [] };
  }

  /**
   * A lookahead runs its own match at every position it is reached from. With
   * an unbounded quantifier inside, that is a full scan each time, which
   * multiplies with the overlapping quantifiers before it.
   */
  private checkLookahead(look: LookNode, states: readonly ChainState[]): void {
    const inner = this.chains(look.body, [NO_CHAIN]);
    const depth = Math.max(0, ...inner.map((s) => s.members.length), this.hasLong(look.body) ? 1 : 0);
    if (depth === 0) return;
    const before = states.reduce<readonly RepeatNode[]>((a, s) => (s.members.length > a.length ? s.members : a), []);
    if (before.length + depth > MAX_CHAIN) {
      throw new Rejection(
        `lookahead ${this.quote(look)} scans with an unbounded quantifier after ${before.map((m) => this.quote(m)).join(" and ")}, which takes polynomial time on text that almost matches; anchor the lookahead (for example ^(?!…)) or drop the quantifiers before it`,
      );
    }
  }

  private hasLong(n: Node): boolean {
    return this.repeats(n).some(isLong);
  }

  /** A lookahead that scans (has an unbounded quantifier) inside a repeated group rescans on every iteration. */
  private lookaheadsInLoops(n: Node, inLoop: boolean): void {
    switch (n.kind) {
      case "look":
        if (inLoop && this.hasLong(n.body)) {
          throw new Rejection(
            `lookahead ${this.quote(n)} contains an unbounded quantifier and sits inside a repeated group, so it rescans the text on every repetition; move it out of the group`,
          );
        }
        this.lookaheadsInLoops(n.body, inLoop);
        break;
      case "repeat":
        this.lookaheadsInLoops(n.body, inLoop || n.max >= 2);
        break;
      case "seq":
        for (const i of n.items) this.lookaheadsInLoops(i, inLoop);
        break;
      case "alt":
        for (const b of n.branches) this.lookaheadsInLoops(b, inLoop);
        break;
      default:
        break;
    }
  }

  // --- ambiguity without loops ------------------------------------------------

  /** Does every match have to start at the beginning of the input (`^…`, or `^a|^b`)? */
  private anchored(n: Node): boolean {
    switch (n.kind) {
      case "assert":
        return n.symbol === "^";
      case "seq": {
        const [head] = n.items;
        return head !== undefined && this.anchored(head);
      }
      case "alt":
        return n.branches.every((b) => this.anchored(b));
      default:
        return false;
    }
  }

  /**
   * Optional parts and alternatives multiply even outside a loop:
   * `a?a?a?…a?aaa…` has 2^k ways to match k a's. Multiply, over the whole
   * pattern, how many options of each decision could go on with the same
   * character (raised to the number of times a small loop can repeat the
   * decision), and reject past {@link MAX_AMBIGUITY}. Decisions inside
   * unbounded quantifiers are left out: {@link checkLoop} requires those to be
   * unambiguous already. The end of the pattern is followed by nothing: once
   * the matcher gets there the match has succeeded and nothing is retried.
   */
  private checkAmbiguity(root: Node): void {
    const found = this.choices(root, { first: CharSet.EMPTY, reachesEnd: true }, { long: false, lookahead: true });
    const anchored = this.anchored(root);
    const budget = anchored ? MAX_AMBIGUITY_ANCHORED : MAX_AMBIGUITY;
    let ways = 1;
    const culprits: Node[] = [];
    for (const c of found) {
      if (!this.collision(c)) continue;
      let factor: number;
      if (c.kind === "alt") {
        // Count the alternatives that collide with at least one other.
        factor = c.options.filter((o, i) => c.options.some((p, j) => i !== j && collide(o.follow, p.follow))).length;
      } else if (c.kind === "repeat" && c.node.kind === "repeat") {
        factor = c.node.max - c.node.min + 1;
      } else {
        factor = 2;
      }
      ways *= factor ** c.times;
      culprits.push(c.node);
      if (ways > budget) {
        const names = [...culprits]
          .sort((a, b) => a.start - b.start)
          .slice(0, 4)
          .map((m) => this.quote(m));
        throw new Rejection(
          `ambiguous pattern: the optional parts and alternatives ${names.join(", ")}${culprits.length > 4 ? ", …" : ""} can match the same text in more than ${budget} different ways; make them start with different characters${anchored ? "" : ", or anchor the pattern with ^"}`,
        );
      }
    }
  }
}

/** Drop duplicate chain states; past {@link MAX_STATES}, merge them into one that over-approximates them all. */
function dedupe(states: readonly ChainState[]): readonly ChainState[] {
  const seen = new Map<string, ChainState>();
  for (const s of states) {
    const key = `${s.members.length}|${s.last.key}|${s.since.map((c) => c.key).join(";")}`;
    if (!seen.has(key)) seen.set(key, s);
  }
  const unique = [...seen.values()];
  if (unique.length <= MAX_STATES) return unique;
  // The merged state links whenever any original would (its set is larger and
  // it requires nothing in between), and carries the longest chain.
  let merged: ChainState = NO_CHAIN;
  for (const s of unique) {
    merged = {
      members: s.members.length > merged.members.length ? s.members : merged.members,
      last: merged.last.union(s.last),
      since: [],
    };
  }
  return [merged];
}
