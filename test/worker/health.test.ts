import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import bundle from "../../src/generated/policy-snapshot.json";

describe("GET /healthz", () => {
  it("answers without a key and names the bundled snapshot", async () => {
    const res = await exports.default.fetch("http://cordon.test/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, snapshot_hash: bundle.hash });
    expect(bundle.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await exports.default.fetch("http://cordon.test/nope", { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
