import type { JobInput } from "../engine/job-schema";
import type { LedgerAnswer, TenantLedger } from "../ledger/tenant-ledger";

/**
 * Coalesce this isolate's concurrent evaluations per tenant into one ledger
 * call: at most one call per tenant is in flight from an isolate, and requests
 * that arrive meanwhile ride together in the next one. A quiet tenant pays
 * nothing (its call goes out at once); a busy one pays one Durable Object
 * round trip and one D1 commit per batch instead of per request.
 *
 * Workers tie I/O and promise continuations to the request that started
 * them, so no request here waits on a promise another request settles: each
 * call is made by the request that opened its batch, and the others watch
 * plain shared state on short timers of their own until their answer is in.
 */
interface Batch {
  jobs: JobInput[];
  answers: LedgerAnswer[] | null;
  error: unknown;
  done: boolean;
}

interface TenantState {
  open: Batch | null;
  inFlight: Batch | null;
}

const MAX_BATCH = 128;
/** How long a request waits for the batch ahead of it before it gives up (503). */
const WAIT_MS = 10_000;
const POLL_MS = 1;
const tenants = new Map<string, TenantState>();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${WAIT_MS} ms`);
    await sleep(POLL_MS);
  }
}

function answerOf(batch: Batch, i: number): LedgerAnswer {
  const a = batch.answers?.[i];
  if (!a) throw batch.error ?? new Error("the ledger returned no answer for this job");
  return a;
}

export async function evaluateCoalesced(stub: () => DurableObjectStub<TenantLedger>, tenant: string, job: JobInput): Promise<LedgerAnswer> {
  let state = tenants.get(tenant);
  if (!state) {
    state = { open: null, inFlight: null };
    tenants.set(tenant, state);
  }
  const s = state;
  if (s.open && s.open.jobs.length < MAX_BATCH) {
    const batch = s.open;
    const i = batch.jobs.push(job) - 1;
    await until(() => batch.done);
    return answerOf(batch, i);
  }
  const batch: Batch = { jobs: [job], answers: null, error: undefined, done: false };
  if (s.inFlight) {
    s.open = batch;
    await until(() => s.inFlight === null);
    if (s.open === batch) s.open = null;
  }
  s.inFlight = batch;
  try {
    batch.answers = await stub().evaluateMany(tenant, batch.jobs);
  } catch (e) {
    batch.error = e;
  } finally {
    batch.done = true;
    s.inFlight = null;
    if (!s.open) tenants.delete(tenant);
  }
  return answerOf(batch, 0);
}
