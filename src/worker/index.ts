/**
 * The edge service: Hono routes (app.ts) over the engine, with one
 * TenantLedger Durable Object per tenant ordering the audit chain in D1.
 */
import { app } from "./app";

export { TenantLedger } from "../ledger/tenant-ledger";
export default app;
