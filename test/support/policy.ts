import { Engine } from "../../src/engine/evaluator";
import { type CompileResult, compilePolicy, type PolicySource } from "../../src/policy/compiler";

/** Compile inline YAML (a base file, optional tenant files) and fail loudly on errors. */
export async function compile(base: string, tenants: Record<string, string> = {}, tests?: string): Promise<CompileResult> {
  const sources: PolicySource[] = [{ kind: "base", path: "policies/base.yaml", text: base }];
  for (const [id, text] of Object.entries(tenants)) sources.push({ kind: "tenant", path: `policies/tenants/${id}.yaml`, text });
  if (tests !== undefined) sources.push({ kind: "tests", path: "policies/tests/t.yaml", text: tests });
  return compilePolicy(sources);
}

export async function engineFrom(base: string, tenants: Record<string, string> = {}): Promise<Engine> {
  const r = await compile(base, tenants);
  if (!r.ok || !r.snapshot || !r.hash) {
    throw new Error(`policy did not compile:\n${r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n")}`);
  }
  return new Engine(r.snapshot, r.hash);
}

/** A one-rule policy, for condition tests. */
export function oneRule(match: string, extra = "decision: ALLOW\n    reason: matched"): string {
  return `version: 1\nrules:\n  - id: r\n    match: ${match}\n    ${extra}\n`;
}
