import { describe, expect, it } from "vitest";
import { compileGlob, GlobError } from "../../src/engine/glob";

const m = (pattern: string, value: string, sep: "." | "/" | "" = ".", fold = true) => compileGlob(pattern, sep, fold).test(value);

describe("globs over '.' segments (topics, capabilities, hosts)", () => {
  it("a literal matches only itself, case-insensitively", () => {
    expect(m("k8s.namespace.delete", "k8s.namespace.delete")).toBe(true);
    expect(m("k8s.namespace.delete", "K8S.Namespace.DELETE")).toBe(true);
    expect(m("k8s.namespace.delete", "k8s.namespace.deletes")).toBe(false);
    expect(m("k8s.namespace", "k8s.namespace.delete")).toBe(false);
  });

  it("'*' matches within one segment only", () => {
    expect(m("k8s.*.delete", "k8s.pod.delete")).toBe(true);
    expect(m("k8s.*.delete", "k8s.pod.x.delete")).toBe(false);
    expect(m("k8s.*", "k8s.pod")).toBe(true);
    expect(m("k8s.*", "k8s.pod.delete")).toBe(false);
    expect(m("*", "k8s")).toBe(true);
    expect(m("*", "k8s.pod")).toBe(false);
    expect(m("*.internal.example.com", "api.internal.example.com")).toBe(true);
    expect(m("*.internal.example.com", "internal.example.com")).toBe(false);
    expect(m("*.internal.example.com", "a.b.internal.example.com")).toBe(false);
  });

  it("'*' may stand for part of a segment, several times", () => {
    expect(m("prod-*", "prod-eu")).toBe(true);
    expect(m("*-prd", "db-prd")).toBe(true);
    expect(m("k8s.*space*.get", "k8s.namespaces.get")).toBe(true);
    expect(m("a*b*c", "aXXbYYc")).toBe(true);
    expect(m("a*b*c", "aXXcYYb")).toBe(false);
    expect(m("ab*ba", "aba")).toBe(false);
    expect(m("*-*", "-")).toBe(true);
  });

  it("a '**' segment matches zero or more whole segments", () => {
    expect(m("k8s.**", "k8s")).toBe(true);
    expect(m("k8s.**", "k8s.pod")).toBe(true);
    expect(m("k8s.**", "k8s.pod.delete")).toBe(true);
    expect(m("k8s.**", "k8sx.pod")).toBe(false);
    expect(m("**.delete", "delete")).toBe(true);
    expect(m("**.delete", "k8s.pod.delete")).toBe(true);
    expect(m("**.delete", "k8s.pod.deleted")).toBe(false);
    expect(m("k8s.**.delete", "k8s.delete")).toBe(true);
    expect(m("k8s.**.delete", "k8s.a.b.c.delete")).toBe(true);
    expect(m("k8s.**.delete", "k8s.a.b.c.get")).toBe(false);
    expect(m("**", "anything.at.all")).toBe(true);
    expect(m("a.**.b.**.c", "a.x.b.y.z.c")).toBe(true);
    expect(m("a.**.b.**.c", "a.x.c.y.b")).toBe(false);
  });

  it("reports what makes the pattern index-able", () => {
    expect(compileGlob("K8S.Pod.Get", ".", true).literal).toBe("k8s.pod.get");
    expect(compileGlob("k8s.*.get", ".", true).firstLiteral).toBe("k8s");
    expect(compileGlob("*.get", ".", true).firstLiteral).toBeNull();
    expect(compileGlob("**.get", ".", true).firstLiteral).toBeNull();
  });
});

describe("globs over '/' segments (paths)", () => {
  it("handles absolute paths, '*' and '**'", () => {
    expect(m("secrets/**", "secrets/prod/db.key", "/", false)).toBe(true);
    expect(m("secrets/**", "src/secrets/x", "/", false)).toBe(false);
    expect(m("**/.env*", ".env", "/", false)).toBe(true);
    expect(m("**/.env*", "app/config/.env.local", "/", false)).toBe(true);
    expect(m("**/.env*", "app/env", "/", false)).toBe(false);
    expect(m("/etc/*", "/etc/shadow", "/", false)).toBe(true);
    expect(m("/etc/*", "etc/shadow", "/", false)).toBe(false);
    expect(m("src/*.ts", "src/a.ts", "/", false)).toBe(true);
    expect(m("src/*.ts", "src/a/b.ts", "/", false)).toBe(false);
  });

  it("is case-sensitive when not folding", () => {
    expect(m("Secrets/**", "secrets/x", "/", false)).toBe(false);
  });
});

describe("globs with no separator (actors, label values)", () => {
  it("'*' matches any run of characters, including dots and slashes", () => {
    expect(m("*@example.com", "alice@example.com", "", false)).toBe(true);
    expect(m("*@example.com", "alice@evil.com", "", false)).toBe(false);
    expect(m("*-bot", "deploy.ci-bot", "", false)).toBe(true);
    expect(m("prod-*", "prod-eu/west", "", false)).toBe(true);
    expect(m("Prod", "prod", "", false)).toBe(false);
  });
});

describe("bad globs are rejected with a reason", () => {
  const bad: [string, RegExp][] = [
    ["", /empty/],
    ["k8s..pod", /empty segment/],
    ["k8s.pod.", /empty segment/],
    ["k8s.**x", /whole segment/],
    ["k8s.**.**", /redundant/],
    ["k8s.po?", /'\?' is not supported/],
    ["k8s.[ab]", /'\[' is not supported/],
    ["k8s.{a,b}", /'\{' is not supported/],
    ["k8s pod", /whitespace/],
    ["a".repeat(513), /512/],
  ];
  for (const [pattern, reason] of bad) {
    it(`rejects '${pattern.slice(0, 20)}'`, () => {
      expect(() => compileGlob(pattern, ".", true)).toThrow(GlobError);
      expect(() => compileGlob(pattern, ".", true)).toThrow(reason);
    });
  }
});

describe("matching cost", () => {
  it("a hostile subject does not make matching backtrack (finishes on a 64 KiB string)", () => {
    const g = compileGlob("*a*a*a*a*a*a*b", "", false);
    expect(g.test("a".repeat(65536))).toBe(false);
    const d = compileGlob("**.x.**.y.**.z", ".", true);
    expect(d.test(Array.from({ length: 5000 }, () => "x").join("."))).toBe(false);
  });
});
