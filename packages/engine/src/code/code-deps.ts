// What the engine needs to let agents change code: the task workspaces, git, and GitHub (a push token and
// the pull request service). The server builds it; an engine without it runs steps without workspaces.
import type { GitHubDeps } from "@crewdeck/github";
import type { GitRunner } from "../workspaces/git-runner";
import type { WorkspaceManager } from "../workspaces/workspace-manager";

export type CodeDeps = {
  workspaces: WorkspaceManager;
  git: GitRunner;
  github: GitHubDeps;
};
