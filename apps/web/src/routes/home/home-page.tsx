// The overview: the signed-in person's projects at a glance, and the way to a first one.

import { useQuery } from "@tanstack/react-query";
import { ProviderNotice } from "../../components/admin/provider-notice";
import { MyInvitations } from "../../components/invitations/my-invitations";
import { NewProjectButton } from "../../components/layout/new-project-button";
import { ProjectCard } from "../../components/projects/project-card";
import { plural, summariseProjects } from "../../components/projects/project-summary";
import { Empty, QueryState } from "../../components/ui/states";
import { formatUsd } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { usePageTitle } from "../../lib/use-page-title";

export default function HomePage() {
  usePageTitle("Overview");
  const trpc = useTRPC();
  const me = useMe();
  const projects = useQuery(trpc.projects.list.queryOptions({ limit: 100 }));
  const firstName = me.data?.name.split(" ")[0] || me.data?.username;
  const hasProjects = (projects.data?.items.length ?? 0) > 0;

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6 p-4 sm:p-6">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{firstName ? `Welcome, ${firstName}` : "Welcome"}</h1>
          {projects.data && hasProjects && <Summary items={projects.data.items} />}
        </div>
        {hasProjects && <NewProjectButton label="New project" />}
      </header>

      <ProviderNotice />
      <MyInvitations />

      <QueryState query={projects} loading="Loading your projects…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="Create your first project">
              <p className="max-w-md">
                A project brings a crew of AI agents (product manager, architect, developers and QA) together
                with its own chats, tasks and budget. Create one, link its GitHub repositories, then give the
                crew a task.
              </p>
              <div className="mt-4 flex justify-center">
                <NewProjectButton label="New project" />
              </div>
            </Empty>
          ) : (
            <>
              <ul aria-label="Your projects" className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
                {page.items.map((project) => (
                  <li key={project.id} className="flex">
                    <ProjectCard project={project} />
                  </li>
                ))}
              </ul>
              {page.total > page.items.length && (
                <p className="text-sm text-muted">
                  Showing the first {page.items.length} of {page.total} projects.
                </p>
              )}
            </>
          )
        }
      </QueryState>
    </div>
  );
}

function Summary({ items }: { items: Parameters<typeof summariseProjects>[0] }) {
  const summary = summariseProjects(items);
  return (
    <p className="mt-1 text-sm text-muted">
      {plural(summary.projects, "project")} · {plural(summary.openTasks, "open task")} ·{" "}
      {plural(summary.activeConversations, "active conversation")} · {formatUsd(summary.todayCostUsd)} spent
      today
    </p>
  );
}
