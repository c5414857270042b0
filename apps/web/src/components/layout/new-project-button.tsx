// Creating a project from anywhere: name, description and colour; the crew is created with it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { checkInput, inputResolver, loadSchemas, sameNames } from "../../lib/schema-form";
import { useTRPC } from "../../lib/trpc";
import { RepositoryPicker, repositoryInput, type SyncedRepository } from "../github/repository-picker";
import { ColourPicker, PROJECT_COLOURS } from "../projects/colour-picker";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { FormDialog } from "../ui/form-dialog";
import { FormTextAreaField, FormTextField } from "../ui/form-field";

type Values = { name: string; description: string; color: string };

const emptyValues = (): Values => ({ name: "", description: "", color: PROJECT_COLOURS[0] });
const fieldOf = sameNames<Values>("name", "description", "color");
const resolver = inputResolver(
  async (values: Values) =>
    checkInput((await loadSchemas()).zCreateProjectInput, {
      name: values.name,
      color: values.color,
      ...(values.description.trim() && { description: values.description }),
    }),
  fieldOf,
);

export function NewProjectButton({ label }: { label?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  // Picked from the synced list; sent with the project, which links them with GitHub's details.
  const [picked, setPicked] = useState<SyncedRepository[]>([]);
  const form = useForm({ defaultValues: emptyValues(), resolver });
  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: (project) => {
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
        setOpen(false);
        form.reset(emptyValues());
        setPicked([]);
        toast.success(`Project ${project.name} created with its crew`);
        navigate(`/projects/${project.id}`);
      },
      // Shown in the form.
      onError: () => {},
    }),
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      onOpen={() => {
        create.reset();
        setPicked([]);
        // Fetch the schemas while the person types, so submitting does not wait for them.
        void loadSchemas();
      }}
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
      form={form}
      fieldOf={fieldOf}
      onSubmit={(input) =>
        create.mutate(picked.length ? { ...input, repositories: picked.map(repositoryInput) } : input)
      }
      request={create}
      submitLabel="Create project"
    >
      <FormTextField form={form} name="name" label="Name" required maxLength={100} autoFocus />
      <FormTextAreaField form={form} name="description" label="Description" />
      <ColourPicker value={form.watch("color")} onChange={(color) => form.setValue("color", color)} />
      <RepositoryPicker
        label="Repositories (optional)"
        exclude={picked.map((r) => r.fullName)}
        onPick={(repo) => setPicked((list) => [...list, repo])}
      />
      {picked.length > 0 && (
        <ul aria-label="Chosen repositories" className="flex flex-wrap gap-2">
          {picked.map((repo) => (
            <li key={repo.id}>
              <Badge tone="accent">
                {repo.fullName}
                <button
                  type="button"
                  className="ml-1 hover:text-text"
                  aria-label={`Remove ${repo.fullName}`}
                  onClick={() => setPicked((list) => list.filter((r) => r.id !== repo.id))}
                >
                  ×
                </button>
              </Badge>
            </li>
          ))}
        </ul>
      )}
    </FormDialog>
  );
}
