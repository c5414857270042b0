// Projects (colour, progress, today's cost) and unassigned chats, then the app's sections.
import { useQuery } from "@tanstack/react-query";
import {
  Bell,
  Bot,
  ChartColumn,
  LayoutDashboard,
  ListChecks,
  MessageSquare,
  Settings,
  Shield,
  Wallet,
} from "lucide-react";
import type { ReactNode } from "react";
import { Link, NavLink } from "react-router";
import { formatUsd } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { progressPercent } from "../projects/project-summary";
import { cn } from "../ui/cn";
import { NewProjectButton } from "./new-project-button";

const itemClass = ({ isActive }: { isActive: boolean }) =>
  cn(
    "flex items-center gap-2 rounded-md px-2 py-1.5 text-sm",
    isActive ? "bg-accent/15 font-medium text-accent" : "text-text hover:bg-subtle",
  );

function Section({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section className="mt-4">
      <div className="flex items-center justify-between px-2">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-muted">{title}</h2>
        {action}
      </div>
      <div className="mt-1 flex flex-col gap-0.5">{children}</div>
    </section>
  );
}

export function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  const trpc = useTRPC();
  const me = useMe();
  const projects = useQuery(trpc.projects.list.queryOptions({ limit: 100 }));
  const chats = useQuery(trpc.conversations.list.queryOptions({ projectId: "unassigned", limit: 20 }));

  return (
    // Clicks bubble up from the links (Enter on a link clicks it too), so the drawer closes either way.
    // biome-ignore lint/a11y/useKeyWithClickEvents: the links inside are the keyboard targets
    <nav aria-label="Main" className="flex h-full flex-col overflow-y-auto p-3" onClick={onNavigate}>
      <NavLink to="/" end className={itemClass}>
        <LayoutDashboard size={16} aria-hidden /> Overview
      </NavLink>
      <NavLink to="/tasks" className={itemClass}>
        <ListChecks size={16} aria-hidden /> Tasks
      </NavLink>
      <NavLink to="/chats" className={itemClass}>
        <MessageSquare size={16} aria-hidden /> Chats
      </NavLink>

      <Section title="Projects" action={<NewProjectButton />}>
        {projects.isPending && <p className="px-2 text-sm text-muted">Loading…</p>}
        {projects.error && <p className="px-2 text-sm text-danger">Projects could not be loaded.</p>}
        {projects.data?.items.length === 0 && <p className="px-2 text-sm text-muted">No projects yet.</p>}
        {projects.data?.items.map((project) => (
          <NavLink key={project.id} to={`/projects/${project.id}`} className={itemClass}>
            <span
              aria-hidden
              className="h-2.5 w-2.5 shrink-0 rounded-full"
              style={{ background: project.color ?? "var(--color-muted)" }}
            />
            <span className="min-w-0 flex-1 truncate">{project.name}</span>
            <span className="text-xs text-muted" title="Tasks done">
              {progressPercent(project.stats.progress)}%
            </span>
            <span className="text-xs text-muted" title="Cost today">
              {formatUsd(project.stats.todayCostUsd)}
            </span>
          </NavLink>
        ))}
      </Section>

      <Section title="Unassigned chats">
        {chats.isPending && <p className="px-2 text-sm text-muted">Loading…</p>}
        {chats.error && <p className="px-2 text-sm text-danger">Chats could not be loaded.</p>}
        {chats.data?.items.length === 0 && (
          <p className="px-2 text-sm text-muted">No chats outside projects.</p>
        )}
        {chats.data?.items.map((chat) => (
          <NavLink key={chat.id} to={`/chats/${chat.id}`} className={itemClass}>
            <Bot size={14} aria-hidden className="shrink-0 text-muted" />
            <span className="truncate">{chat.title}</span>
          </NavLink>
        ))}
        {chats.data && chats.data.pages > 1 && (
          <Link to="/chats?projectId=unassigned" className="px-2 py-1 text-xs text-accent hover:underline">
            All {chats.data.total} chats outside projects
          </Link>
        )}
      </Section>

      <div className="mt-auto flex flex-col gap-0.5 pt-4">
        <NavLink to="/usage" className={itemClass}>
          <ChartColumn size={16} aria-hidden /> Usage
        </NavLink>
        <NavLink to="/budgets" className={itemClass}>
          <Wallet size={16} aria-hidden /> Budgets
        </NavLink>
        <NavLink to="/notifications" className={itemClass}>
          <Bell size={16} aria-hidden /> Notifications
        </NavLink>
        <NavLink to="/settings" className={itemClass}>
          <Settings size={16} aria-hidden /> Settings
        </NavLink>
        {me.data?.role === "admin" && (
          <NavLink to="/admin" className={itemClass}>
            <Shield size={16} aria-hidden /> Administration
          </NavLink>
        )}
      </div>
    </nav>
  );
}
