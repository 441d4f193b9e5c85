import { html } from "hono/html";
import { z } from "zod";
import {
  approvalList,
  approvalView,
  auditPage,
  auditQuery,
  errorResponse,
  evaluateRequest,
  evaluateResponse,
  healthResponse,
  jobResponse,
  linksRequest,
  linksResponse,
  policyResponse,
  simulateRequest,
  simulateResponse,
  verifyResponse,
  voteRequest,
} from "../api/schemas";

type Json = Record<string, unknown>;

const schema = (s: z.ZodType, io: "input" | "output"): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, target: "openapi-3.0", unrepresentable: "any" }) as Json;
  return rest;
};

const errors = (...codes: number[]): Json =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      { description: ERROR_TEXT[code], content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
    ]),
  );

const ERROR_TEXT: Record<number, string> = {
  400: "invalid_request: malformed JSON, wrong types, unknown fields",
  401: "unauthorized: missing or invalid API key",
  403: "forbidden: the key's role cannot do this",
  404: "not_found: no such object in this tenant",
  413: "payload_too_large: body over 64 KiB",
  409: "conflict: the approval is already resolved, or this approver already voted, or the link was used",
  503: "unavailable: the audit store could not record the decision",
};

const ok = (s: z.ZodType, description: string): Json => ({
  "200": { description, content: { "application/json": { schema: schema(s, "output") } } },
});
const body = (s: z.ZodType): Json => ({ required: true, content: { "application/json": { schema: schema(s, "input") } } });
const secured = [{ apiKey: [] }];

interface Route {
  method: "get" | "post";
  path: string;
  summary: string;
  role: string;
  op: Json;
}

const ROUTES: Route[] = [
  {
    method: "post",
    path: "/v1/evaluate",
    summary: "Decide a job before it runs; answered only once its audit record is durable",
    role: "agent, admin",
    op: { requestBody: body(evaluateRequest), responses: { ...ok(evaluateResponse, "The decision"), ...errors(400, 401, 403, 413, 503) } },
  },
  {
    method: "post",
    path: "/v1/policy/simulate",
    summary: "Simulate and explain a decision, under the deployed policy or a candidate one; records nothing",
    role: "admin",
    op: {
      requestBody: body(simulateRequest),
      responses: { ...ok(simulateResponse, "The decision with its explain trace"), ...errors(400, 401, 403, 413) },
    },
  },
  {
    method: "get",
    path: "/v1/policy",
    summary: "The deployed snapshot: hash, build time, global rules and this tenant's rules",
    role: "admin",
    op: { responses: { ...ok(policyResponse, "The deployed policy"), ...errors(401, 403) } },
  },
  {
    method: "get",
    path: "/v1/jobs/{job_id}",
    summary: "A job, its decision and its timeline",
    role: "agent, approver, admin",
    op: {
      parameters: [
        { name: "job_id", in: "path", required: true, schema: { type: "string" } },
        { name: "wait", in: "query", required: false, schema: { type: "integer", minimum: 0, maximum: 60 } },
      ],
      responses: { ...ok(jobResponse, "The job"), ...errors(400, 401, 403, 404) },
    },
  },
  {
    method: "get",
    path: "/v1/approvals",
    summary: "The tenant's approvals, newest first (filter by status)",
    role: "approver, admin",
    op: {
      parameters: [
        { name: "status", in: "query", required: false, schema: { type: "string", enum: ["pending", "approved", "rejected", "expired"] } },
        { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100 } },
      ],
      responses: { ...ok(approvalList, "Approvals"), ...errors(400, 401, 403) },
    },
  },
  {
    method: "get",
    path: "/v1/approvals/{id}",
    summary: "One approval: the job, approvers, quorum, votes, status and outcome",
    role: "approver, admin",
    op: {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      responses: { ...ok(approvalView, "The approval"), ...errors(401, 403, 404) },
    },
  },
  {
    method: "post",
    path: "/v1/approvals/{id}/votes",
    summary: "Vote as a listed approver; any rejection vetoes, quorum distinct approvals approve; 409 once resolved",
    role: "approver, admin",
    op: {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      requestBody: body(voteRequest),
      responses: { ...ok(approvalView, "The approval after the vote"), ...errors(400, 401, 403, 404, 409, 503) },
    },
  },
  {
    method: "post",
    path: "/v1/approvals/{id}/links",
    summary: "Signed links for one approver (approve and reject): each works once and expires with the approval",
    role: "admin",
    op: {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      requestBody: body(linksRequest),
      responses: { ...ok(linksResponse, "The two links"), ...errors(400, 401, 403, 404, 409, 503) },
    },
  },
  {
    method: "get",
    path: "/v1/audit",
    summary: "Audit records, newest first; with Accept: application/x-ndjson, all of them as a stream",
    role: "admin",
    op: {
      parameters: Object.entries((schema(auditQuery, "input").properties ?? {}) as Record<string, Json>).map(([name, s]) => ({
        name,
        in: "query",
        required: false,
        schema: s,
      })),
      responses: {
        "200": {
          description: "A page of records, or NDJSON",
          content: { "application/json": { schema: schema(auditPage, "output") }, "application/x-ndjson": { schema: { type: "string" } } },
        },
        ...errors(400, 401, 403),
      },
    },
  },
  {
    method: "get",
    path: "/v1/audit/verify",
    summary: "Verify this tenant's audit hash chain; names the first broken seq",
    role: "admin",
    op: { responses: { ...ok(verifyResponse, "The verification result"), ...errors(401, 403) } },
  },
  {
    method: "get",
    path: "/healthz",
    summary: "Liveness and the deployed snapshot hash (no key needed)",
    role: "none",
    op: { responses: ok(healthResponse, "Healthy") },
  },
];

/** The OpenAPI 3 document, generated from the same zod schemas the routes validate with. */
export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const r of ROUTES) {
    paths[r.path] = {
      ...(paths[r.path] ?? {}),
      [r.method]: { summary: r.summary, description: `Role: ${r.role}`, ...(r.role === "none" ? {} : { security: secured }), ...r.op },
    };
  }
  return {
    openapi: "3.0.3",
    info: { title: "Cordon API", version: "1", description: "Policy decisions for AI agent actions. See api.md." },
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "cdn_<id>_<secret>; the tenant comes from the key" } },
      schemas: { Error: schema(errorResponse, "output") },
    },
    paths,
  };
}

/** A readable API reference, rendered on the server from the OpenAPI document. */
export function docsPage() {
  const doc = openApiDocument();
  const rows = ROUTES.map(
    (r) => html`<section>
      <h2><code>${r.method.toUpperCase()} ${r.path}</code></h2>
      <p>${r.summary}. <em>Role: ${r.role}.</em></p>
      <details><summary>Schema</summary><pre>${JSON.stringify(r.op, null, 2)}</pre></details>
    </section>`,
  );
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Cordon API reference</title>
        <style>
          body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
          code, pre { font: 13px ui-monospace, monospace; } pre { background: #f5f5f5; padding: 1rem; overflow: auto; }
        </style>
      </head>
      <body>
        <h1>Cordon API reference</h1>
        <p>${String(doc.info && (doc.info as Json).description)} Machine-readable: <a href="/openapi.json">/openapi.json</a>.
        Authenticate with <code>Authorization: Bearer &lt;api key&gt;</code>. Errors are
        <code>{"error": {"code", "message", "details"}}</code>.</p>
        ${rows}
      </body>
    </html>`;
}
