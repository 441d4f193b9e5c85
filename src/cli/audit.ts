import { readFile } from "node:fs/promises";
import { type AuditRecord, ChainVerifier, type VerifyResult } from "../audit/chain";

/**
 * `cordon audit verify`: check a tenant's hash chain on this machine, from the
 * service's NDJSON export (or a saved export), without trusting the service's
 * own verify route.
 */
export async function verifyExport(source: { url: string; key: string } | { file: string }): Promise<VerifyResult> {
  let text: string;
  if ("file" in source) text = await readFile(source.file, "utf8");
  else {
    const res = await fetch(new URL("/v1/audit", source.url), {
      headers: { authorization: `Bearer ${source.key}`, accept: "application/x-ndjson" },
    });
    if (!res.ok) throw new Error(`GET /v1/audit answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    text = await res.text();
  }
  const records = text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      try {
        return JSON.parse(l) as AuditRecord;
      } catch {
        throw new Error(`line ${i + 1} of the export is not JSON`);
      }
    })
    .sort((a, b) => a.seq - b.seq);
  const v = new ChainVerifier(null);
  for (const r of records) await v.add(r);
  return v.finish();
}
