// The empty state of a list whose items only work inside a project (tasks start with a project's crew; a
// chat is answered by a project's agents), shown to someone with no project yet: a task or chat made
// now would never start or never be answered, so the way on is a project first.
import type { ReactNode } from "react";
import { NewProjectButton } from "../layout/new-project-button";
import { Empty } from "../ui/states";

export function NoProjectYet({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Empty title={title}>
      <p className="max-w-md">{children}</p>
      <div className="mt-4 flex justify-center">
        <NewProjectButton label="New project" />
      </div>
    </Empty>
  );
}
