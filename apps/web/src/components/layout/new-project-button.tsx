// Creating a project from anywhere: name, description and colour; the crew is created with it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { describeError, fieldErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { ColourPicker, PROJECT_COLOURS } from "../projects/colour-picker";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { TextAreaField, TextField } from "../ui/field";

export function NewProjectButton({ label }: { label?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [color, setColor] = useState<string>(PROJECT_COLOURS[0]);
  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: (project) => {
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
        setOpen(false);
        setName("");
        setDescription("");
        toast.success(`Project ${project.name} created with its crew`);
        navigate(`/projects/${project.id}`);
      },
    }),
  );
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      name: name.trim(),
      color,
      ...(description.trim() ? { description: description.trim() } : {}),
    });
  };
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title="New project"
      description="A project gets a crew of agents and its own budget, chats and tasks."
      trigger={
        label ? (
          <Button variant="primary">
            <Plus size={16} aria-hidden /> {label}
          </Button>
        ) : (
          <Button variant="ghost" size="icon" aria-label="New project">
            <Plus size={16} aria-hidden />
          </Button>
        )
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-4">
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          autoFocus
          error={errors.find((e) => e.field === "name")?.message}
        />
        <TextAreaField
          label="Description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <ColourPicker value={color} onChange={setColor} />
        {create.error && errors.length === 0 && (
          <p role="alert" className="text-sm text-danger">
            {describeError(create.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create project
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
