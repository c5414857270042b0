// The screen for a thing that cannot be shown. One that does not exist and one the person may not see
// answer alike (404, §1), so the screen says both in one sentence; any other failure offers to try again.
import type { ReactNode } from "react";
import { Link } from "react-router";
import { errorCode } from "../../lib/errors";
import { Empty, Failed } from "./states";

const NOT_THERE = ["RESOURCE_NOT_FOUND", "FORBIDDEN", "VALIDATION_ERROR"];

export function Unavailable({
  error,
  onRetry,
  thing,
  hint,
  back,
}: {
  error: unknown;
  onRetry: () => void;
  /** What could not be shown, in lower case: "task". */
  thing: string;
  /** Why it may be missing, and what to do. */
  hint: ReactNode;
  back: { to: string; label: string };
}) {
  const backLink = (
    <Link to={back.to} className="text-sm text-accent underline">
      {back.label}
    </Link>
  );
  if (!NOT_THERE.includes(errorCode(error) ?? "")) {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-xl font-semibold">This {thing} could not be loaded</h1>
        <Failed error={error} onRetry={onRetry} />
        {backLink}
      </div>
    );
  }
  const title = `${thing[0]?.toUpperCase()}${thing.slice(1)} not found`;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">{title}</h1>
      <Empty title={`This ${thing} does not exist, or you do not have access to it`}>
        {hint} {backLink}
      </Empty>
    </div>
  );
}
