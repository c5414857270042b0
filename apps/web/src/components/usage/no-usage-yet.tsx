// The Usage page before any model call: what will show here, and the two ways to make the first call.
import { Link } from "react-router";
import { buttonClass } from "../ui/button";
import { Empty } from "../ui/states";

export function NoUsageYet() {
  return (
    <Empty title="No usage in this range yet">
      <p className="max-w-xl">
        Every model call an agent makes — in a chat or a task run — is counted here with what it cost. Start a
        chat or a task and its spend shows up within a minute.
      </p>
      <div className="mt-4 flex justify-center gap-2">
        <Link to="/chats" className={buttonClass("primary")}>
          Start a chat
        </Link>
        <Link to="/tasks" className={buttonClass()}>
          Create a task
        </Link>
      </div>
    </Empty>
  );
}
