import { TAGS } from "../common";
import type { Token } from "./lexer";

/**
 * Classify one SQL statement from its tokens. The statement's leading keyword
 * decides its kind; the rest of the tokens are searched for what turns an
 * innocent-looking statement into a dangerous one (a data-modifying CTE,
 * EXPLAIN ANALYZE, SELECT INTO, functions with side effects, a WHERE that is
 * always true). Working on tokens keeps this in the microseconds, and it
 * reads statements a grammar-based parser rejects (node-sql-parser fails on
 * `DROP DATABASE`, `ALTER ROLE`, `MERGE` and more); the tests compare its
 * read-versus-change answer with that parser's wherever the parser succeeds.
 */

export interface StatementFacts {
  capability: string;
  tags: Set<string>;
  findings: string[];
  /** Table names as written (unquoted words lower-cased), qualified ones kept whole. */
  tables: string[];
  /** Databases named: `USE db`, `DROP DATABASE db`, the qualifier of `db.table`. */
  databases: string[];
  /** The leading keyword was not recognised: the statement is unclassified. */
  unknown: boolean;
}

/** How serious each capability is, so a statement with a nested DELETE reads as a delete. */
const RANK: Record<string, number> = {
  "db.transaction": 0,
  "db.session.use": 0,
  "db.session.set": 0,
  "db.query.select": 1,
  "db.maintenance": 2,
  "db.query.insert": 3,
  "db.query.update": 4,
  "db.query.merge": 4,
  "db.query.delete": 5,
  "db.procedure.call": 6,
  "db.schema.create": 7,
  "db.schema.alter": 8,
  "db.schema.truncate": 9,
  "db.schema.drop": 10,
  "db.privilege.revoke": 11,
  "db.privilege.grant": 11,
  "db.unknown": 12,
};

/** The more serious of two capabilities. */
export function stronger(a: string, b: string): string {
  return (RANK[b] ?? 12) > (RANK[a] ?? 12) ? b : a;
}

/** Capabilities that do not change what a batch of statements is (a migration wrapped in BEGIN/COMMIT is still a migration). */
export const NEUTRAL_CAPABILITIES: ReadonlySet<string> = new Set(["db.transaction", "db.session.use", "db.session.set"]);

const DML_LEADS = new Set(["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE", "REPLACE", "WITH"]);
/** Clause keywords that end a WHERE clause of UPDATE/DELETE. */
const WHERE_END = new Set(["ORDER", "LIMIT", "RETURNING", "GROUP", "HAVING", "WINDOW", "OFFSET", "FETCH", "OPTION"]);
/** Words never read as a table name after FROM/INTO/JOIN. */
const NOT_A_NAME = new Set([
  "SELECT",
  "WHERE",
  "SET",
  "VALUES",
  "LATERAL",
  "ONLY",
  "TABLE",
  "IF",
  "EXISTS",
  "NOT",
  "DUAL",
  "UNNEST",
  "ON",
  "USING",
  "WITH",
  "DEFAULT",
  "OUTFILE",
  "DUMPFILE",
  "STDIN",
  "STDOUT",
  "PROGRAM",
]);

interface SideEffect {
  finding: string;
  tags: string[];
  unclassified?: boolean;
}
const KILL: SideEffect = { finding: "ends other database sessions", tags: [TAGS.write] };
const SERVER_FILE_READ: SideEffect = { finding: "reads files on the database server", tags: [TAGS.read], unclassified: true };
const SERVER_FILE_WRITE: SideEffect = {
  finding: "writes or removes large objects or files on the database server",
  tags: [TAGS.write],
  unclassified: true,
};
const DYNAMIC_SQL: SideEffect = {
  finding: "runs SQL given as a string, which Cordon cannot see into",
  tags: [TAGS.write],
  unclassified: true,
};
const SERVER_STATE: SideEffect = { finding: "changes database server settings or state", tags: [TAGS.write, TAGS.privilege] };
const SEQUENCE: SideEffect = { finding: "advances or resets a sequence", tags: [TAGS.write] };
const OS_COMMAND: SideEffect = {
  finding: "runs an operating-system command on the database server",
  tags: [TAGS.privilege, TAGS.write],
  unclassified: true,
};

/** Functions whose call makes a SELECT do more than read. */
const SIDE_EFFECT_FUNCTIONS: ReadonlyMap<string, SideEffect> = new Map([
  ["PG_TERMINATE_BACKEND", KILL],
  ["PG_CANCEL_BACKEND", KILL],
  ["PG_READ_FILE", SERVER_FILE_READ],
  ["PG_READ_BINARY_FILE", SERVER_FILE_READ],
  ["PG_LS_DIR", SERVER_FILE_READ],
  ["PG_STAT_FILE", SERVER_FILE_READ],
  ["LO_IMPORT", SERVER_FILE_READ],
  ["LOAD_FILE", SERVER_FILE_READ],
  ["LO_EXPORT", SERVER_FILE_WRITE],
  ["LO_UNLINK", SERVER_FILE_WRITE],
  ["LO_PUT", SERVER_FILE_WRITE],
  ["LO_FROM_BYTEA", SERVER_FILE_WRITE],
  ["DBLINK", DYNAMIC_SQL],
  ["DBLINK_EXEC", DYNAMIC_SQL],
  ["DBLINK_SEND_QUERY", DYNAMIC_SQL],
  ["QUERY_TO_XML", DYNAMIC_SQL],
  ["QUERY_TO_XML_AND_XMLSCHEMA", DYNAMIC_SQL],
  ["QUERY_TO_XMLSCHEMA", DYNAMIC_SQL],
  ["SET_CONFIG", SERVER_STATE],
  ["PG_RELOAD_CONF", SERVER_STATE],
  ["PG_ROTATE_LOGFILE", SERVER_STATE],
  ["PG_SWITCH_WAL", SERVER_STATE],
  ["PG_PROMOTE", SERVER_STATE],
  ["PG_DROP_REPLICATION_SLOT", SERVER_STATE],
  ["PG_CREATE_RESTORE_POINT", SERVER_STATE],
  ["NEXTVAL", SEQUENCE],
  ["SETVAL", SEQUENCE],
  ["SYS_EXEC", OS_COMMAND],
  ["SYS_EVAL", OS_COMMAND],
  ["XP_CMDSHELL", OS_COMMAND],
]);

const isWord = (t: Token | undefined, ...words: string[]): boolean => t !== undefined && t.type === "word" && words.includes(t.value);
const isPunct = (t: Token | undefined, ch: string): boolean => t !== undefined && t.type === "punct" && t.value === ch;

/** Index of the `)` closing the `(` at `open`, or `end` when it is not closed. */
function closing(toks: readonly Token[], open: number, end: number): number {
  const d = (toks[open] as Token).depth;
  for (let i = open + 1; i < end; i++) {
    const t = toks[i] as Token;
    if (t.depth === d && isPunct(t, ")")) return i;
  }
  return end;
}

/** Read a possibly qualified name (`db.schema.table`) at `i`. */
function readName(toks: readonly Token[], i: number, end: number): { parts: string[]; next: number } | null {
  const parts: string[] = [];
  let j = i;
  while (j < end) {
    const t = toks[j] as Token;
    if (t.type === "word") {
      if (parts.length === 0 && NOT_A_NAME.has(t.value)) return null;
      parts.push(t.value.toLowerCase());
    } else if (t.type === "ident") parts.push(t.value);
    else break;
    j++;
    if (isPunct(toks[j], ".") && j + 1 < end) j++;
    else break;
  }
  if (parts.length === 0) return null;
  // `name(` is a function call (a table function), not a table.
  if (isPunct(toks[j], "(")) return null;
  return { parts, next: j };
}

class Collector {
  readonly facts: StatementFacts = { capability: "db.unknown", tags: new Set(), findings: [], tables: [], databases: [], unknown: false };

  tag(...tags: string[]): void {
    for (const t of tags) this.facts.tags.add(t);
  }
  find(finding: string): void {
    if (!this.facts.findings.includes(finding)) this.facts.findings.push(finding);
  }
  capability(cap: string): void {
    this.facts.capability = this.facts.capability === "db.unknown" && cap !== "db.unknown" ? cap : stronger(this.facts.capability, cap);
  }
  table(parts: string[]): void {
    const name = parts.join(".");
    if (!this.facts.tables.includes(name)) this.facts.tables.push(name);
    if (parts.length >= 2) this.database(parts[0] as string);
  }
  database(name: string): void {
    if (!this.facts.databases.includes(name)) this.facts.databases.push(name);
  }
  /** Read a comma-separated list of names starting at `i` (DROP TABLE a, b). */
  names(toks: readonly Token[], i: number, end: number, as: "table" | "database"): void {
    let j = i;
    while (j < end) {
      while (isWord(toks[j], "IF", "NOT", "EXISTS", "ONLY", "CONCURRENTLY", "TABLE")) j++;
      const name = readName(toks, j, end);
      if (!name) return;
      if (as === "table") this.table(name.parts);
      else this.database(name.parts.join("."));
      j = name.next;
      if (isPunct(toks[j], "*")) j++;
      if (!isPunct(toks[j], ",")) return;
      j++;
    }
  }
}

/** Split `toks` on top-level (relative depth 0) occurrences of the word `w`. */
function splitTop(toks: readonly Token[], w: string): Token[][] {
  if (toks.length === 0) return [[]];
  const base = Math.min(...toks.map((t) => t.depth));
  const out: Token[][] = [[]];
  for (const t of toks) {
    if (t.depth === base && t.type === "word" && t.value === w) out.push([]);
    else (out[out.length - 1] as Token[]).push(t);
  }
  return out;
}

function stripParens(toks: Token[]): Token[] {
  let t = toks;
  while (t.length >= 2 && isPunct(t[0], "(") && closing(t, 0, t.length) === t.length - 1) t = t.slice(1, -1);
  return t;
}

type Lit = { kind: "num"; v: number } | { kind: "str"; v: string } | { kind: "bool"; v: boolean };
function literal(t: Token | undefined): Lit | null {
  if (!t) return null;
  if (t.type === "number") {
    const v = Number(t.value);
    return Number.isFinite(v) ? { kind: "num", v } : null;
  }
  if (t.type === "string") return { kind: "str", v: t.value };
  if (isWord(t, "TRUE")) return { kind: "bool", v: true };
  if (isWord(t, "FALSE")) return { kind: "bool", v: false };
  return null;
}
const truthy = (l: Lit): boolean => (l.kind === "bool" ? l.v : l.kind === "num" ? l.v !== 0 : false);
const sameTokens = (a: readonly Token[], b: readonly Token[]): boolean =>
  a.length > 0 && a.length === b.length && a.every((t, i) => t.type === (b[i] as Token).type && t.value === (b[i] as Token).value);

/**
 * True when a WHERE clause matches every row: `1=1`, `true`, `'a' = 'a'`,
 * `id = id`, `x OR 1=1`. Only obvious forms; anything else is taken as a
 * real filter, which the `write` tag still covers.
 */
export function triviallyTrue(where: Token[], guard = 0): boolean {
  if (guard > 32) return false;
  const t = stripParens(where);
  const ors = splitTop(t, "OR");
  if (ors.length > 1) return ors.some((p) => triviallyTrue(p, guard + 1));
  const ands = splitTop(t, "AND");
  if (ands.length > 1) return ands.every((p) => triviallyTrue(p, guard + 1));
  if (t.length === 1) {
    const l = literal(t[0]);
    return l !== null && truthy(l);
  }
  if (t.length === 2 && isWord(t[0], "NOT")) {
    const l = literal(t[1]);
    return l !== null && !truthy(l);
  }
  if (t.length === 3 && isWord(t[1], "IS") && isWord(t[2], "TRUE")) return triviallyTrue([t[0] as Token], guard + 1);
  if (t.length === 4 && isWord(t[1], "IS") && isWord(t[2], "NOT") && isWord(t[3], "NULL")) return literal(t[0]) !== null;
  if (t.length >= 3 && isWord(t[t.length - 2], "LIKE")) {
    const pat = t[t.length - 1] as Token;
    return pat.type === "string" && /^%+$/.test(pat.value);
  }
  // `a <op> b`: the operator is a run of =, <, >, ! tokens.
  const base = Math.min(...t.map((x) => x.depth));
  const opStart = t.findIndex((x) => x.depth === base && x.type === "punct" && "=<>!".includes(x.value));
  if (opStart <= 0) return false;
  let opEnd = opStart;
  while (opEnd < t.length && (t[opEnd] as Token).type === "punct" && "=<>!".includes((t[opEnd] as Token).value)) opEnd++;
  const op = t
    .slice(opStart, opEnd)
    .map((x) => x.value)
    .join("");
  const left = t.slice(0, opStart);
  const right = t.slice(opEnd);
  if (sameTokens(left, right) && left.every((x) => x.type === "word" || x.type === "ident" || isPunct(x, ".")))
    return ["=", "==", "<=", ">=", "<=>"].includes(op);
  if (left.length !== 1 || right.length !== 1) return false;
  const a = literal(left[0]);
  const b = literal(right[0]);
  if (!a || !b) return false;
  const av = a.kind === "str" ? a.v : a.kind === "num" ? a.v : Number(a.v);
  const bv = b.kind === "str" ? b.v : b.kind === "num" ? b.v : Number(b.v);
  if (typeof av !== typeof bv) return false;
  switch (op) {
    case "=":
    case "==":
    case "<=>":
      return av === bv;
    case "<>":
    case "!=":
      return av !== bv;
    case "<":
      return av < bv;
    case ">":
      return av > bv;
    case "<=":
      return av <= bv;
    case ">=":
      return av >= bv;
    default:
      return false;
  }
}

/** Where the FROM/JOIN/INTO/USING table references in [start, end) are. */
function collectTables(c: Collector, toks: readonly Token[], start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const t = toks[i] as Token;
    if (t.type !== "word") continue;
    if (t.value === "FROM" || t.value === "JOIN" || t.value === "INTO" || (t.value === "USING" && !isPunct(toks[i + 1], "("))) {
      c.names(toks, i + 1, end, "table");
    }
  }
}

/** Check the WHERE of an UPDATE/DELETE in [start, end) and tag it destructive when it filters nothing. */
function checkWhere(c: Collector, toks: readonly Token[], start: number, end: number, verb: "UPDATE" | "DELETE"): void {
  const base = (toks[start] as Token).depth;
  let w = -1;
  for (let i = start; i < end; i++) {
    const t = toks[i] as Token;
    if (t.depth === base && isWord(t, "WHERE")) {
      w = i;
      break;
    }
  }
  if (w === -1) {
    c.tag(TAGS.destructive);
    c.find(`${verb} without WHERE affects every row`);
    return;
  }
  if (isWord(toks[w + 1], "CURRENT") && isWord(toks[w + 2], "OF")) return;
  let e = w + 1;
  while (e < end && !((toks[e] as Token).depth === base && (toks[e] as Token).type === "word" && WHERE_END.has((toks[e] as Token).value)))
    e++;
  if (triviallyTrue(toks.slice(w + 1, e) as Token[])) {
    c.tag(TAGS.destructive);
    c.find(`${verb} with a WHERE that is always true affects every row`);
  }
}

/** Find `(` DELETE|UPDATE|INSERT|MERGE … `)` anywhere (data-modifying CTEs and subqueries) and classify each. */
function nestedStatements(c: Collector, toks: readonly Token[], start: number, end: number, guard: number): void {
  for (let i = start + 1; i < end; i++) {
    if (isPunct(toks[i], "(") && isWord(toks[i + 1], "DELETE", "UPDATE", "INSERT", "MERGE")) {
      const close = closing(toks, i, end);
      classifyRange(c, toks, i + 1, close, guard + 1);
      c.find("a nested statement modifies data");
      i = close;
    }
  }
}

/** The kind of object after CREATE/DROP/ALTER, skipping modifiers. */
function objectKind(toks: readonly Token[], i: number, end: number): { kind: string; next: number } {
  let j = i;
  // Skip modifiers (OR REPLACE, TEMPORARY, UNIQUE, `DEFINER = user`...) up to the object keyword.
  while (j < end) {
    const t = toks[j] as Token;
    if (t.type === "word" && OBJECT_KINDS.has(t.value)) return { kind: t.value, next: j + 1 };
    if (t.type === "punct" && t.value === "(") break;
    j++;
    if (j - i > 12) break;
  }
  return { kind: "", next: i };
}
const OBJECT_KINDS = new Set([
  "TABLE",
  "DATABASE",
  "SCHEMA",
  "INDEX",
  "VIEW",
  "FUNCTION",
  "PROCEDURE",
  "TRIGGER",
  "SEQUENCE",
  "TYPE",
  "EXTENSION",
  "USER",
  "ROLE",
  "GROUP",
  "TABLESPACE",
  "OWNED",
  "DOMAIN",
  "POLICY",
  "RULE",
  "EVENT",
  "SERVER",
  "PUBLICATION",
  "SUBSCRIPTION",
  "COLUMN",
  "SYSTEM",
  "DEFAULT",
  "AGGREGATE",
  "COLLATION",
  "OPERATOR",
  "LANGUAGE",
  "CAST",
]);

/** The token at `i` of a statement that ends before `end`. */
const tokAt = (toks: readonly Token[], end: number, i: number): Token | undefined => (i < end ? toks[i] : undefined);

function classifyRange(c: Collector, toks: readonly Token[], start: number, end: number, guard: number): void {
  if (guard > 8) {
    c.facts.unknown = true;
    return;
  }
  let s = start;
  while (s < end && isPunct(toks[s], "(")) s++;
  const lead = toks[s];
  if (lead?.type !== "word") {
    c.capability("db.unknown");
    c.facts.unknown = true;
    return;
  }
  nestedStatements(c, toks, s, end, guard);
  const base = lead.depth;

  switch (lead.value) {
    case "SELECT":
    case "VALUES":
    case "TABLE": {
      c.capability("db.query.select");
      c.tag(TAGS.read);
      if (lead.value === "TABLE") c.names(toks, s + 1, end, "table");
      collectTables(c, toks, s, end);
      for (let i = s; i < end; i++) {
        const t = toks[i] as Token;
        if (t.depth !== base || !isWord(t, "INTO")) continue;
        const nx = tokAt(toks, end, i + 1);
        if (isWord(nx, "OUTFILE", "DUMPFILE")) {
          c.tag(TAGS.write);
          c.find("SELECT INTO OUTFILE writes a file on the database server");
        } else if (nx && nx.type !== "punct" && !isWord(nx, "STRICT")) {
          c.capability("db.schema.create");
          c.tag(TAGS.write, TAGS.schema_change);
          c.find("SELECT INTO creates a table");
        }
      }
      return;
    }
    case "WITH": {
      // The main statement is the first statement keyword back at the WITH's depth.
      for (let i = s + 1; i < end; i++) {
        const t = toks[i] as Token;
        if (t.depth === base && t.type === "word" && DML_LEADS.has(t.value) && t.value !== "WITH") {
          classifyRange(c, toks, i, end, guard + 1);
          return;
        }
      }
      c.facts.unknown = true;
      return;
    }
    case "INSERT":
    case "REPLACE":
    case "UPSERT": {
      c.capability("db.query.insert");
      c.tag(TAGS.write);
      let i = s + 1;
      while (isWord(tokAt(toks, end, i), "IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "INTO", "OVERWRITE", "TABLE")) i++;
      c.names(toks, i, end, "table");
      collectTables(c, toks, i, end);
      return;
    }
    case "UPDATE": {
      c.capability("db.query.update");
      c.tag(TAGS.write);
      let i = s + 1;
      while (isWord(tokAt(toks, end, i), "LOW_PRIORITY", "IGNORE", "ONLY")) i++;
      c.names(toks, i, end, "table");
      collectTables(c, toks, i, end);
      checkWhere(c, toks, s, end, "UPDATE");
      return;
    }
    case "DELETE": {
      c.capability("db.query.delete");
      c.tag(TAGS.write);
      let i = s + 1;
      while (isWord(tokAt(toks, end, i), "LOW_PRIORITY", "QUICK", "IGNORE")) i++;
      if (!isWord(tokAt(toks, end, i), "FROM")) c.names(toks, i, end, "table");
      collectTables(c, toks, i, end);
      checkWhere(c, toks, s, end, "DELETE");
      return;
    }
    case "MERGE": {
      c.capability("db.query.merge");
      c.tag(TAGS.write);
      collectTables(c, toks, s, end);
      for (let i = s; i < end; i++)
        if (isWord(toks[i], "THEN") && isWord(tokAt(toks, end, i + 1), "DELETE")) c.find("MERGE deletes matched rows");
      return;
    }
    case "TRUNCATE": {
      c.capability("db.schema.truncate");
      c.tag(TAGS.write, TAGS.destructive);
      c.find("TRUNCATE removes every row");
      c.names(toks, s + 1, end, "table");
      cascade(c, toks, s, end, base);
      return;
    }
    case "DROP": {
      const { kind, next } = objectKind(toks, s + 1, end);
      c.tag(TAGS.write, TAGS.destructive);
      if (kind === "USER" || kind === "ROLE" || kind === "GROUP" || kind === "OWNED") {
        c.capability("db.privilege.revoke");
        c.tag(TAGS.privilege);
        if (kind === "OWNED") c.find("DROP OWNED drops every object a role owns");
      } else {
        c.capability("db.schema.drop");
        c.tag(TAGS.schema_change);
      }
      c.find(`DROP ${kind || "statement"} destroys it and its data`);
      if (kind === "DATABASE" || kind === "SCHEMA") c.names(toks, next, end, "database");
      else if (kind === "TABLE" || kind === "VIEW") c.names(toks, next, end, "table");
      else if (kind === "INDEX") {
        for (let i = next; i < end; i++) if (isWord(toks[i], "ON")) c.names(toks, i + 1, end, "table");
      }
      cascade(c, toks, s, end, base);
      return;
    }
    case "CREATE": {
      const { kind, next } = objectKind(toks, s + 1, end);
      if (kind === "USER" || kind === "ROLE" || kind === "GROUP") {
        c.capability("db.privilege.grant");
        c.tag(TAGS.write, TAGS.privilege);
        c.find(`CREATE ${kind} adds a database account`);
        return;
      }
      c.capability("db.schema.create");
      c.tag(TAGS.write, TAGS.schema_change);
      if (kind === "DATABASE" || kind === "SCHEMA") c.names(toks, next, end, "database");
      else if (kind === "TABLE" || kind === "VIEW") c.names(toks, next, end, "table");
      else if (kind === "INDEX") {
        for (let i = next; i < end; i++)
          if (isWord(toks[i], "ON")) {
            c.names(toks, i + 1, end, "table");
            break;
          }
      } else if (kind === "FUNCTION" || kind === "PROCEDURE" || kind === "TRIGGER" || kind === "EVENT" || kind === "RULE") {
        c.find(`CREATE ${kind} defines code that runs later, which Cordon cannot see into`);
      } else if (kind === "EXTENSION") c.find("CREATE EXTENSION loads code into the database server");
      if (isWord(tokAt(toks, end, s + 1), "OR") && isWord(tokAt(toks, end, s + 2), "REPLACE"))
        c.find("CREATE OR REPLACE overwrites an existing definition");
      collectTables(c, toks, next, end);
      return;
    }
    case "ALTER": {
      const { kind, next } = objectKind(toks, s + 1, end);
      if (kind === "USER" || kind === "ROLE" || kind === "GROUP" || kind === "SYSTEM" || kind === "DEFAULT") {
        c.capability("db.privilege.grant");
        c.tag(TAGS.write, TAGS.privilege);
        c.find(kind === "SYSTEM" ? "ALTER SYSTEM changes server configuration" : `ALTER ${kind} changes privileges or accounts`);
        return;
      }
      c.capability("db.schema.alter");
      c.tag(TAGS.write, TAGS.schema_change);
      if (kind === "DATABASE" || kind === "SCHEMA") c.names(toks, next, end, "database");
      else if (kind === "TABLE" || kind === "VIEW") c.names(toks, next, end, "table");
      for (let i = next; i < end; i++) {
        const t = toks[i] as Token;
        if (t.depth !== base || t.type !== "word") continue;
        if (t.value === "DROP" || (t.value === "TRUNCATE" && isWord(tokAt(toks, end, i + 1), "PARTITION"))) {
          c.tag(TAGS.destructive);
          c.find(`ALTER ... ${t.value} removes a column, constraint or partition`);
        } else if (t.value === "OWNER" && isWord(tokAt(toks, end, i + 1), "TO")) {
          c.tag(TAGS.privilege);
          c.find("ALTER ... OWNER TO changes who owns an object");
        }
      }
      cascade(c, toks, s, end, base);
      return;
    }
    case "RENAME": {
      const user = isWord(tokAt(toks, end, s + 1), "USER");
      c.capability(user ? "db.privilege.grant" : "db.schema.alter");
      c.tag(TAGS.write, user ? TAGS.privilege : TAGS.schema_change);
      if (!user) c.names(toks, isWord(tokAt(toks, end, s + 1), "TABLE") ? s + 2 : s + 1, end, "table");
      return;
    }
    case "COMMENT":
      c.capability("db.schema.alter");
      c.tag(TAGS.write, TAGS.schema_change);
      return;
    case "GRANT":
    case "REVOKE": {
      c.capability(lead.value === "GRANT" ? "db.privilege.grant" : "db.privilege.revoke");
      c.tag(TAGS.write, TAGS.privilege);
      if (isWord(tokAt(toks, end, s + 1), "ALL")) c.find(`${lead.value} ALL PRIVILEGES`);
      for (let i = s; i < end; i++) {
        if (!isWord(toks[i], "ON")) continue;
        let j = i + 1;
        if (isWord(tokAt(toks, end, j), "DATABASE", "SCHEMA")) {
          c.names(toks, j + 1, end, "database");
          break;
        }
        if (isWord(tokAt(toks, end, j), "TABLE")) j++;
        const name = readName(toks, j, end);
        // MySQL's `db.*` names every table of a database.
        if (name && isPunct(toks[name.next - 1], ".") && isPunct(toks[name.next], "*")) c.database(name.parts.join("."));
        else if (!isWord(tokAt(toks, end, j), "ALL")) c.names(toks, j, end, "table");
        break;
      }
      return;
    }
    case "USE": {
      c.capability("db.session.use");
      const name = readName(toks, s + 1, end);
      if (name) c.database(name.parts.join("."));
      return;
    }
    case "SET": {
      const w1 = tokAt(toks, end, s + 1);
      if (isWord(w1, "ROLE", "PASSWORD") || (isWord(w1, "SESSION") && isWord(tokAt(toks, end, s + 2), "AUTHORIZATION", "ROLE"))) {
        c.capability("db.privilege.grant");
        c.tag(TAGS.privilege);
        c.find("SET ROLE / AUTHORIZATION / PASSWORD changes who the session acts as");
        return;
      }
      if (
        isWord(w1, "GLOBAL", "PERSIST", "PERSIST_ONLY") ||
        (isPunct(w1, "@") && isPunct(tokAt(toks, end, s + 2), "@") && isWord(tokAt(toks, end, s + 3), "GLOBAL"))
      ) {
        c.capability("db.maintenance");
        c.tag(TAGS.write, TAGS.privilege);
        c.find("SET GLOBAL changes server configuration");
        return;
      }
      for (let i = s + 1; i < end; i++)
        if (isWord(toks[i], "SQL_LOG_BIN", "SESSION_REPLICATION_ROLE", "FOREIGN_KEY_CHECKS")) {
          c.tag(TAGS.privilege);
          c.find("SET disables logging, triggers or foreign-key checks");
        }
      c.capability("db.session.set");
      return;
    }
    case "SHOW":
    case "DESCRIBE":
    case "DESC":
      c.capability("db.query.select");
      c.tag(TAGS.read);
      return;
    case "EXPLAIN": {
      // EXPLAIN ANALYZE runs the statement; plain EXPLAIN only plans it.
      let analyze = false;
      for (let i = s + 1; i < end; i++) {
        const t = toks[i] as Token;
        if (isWord(t, "ANALYZE", "ANALYSE")) analyze = true;
        if (t.depth === base && t.type === "word" && DML_LEADS.has(t.value)) {
          if (analyze) {
            c.find("EXPLAIN ANALYZE runs the statement");
            classifyRange(c, toks, i, end, guard + 1);
            return;
          }
          collectTables(c, toks, i, end);
          break;
        }
      }
      c.capability("db.query.select");
      c.tag(TAGS.read);
      return;
    }
    case "BEGIN":
    case "START":
    case "COMMIT":
    case "ROLLBACK":
    case "SAVEPOINT":
    case "RELEASE":
    case "END":
    case "ABORT":
      c.capability("db.transaction");
      return;
    case "COPY": {
      let program = false;
      let from = false;
      for (let i = s + 1; i < end; i++) {
        const t = toks[i] as Token;
        if (t.depth !== base) continue;
        if (isWord(t, "PROGRAM")) program = true;
        if (isWord(t, "FROM")) from = true;
      }
      if (!isPunct(tokAt(toks, end, s + 1), "(")) c.names(toks, s + 1, end, "table");
      if (program) {
        c.tag(TAGS.privilege, TAGS.unclassified);
        c.find("COPY ... PROGRAM runs a shell command on the database server");
      }
      if (from) {
        c.capability("db.query.insert");
        c.tag(TAGS.write);
      } else {
        c.capability("db.query.select");
        c.tag(TAGS.read);
        c.find("COPY ... TO exports data");
      }
      return;
    }
    case "LOAD": {
      c.capability("db.query.insert");
      c.tag(TAGS.write);
      c.find("LOAD DATA reads a file into a table");
      collectTables(c, toks, s, end);
      return;
    }
    case "CALL":
    case "EXEC":
    case "EXECUTE":
    case "DO":
    case "PREPARE": {
      c.capability("db.procedure.call");
      c.tag(TAGS.write, TAGS.unclassified);
      c.find(`${lead.value} runs code Cordon cannot see into`);
      return;
    }
    case "VACUUM":
    case "ANALYZE":
    case "OPTIMIZE":
    case "REINDEX":
    case "CLUSTER":
    case "CHECKPOINT":
    case "REFRESH":
    case "LOCK":
    case "UNLOCK":
    case "FLUSH":
    case "DISCARD":
    case "LISTEN":
    case "UNLISTEN":
    case "NOTIFY":
    case "CHECK":
    case "REPAIR":
      c.capability("db.maintenance");
      c.tag(TAGS.write);
      if (isWord(tokAt(toks, end, s + 1), "FULL")) c.find("VACUUM FULL locks the table while it rewrites it");
      collectTables(c, toks, s, end);
      return;
    case "KILL":
      c.capability("db.maintenance");
      c.tag(TAGS.write);
      c.find(KILL.finding);
      return;
    case "PURGE":
    case "SHUTDOWN":
      c.capability("db.maintenance");
      c.tag(TAGS.write, TAGS.destructive);
      c.find(`${lead.value} removes server logs or stops the server`);
      return;
    default:
      c.capability("db.unknown");
      c.facts.unknown = true;
  }
}

function cascade(c: Collector, toks: readonly Token[], s: number, end: number, base: number): void {
  for (let i = s; i < end; i++) {
    const t = toks[i] as Token;
    if (t.depth === base && isWord(t, "CASCADE")) {
      c.tag(TAGS.destructive);
      c.find("CASCADE also removes everything that depends on it");
      return;
    }
  }
}

/** System catalogs that hold password hashes or stored passwords, by name (qualified where the short name is common). */
const CREDENTIAL_CATALOGS: ReadonlyMap<string, string> = new Map([
  ["pg_shadow", "PostgreSQL password hashes"],
  ["pg_authid", "PostgreSQL password hashes"],
  ["pg_user_mapping", "passwords of foreign-server user mappings"],
  ["pg_user_mappings", "passwords of foreign-server user mappings"],
  ["mysql.user", "MySQL password hashes"],
  ["mysql.global_priv", "MariaDB password hashes"],
  ["sys.sql_logins", "SQL Server password hashes"],
  ["sys.user$", "Oracle password hashes"],
]);
/** Catalogs that list accounts, roles and grants: reading them maps who may do what. */
const ACCOUNT_CATALOGS = new Set([
  "pg_roles",
  "pg_user",
  "pg_auth_members",
  "information_schema.role_table_grants",
  "information_schema.table_privileges",
  "information_schema.user_privileges",
  "information_schema.schema_privileges",
  "information_schema.applicable_roles",
  "information_schema.enabled_roles",
  "mysql.db",
  "mysql.tables_priv",
  "mysql.roles_mapping",
  "sys.database_principals",
  "sys.server_principals",
  "sys.database_permissions",
  "sys.server_permissions",
]);

/** `pg_catalog.pg_shadow` → `pg_shadow`; other qualified names stay whole (`mysql.user`). */
function catalogName(table: string): string {
  const t = table.toLowerCase().replace(/["`[\]]/g, "");
  return t.startsWith("pg_catalog.") ? t.slice(11) : t;
}

/** Tags for statements that touch credential or account catalogs. */
function catalogReads(c: Collector, toks: readonly Token[]): void {
  for (const table of c.facts.tables) {
    const name = catalogName(table);
    const cred = CREDENTIAL_CATALOGS.get(name);
    if (cred) {
      c.tag(TAGS.secrets);
      c.find(`reads ${name}, which holds ${cred}`);
    } else if (ACCOUNT_CATALOGS.has(name)) {
      c.tag(TAGS.recon);
      c.find(`reads ${name}, which lists database accounts, roles or grants`);
    }
  }
  if (isWord(toks[0], "SHOW") && isWord(toks[1], "GRANTS")) {
    c.tag(TAGS.recon);
    c.find("SHOW GRANTS lists an account's privileges");
  }
}

/** Classify one lexed statement. */
export function classifyStatement(toks: readonly Token[]): StatementFacts {
  const c = new Collector();
  classifyRange(c, toks, 0, toks.length, 0);
  catalogReads(c, toks);
  // Side effects hide in any statement, a SELECT most of all.
  for (let i = 0; i + 1 < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.type !== "word" || !isPunct(toks[i + 1], "(")) continue;
    const fx = SIDE_EFFECT_FUNCTIONS.get(t.value);
    if (!fx) continue;
    c.tag(...fx.tags);
    if (fx.unclassified) c.tag(TAGS.unclassified);
    c.find(`calls ${t.value.toLowerCase()}(): ${fx.finding}`);
    // A statement that writes through a function is not a plain read.
    if (fx.tags.includes(TAGS.write)) c.facts.tags.delete(TAGS.read);
  }
  return c.facts;
}
