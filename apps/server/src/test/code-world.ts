// The set-up of the suites where agents change code: the real server with the Anthropic fake, the GitHub fake
// serving a bare repository over git's smart HTTP (so clone and push are real), a connected owner, a project
// with that repository, and the default crew.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { schema } from "@crewdeck/db";
import type { FakeAnthropic, FakeScript } from "@crewdeck/engine/testing";
import { connectGitHub, createConnectUrl } from "@crewdeck/github";
import { startFakeGitHub } from "@crewdeck/github/testing";
import { expect } from "vitest";
import { githubFakeEnv, registerUser, startTestServerWithModel, type TestServer } from "./harness";
import { ROLE_ANSWERS } from "./role-answers";

export const FULL_NAME = "octo/shop";
export const GREET = 'export const greet = (name) => "Hello, " + name + "!";\n';
/** The developer's step: one edit of the shop's greet.js, replacing `from` with `to`. */
export const editGreeting = (from: string, to: string): FakeScript => ({
  toolUses: [
    {
      name: "str_replace_based_edit_tool",
      input: { command: "str_replace", path: "shop/src/greet.js", old_str: from, new_str: to },
    },
  ],
});
/** The senior developer's and QA's approving answers, the steps after the developer's. */
export const REVIEW_ANSWERS: FakeScript[] = [
  { text: ROLE_ANSWERS["senior-developer"] },
  { text: ROLE_ANSWERS["qa-engineer"] },
];
const TEST_SH = [
  "#!/bin/sh",
  'grep -q "Hi, " src/greet.js && echo "1 test passed" && exit 0',
  'echo "1 test failed"; exit 1',
  "",
].join("\n");

export type CodeWorld = Awaited<ReturnType<typeof startCodeWorld>>;

export async function startCodeWorld(env: Record<string, string> = {}) {
  const github = await startFakeGitHub();
  github.addUser("octo");
  github.addRepo(FULL_NAME, { language: "JavaScript" });
  const cloneUrl = github.createGitRepository(FULL_NAME, {
    "src/greet.js": GREET,
    "test.sh": TEST_SH,
    "README.md": "# shop\n",
  });
  const { server, fake, stop } = await startTestServerWithModel({
    ...githubFakeEnv(github),
    AGENT_SANDBOX: "bwrap",
    ...env,
  });
  const owner = await registerUser(server);
  const deps = server.deps.github;
  const { state } = await createConnectUrl(deps, {
    userId: owner.user.id,
    redirectUri: "http://localhost/callback",
  });
  await connectGitHub(deps, { userId: owner.user.id, state, code: github.createCode("octo") });

  const project = await server.api("POST", "/projects", {
    token: owner.access_token,
    body: { name: "Shop" },
  });
  expect(project.status).toBe(200);
  const projectId: string = project.body.id;
  const [repositoryRow] = await server.deps.db
    .insert(schema.projectRepositories)
    .values({
      projectId,
      githubId: github.repo(FULL_NAME).id,
      name: "shop",
      fullName: FULL_NAME,
      cloneUrl,
      defaultBranch: "main",
      type: "frontend",
    })
    .returning();
  const crew = await server.api("GET", `/projects/${projectId}/agents`, { token: owner.access_token });
  const agents: Record<string, string> = Object.fromEntries(
    (crew.body.items as { id: string; role: string }[]).map((a) => [a.role, a.id]),
  );

  const newTask = async (title: string) => {
    const res = await server.api("POST", "/tasks", {
      token: owner.access_token,
      body: {
        title,
        description: "Greet people less formally",
        projectId,
        definitionOfDone: "The greeting says Hi and the tests pass",
      },
    });
    expect(res.status).toBe(200);
    return res.body as { id: string };
  };
  /** Starts the task with the senior developer and QA. */
  const start = (taskId: string) =>
    server.api("POST", `/tasks/${taskId}/start`, {
      token: owner.access_token,
      body: { pipeline: [agents["senior-developer"], agents["qa-engineer"]] },
    });
  /** git against the bare repository the fake serves. */
  const git = (...args: string[]) =>
    execFileSync("git", ["--git-dir", github.repo(FULL_NAME).gitDir!, ...args], { encoding: "utf8" });
  const runsOf = (taskId: string) =>
    server.deps.db.query.runs.findMany({
      where: (row, { eq }) => eq(row.taskId, taskId),
      orderBy: (row, { asc }) => [asc(row.createdAt), asc(row.id)],
    });
  const runOf = async (taskId: string) => (await runsOf(taskId))[0];
  const pullsOf = (taskId: string) =>
    server.deps.db.query.pullRequests.findMany({ where: (row, { eq }) => eq(row.taskId, taskId) });
  const workspaceDir = (taskId: string) => path.join(server.dataDir, "workspaces", taskId);

  return {
    github,
    fake: fake as FakeAnthropic,
    server: server as TestServer,
    owner,
    projectId,
    repositoryRow: repositoryRow!,
    agents,
    newTask,
    start,
    git,
    runOf,
    runsOf,
    pullsOf,
    workspaceDir,
    stop: async () => {
      await stop();
      await github.close();
    },
  };
}
