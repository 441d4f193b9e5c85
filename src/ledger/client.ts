import { ApiError } from "../api/errors";
import type { TenantLedger } from "./tenant-ledger";

/** The tenant's ledger (one Durable Object per tenant). */
export function ledgerStub(env: Env, tenant: string): DurableObjectStub<TenantLedger> {
  return env.LEDGER.get(env.LEDGER.idFromName(tenant));
}

/** Before reading the trail or jobs from D1: have the tenant's ledger copy every record it sealed. */
export async function flushLedger(env: Env, tenant: string): Promise<void> {
  try {
    await ledgerStub(env, tenant).flush();
  } catch (e) {
    console.error("ledger flush failed", e);
    throw new ApiError("unavailable", "the audit store is unavailable; try again");
  }
}
