import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { regexSafetyProblem } from "../../src/policy/regex-safety";

/** Patterns a policy author might reasonably write, which must be accepted. */
const ACCEPTED: readonly string[] = [
  String.raw`^kubectl\s+delete\b`,
  String.raw`^rm\s+-rf\s+.*$`,
  "^(prod|production)-[a-z0-9-]+$",
  String.raw`\.env(\..*)?$`,
  String.raw`^[A-Z]{2,4}-\d+$`,
  String.raw`^https://[^/]+\.example\.com/`,
  ".*foo.*",
  String.raw`^(\d{1,3}\.){3}\d{1,3}$`,
  String.raw`^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$`,
  String.raw`^git\s+push\s+(-f|--force)\b`,
  String.raw`^(?:sudo\s+)?rm\s`,
  String.raw`\bDROP\s+(TABLE|DATABASE)\b`,
  String.raw`^terraform\s+(apply|destroy)\b`,
  "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$",
  String.raw`^(?:[a-z0-9-]+\.)+example\.com$`,
  String.raw`^s3://prod-[\w.-]+/`,
  String.raw`(^|\s)--force(\s|$)`,
  String.raw`^[\w.+-]+@example\.com$`,
  String.raw`^[\w.+-]+@[\w-]+\.[\w.-]+$`,
  String.raw`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`,
  String.raw`^/api/v[12]/users/\d+$`,
  String.raw`"([^"\\]|\\.)*"`,
  String.raw`^(?:\S+\s+){2,}\S+$`,
  String.raw`^git\s+push(?!.*--dry-run)`,
  "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
  String.raw`^\p{Lu}[\p{L}\d_]*$`,
  "^(AKIA|ASIA)[A-Z0-9]{16}$",
  String.raw`(?:password|passwd|secret)\s*[:=]`,
  String.raw`^ssh\s+\S+@prod-\d+`,
  "^(?:[^,]*,){3}",
  String.raw`^(?:(?!--)\S)+$`,
  String.raw`^[\u{1F600}-\u{1F64F}]+$`,
  "(ab)+",
  "(?:a|b)+",
];

/** Dangerous (or unsupported) patterns, each with a piece of the reason it must give. */
const REJECTED: readonly (readonly [string, string])[] = [
  // Nested quantifiers (star height > 1).
  ["(a+)+$", "nested quantifier"],
  ["(a*)*", "nested quantifier"],
  [String.raw`^(\w+\s?)*$`, "nested quantifier"],
  [String.raw`(?:\w+\s?)*`, "nested quantifier"],
  ["(a{1,20}){1,20}", "nested quantifier"],
  ["(.*a){12}", "nested quantifier"],
  ["(x+x+)+y", "nested quantifier"],
  [String.raw`^(\d+)*$`, "nested quantifier"],
  [String.raw`^([a-zA-Z0-9]+\.?)+@example\.com$`, "nested quantifier"],
  [String.raw`(\s*,\s*)*$`, "nested quantifier"],
  // Quantified alternatives that can start with the same character.
  ["(a|aa)+", "overlapping alternatives"],
  ["(a|ab)*", "overlapping alternatives"],
  ["(a|a)+", "overlapping alternatives"],
  [String.raw`(\w|\d)+`, "overlapping alternatives"],
  ["(.|x)*", "overlapping alternatives"],
  [String.raw`"(\\.|[^"])*"`, "overlapping alternatives"],
  ["((a|a){5}){5}", "ambiguous pattern"],
  // An optional part that makes one repetition look like two.
  ["(a?a)+", "ambiguous repetition"],
  [String.raw`(\w\d?)+x`, "ambiguous repetition"],
  ["^(a?){25}(a){25}$", "ambiguous repetition"],
  // Three or more overlapping unbounded quantifiers in a row.
  [String.raw`\d+\d+\d+x`, "adjacent quantifiers"],
  [".*.*.*x", "adjacent quantifiers"],
  [String.raw`\s*\s*\s*$`, "adjacent quantifiers"],
  [String.raw`^\S+@\S+\.\S+$`, "adjacent quantifiers"],
  [".*foo.*bar.*baz", "adjacent quantifiers"],
  [String.raw`(?:\d+)?-?(?:\d+)?-?\d+$`, "adjacent quantifiers"],
  // Many overlapping optional parts, even without a loop.
  [`${"a?".repeat(16)}${"a".repeat(16)}`, "ambiguous pattern"],
  [`^${"a?".repeat(20)}${"a".repeat(20)}$`, "ambiguous pattern"],
  [String.raw`(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)`, "anchor the pattern with ^"],
  // Unsupported features.
  [String.raw`(\1)`, "backreferences"],
  [String.raw`(?<x>a)\k<x>`, "backreferences"],
  ["(?<=a)b", "lookbehind"],
  ["(?<!a)b", "lookbehind"],
  [".*.*(?=.*x)", "lookahead"],
  ["(?:(?=.*x)a)+", "lookahead"],
  ["(?i:rm)", "inline modifiers"],
  // Syntax and size.
  ["(", "invalid regular expression"],
  ["[z-a]", "invalid regular expression"],
  [String.raw`\p{NotAProperty}`, "invalid regular expression"],
  ["x".repeat(1001), "the limit is 1000"],
];

describe("regexSafetyProblem", () => {
  it.each(ACCEPTED.map((p) => [p]))("accepts %s", (pattern) => {
    expect(regexSafetyProblem(pattern)).toBeNull();
  });

  it.each(REJECTED.map(([p, why]) => [p.length > 60 ? `${p.slice(0, 57)}...` : p, p, why]))("rejects %s", (_, pattern, why) => {
    const problem = regexSafetyProblem(pattern);
    expect(problem).not.toBeNull();
    expect(problem).toContain(why);
  });

  it("quotes the offending part of the pattern and says how to fix it", () => {
    expect(regexSafetyProblem("^(a+)+$")).toMatch(
      /^nested quantifier: \(a\+\)\+ .*exponential time.*; remove the inner or outer quantifier/,
    );
    expect(regexSafetyProblem("x(a|ab)*")).toContain("the alternatives a and ab of (a|ab)");
    expect(regexSafetyProblem(String.raw`\d+\d+\d+x`)).toContain(String.raw`\d+, \d+ and \d+`);
  });

  it("allows two overlapping unbounded quantifiers in a row but not three", () => {
    expect(regexSafetyProblem(".*.*x")).toBeNull();
    expect(regexSafetyProblem(".*.*.*x")).not.toBeNull();
    // A required character the quantifiers cannot match separates them.
    expect(regexSafetyProblem(String.raw`\d+,\d+,\d+x`)).toBeNull();
    expect(regexSafetyProblem(String.raw`\d+0\d+0\d+x`)).not.toBeNull();
    // An optional separator does not.
    expect(regexSafetyProblem(String.raw`\d+,?\d+,?\d+x`)).not.toBeNull();
  });

  it("accepts a repeated group when each repetition is settled by its first character", () => {
    expect(regexSafetyProblem(String.raw`^(?:\w+\.)+\w+$`)).toBeNull();
    expect(regexSafetyProblem(String.raw`^(?:\w+\.?)+$`)).not.toBeNull();
    expect(regexSafetyProblem("(?:ab|cd)+")).toBeNull();
    expect(regexSafetyProblem("(?:ab|ac)+")).not.toBeNull();
  });

  it("counts ambiguity in small bounded repeats instead of forbidding it", () => {
    expect(regexSafetyProblem("^(a|a){3}$")).toBeNull();
    expect(regexSafetyProblem("(a|a){10}")).toContain("ambiguous pattern");
    expect(regexSafetyProblem("^((a|a){5}){5}")).toContain("ambiguous pattern");
    // ...but an unbounded quantifier inside still is: (a+){3} is a+a+a+.
    expect(regexSafetyProblem("^(?:a+){3}$")).toContain("nested quantifier");
  });

  it("every accepted pattern finishes on a 20,000-character adversarial input", { timeout: 60_000 }, () => {
    const inputs = [`${"a".repeat(20_000)}!`, `${" ".repeat(20_000)}!`, `${"1".repeat(20_000)}!`];
    for (const pattern of ACCEPTED) {
      const re = new RegExp(pattern, "u");
      for (const input of inputs) expect(typeof re.test(input)).toBe("boolean");
    }
  });

  it("never throws, and understands every regex JavaScript accepts", () => {
    const token = fc.constantFrom(
      ..."ab.|*+?^$-,".split(""),
      "(",
      ")",
      "(?:",
      "(?=",
      "(?!",
      "(?<n>",
      "{2}",
      "{1,3}",
      "{2,}",
      "[a-c]",
      "[^ab]",
      "[\\d\\s-]",
      "\\d",
      "\\W",
      "\\b",
      "\\.",
      "\\u0041",
      "\\u{1F600}",
      "\\x41",
      "\\p{L}",
      "\\cJ",
      "\\0",
      "😀",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        const source = tokens.join("");
        const problem = regexSafetyProblem(source);
        expect(problem === null || typeof problem === "string").toBe(true);
        expect(problem ?? "").not.toContain("could not be checked");
      }),
      { numRuns: 2000 },
    );
  });
});
