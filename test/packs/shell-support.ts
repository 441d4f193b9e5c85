import { expect, it } from "vitest";
import { classifyShellLine } from "../../src/packs/shell/index";

/** The environments every shell-pack test classifies with. */
export const ctx = { environments: { production: ["prod", "production", "prod-*", "*-prd", "*.prod.example.com"] } };
export const sh = (command: string) => classifyShellLine(command, ctx);

/** A command, the tags it must carry, the tags it must not. */
export type Case = [string, string[], string[]];

export function expectTags(command: string, has: string[], hasNot: string[] = []): void {
  const d = sh(command);
  for (const t of has) expect(d.risk_tags, `${command} should be ${t} (got ${d.risk_tags.join(",")})`).toContain(t);
  for (const t of hasNot) expect(d.risk_tags, `${command} should not be ${t} (got ${d.risk_tags.join(",")})`).not.toContain(t);
}

/** One test per case. */
export function run(cases: Case[]): void {
  for (const [c, has, hasNot] of cases) it(c, () => expectTags(c, has, hasNot));
}
