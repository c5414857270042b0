// Commits what the agents changed in each repository of a task, as the given author, with a trailer that
// ties the commit to its task. A repository without changes says so instead of making an empty commit.
import type { ToolRepository } from "../tools/registry";
import { type GitRunner, runGitOrThrow } from "./git-runner";

export type CommitInput = {
  taskId: string;
  message: string;
  author: { name: string; email: string };
  signal?: AbortSignal | undefined;
};

export type CommitResult =
  | { repository: string; committed: true; sha: string }
  | { repository: string; committed: false; reason: "nothing changed" };

export async function commitRepository(
  git: GitRunner,
  repository: ToolRepository,
  input: CommitInput,
): Promise<CommitResult> {
  const run = (args: string[]) => ({
    args: [`--git-dir=${repository.gitDir}`, `--work-tree=${repository.path}`, ...args],
    cwd: repository.path,
    signal: input.signal,
  });
  await runGitOrThrow(git, run(["add", "--all"]), "Staging the changes");
  const staged = await git(run(["diff", "--cached", "--quiet"]));
  if (staged.exitCode === 0)
    return { repository: repository.path, committed: false, reason: "nothing changed" };
  await runGitOrThrow(
    git,
    run([
      "-c",
      `user.name=${input.author.name}`,
      "-c",
      `user.email=${input.author.email}`,
      "commit",
      "--no-verify",
      "--message",
      input.message,
      "--trailer",
      `Crewdeck-Task: ${input.taskId}`,
    ]),
    "Committing",
  );
  const sha = (await runGitOrThrow(git, run(["rev-parse", "HEAD"]), "Reading the commit")).stdout.trim();
  return { repository: repository.path, committed: true, sha };
}
