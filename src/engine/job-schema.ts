import { z } from "zod";

/**
 * The job an agent sends (`api.md`, POST /v1/evaluate). Strict: unknown fields
 * are an error, so a typo such as `risk_tag` is reported instead of ignored.
 */
export const jobSchema = z
  .strictObject({
    id: z.string().min(1).max(200).optional().describe("Client idempotency key"),
    topic: z.string().min(1).max(256).optional(),
    capability: z.string().min(1).max(256).optional(),
    risk_tags: z.array(z.string().min(1).max(64)).max(64).optional(),
    labels: z
      .record(
        z
          .string()
          .regex(
            /^[A-Za-z0-9][A-Za-z0-9_./-]{0,63}$/,
            "a label key starts with a letter or digit and uses letters, digits, '_', '.', '/' and '-'",
          ),
        z.string().max(256),
      )
      .optional(),
    actor: z
      .strictObject({
        id: z.string().min(1).max(256),
        type: z.string().max(64).optional(),
        on_behalf_of: z.string().max(256).optional(),
      })
      .optional(),
    action: z
      .looseObject({ kind: z.string().min(1).max(64) })
      .optional()
      .describe("The raw action; packs classify it"),
    input: z.json().optional().describe("Any JSON the tool call carries"),
    callback_url: z
      .url({ protocol: /^https?$/, error: "callback_url must be an http(s) URL" })
      .max(2048)
      .optional()
      .describe("Gets a signed POST when the job's approval resolves"),
  })
  .refine((j) => j.topic !== undefined || j.capability !== undefined || j.action !== undefined, {
    message: "a job needs at least one of topic, capability or action",
  });

export type JobInput = z.infer<typeof jobSchema>;
