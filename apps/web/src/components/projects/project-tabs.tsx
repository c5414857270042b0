// The project's sections: overview, GitHub issues, pull requests and settings.
import { NavLink } from "react-router";
import { cn } from "../ui/cn";

const TABS = [
  { to: "", label: "Overview", end: true },
  { to: "issues", label: "Issues", end: false },
  { to: "pull-requests", label: "Pull requests", end: false },
  { to: "settings", label: "Settings", end: false },
] as const;

export function ProjectTabs({ projectId }: { projectId: string }) {
  return (
    <nav aria-label="Project sections" className="flex gap-1 border-b border-border">
      {TABS.map((tab) => (
        <NavLink
          key={tab.label}
          to={`/projects/${projectId}${tab.to ? `/${tab.to}` : ""}`}
          end={tab.end}
          className={({ isActive }) =>
            cn(
              "-mb-px border-b-2 px-3 py-2 text-sm",
              isActive
                ? "border-accent font-medium text-text"
                : "border-transparent text-muted hover:text-text",
            )
          }
        >
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}
