import { Hono } from "hono";
import { Engine } from "../engine/evaluator";
import type { Snapshot } from "../engine/types";
import bundle from "../generated/policy-snapshot.json";

/**
 * The edge service. The policy snapshot is compiled at build time (wrangler's
 * build step runs `cordon policy build`) and bundled; it is loaded once per
 * isolate here, at module scope, so requests only evaluate.
 *
 * This issue ([1/4]) ships the engine and the health route; the evaluate,
 * simulate, jobs and audit API of `api.md` is issue [2/4].
 */
export const engine = new Engine(bundle.snapshot as Snapshot, bundle.hash);

const app = new Hono<{ Bindings: Env }>();

app.get("/healthz", (c) => c.json({ ok: true, snapshot_hash: engine.hash }));

app.notFound((c) => c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));

app.onError((err, c) => {
  console.error("unhandled error", err);
  return c.json({ error: { code: "internal", message: "internal error" } }, 500);
});

export default app;
