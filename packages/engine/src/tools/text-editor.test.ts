import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitRunner } from "../workspaces/git-runner";
import { createDefaultToolRegistry } from "./default-tools";
import type { ToolContext } from "./registry";

let root: string;
let outside: string;
const registry = createDefaultToolRegistry({
  workspaceTools: { sandbox: { mode: "bwrap" }, git: createGitRunner() },
});

const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
  runId: "run-1",
  taskId: "task-1",
  projectId: "project-1",
  agentId: "agent-1",
  userId: "user-1",
  role: "senior-developer",
  signal: new AbortController().signal,
  workspace: { root, repositories: [], network: false },
  ...over,
});
const edit = (input: Record<string, unknown>, over: Partial<ToolContext> = {}) =>
  registry.execute("str_replace_based_edit_tool", input, ctx(over));

beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), "crewdeck-editor-")));
  outside = await realpath(await mkdtemp(path.join(tmpdir(), "crewdeck-outside-")));
  await mkdir(path.join(root, "repo/src/deep/er"), { recursive: true });
  await mkdir(path.join(root, "repo/.git"));
  await writeFile(path.join(root, "repo/src/a.ts"), "one\ntwo\nthree\n");
  await writeFile(path.join(root, "repo/src/deep/er/hidden-by-depth.ts"), "x\n");
  await writeFile(path.join(outside, "secret.txt"), "secret\n");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe("str_replace_based_edit_tool", () => {
  it("views a file with line numbers, and a range of it, naming it as the workspace does", async () => {
    expect(await edit({ command: "view", path: "repo/src/a.ts" })).toEqual({
      content: `Here's the content of repo/src/a.ts with line numbers:\n     1\tone\n     2\ttwo\n     3\tthree`,
      isError: false,
    });
    const ranged = await edit({ command: "view", path: `${root}/repo/src/a.ts`, view_range: [2, -1] });
    expect(ranged.content.split("\n")).toEqual([
      "Here's the content of repo/src/a.ts with line numbers:",
      "     2\ttwo",
      "     3\tthree",
    ]);
    // Where the server keeps its data never reaches the model.
    expect(ranged.content).not.toContain(root);
    expect((await edit({ command: "view", path: "repo/src/a.ts", view_range: [4, 5] })).content).toMatch(
      /^Invalid `view_range`/,
    );
  });

  it("lists a directory two levels deep without hidden items", async () => {
    const result = await edit({ command: "view", path: "repo" });
    expect(result.content.split("\n").slice(1)).toEqual([
      "repo/",
      "repo/src/",
      "repo/src/a.ts",
      "repo/src/deep/",
    ]);
  });

  it("replaces text only when it occurs exactly once", async () => {
    const file = path.join(root, "repo/src/a.ts");
    const done = await edit({ command: "str_replace", path: "repo/src/a.ts", old_str: "two", new_str: "2" });
    expect(done.isError).toBe(false);
    expect(done.content).toContain("     2\t2");
    expect(await readFile(file, "utf8")).toBe("one\n2\nthree\n");

    const missing = await edit({
      command: "str_replace",
      path: "repo/src/a.ts",
      old_str: "four",
      new_str: "",
    });
    expect(missing).toEqual({
      content: `No replacement was performed, old_str \`four\` did not appear verbatim in repo/src/a.ts.`,
      isError: true,
    });
    const twice = await edit({ command: "str_replace", path: "repo/src/a.ts", old_str: "e", new_str: "E" });
    expect(twice.content).toBe(
      "No replacement was performed. Multiple occurrences of old_str `e` in lines 1, 3. Please ensure it is unique.",
    );
    expect(await readFile(file, "utf8")).toBe("one\n2\nthree\n");
  });

  it("creates files with their parent directories, and inserts after a line (0 = top)", async () => {
    expect((await edit({ command: "create", path: "repo/new/dir/b.md", file_text: "b\n" })).content).toBe(
      "File created successfully at: repo/new/dir/b.md",
    );
    await edit({ command: "insert", path: "repo/new/dir/b.md", insert_line: 0, insert_text: "top" });
    await edit({ command: "insert", path: "repo/new/dir/b.md", insert_line: 2, insert_text: "end\n" });
    expect(await readFile(path.join(root, "repo/new/dir/b.md"), "utf8")).toBe("top\nb\nend\n");
    expect(
      (await edit({ command: "insert", path: "repo/new/dir/b.md", insert_line: 9, insert_text: "x" }))
        .content,
    ).toBe("Invalid `insert_line` parameter: 9. It should be within the range of lines of the file: [0, 3].");
    expect((await edit({ command: "create", path: "repo/c.txt" })).content).toMatch(
      /`file_text` is required/,
    );
    expect((await edit({ command: "view", path: "repo/nope.ts" })).content).toBe(
      "The path repo/nope.ts does not exist. Please provide a valid path.",
    );
  });

  it("never leaves the workspace: ../, absolute paths and symlinks out are refused", async () => {
    await symlink(outside, path.join(root, "repo/link-out"));
    await symlink(path.join(outside, "nowhere.txt"), path.join(root, "repo/dangling"));
    const attempts = [
      { command: "view", path: "../secret.txt" },
      { command: "view", path: `${outside}/secret.txt` },
      { command: "view", path: "repo/link-out/secret.txt" },
      { command: "create", path: "repo/link-out/planted.txt", file_text: "x" },
      { command: "create", path: "repo/dangling", file_text: "x" },
      { command: "create", path: "repo/../../escape.txt", file_text: "x" },
    ];
    for (const attempt of attempts) {
      const result = await edit(attempt);
      expect(result.isError, attempt.path).toBe(true);
      expect(result.content, attempt.path).toMatch(/outside the workspace|leads nowhere/);
    }
    expect(await readFile(path.join(outside, "secret.txt"), "utf8")).toBe("secret\n");
  });

  it("keeps reading roles to view, and git's own data out of reach", async () => {
    const reviewer = await edit(
      { command: "create", path: "repo/x.ts", file_text: "x" },
      { role: "reviewer" },
    );
    expect(reviewer).toEqual({
      content: "The reviewer role may only view files; `create` is for the developers and QA.",
      isError: true,
    });
    expect((await edit({ command: "view", path: "repo/src/a.ts" }, { role: "reviewer" })).isError).toBe(
      false,
    );
    const git = await edit({ command: "create", path: "repo/.git/config", file_text: "[core]" });
    expect(git.content).toMatch(/inside git's own data/);
  });

  it("is neither offered nor run without a workspace", async () => {
    expect(registry.definitionsFor("senior-developer").map((d) => d.name)).toEqual(["think"]);
    expect(await edit({ command: "view", path: "." }, { workspace: undefined })).toEqual({
      content: 'Unknown tool "str_replace_based_edit_tool". Available tools: think.',
      isError: true,
    });
  });
});
