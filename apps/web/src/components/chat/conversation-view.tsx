// One conversation's messages and the box to write in, without page chrome: the chat page shows it under
// its header, and the task page embeds a task's conversation with it. It fills its parent's height (give
// the parent one, e.g. `h-[70vh]`); files can be dropped anywhere on it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { describeError, errorCode } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { Empty, Failed, Loading } from "../ui/states";
import { postErrorHint } from "./chat-format";
import { Composer, type Draft } from "./composer";
import { type Answering, ConversationNotices } from "./conversation-notices";
import { MessageList } from "./message-list";
import { useAttachmentUploads } from "./use-attachment-uploads";
import { useConversationMessages } from "./use-conversation-messages";
import { useFileDrop } from "./use-file-drop";
import { useTypingIndicator, useTypingNotifier } from "./use-typing";

export function ConversationView({
  conversationId,
  canWrite = true,
}: {
  conversationId: string;
  /** Viewers read a chat but may not write in it or direct its agents; the server refuses them anyway. */
  canWrite?: boolean;
}) {
  // A fresh view per conversation: nothing typed, uploaded or scrolled carries over to another one.
  return <ConversationBody key={conversationId} conversationId={conversationId} canWrite={canWrite} />;
}

function PostError({ error }: { error: unknown }) {
  const hint = postErrorHint(errorCode(error));
  return (
    <>
      <p>Your message was not sent: {describeError(error)}</p>
      {hint && (
        <p className="mt-1 text-xs">
          {hint.text}{" "}
          <Link to={hint.to} className="underline">
            {hint.link}
          </Link>
        </p>
      )}
    </>
  );
}

function ConversationBody({ conversationId, canWrite }: { conversationId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const { detail, log, loadOlder, loadingOlder, olderError, addMessages, dropMessage } =
    useConversationMessages(conversationId);
  const uploads = useAttachmentUploads();
  const typing = useTypingNotifier(conversationId);
  const drop = useFileDrop(uploads.add);

  const agents = detail.data?.agents ?? [];
  const typingText = useTypingIndicator(conversationId, ({ agentId, userId }) => {
    if (agentId) return agents.find((a) => a.id === agentId)?.name ?? "An agent";
    return (
      log.messages.find((m) => m.authorType === "user" && m.author.id === userId)?.author.name ?? "Someone"
    );
  });

  const [answering, setAnswering] = useState<Answering | null>(null);
  // Who answers changes with the chat's agents: what was said about the last post no longer holds.
  const agentsKey = agents.map((a) => a.id).join(",");
  useEffect(() => setAnswering(null), [agentsKey]);
  const post = useMutation(
    trpc.conversations.messages.create.mutationOptions({
      // Shown under the message box with the draft kept, not as a toast.
      onError: () => {},
      onSuccess: ({ answering: next, ...message }) => {
        setAnswering(next);
        addMessages([message]);
        void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.queryKey() });
      },
    }),
  );

  const stop = useMutation(trpc.conversations.stop.mutationOptions());
  const regenerate = useMutation(
    trpc.conversations.messages.regenerate.mutationOptions({
      // Said under the message box, once; not also as a toast.
      onError: () => {},
      onSuccess: (_, { messageId }) => dropMessage(messageId),
    }),
  );
  const [prefill, setPrefill] = useState<{ text: string; key: number } | null>(null);
  const writing = log.messages.some((m) => m.status === "streaming");

  const send = async ({ content, attachmentIds, agentIds }: Draft) => {
    await post.mutateAsync({
      conversationId,
      content,
      ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
      ...(agentIds.length > 0 ? { agentIds } : {}),
    });
    uploads.clear();
    typing.stopped();
  };

  if (detail.isPending) return <Loading label="Loading messages…" />;
  if (!detail.data) return <Failed error={detail.error} onRetry={() => detail.refetch()} />;
  const conversation = detail.data;
  const completed = conversation.status === "completed";

  return (
    <section
      aria-label="Conversation"
      className="relative flex h-full min-h-96 flex-col overflow-hidden bg-bg"
      {...drop.handlers}
    >
      <div className="min-h-0 flex-1">
        {log.messages.length === 0 ? (
          <div className="p-4">
            <Empty title="No messages yet">
              {agents.length > 0
                ? `Write to ${agents.map((a) => a.name).join(", ")} below.`
                : "Write the first message below."}
            </Empty>
          </div>
        ) : (
          <MessageList
            log={log}
            myUserId={me.data?.id}
            loadOlder={loadOlder}
            loadingOlder={loadingOlder}
            olderError={olderError}
            actions={
              canWrite
                ? {
                    regenerate: (message) => regenerate.mutate({ conversationId, messageId: message.id }),
                    editAndResend: (message) => setPrefill({ text: message.content, key: Date.now() }),
                  }
                : undefined
            }
          />
        )}
      </div>
      <p aria-live="polite" className="h-5 shrink-0 truncate px-4 text-xs text-muted italic">
        {typingText}
      </p>
      <ConversationNotices
        conversation={conversation}
        // "X will answer" has done its job once an agent speaks; a reason nobody will stays until dismissed.
        answering={answering?.reason || log.messages.at(-1)?.authorType !== "agent" ? answering : null}
        onDismissAnswering={() => setAnswering(null)}
      />
      <Composer
        agents={agents}
        attachments={uploads.attachments}
        onAddFiles={uploads.add}
        onRemoveFile={uploads.remove}
        onSend={send}
        onTyped={typing.typed}
        sending={post.isPending}
        error={
          post.error ? (
            <PostError error={post.error} />
          ) : regenerate.error ? (
            <p>The reply was not regenerated: {describeError(regenerate.error)}</p>
          ) : null
        }
        disabled={completed}
        disabledReason={
          canWrite ? null : "You are a viewer in this project: you can read this chat but not write in it."
        }
        prefill={prefill}
        onStop={writing && canWrite ? () => stop.mutate({ conversationId }) : null}
      />
      {drop.dragging && (
        <div className="pointer-events-none absolute inset-2 flex items-center justify-center rounded-lg border-2 border-dashed border-accent bg-surface/90 text-sm font-medium text-accent">
          Drop files to attach them
        </div>
      )}
    </section>
  );
}
