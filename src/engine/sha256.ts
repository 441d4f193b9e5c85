import { createHash } from "node:crypto";

/**
 * Synchronous SHA-256 over UTF-8 text, as lowercase hex. The ledger seals
 * audit records with it so that reserving a sequence number, hashing the
 * record and storing it happen in one synchronous block: no other request of
 * the tenant can interleave, with no lock and no awaiting another request's
 * promise. `node:crypto` is native in both workerd (nodejs_compat) and Node,
 * so the Worker and the CLI hash alike, about ten times faster than SHA-256
 * written in JavaScript. Checked against Web Crypto by a property test.
 */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
