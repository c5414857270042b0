// Every chat the person can see, newest activity first, filtered by project and status. Filters live in the
// address, so /chats?projectId=… is a project's chats (the project page links there).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { ChatFilterBar } from "../../components/chat/chat-filter-bar";
import {
  type ChatFilters,
  readChatFilters,
  toChatListInput,
  UNASSIGNED,
  writeChatFilters,
} from "../../components/chat/chat-filters";
import { ConversationRows } from "../../components/chat/conversation-rows";
import { NewChatDialog } from "../../components/chat/new-chat-dialog";
import { lastProject } from "../../components/projects/last-project";
import { NoProjectYet } from "../../components/projects/no-project-yet";
import { useProjects } from "../../components/tasks/use-task-lookups";
import { Button } from "../../components/ui/button";
import { Pager } from "../../components/ui/pager";
import { Empty, Failed, Loading } from "../../components/ui/states";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";

/** A status filter can hide chats; a project alone just has none yet. */
function emptyTitle(filters: ChatFilters, projectName: string | undefined): string {
  if (filters.status) return "No chats match these filters";
  if (filters.projectId === UNASSIGNED) return "No chats outside projects yet";
  if (filters.projectId) return `No chats in ${projectName ?? "this project"} yet`;
  return "No chats yet";
}

export default function ChatsPage() {
  usePageTitle("Chats");
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const filters = readChatFilters(params);
  const chats = useQuery({
    ...trpc.conversations.list.queryOptions(toChatListInput(filters)),
    // Changing a filter or page keeps the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
  const { projects, byId, isPending: projectsLoading } = useProjects();

  // A new filter starts from its first page.
  const setFilters = (changes: Partial<ChatFilters>) =>
    setParams(writeChatFilters({ ...filters, page: 1, ...changes }), { replace: true });
  const clearFilters = () => setParams(new URLSearchParams());
  const goToPage = (page: number) => setParams(writeChatFilters({ ...filters, page }));

  const projectName = filters.projectId ? byId.get(filters.projectId)?.name : undefined;
  const scope =
    filters.projectId === UNASSIGNED
      ? "Your chats outside projects"
      : filters.projectId
        ? `In ${projectName ?? "the selected project"}`
        : "Your conversations with agents, across your projects and outside them";
  const items = chats.data?.items ?? [];

  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4 p-4 sm:p-6">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold">Chats</h1>
          <p className="text-sm text-muted">{scope}</p>
        </div>
        <NewChatDialog
          projects={projects}
          // The project on screen, else the one the person came from: a chat in "No project" has no agents
          // to answer it.
          defaultProjectId={filters.projectId ?? lastProject()}
        />
      </header>

      <ChatFilterBar filters={filters} onChange={setFilters} onClear={clearFilters} />

      {chats.data && (
        <p className="text-sm text-muted" aria-live="polite">
          {chats.data.total === 1 ? "1 chat" : `${chats.data.total} chats`}
          {chats.isFetching && !chats.isPending && " · updating…"}
        </p>
      )}

      {chats.isPending ? (
        <Loading label="Loading chats…" />
      ) : chats.error && !chats.data ? (
        <Failed error={chats.error} onRetry={() => void chats.refetch()} />
      ) : items.length === 0 && filters.page > 1 ? (
        // A page that emptied since it was linked (chats deleted meanwhile).
        <Empty title="No chats on this page">
          <Button size="sm" onClick={() => goToPage(1)}>
            Go to the first page
          </Button>
        </Empty>
      ) : items.length === 0 &&
        !filters.status &&
        !filters.projectId &&
        !projectsLoading &&
        projects.length === 0 ? (
        <NoProjectYet title="No chats yet">
          Agents answer in their project's chats: create a project first, and its crew is ready to talk.
        </NoProjectYet>
      ) : items.length === 0 ? (
        <Empty title={emptyTitle(filters, projectName)}>
          {filters.status ? (
            <Button size="sm" onClick={clearFilters}>
              Show all chats
            </Button>
          ) : (
            "Start one with New chat: pick a project and the agents who should answer."
          )}
        </Empty>
      ) : (
        <ConversationRows conversations={items} projects={byId} />
      )}

      {chats.data && (
        <Pager page={chats.data.page} pages={chats.data.pages} onPage={goToPage} label="Chat pages" />
      )}
    </div>
  );
}
