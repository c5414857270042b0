// `POST /projects/{pid}/issues/{id}/start`: the project's architect reads a GitHub issue in a conversation of
// type `issue` and files tasks for it. The request answers at once with the conversation; the architect's
// reply streams into it (metered and budgeted like any reply), and when it is complete its tasks are filed
// in one transaction, announced (`task_progress`, a system message) and listed in a comment on the issue.
import { schema } from "@crewdeck/db";
import {
  cancelReplies,
  conversationScope,
  type IssueTasksReply,
  issueTasksRequest,
  planReplies,
  publishMessage,
  startIssueTaskPlanning,
  taskScope,
  transactionWithEvents,
} from "@crewdeck/engine";
import { commentOnIssue } from "@crewdeck/github";
import { and, asc, eq, ne } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { asApiError, conflict } from "../../errors";
import { insertTask } from "../tasks/create";
import type { IssueRow } from "./list";

type ConversationRow = typeof schema.conversations.$inferSelect;

/** The project's first active, unpaused architect, in pipeline order. */
async function findArchitect(deps: ApiDeps, projectId: string) {
  const a = schema.agents;
  const architect = await deps.db.query.agents.findFirst({
    where: and(
      eq(a.projectId, projectId),
      eq(a.role, "architect"),
      eq(a.isActive, true),
      ne(a.status, "paused"),
    ),
    orderBy: [asc(a.position), asc(a.createdAt)],
  });
  if (!architect) {
    throw conflict(
      "The project has no active architect to read the issue: add an agent with the architect role, or resume it.",
    );
  }
  return architect;
}

export type StartIssueResult = {
  conversationId: string;
  messageId: string;
  issueId: string;
  architect: { id: string; name: string };
  status: "planning";
};

export async function startIssue(
  deps: ApiDeps,
  input: { issue: IssueRow; user: { id: string; name: string } },
): Promise<StartIssueResult> {
  const { issue, user } = input;
  const architect = await findArchitect(deps, issue.projectId);
  const repository = await deps.db.query.projectRepositories.findFirst({
    columns: { fullName: true },
    where: eq(schema.projectRepositories.id, issue.repositoryId),
  });
  const { conversation, messageId } = await deps.db.transaction(async (tx) => {
    const [conversation] = await tx
      .insert(schema.conversations)
      .values({
        projectId: issue.projectId,
        createdById: user.id,
        title: `Issue #${issue.number}: ${issue.title}`.slice(0, 200),
        type: "issue",
        issueId: issue.id,
      })
      .returning();
    if (!conversation) throw new Error("conversation insert returned nothing");
    await tx
      .insert(schema.conversationAgents)
      .values({ conversationId: conversation.id, agentId: architect.id });
    const [message] = await tx
      .insert(schema.messages)
      .values({
        conversationId: conversation.id,
        authorType: "user",
        userId: user.id,
        content: issueTasksRequest({
          number: issue.number,
          title: issue.title,
          body: issue.body,
          labels: issue.labels,
          htmlUrl: issue.htmlUrl,
          repositoryFullName: repository?.fullName ?? "the repository",
        }),
        metadata: { issueId: issue.id, agentIds: [architect.id] },
      })
      .returning({ id: schema.messages.id });
    if (!message) throw new Error("message insert returned nothing");
    return { conversation, messageId: message.id };
  });

  // The reply's worst-case cost is held before answering: no provider (502) or a blocking limit (402)
  // refuses the start, and the conversation it would have used is removed again.
  let plan: Awaited<ReturnType<typeof planReplies>>;
  try {
    plan = await planReplies(deps.engine, {
      conversation,
      userId: user.id,
      pending: null,
      agentIds: [architect.id],
    });
  } catch (error) {
    await deps.db.delete(schema.conversations).where(eq(schema.conversations.id, conversation.id));
    throw error;
  }
  if (plan.replies.length === 0) {
    await cancelReplies(deps.engine, plan);
    await deps.db.delete(schema.conversations).where(eq(schema.conversations.id, conversation.id));
    throw conflict(`${architect.name} cannot answer right now; try again in a moment.`);
  }
  // Announced once the start is certain (a refused start removes the conversation again), through the
  // outbox: a bus that is down (Redis restarting) neither holds the answer nor loses the event.
  await transactionWithEvents(deps.engine, (tx, events) =>
    publishMessage({ db: tx, bus: events }, conversationScope(conversation), messageId),
  );
  void startIssueTaskPlanning(deps.engine, plan, messageId, async (reply) => {
    await fileIssueTasks(deps, { issue, conversation, userId: user.id, reply });
  });
  return {
    conversationId: conversation.id,
    messageId,
    issueId: issue.id,
    architect: { id: architect.id, name: architect.name },
    status: "planning",
  };
}

const bulletList = (items: string[]) => items.map((item) => `- ${item}`).join("\n");

/**
 * Files the architect's tasks (all or none), then tells everyone: a `task_progress` per task, a system
 * message in the issue's conversation, and a comment on the GitHub issue linking each task. A failed comment
 * is said in the conversation; the tasks stay.
 */
export async function fileIssueTasks(
  deps: ApiDeps,
  input: { issue: IssueRow; conversation: ConversationRow; userId: string; reply: IssueTasksReply },
) {
  const { issue, conversation, userId, reply } = input;
  // The tasks and their announcements commit together: no task appears that was not filed, and none
  // filed goes unannounced if this process dies right after.
  const tasks = await transactionWithEvents(deps.engine, async (tx, events) => {
    const filed = [];
    for (const task of reply.output.tasks) {
      filed.push(
        await insertTask(tx, userId, issue.projectId, {
          title: task.title,
          description: task.description,
          definitionOfDone: bulletList(task.definitionOfDone),
          type: task.type,
          priority: task.priority,
          complexity: task.complexity,
          issueId: issue.id,
          repositoryId: issue.repositoryId,
        }),
      );
    }
    await tx
      .update(schema.messages)
      .set({ metadata: { issueId: issue.id, taskIds: filed.map((t) => t.id) } })
      .where(eq(schema.messages.id, reply.messageId));
    for (const task of filed) {
      await events.publish({
        type: "task_progress",
        scope: taskScope(task),
        payload: {
          taskId: task.id,
          status: task.status,
          progress: { completed: 0, total: 0, percentage: 0 },
          message: `Filed from issue #${issue.number}`,
        },
      });
    }
    return filed;
  });
  const { engine } = deps;
  const links = tasks.map((task) => `${deps.settings.appUrl}/tasks/${task.id}`);
  let note = `Filed ${tasks.length} task${tasks.length === 1 ? "" : "s"} for issue #${issue.number}:\n${bulletList(
    tasks.map((task, i) => `${task.title} (${links[i]})`),
  )}`;
  try {
    await commentOnIssue(deps.github, {
      issueId: issue.id,
      userId,
      body: [
        `Crewdeck filed ${tasks.length === 1 ? "a task" : `${tasks.length} tasks`} for this issue:`,
        "",
        ...tasks.map((task, i) => `- [${task.title}](${links[i]})`),
      ].join("\n"),
    });
  } catch (error) {
    const reason = asApiError(error)?.message ?? "GitHub could not be reached.";
    if (!asApiError(error)) engine.logger.error(`Commenting on issue ${issue.id} failed`, error);
    note += `\n\nThe comment on GitHub could not be posted: ${reason}`;
  }
  // The notice is announced with its row: GitHub was called before, so it cannot share the tasks' transaction.
  await transactionWithEvents(engine, async (tx, events) => {
    const [notice] = await tx
      .insert(schema.messages)
      .values({
        conversationId: conversation.id,
        authorType: "system",
        content: note,
        replyToId: reply.messageId,
        metadata: { issueId: issue.id, taskIds: tasks.map((t) => t.id) },
      })
      .returning({ id: schema.messages.id });
    if (notice) await publishMessage({ db: tx, bus: events }, conversationScope(conversation), notice.id);
  });
  return tasks;
}
