// A chat that does not exist and one the person may not see answer alike (404), so the screen says both in
// one sentence; any other failure is shown as it is, with a retry.
import { Link } from "react-router";
import { errorCode } from "../../lib/errors";
import { Empty, Failed } from "../ui/states";

const UNAVAILABLE = ["RESOURCE_NOT_FOUND", "FORBIDDEN", "VALIDATION_ERROR"];

export function ConversationUnavailable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (!UNAVAILABLE.includes(errorCode(error) ?? "")) {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-xl font-semibold">This chat could not be loaded</h1>
        <Failed error={error} onRetry={onRetry} />
        <Link to="/chats" className="text-sm text-accent underline">
          Back to chats
        </Link>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Chat not found</h1>
      <Empty title="This chat does not exist, or you do not have access to it">
        It may have been deleted, or it belongs to a project you are not a member of.{" "}
        <Link to="/chats" className="text-accent underline">
          Back to chats
        </Link>
      </Empty>
    </div>
  );
}
