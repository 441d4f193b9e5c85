/**
 * The edge service: Hono routes (app.ts) over the engine, with one
 * TenantLedger Durable Object per tenant ordering the audit chain in D1, one
 * Approval Durable Object per approval, and the notification queues.
 */
import type { Notification } from "../approvals/approval-object";
import { consumeDeadLetters, consumeNotifications } from "../notify/consumer";
import { app } from "./app";

export { Approval } from "../approvals/approval-object";
export { TenantLedger } from "../ledger/tenant-ledger";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<Notification>, env: Env): Promise<void> {
    if (batch.queue === "cordon-notify-dlq") return consumeDeadLetters(batch, env);
    return consumeNotifications(batch, env);
  },
} satisfies ExportedHandler<Env, Notification>;
