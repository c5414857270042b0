// Pushes a repository's task branch to its remote, with the token for this one command.
import type { ToolRepository } from "../tools/registry";
import { type GitRunner, runGitOrThrow } from "./git-runner";

export type PushInput = { taskBranch: string; token?: string | undefined; signal?: AbortSignal | undefined };

export async function pushTaskBranch(
  git: GitRunner,
  repository: ToolRepository,
  input: PushInput,
): Promise<void> {
  // `origin` comes from the git directory beside the workspace, which agents cannot change.
  await runGitOrThrow(
    git,
    {
      args: [
        `--git-dir=${repository.gitDir}`,
        "push",
        "--no-verify",
        "origin",
        `HEAD:refs/heads/${input.taskBranch}`,
      ],
      cwd: repository.path,
      token: input.token,
      signal: input.signal,
    },
    `Pushing ${input.taskBranch}`,
  );
}
