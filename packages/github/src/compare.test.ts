// Comparing a task branch with its base against the fake, which computes GitHub's answer with git from a real
// bare repository: modified, added, removed and renamed files with their counts and hunks; failures in words.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compareBranches } from "./compare";
import { GitHubApiError } from "./errors";
import { createGitHubTestWorld, type GitHubTestWorld } from "./testing";

const REPO = "ada-gh/website";

describe("compareBranches", () => {
  let w: GitHubTestWorld;
  let userId: string;
  let repository: Awaited<ReturnType<GitHubTestWorld["projectRepository"]>>;
  beforeEach(async () => {
    w = await createGitHubTestWorld();
    w.github.addUser("ada-gh");
    w.github.addRepo(REPO, { language: "TypeScript" });
    w.github.createGitRepository(REPO, {
      "src/app.ts": "export const a = 1;\nexport const b = 2;\n",
      "old-name.md": "# Notes\nline one\nline two\nline three\n",
      "gone.txt": "bye\n",
    });
    userId = (await w.user("ada")).id;
    await w.connect(userId, "ada-gh");
    repository = await w.projectRepository((await w.project("Website", userId)).id, REPO);
  });
  afterEach(async () => {
    await w.close();
  });

  /** Commits `change` on a new branch `name` of the fake's bare repository. */
  const pushBranch = (name: string, change: (git: (...args: string[]) => void, dir: string) => void) => {
    const dir = mkdtempSync(path.join(tmpdir(), "compare-"));
    const git = (...args: string[]) =>
      void execFileSync("git", args, {
        cwd: dir,
        stdio: "ignore",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "a",
          GIT_AUTHOR_EMAIL: "a@x",
          GIT_COMMITTER_NAME: "a",
          GIT_COMMITTER_EMAIL: "a@x",
        },
      });
    git("clone", "--quiet", w.github.repo(REPO).gitDir!, ".");
    git("checkout", "--quiet", "-b", name);
    change(git, dir);
    git("commit", "--quiet", "-am", "change");
    git("push", "--quiet", "origin", name);
    rmSync(dir, { recursive: true, force: true });
  };

  it("lists each changed file with its status, counts and hunks", async () => {
    pushBranch("crewdeck/abc-change", (git, dir) => {
      writeFileSync(path.join(dir, "src/app.ts"), "export const a = 1;\nexport const b = 3;\n");
      writeFileSync(path.join(dir, "new.txt"), "hello\n");
      git("add", "new.txt");
      git("mv", "old-name.md", "new-name.md");
      git("rm", "--quiet", "gone.txt");
    });
    const diff = await compareBranches(w.deps, {
      repository,
      userId,
      base: "main",
      head: "crewdeck/abc-change",
    });
    expect(diff).toMatchObject({
      base: "main",
      head: "crewdeck/abc-change",
      aheadBy: 1,
      behindBy: 0,
      truncated: false,
    });
    const byPath = Object.fromEntries(diff.files.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual(["gone.txt", "new-name.md", "new.txt", "src/app.ts"]);
    expect(byPath["src/app.ts"]).toEqual({
      path: "src/app.ts",
      status: "modified",
      additions: 1,
      deletions: 1,
      patch: "@@ -1,2 +1,2 @@\n export const a = 1;\n-export const b = 2;\n+export const b = 3;",
    });
    expect(byPath["new.txt"]).toMatchObject({
      status: "added",
      additions: 1,
      deletions: 0,
      patch: "@@ -0,0 +1 @@\n+hello",
    });
    expect(byPath["gone.txt"]).toMatchObject({ status: "removed", additions: 0, deletions: 1 });
    expect(byPath["new-name.md"]).toMatchObject({
      status: "renamed",
      oldPath: "old-name.md",
      additions: 0,
      deletions: 0,
    });
    expect(byPath["new-name.md"]?.patch).toBeUndefined();
  });

  it("turns GitHub's failure into a GITHUB_API_ERROR with GitHub's message", async () => {
    w.github.failNext(500, "Server Error", (r) => r.path.includes("/compare/"));
    const error = await compareBranches(w.deps, { repository, userId, base: "main", head: "nope" }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({ code: "GITHUB_API_ERROR" });
  });
});
