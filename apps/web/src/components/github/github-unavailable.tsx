// Settings → GitHub on a server with no OAuth app: connecting could only fail, so instead of the button the
// person learns why, and an administrator gets the way to the form that sets it up.
import { Link } from "react-router";
import { buttonClass } from "../ui/button";

export function GitHubUnavailable({ isAdmin }: { isAdmin: boolean }) {
  return (
    <div className="flex flex-col items-start gap-3 rounded-lg border border-border bg-surface p-4">
      <p className="text-sm">
        GitHub is not set up on this server yet, so accounts cannot be connected.{" "}
        {isAdmin ? "Add an OAuth app in Administration first." : "Ask your administrator to set it up."}
      </p>
      {isAdmin && (
        <Link to="/admin#github" className={buttonClass("primary")}>
          Set up GitHub
        </Link>
      )}
    </div>
  );
}
