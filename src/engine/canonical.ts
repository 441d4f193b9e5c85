/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no insignificant
 * whitespace, `undefined` members dropped. The same value always gives the same
 * bytes, on any machine, so hashes of snapshots and jobs are stable.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonical JSON cannot hold a non-finite number");
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

/** `sha256:` + lower-case hex SHA-256 of the UTF-8 bytes of `text` (Web Crypto: Workers and Node alike). */
export async function sha256Tagged(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  let hex = "";
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, "0");
  return `sha256:${hex}`;
}

/** The snapshot hash and request hash: SHA-256 of the canonical JSON. */
export function hashCanonical(value: unknown): Promise<string> {
  return sha256Tagged(canonicalJson(value));
}
