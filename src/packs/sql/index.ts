import type { Derived } from "../../engine/types";
import { derived, isProduction, TAGS } from "../common";
import type { Pack, PackContext } from "../index";
import { classifyStatement, NEUTRAL_CAPABILITIES, type StatementFacts, stronger } from "./classify";
import { type Dialect, lex } from "./lexer";

/**
 * The SQL pack: `{kind: "sql", statement | query | sql, dialect?, database?}`.
 *
 * Every statement in the text is classified on its own and the results are
 * unioned. When the dialect is not given, the text is read both as
 * PostgreSQL and as MySQL wherever the two readings can differ (comments,
 * quotes, `$$` strings), so a statement hidden from one reading still counts.
 */

/** Longer statements are still classified, but only this much of them, and marked unclassified. */
const MAX_SQL = 256 * 1024;
/** At most this many tables in the `tables` label, so a huge batch cannot make a huge label. */
const MAX_TABLES = 20;

const DIALECTS: readonly Dialect[] = ["postgresql", "mysql"];
/** Characters where PostgreSQL and MySQL tokenize differently. */
const DIALECT_SENSITIVE = /[#$\\"`]|--[^\s]|\/\*!/;

function textOf(action: Record<string, unknown>): string | undefined {
  for (const key of ["statement", "query", "sql"]) {
    const v = action[key];
    if (typeof v === "string") return v;
  }
  return undefined;
}

function dialectOf(v: unknown): Dialect | undefined {
  if (typeof v !== "string") return undefined;
  const d = v.toLowerCase();
  if (d === "postgresql" || d === "postgres" || d === "pg") return "postgresql";
  if (d === "mysql" || d === "mariadb") return "mysql";
  return undefined;
}

interface Reading {
  statements: StatementFacts[];
  findings: string[];
  unclassified: boolean;
}

function read(sql: string, dialect: Dialect): Reading {
  const lexed = lex(sql, dialect);
  const findings: string[] = [];
  if (lexed.unterminated) findings.push("a string, identifier or comment is never closed");
  if (lexed.executableComment) findings.push("MySQL runs the code inside /*! ... */ comments; it was read as code");
  return { statements: lexed.statements.map((s) => classifyStatement(s.tokens)), findings, unclassified: lexed.unterminated };
}

/** Classify an SQL string. Exported for the CLI and benchmarks. */
export function classifySql(text: string, ctx: PackContext, opts: { dialect?: Dialect; database?: string } = {}): Derived {
  const tags = new Set<string>();
  const findings: string[] = [];
  let sql = text;
  if (sql.length > MAX_SQL) {
    sql = sql.slice(0, MAX_SQL);
    tags.add(TAGS.unclassified);
    findings.push(`SQL longer than ${MAX_SQL} characters: only the start was classified`);
  }
  const dialects = opts.dialect ? [opts.dialect] : DIALECT_SENSITIVE.test(sql) ? DIALECTS : DIALECTS.slice(0, 1);
  const readings = dialects.map((d) => read(sql, d));
  // Labels and the capability come from the first reading (the stated dialect, else PostgreSQL);
  // tags and findings are the union, so a divergent reading can only add risk.
  const primary = readings[0] as Reading;

  const tables: string[] = [];
  const databases: string[] = [];
  for (const r of readings) {
    if (r.unclassified) tags.add(TAGS.unclassified);
    findings.push(...r.findings);
    r.statements.forEach((s, i) => {
      for (const t of s.tags) tags.add(t);
      if (s.unknown) {
        tags.add(TAGS.unclassified);
        findings.push(`statement ${i + 1}: not a statement Cordon recognises`);
      }
      const prefix = r.statements.length > 1 ? `statement ${i + 1}: ` : "";
      for (const f of s.findings) findings.push(prefix + f);
      for (const t of s.tables) if (!tables.includes(t)) tables.push(t);
      for (const d of s.databases) if (!databases.includes(d)) databases.push(d);
    });
  }
  if (primary.statements.length === 0) {
    tags.add(TAGS.unclassified);
    findings.push("no SQL statement found");
  }

  const database = opts.database ?? databases[0];
  for (const db of opts.database !== undefined ? [opts.database, ...databases] : databases) {
    if (isProduction(db, ctx)) {
      tags.add(TAGS.production);
      findings.push(`database ${db} is in the production environment`);
      break;
    }
  }
  // A plain read stays a read only when nothing in the batch writes.
  if (tags.has(TAGS.write)) tags.delete(TAGS.read);

  const labels: Record<string, string> = { statements: String(primary.statements.length) };
  if (database !== undefined && database !== "") labels.database = database;
  if (tables.length > 0) labels.tables = tables.slice(0, MAX_TABLES).join(",");
  // Readings that disagree mean the text hides something from one of them:
  // the capability covers every statement either reading saw.
  let capability = capabilityOf(primary.statements);
  for (const r of readings.slice(1)) {
    if (capabilityOf(r.statements) === capability && r.statements.length === primary.statements.length) continue;
    capability = capabilityOf(readings.flatMap((x) => x.statements));
    tags.add(TAGS.unclassified);
    findings.push("PostgreSQL and MySQL read this text as different statements; say which dialect it is");
    break;
  }
  return derived(capability, tags, labels, findings);
}

/**
 * One capability for the batch: the statement's own when there is one (or
 * all agree, ignoring BEGIN/COMMIT/USE/SET), `db.migration.apply` for a
 * batch that changes the schema, else `db.multi`.
 */
function capabilityOf(statements: readonly StatementFacts[]): string {
  if (statements.length === 0) return "db.unknown";
  if (statements.length === 1) return (statements[0] as StatementFacts).capability;
  const caps = new Set(statements.map((s) => s.capability).filter((c) => !NEUTRAL_CAPABILITIES.has(c)));
  if (caps.size === 0) return statements.map((s) => s.capability).reduce(stronger);
  if (caps.size === 1) return [...caps][0] as string;
  if (caps.has("db.unknown")) return "db.unknown";
  if ([...caps].some((c) => c.startsWith("db.schema.") || c.startsWith("db.privilege."))) return "db.migration.apply";
  return "db.multi";
}

/** Classifies SQL statements: reads, writes, destructive DML/DDL, schema and privilege changes, production databases. */
export const sqlPack: Pack = {
  name: "sql",
  summary:
    "SQL statements (PostgreSQL, MySQL): reads, writes, DELETE/UPDATE without WHERE, DROP, TRUNCATE, DDL, GRANT, production databases",
  classify(action: Record<string, unknown>, ctx: PackContext): Derived | null {
    if (action.kind !== "sql") return null;
    const text = textOf(action);
    if (text === undefined) return derived("db.unknown", [TAGS.unclassified], {}, ["sql action without a statement, query or sql string"]);
    const dialect = dialectOf(action.dialect);
    const database = typeof action.database === "string" && action.database !== "" ? action.database : undefined;
    return classifySql(text, ctx, { ...(dialect ? { dialect } : {}), ...(database !== undefined ? { database } : {}) });
  },
  overlay: `rules:
  - id: sql-destructive-production
    match:
      capability: ["db.**"]
      risk_tags: [destructive, production]
    decision: DENY
    reason: Destructive SQL against a production database is blocked
  - id: sql-privilege-approval
    match:
      capability: ["db.**"]
      risk_tags: [privilege]
    decision: REQUIRE_APPROVAL
    reason: SQL that changes accounts or privileges needs a second pair of eyes
    approval:
      approvers: [group:security]
      quorum: 1
      ttl: 30m
`,
};
