// What the task asks for (its description and definition of done, as markdown) and what came of it: the
// linked issue, the pull request its crew opened, or the final step's output.
import { ExternalLink } from "lucide-react";
import { MessageMarkdown } from "../chat/message-markdown";
import { Panel } from "../projects/panel";
import { Badge, humanStatus, statusTone } from "../ui/badge";
import type { Task } from "./task-options";

const external = "inline-flex items-center gap-1 text-accent hover:underline";

function GitHubLinks({ task }: { task: Task }) {
  const { issue, pullRequest, result } = task;
  // The pull request link comes from the task's row when it is synced, else from the run's result.
  const resultUrl = !pullRequest && result?.type === "pull_request" ? result.pullRequestUrl : undefined;
  if (!issue && !pullRequest && !resultUrl) return null;
  return (
    <ul className="flex flex-col gap-1 text-sm">
      {issue && (
        <li className="flex flex-wrap items-center gap-2">
          <a href={issue.htmlUrl} target="_blank" rel="noopener noreferrer" className={external}>
            Issue #{issue.number}: {issue.title} <ExternalLink size={12} aria-hidden />
          </a>
          <Badge tone={issue.state === "open" ? "ok" : "neutral"}>{issue.state}</Badge>
        </li>
      )}
      {pullRequest && (
        <li className="flex flex-wrap items-center gap-2">
          <a href={pullRequest.htmlUrl} target="_blank" rel="noopener noreferrer" className={external}>
            Pull request #{pullRequest.number}: {pullRequest.title} <ExternalLink size={12} aria-hidden />
          </a>
          <Badge tone={pullRequest.state === "merged" ? "ok" : "neutral"}>{pullRequest.state}</Badge>
          {pullRequest.checksStatus && (
            <Badge
              tone={pullRequest.checksStatus === "failure" ? "danger" : statusTone(pullRequest.checksStatus)}
            >
              checks {humanStatus(pullRequest.checksStatus)}
            </Badge>
          )}
          <span className="text-xs text-muted">
            {pullRequest.headBranch} → {pullRequest.baseBranch}
          </span>
        </li>
      )}
      {resultUrl && (
        <li>
          <a href={resultUrl} target="_blank" rel="noopener noreferrer" className={external}>
            Pull request opened by the crew <ExternalLink size={12} aria-hidden />
          </a>
        </li>
      )}
    </ul>
  );
}

export function TaskDetails({ task }: { task: Task }) {
  const output = task.result?.type === "output" ? task.result.output : undefined;
  return (
    <Panel title="Description">
      <div className="flex flex-col gap-4">
        {task.description?.trim() ? (
          <MessageMarkdown text={task.description} />
        ) : (
          <p className="text-sm text-muted">No description.</p>
        )}
        {task.definitionOfDone?.trim() && (
          <div>
            <h3 className="mb-1 text-sm font-semibold">Definition of done</h3>
            <MessageMarkdown text={task.definitionOfDone} />
          </div>
        )}
        <GitHubLinks task={task} />
        {output && (
          <details className="text-sm">
            <summary className="cursor-pointer font-medium">Result</summary>
            <div className="mt-2 rounded-md border border-border bg-subtle p-3">
              <MessageMarkdown text={output} />
            </div>
          </details>
        )}
      </div>
    </Panel>
  );
}
