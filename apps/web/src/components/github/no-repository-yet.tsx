// The empty Issues and Pull requests tabs of a project with no GitHub repository: nothing can appear there
// until one is linked, which only the owner can do, in the project's settings.
import { Link } from "react-router";
import { buttonClass } from "../ui/button";
import { Empty } from "../ui/states";

export function NoRepositoryYet({
  projectId,
  title,
  canLink,
}: {
  projectId: string;
  title: string;
  /** Whether this person may link one (the project's owner). */
  canLink: boolean;
}) {
  return (
    <Empty title={title}>
      <p className="max-w-md">
        Issues and pull requests come from the project's GitHub repositories, and this project has none yet.
        {canLink ? " Link one, then sync." : " Ask the project's owner to link one."}
      </p>
      {canLink && (
        <div className="mt-4 flex justify-center">
          <Link to={`/projects/${projectId}/settings`} className={buttonClass("primary")}>
            Link a repository
          </Link>
        </div>
      )}
    </Empty>
  );
}
