// A task that does not exist and one the viewer may not see answer alike (404, §1), so the screen says
// both in one sentence; any other failure offers to try again.
import { Link } from "react-router";
import { errorCode } from "../../lib/errors";
import { Empty, Failed } from "../ui/states";

export function TaskUnavailable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const code = errorCode(error);
  if (code !== "RESOURCE_NOT_FOUND" && code !== "FORBIDDEN" && code !== "VALIDATION_ERROR") {
    return (
      <div className="flex flex-col gap-3">
        <Failed error={error} onRetry={onRetry} />
        <Link to="/tasks" className="text-sm text-accent underline">
          Back to tasks
        </Link>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Task not found</h1>
      <Empty title="This task does not exist, or you do not have access to it">
        It may have been deleted, or it belongs to a project you are not a member of.{" "}
        <Link to="/tasks" className="text-accent underline">
          Back to tasks
        </Link>
        .
      </Empty>
    </div>
  );
}
