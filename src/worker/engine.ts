import { Engine } from "../engine/evaluator";
import type { Snapshot } from "../engine/types";
import bundle from "../generated/policy-snapshot.json";

/**
 * The deployed snapshot, compiled at build time (`cordon policy build`, run by
 * wrangler's [build] step) and loaded once per isolate. The Worker and the
 * ledger Durable Object share it.
 */
export const engine = new Engine(bundle.snapshot as Snapshot, bundle.hash);
export const builtAt: string = bundle.built_at;
