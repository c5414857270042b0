// One repository file through the contents API, with the real Octokit against the fake serving a real git
// repository: the file's bytes, a path that needs encoding, a directory or a missing file as "missing", an
// unchanged file as a free 304, and a refused token as the error a person can act on.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readRepositoryFile } from "./contents";
import { createGitHubTestWorld, type GitHubTestWorld, gitHubFailure } from "./testing";

describe("readRepositoryFile", () => {
  let w: GitHubTestWorld;
  let userId: string;
  let repository: Awaited<ReturnType<GitHubTestWorld["projectRepository"]>>;
  beforeEach(async () => {
    w = await createGitHubTestWorld();
    w.github.addUser("ada-gh");
    w.github.addRepo("ada-gh/shop", { private: true });
    w.github.createGitRepository("ada-gh/shop", {
      "CLAUDE.md": "Always write tests.\n",
      "docs/team rules #1.md": "Ünïcode rules\n",
      "docs/other.md": "x",
    });
    const user = await w.user("ada");
    userId = user.id;
    const project = await w.project("Shop", userId);
    repository = await w.projectRepository(project.id, "ada-gh/shop");
    await w.connect(userId, "ada-gh");
  });
  afterEach(async () => {
    await w.close();
  });

  const contentsRequests = () => w.github.apiRequests().filter((r) => r.path.includes("/contents/"));

  it("reads a file of the default branch, and an unchanged file again as a 304", async () => {
    const first = await readRepositoryFile(w.deps, repository, userId, "CLAUDE.md");
    expect(first).toMatchObject({ status: "file", text: "Always write tests.\n" });
    const etag = first.status === "file" ? first.etag : null;
    expect(etag).toBeTruthy();

    const again = await readRepositoryFile(w.deps, repository, userId, "CLAUDE.md", { etag });
    expect(again).toEqual({ status: "not_modified", etag });
    expect(contentsRequests().map((r) => [r.status, r.headers["if-none-match"] ?? null])).toEqual([
      [200, null],
      [304, etag],
    ]);
    // Octokit logs every non-2xx answer at error; an expected 304 is not one.
    expect(w.logs.filter((l) => l.level === "error")).toEqual([]);
  });

  it("encodes the path, and keeps only the bytes asked for", async () => {
    const file = await readRepositoryFile(w.deps, repository, userId, "docs/team rules #1.md");
    expect(file).toMatchObject({ status: "file", text: "Ünïcode rules\n" });
    expect(contentsRequests()[0]!.path).toBe("/repos/ada-gh/shop/contents/docs%2Fteam%20rules%20%231.md");

    const cut = await readRepositoryFile(w.deps, repository, userId, "CLAUDE.md", { maxBytes: 6 });
    expect(cut).toMatchObject({ status: "file", text: "Always" });
  });

  it("answers missing for a path that is not there or is a directory", async () => {
    expect(await readRepositoryFile(w.deps, repository, userId, "nope/RULES.md")).toEqual({
      status: "missing",
      why: "not_found",
    });
    expect(await readRepositoryFile(w.deps, repository, userId, "docs")).toEqual({
      status: "missing",
      why: "directory",
    });
    expect(contentsRequests().map((r) => r.status)).toEqual([404, 200]);
    expect(w.logs.filter((l) => l.level === "error")).toEqual([]);
    expect(w.logs.some((l) => l.level === "info" && l.message.includes(" - 404 "))).toBe(true);
  });

  it("fails with GitHub's reason when the token was revoked", async () => {
    w.github.failNext(401, "Bad credentials", (r) => r.path.includes("/contents/"));
    const failure = await gitHubFailure(readRepositoryFile(w.deps, repository, userId, "CLAUDE.md"));
    expect(failure.code).toBe("GITHUB_API_ERROR");
    expect(failure.reason).toBe("reconnect_required");
  });

  it("fails as not connected when no credentials reach the repository", async () => {
    const stranger = await w.user("bob");
    const failure = await gitHubFailure(readRepositoryFile(w.deps, repository, stranger.id, "CLAUDE.md"));
    expect(failure.code).toBe("CONFLICT");
    expect(contentsRequests()).toHaveLength(0);
  });
});
