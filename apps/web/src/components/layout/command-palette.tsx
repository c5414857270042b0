// Ctrl+K (⌘K on a Mac) anywhere: go to a section, or type to find tasks, chats and messages (GET /search),
// all by keyboard. cmdk gives the listbox semantics and arrow-key selection; results come from the server,
// so cmdk's own filtering is off and the sections are matched here.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import { Search } from "lucide-react";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { useTRPC } from "../../lib/trpc";
import { useSettled } from "../../lib/use-settled";
import { Button } from "../ui/button";

const SECTIONS = [
  { label: "Overview", to: "/" },
  { label: "Tasks", to: "/tasks" },
  { label: "Chats", to: "/chats" },
  { label: "Usage", to: "/usage" },
  { label: "Budgets", to: "/budgets" },
  { label: "Notifications", to: "/notifications" },
  { label: "Settings", to: "/settings" },
];
const SEARCH_DELAY_MS = 200;

const itemClass =
  "flex cursor-pointer flex-col gap-0.5 rounded px-3 py-2 text-sm data-[selected=true]:bg-accent/15 data-[selected=true]:text-accent";
const groupClass =
  "px-1 py-1 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-semibold [&_[cmdk-group-heading]]:text-muted";

export function CommandPalette() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const query = useSettled(typed.trim(), SEARCH_DELAY_MS);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === "k" && (event.metaKey || event.ctrlKey)) {
        event.preventDefault();
        setOpen((was) => !was);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const results = useQuery({
    ...trpc.search.find.queryOptions({ q: query, limit: 6 }),
    enabled: open && query.length > 0,
    placeholderData: keepPreviousData,
  });
  const go = (to: string) => {
    setOpen(false);
    setTyped("");
    navigate(to);
  };
  const sections = SECTIONS.filter((s) => s.label.toLowerCase().includes(typed.trim().toLowerCase()));
  const found = query.length > 0 ? results.data : undefined;

  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Control+K Meta+K"
        title="Search and go anywhere (Ctrl+K)"
      >
        <Search size={16} aria-hidden /> <span className="hidden sm:inline">Search</span>
        <kbd className="hidden rounded border border-border px-1 text-xs text-muted sm:inline">Ctrl K</kbd>
      </Button>
      <Command.Dialog
        open={open}
        onOpenChange={setOpen}
        label="Search and go to"
        shouldFilter={false}
        overlayClassName="fixed inset-0 z-40 bg-black/40"
        contentClassName="fixed left-1/2 top-24 z-50 w-[min(36rem,calc(100vw-2rem))] -translate-x-1/2 overflow-hidden rounded-lg border border-border bg-surface shadow-xl"
      >
        <Command.Input
          value={typed}
          onValueChange={setTyped}
          placeholder="Search tasks, chats and messages, or go to a section…"
          aria-label="Search"
          className="w-full border-b border-border bg-transparent px-4 py-3 text-sm outline-none"
        />
        <Command.List className="max-h-96 overflow-y-auto p-1">
          <Command.Empty className="px-4 py-3 text-sm text-muted">
            {results.isFetching ? "Searching…" : "Nothing matches."}
          </Command.Empty>
          {sections.length > 0 && (
            <Command.Group heading="Go to" className={groupClass}>
              {sections.map((s) => (
                <Command.Item
                  key={s.to}
                  value={`section ${s.to}`}
                  onSelect={() => go(s.to)}
                  className={itemClass}
                >
                  {s.label}
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {found && found.tasks.length > 0 && (
            <Command.Group heading="Tasks" className={groupClass}>
              {found.tasks.map((t) => (
                <Command.Item
                  key={t.id}
                  value={`task ${t.id}`}
                  onSelect={() => go(`/tasks/${t.id}`)}
                  className={itemClass}
                >
                  {t.title}
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {found && found.conversations.length > 0 && (
            <Command.Group heading="Chats" className={groupClass}>
              {found.conversations.map((c) => (
                <Command.Item
                  key={c.id}
                  value={`chat ${c.id}`}
                  onSelect={() => go(`/chats/${c.id}`)}
                  className={itemClass}
                >
                  {c.title}
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {found && found.messages.length > 0 && (
            <Command.Group heading="Messages" className={groupClass}>
              {found.messages.map((m) => (
                <Command.Item
                  key={m.id}
                  value={`message ${m.id}`}
                  onSelect={() => go(`/chats/${m.conversationId}`)}
                  className={itemClass}
                >
                  <span className="text-xs text-muted">{m.conversationTitle}</span>
                  <span className="truncate">{m.snippet}</span>
                </Command.Item>
              ))}
            </Command.Group>
          )}
        </Command.List>
      </Command.Dialog>
    </>
  );
}
