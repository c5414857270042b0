// One message in the conversation: who wrote it (an agent with its role), when, its text as markdown
// (live while it streams), its files, and for agents what the reply cost.
import { Bot, Copy, Pencil, RefreshCw, User } from "lucide-react";
import { formatDateTime } from "../../lib/format";
import { useCopyText } from "../settings/copy-button";
import { Badge, humanStatus, statusTone } from "../ui/badge";
import { cn } from "../ui/cn";
import { describeUsage, formatMessageTime, humanRole } from "./chat-format";
import { MessageAttachments } from "./message-attachments";
import { MessageMarkdown } from "./message-markdown";
import type { ChatMessage } from "./use-conversation-messages";
import { useMessageText } from "./use-streaming-text";

const STATUS_NOTE: Record<string, string> = {
  error: "This reply failed before it was finished.",
  cancelled: "This reply was stopped.",
};

/** What the person may do to a message; absent ones are not offered (viewers get copy only). */
export type MessageActions = {
  regenerate?: (message: ChatMessage) => void;
  editAndResend?: (message: ChatMessage) => void;
};

const actionClass =
  "inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs text-muted hover:bg-subtle hover:text-text";

function MessageToolbar({
  message,
  text,
  mine,
  actions,
}: {
  message: ChatMessage;
  text: string;
  mine: boolean;
  actions: MessageActions | undefined;
}) {
  const { copied, copy } = useCopyText(text);
  const name = message.agent?.name ?? message.author.name;
  const finished = message.status !== "streaming";
  return (
    <div className="mt-0.5 flex flex-wrap gap-1">
      {text && (
        <button type="button" className={actionClass} onClick={copy} aria-label={`Copy ${name}'s message`}>
          <Copy size={12} aria-hidden /> {copied ? "Copied" : "Copy"}
        </button>
      )}
      {actions?.regenerate && message.authorType === "agent" && finished && message.replyTo && (
        <button
          type="button"
          className={actionClass}
          onClick={() => actions.regenerate?.(message)}
          aria-label={`Regenerate ${name}'s reply`}
        >
          <RefreshCw size={12} aria-hidden /> Regenerate
        </button>
      )}
      {actions?.editAndResend && mine && (
        <button type="button" className={actionClass} onClick={() => actions.editAndResend?.(message)}>
          <Pencil size={12} aria-hidden /> Edit and post again
        </button>
      )}
    </div>
  );
}

export function MessageItem({
  message,
  mine = false,
  actions,
}: {
  message: ChatMessage;
  mine?: boolean;
  actions?: MessageActions | undefined;
}) {
  const text = useMessageText(message);
  if (message.authorType === "system") {
    return (
      <div className="px-4 py-2 text-center text-xs text-muted">
        <MessageMarkdown text={text} />
      </div>
    );
  }
  const isAgent = message.authorType === "agent";
  const usage = isAgent ? describeUsage(message) : null;
  const name = message.agent?.name ?? message.author.name;
  return (
    // Busy while streaming, so screen readers announce the reply once rather than token by token.
    <article
      aria-label={`Message from ${name}`}
      aria-busy={message.status === "streaming" || undefined}
      className="flex gap-3 px-4 py-2"
    >
      <span
        aria-hidden
        className={cn(
          "mt-0.5 flex h-8 w-8 shrink-0 items-center justify-center rounded-full",
          isAgent ? "bg-accent/15 text-accent" : "bg-subtle text-muted",
        )}
      >
        {isAgent ? <Bot size={16} /> : <User size={16} />}
      </span>
      <div className="min-w-0 flex-1">
        <header className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
          <span className="text-sm font-semibold">{mine ? `${name} (you)` : name}</span>
          {message.agent && <Badge tone="accent">{humanRole(message.agent.role)}</Badge>}
          <time
            dateTime={message.createdAt}
            title={formatDateTime(message.createdAt)}
            className="text-xs text-muted"
          >
            {formatMessageTime(message.createdAt)}
          </time>
          {message.status !== "complete" && (
            <Badge tone={statusTone(message.status)}>{humanStatus(message.status)}</Badge>
          )}
        </header>
        <div
          className={cn(
            "mt-1 rounded-lg px-3 py-2",
            mine ? "bg-accent/10" : "bg-surface border border-border",
          )}
        >
          {text ? (
            <MessageMarkdown text={text} />
          ) : message.status === "streaming" ? (
            <span className="inline-flex gap-1 py-1" role="status" aria-label={`${name} is writing`}>
              <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-muted" />
              <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-muted [animation-delay:150ms]" />
              <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-muted [animation-delay:300ms]" />
            </span>
          ) : null}
          {STATUS_NOTE[message.status] && (
            <p className="mt-1 text-xs text-danger">{STATUS_NOTE[message.status]}</p>
          )}
          <MessageAttachments files={message.attachments} />
        </div>
        {usage && <p className="mt-0.5 text-xs text-muted">{usage}</p>}
        <MessageToolbar message={message} text={text} mine={mine} actions={actions} />
      </div>
    </article>
  );
}
