import { Hono } from "hono";
import { ApiError } from "../api/errors";
import { approvalQuery, linksRequest, voteRequest } from "../api/schemas";
import { flushLedger } from "../ledger/client";
import { newNonce, signVoteToken } from "../links/token";
import { type AppEnv, readJson, requireRole, validate } from "../worker/http";
import type { ApprovalRpc, VoteInput, VoteOutcome } from "./approval-object";
import type { ApprovalView } from "./types";

export const APPROVAL_ID = /^apr_[0-9a-f]{24}$/;

/**
 * The approval's Durable Object (one per approval id). Typed by its class's
 * own methods: the generated RPC types cannot express the job's free-form JSON.
 */
export function approvalStub(env: Env, id: string): ApprovalRpc {
  return env.APPROVALS.get(env.APPROVALS.idFromName(id)) as unknown as ApprovalRpc;
}

/** Read an approval of this tenant, or 404. */
export async function approvalOf(env: Env, tenant: string, id: string): Promise<ApprovalView> {
  if (!APPROVAL_ID.test(id)) throw new ApiError("not_found", `no approval ${id.slice(0, 64)}`);
  const view = await approvalStub(env, id).view(tenant);
  if (!view) throw new ApiError("not_found", `no approval ${id}`);
  return view;
}

/** Cast a vote through the approval's object; its refusals become the API's errors. */
export async function castVote(env: Env, id: string, input: VoteInput): Promise<ApprovalView> {
  if (!APPROVAL_ID.test(id)) throw new ApiError("not_found", `no approval ${id.slice(0, 64)}`);
  let r: VoteOutcome;
  try {
    r = await approvalStub(env, id).vote(input);
  } catch (e) {
    console.error("vote failed", e);
    throw new ApiError("unavailable", "the approval could not take the vote; try again");
  }
  if (r.ok) return r.approval;
  throw new ApiError(r.code, r.message);
}

/** The signing secret for links, or 503 when it is missing or too short (misconfiguration: fail closed). */
export function linkSecret(env: Env): string {
  const s = env.LINK_SIGNING_SECRET;
  if (!s || new TextEncoder().encode(s).byteLength < 32)
    throw new ApiError("unavailable", "approval links are not configured (LINK_SIGNING_SECRET must be at least 32 bytes)");
  return s;
}

/** `/v1/approvals`: mounted under the authenticated API. */
export const approvalsApi = new Hono<AppEnv>();

approvalsApi.get("/", async (c) => {
  const p = requireRole(c, "approver", "admin");
  const q = validate(approvalQuery, c.req.query());
  const limit = q.limit ?? 50;
  // D1 lists the tenant's jobs that asked for approval; each approval's own object says where it stands.
  await flushLedger(c.env, p.tenant);
  const states =
    q.status === undefined
      ? null
      : {
          pending: ["pending_approval"],
          approved: ["approved", "denied"],
          rejected: ["rejected"],
          expired: ["expired", "pending_approval"],
        }[q.status];
  const where = states ? `AND state IN (${states.map(() => "?").join(",")})` : "";
  const rows = await c.env.DB.prepare(
    `SELECT json_extract(response, '$.approval.id') AS id FROM jobs
      WHERE tenant = ? AND decision = 'REQUIRE_APPROVAL' ${where} ORDER BY created_at DESC LIMIT ?`,
  )
    .bind(p.tenant, ...(states ?? []), limit * 2)
    .all<{ id: string | null }>();
  const views = await Promise.all(rows.results.flatMap((r) => (r.id ? [approvalStub(c.env, r.id).view(p.tenant)] : [])));
  const approvals = views.filter((v): v is ApprovalView => v !== null && (q.status === undefined || v.status === q.status)).slice(0, limit);
  return c.json({ approvals });
});

approvalsApi.get("/:id", async (c) => {
  const p = requireRole(c, "approver", "admin");
  return c.json(await approvalOf(c.env, p.tenant, c.req.param("id")));
});

approvalsApi.post("/:id/votes", async (c) => {
  const p = requireRole(c, "approver", "admin");
  const body = await readJson(c, voteRequest);
  const approval = await castVote(c.env, c.req.param("id"), {
    tenant: p.tenant,
    approver: body.approver,
    vote: body.vote,
    note: body.note ?? null,
    via: "api",
  });
  return c.json(approval);
});

/** Signed links for one approver: one to approve, one to reject. Each works once and expires with the approval. */
approvalsApi.post("/:id/links", async (c) => {
  const p = requireRole(c, "admin");
  const body = await readJson(c, linksRequest);
  const approval = await approvalOf(c.env, p.tenant, c.req.param("id"));
  if (approval.status !== "pending") throw new ApiError("conflict", `this approval is already ${approval.status}`);
  if (!approval.approvers.includes(body.approver))
    throw new ApiError("invalid_request", `${body.approver} is not an approver of this job (approvers: ${approval.approvers.join(", ")})`);
  const secret = linkSecret(c.env);
  const base = c.env.PUBLIC_URL.replace(/\/+$/, "");
  const link = async (vote: "approve" | "reject") =>
    `${base}/approve/${await signVoteToken(
      {
        approval_id: approval.id,
        tenant: p.tenant,
        approver: body.approver,
        vote,
        expires_at: Date.parse(approval.expires_at),
        nonce: newNonce(),
      },
      secret,
    )}`;
  return c.json({ approver: body.approver, expires_at: approval.expires_at, approve: await link("approve"), reject: await link("reject") });
});
