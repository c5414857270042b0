// Tasks as columns by status. All eight fit side by side from a laptop's width up (stacked on narrow
// screens); cards are dragged between columns (pointer or keyboard, through @dnd-kit) along the moves the
// server allows, and a refused move says why.
import {
  type CollisionDetection,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { GripVertical, X } from "lucide-react";
import { type ReactNode, useState } from "react";
import { describeError } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { cn } from "../ui/cn";
import { boardMove } from "./board-moves";
import { groupTasksByStatus } from "./group-by-status";
import { TaskCard } from "./task-card";
import { statusLabel, type TaskListItem, type TaskStatus } from "./task-options";
import type { AgentSummary, ProjectSummary } from "./use-task-lookups";

export type TaskLookups = {
  projects: Map<string, ProjectSummary>;
  agents: Map<string, AgentSummary>;
  projectsLoading: boolean;
};

// The pointer's column when it is over one; the nearest by area otherwise (keyboard drags have no pointer).
const columnUnder: CollisionDetection = (args) => {
  const within = pointerWithin(args);
  return within.length > 0 ? within : rectIntersection(args);
};

function DraggableCard({ task, children }: { task: TaskListItem; children: ReactNode }) {
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({
    id: task.id,
    data: { status: task.status, title: task.title },
  });
  return (
    <li
      ref={setNodeRef}
      style={transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined}
      className={cn("relative", isDragging && "z-10 opacity-80 shadow-lg")}
    >
      <button
        type="button"
        aria-label={`Move ${task.title}`}
        className="absolute right-1 top-1 z-[1] cursor-grab rounded p-0.5 text-muted hover:bg-subtle hover:text-text"
        {...attributes}
        {...listeners}
      >
        <GripVertical size={14} aria-hidden />
      </button>
      {children}
    </li>
  );
}

function Column({ status, count, children }: { status: TaskStatus; count: number; children: ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: status });
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={`column-${status}`}
      className={cn(
        "flex min-w-0 flex-col gap-2 rounded-lg bg-subtle p-2 md:w-64 md:shrink-0 lg:w-auto",
        isOver && "ring-2 ring-accent",
      )}
    >
      <h2
        id={`column-${status}`}
        className="flex items-center justify-between gap-1 px-1 text-sm font-semibold"
      >
        <span className="truncate">{statusLabel(status)}</span>
        <span className="text-xs font-normal text-muted">
          {count}
          <span className="sr-only"> tasks</span>
        </span>
      </h2>
      {children}
    </section>
  );
}

export function TaskBoard({
  tasks,
  onlyStatus,
  lookups,
}: {
  tasks: readonly TaskListItem[];
  onlyStatus: TaskStatus | null;
  lookups: TaskLookups;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [refusal, setRefusal] = useState<string | null>(null);
  const sensors = useSensors(
    // A few pixels of travel before a drag starts, so a click on the handle is still a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor),
  );
  const move = useMutation(
    trpc.tasks.update.mutationOptions({
      onError: (error) => setRefusal(`The task was not moved: ${describeError(error)}`),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() }),
    }),
  );

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const from = active.data.current?.status as TaskStatus | undefined;
    if (!over || !from) return;
    const decision = boardMove(from, over.id as TaskStatus);
    if (decision.kind === "refused") setRefusal(decision.message);
    if (decision.kind !== "move") return;
    setRefusal(null);
    move.mutate({ taskId: String(active.id), status: decision.to });
  };

  const columns = groupTasksByStatus(tasks, onlyStatus);
  return (
    <div className="flex flex-col gap-2">
      {refusal && (
        <div
          role="alert"
          className="flex items-start gap-2 rounded-md bg-danger-bg px-3 py-2 text-sm text-danger"
        >
          <span className="flex-1">{refusal}</span>
          <button type="button" aria-label="Dismiss" onClick={() => setRefusal(null)} className="shrink-0">
            <X size={14} aria-hidden />
          </button>
        </div>
      )}
      <DndContext
        sensors={sensors}
        collisionDetection={columnUnder}
        onDragStart={() => setRefusal(null)}
        onDragEnd={onDragEnd}
        accessibility={{
          announcements: {
            onDragStart: ({ active }) => `Picked up ${active.data.current?.title ?? "the task"}.`,
            onDragOver: ({ active, over }) =>
              over
                ? `${active.data.current?.title ?? "The task"} is over ${statusLabel(over.id as TaskStatus)}.`
                : `${active.data.current?.title ?? "The task"} is over no column.`,
            onDragEnd: ({ active, over }) =>
              over
                ? `${active.data.current?.title ?? "The task"} was dropped on ${statusLabel(over.id as TaskStatus)}.`
                : `${active.data.current?.title ?? "The task"} was dropped outside the columns.`,
            onDragCancel: ({ active }) => `Moving ${active.data.current?.title ?? "the task"} was cancelled.`,
          },
        }}
      >
        <div
          className={cn(
            "flex flex-col gap-4 pb-2 md:flex-row md:items-start md:overflow-x-auto",
            // Eight equal columns from 1024 px: Review, Completed and Failed stay on screen at 1366 px.
            columns.length > 1 && "lg:grid lg:grid-cols-8 lg:gap-2 lg:overflow-visible",
          )}
        >
          {columns.map(({ status, tasks: column }) => (
            <Column key={status} status={status} count={column.length}>
              {column.length === 0 ? (
                <p className="px-1 py-2 text-xs text-muted">Nothing here.</p>
              ) : (
                <ul className="flex flex-col gap-2">
                  {column.map((task) => (
                    <DraggableCard key={task.id} task={task}>
                      <TaskCard
                        task={task}
                        project={task.projectId ? lookups.projects.get(task.projectId) : undefined}
                        agent={
                          task.assignedToAgentId ? lookups.agents.get(task.assignedToAgentId) : undefined
                        }
                        projectsLoading={lookups.projectsLoading}
                      />
                    </DraggableCard>
                  ))}
                </ul>
              )}
            </Column>
          ))}
        </div>
      </DndContext>
    </div>
  );
}
