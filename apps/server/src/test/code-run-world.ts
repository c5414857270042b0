// The world of runs that change code, shared by their suites: the real server with the Anthropic fake, the
// GitHub fake serving `octo/shop` as a real bare repository over git's smart HTTP, its owner connected to it,
// and a project with that repository and the default crew.
import { execFileSync } from "node:child_process";
import { schema } from "@crewdeck/db";
import { connectGitHub, createConnectUrl } from "@crewdeck/github";
import { startFakeGitHub } from "@crewdeck/github/testing";
import { expect } from "vitest";
import { registerUser, startTestServerWithModel } from "./harness";

export type CodeRunWorld = Awaited<ReturnType<typeof startCodeRunWorld>>;

export const FULL_NAME = "octo/shop";
export const GREET = 'export const greet = (name) => "Hello, " + name + "!";\n';
export const TEST_SH = [
  "#!/bin/sh",
  'grep -q "Hi, " src/greet.js && echo "1 test passed" && exit 0',
  'echo "1 test failed"; exit 1',
  "",
].join("\n");

export async function startCodeRunWorld() {
  const github = await startFakeGitHub();
  github.addUser("octo");
  github.addRepo(FULL_NAME, { language: "JavaScript" });
  const cloneUrl = github.createGitRepository(FULL_NAME, {
    "src/greet.js": GREET,
    "test.sh": TEST_SH,
    "README.md": "# shop\n",
  });
  const { server, fake, stop } = await startTestServerWithModel({
    GITHUB_WEB_URL: github.webUrl,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_CLIENT_ID: github.oauthApp.clientId,
    GITHUB_CLIENT_SECRET: github.oauthApp.clientSecret,
    AGENT_SANDBOX: "bwrap",
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
  /** Starts the task's run with the developer and QA. */
  const start = (taskId: string) =>
    server.api("POST", `/tasks/${taskId}/start`, {
      token: owner.access_token,
      body: { pipeline: [agents["senior-developer"], agents["qa-engineer"]] },
    });
  /** git in the fake's bare repository. */
  const git = (...args: string[]) =>
    execFileSync("git", ["--git-dir", github.repo(FULL_NAME).gitDir!, ...args], { encoding: "utf8" });

  return {
    github,
    fake,
    server,
    owner,
    projectId,
    repositoryRow: repositoryRow!,
    agents,
    newTask,
    start,
    git,
    stop: async () => {
      await stop();
      await github.close();
    },
  };
}
