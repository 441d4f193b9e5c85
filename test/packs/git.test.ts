import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyGit, gitPack } from "../../src/packs/git/index";
import { classifyShellLine } from "../../src/packs/shell/index";

const ctx = { environments: { production: ["prod", "production", "prod-*", "*-prd", "*.prod.example.com"] } };
const git = (command: string) => classifyShellLine(command, ctx);

function expectTags(command: string, has: string[], hasNot: string[] = []): void {
  const d = git(command);
  for (const t of has) expect(d.risk_tags, `${command} should be ${t} (got ${d.risk_tags.join(",")})`).toContain(t);
  for (const t of hasNot) expect(d.risk_tags, `${command} should not be ${t} (got ${d.risk_tags.join(",")})`).not.toContain(t);
}

describe("git pack: pushes", () => {
  it.each([
    "git push --force origin main",
    "git push -f origin main",
    "git push origin main --force",
    "git push origin main -f",
    "git push --force-with-lease origin main",
    "git push --force-with-lease=main:abc123 origin main",
    "git push origin +main",
    "git push origin +HEAD:main",
    "git push -uf origin master",
    "git push origin HEAD:refs/heads/main --force",
    "git -C repo push --force origin release/2.0",
    "git push --force origin production",
  ])("%s rewrites a protected branch", (cmd) => {
    expectTags(cmd, ["history-rewrite", "destructive", "protected-branch", "network", "write"]);
    expect(git(cmd).capability).toBe("git.push");
  });

  it("a branch matching the production environment is protected and production", () => {
    expectTags("git push -f origin prod-eu", ["history-rewrite", "protected-branch", "production"]);
    expectTags("git push origin deploy-prd", ["protected-branch", "production"], ["destructive"]);
  });

  it("git push origin feature is a write to the network, nothing more", () => {
    const d = git("git push origin feature");
    expect(d.risk_tags).toEqual(["network", "write"]);
    expect(d.labels).toEqual({ remote: "origin", branch: "feature" });
    expect(d.capability).toBe("git.push");
  });

  it("a normal push to main is protected-branch but not destructive", () => {
    expectTags("git push origin main", ["protected-branch", "write", "network"], ["destructive", "history-rewrite"]);
  });

  it("force pushing a feature branch rewrites history but is not protected", () => {
    expectTags("git push --force origin feature/x", ["history-rewrite", "destructive"], ["protected-branch"]);
  });

  it.each([
    "git push origin --delete main",
    "git push origin -d feature",
    "git push origin :main",
    "git push --mirror backup",
    "git push --prune origin",
  ])("%s deletes remote refs", (cmd) => {
    expectTags(cmd, ["destructive"]);
  });

  it("deleting main is destructive and protected", () => {
    expectTags("git push origin --delete main", ["destructive", "protected-branch"]);
    expectTags("git push origin :master", ["destructive", "protected-branch"]);
  });

  it("a URL remote gives the host", () => {
    expect(git("git push https://github.com/org/repo.git main").labels.host).toBe("github.com");
    expect(git("git push git@github.com:org/repo.git main").labels.host).toBe("github.com");
  });
});

describe("git pack: work-discarding commands", () => {
  it.each([
    ["git reset --hard", "git.reset"],
    ["git reset --hard HEAD~3", "git.reset"],
    ["git reset HEAD~1 --hard", "git.reset"],
    ["git clean -fdx", "git.clean"],
    ["git clean -ffdx", "git.clean"],
    ["git clean -d -f -x", "git.clean"],
    ["git clean --force -d", "git.clean"],
    ["git branch -D feature", "git.branch"],
    ["git branch --delete --force feature", "git.branch"],
    ["git branch -d -f feature", "git.branch"],
    ["git filter-branch --tree-filter 'rm x' HEAD", "git.filter-branch"],
    ["git filter-repo --path secrets --invert-paths", "git.filter-repo"],
    ["git checkout -- .", "git.checkout"],
    ["git checkout .", "git.checkout"],
    ["git checkout -f main", "git.checkout"],
    ["git restore .", "git.restore"],
    ["git restore --worktree -- .", "git.restore"],
    ["git stash drop", "git.stash"],
    ["git stash clear", "git.stash"],
    ["git reflog expire --expire=now --all", "git.reflog"],
    ["git gc --prune=now", "git.gc"],
    ["git update-ref -d refs/heads/main", "git.update-ref"],
    ["git switch --discard-changes main", "git.switch"],
  ])("%s is destructive", (cmd, cap) => {
    const d = git(cmd);
    expect(d.risk_tags).toContain("destructive");
    expect(d.capability).toBe(cap);
    expect(d.findings.length).toBeGreaterThan(0);
  });

  it("filter-branch rewrites history", () => {
    expectTags("git filter-branch --force HEAD", ["history-rewrite"]);
  });

  it.each([
    "git reset HEAD~1",
    "git reset --soft HEAD~1",
    "git clean -n",
    "git clean --dry-run -fdx",
    "git branch -d merged",
    "git restore --staged a.ts",
    "git stash",
    "git stash pop",
    "git gc",
    "git checkout feature",
    "git checkout -b new-thing",
    "git switch main",
  ])("%s is not destructive", (cmd) => {
    expectTags(cmd, [], ["destructive"]);
  });
});

describe("git pack: reads and writes", () => {
  it.each([
    "git status",
    "git log --oneline -n 5",
    "git diff HEAD~1",
    "git show abc123",
    "git branch",
    "git branch -a",
    "git branch --list 'feat*'",
    "git remote -v",
    "git tag",
    "git stash list",
    "git config --get user.name",
    "git blame src/x.ts",
    "git rev-parse HEAD",
  ])("%s is read", (cmd) => {
    expectTags(cmd, ["read"], ["write", "destructive", "unclassified"]);
  });

  it("fetch is a network read", () => {
    expectTags("git fetch origin", ["read", "network"], ["write"]);
  });

  it.each([
    "git add -A",
    "git commit -m 'x'",
    "git merge feature",
    "git rebase main",
    "git pull origin main",
    "git tag v1.0",
    "git branch new-feature",
    "git init",
  ])("%s is a write", (cmd) => {
    expectTags(cmd, ["write"], ["destructive"]);
  });

  it("clone is a network write with the host", () => {
    const d = git("git clone --depth 1 https://github.com/org/repo.git");
    expect(d.risk_tags).toEqual(["network", "write"]);
    expect(d.labels.host).toBe("github.com");
  });

  it("unknown subcommands (aliases, git-foo programs) are unclassified", () => {
    expectTags("git frobnicate", ["unclassified"]);
    expect(git("git frobnicate").capability).toBe("git.frobnicate");
  });

  it("configuration that makes git run programs is unclassified", () => {
    expectTags("git -c core.sshCommand='sh -c id' fetch", ["unclassified"]);
    expectTags("git -c alias.st='!rm -rf /' st", ["unclassified"]);
    expectTags("git clone ext::sh -c id", ["unclassified", "obfuscated"]);
  });
});

describe("git pack: the Pack interface", () => {
  it("classifies only git actions", () => {
    expect(gitPack.classify({ kind: "shell", command: "git push -f" }, ctx)).toBeNull();
  });

  it("accepts a command string", () => {
    const d = gitPack.classify({ kind: "git", command: "git push --force origin main" }, ctx);
    expect(d?.capability).toBe("git.push");
    expect(d?.risk_tags).toEqual(expect.arrayContaining(["history-rewrite", "protected-branch", "destructive"]));
  });

  it("accepts an args list, with or without the leading git", () => {
    expect(gitPack.classify({ kind: "git", args: ["push", "-f", "origin", "main"] }, ctx)?.risk_tags).toContain("history-rewrite");
    expect(gitPack.classify({ kind: "git", args: ["git", "reset", "--hard"] }, ctx)?.risk_tags).toContain("destructive");
  });

  it("a git action that smuggles another command is classified as shell", () => {
    const d = gitPack.classify({ kind: "git", command: "git status; rm -rf /" }, ctx);
    expect(d?.risk_tags).toContain("destructive");
    expect(d?.capability).toBe("shell.exec");
  });

  it("a git action with nothing to classify is unclassified", () => {
    expect(gitPack.classify({ kind: "git" }, ctx)?.risk_tags).toEqual(["unclassified"]);
  });

  it("never throws on random argv", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.constantFrom(
              "push",
              "-f",
              "--force",
              "+main",
              ":x",
              "--delete",
              "-c",
              "reset",
              "--hard",
              "clean",
              "-fdx",
              "branch",
              "-D",
              "--",
              "--prune=now",
            ),
          ),
          { maxLength: 12 },
        ),
        (argv) => {
          const d = classifyGit(["git", ...argv], ctx);
          expect(d.capability?.startsWith("git.")).toBe(true);
          expect(d.risk_tags.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
