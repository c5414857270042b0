// A project that does not exist and one the viewer may not see answer alike (404, §1), so the screen
// says both in one sentence instead of guessing.
import { Link } from "react-router";
import { errorCode } from "../../lib/errors";
import { Empty, Failed } from "../ui/states";

export function ProjectUnavailable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const code = errorCode(error);
  if (code !== "RESOURCE_NOT_FOUND" && code !== "FORBIDDEN" && code !== "VALIDATION_ERROR") {
    return <Failed error={error} onRetry={onRetry} />;
  }
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Project not found</h1>
      <Empty title="This project does not exist, or you do not have access to it">
        Ask an owner of the project to add you as a member.{" "}
        <Link to="/" className="text-accent underline">
          Go to the overview
        </Link>
        .
      </Empty>
    </div>
  );
}
