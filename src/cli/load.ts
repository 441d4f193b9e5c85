import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { PolicySource } from "../policy/compiler";

const isYaml = (n: string) => n.endsWith(".yaml") || n.endsWith(".yml");

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && isYaml(e.name))
      .map((e) => e.name)
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/**
 * Read a policy directory: `*.yaml` base files, `tenants/<tenant>.yaml` and
 * `tests/*.yaml`. Paths in diagnostics are as the caller named the directory.
 */
export async function loadPolicyDir(dir: string): Promise<PolicySource[]> {
  const out: PolicySource[] = [];
  const add = async (sub: string, kind: PolicySource["kind"]) => {
    for (const name of await list(join(dir, sub))) {
      const full = join(dir, sub, name);
      out.push({ kind, path: full, text: await readFile(full, "utf8") });
    }
  };
  await add("", "base");
  await add("tenants", "tenant");
  await add("tests", "tests");
  return out;
}
