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
 * A waiter's first timer is set for when the call ahead of it should be back
 * (from the recent duration of ledger calls), so most waiters wake once or
 * twice instead of every millisecond: polling was a tenth of the Worker's CPU
 * under load.
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
  /** When the call in flight went out (Date.now()). */
  sentAt: number;
}

const MAX_BATCH = 128;
/** How long a request waits for the batch ahead of it before it gives up (503). */
const WAIT_MS = 10_000;
const POLL_MS = 1;
const tenants = new Map<string, TenantState>();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A smoothed duration of this isolate's recent ledger calls, in ms. */
let callMs = 2;

/** Milliseconds until the call in flight for `s` should be back. */
function remaining(s: TenantState): number {
  return s.inFlight ? Math.max(0, s.sentAt + callMs - Date.now()) : 0;
}

async function until(condition: () => boolean, expectedMs: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  if (!condition()) await sleep(Math.max(POLL_MS, Math.min(expectedMs, WAIT_MS)));
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
    state = { open: null, inFlight: null, sentAt: 0 };
    tenants.set(tenant, state);
  }
  const s = state;
  if (s.open && s.open.jobs.length < MAX_BATCH) {
    const batch = s.open;
    const i = batch.jobs.push(job) - 1;
    // The call ahead, then this batch's own call.
    await until(() => batch.done, remaining(s) + callMs);
    return answerOf(batch, i);
  }
  const batch: Batch = { jobs: [job], answers: null, error: undefined, done: false };
  if (s.inFlight) {
    s.open = batch;
    await until(() => s.inFlight === null, remaining(s));
    if (s.open === batch) s.open = null;
  }
  s.inFlight = batch;
  s.sentAt = Date.now();
  try {
    batch.answers = await stub().evaluateMany(tenant, batch.jobs);
  } catch (e) {
    batch.error = e;
  } finally {
    callMs = 0.8 * callMs + 0.2 * (Date.now() - s.sentAt);
    batch.done = true;
    s.inFlight = null;
    if (!s.open) tenants.delete(tenant);
  }
  return answerOf(batch, 0);
}
