// "Create API key": a name, what the key may do (and in which project), an optional lifetime, then the secret — shown this once and never again,
// so the dialog says so and offers to copy it.
import { zCreateApiKeyInput } from "@crewdeck/api/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { checkInput, type FieldOf, inputResolver, sameNames, typedNumber } from "../../lib/schema-form";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { Button } from "../ui/button";
import { FormDialog } from "../ui/form-dialog";
import { FormSelectField, FormTextField } from "../ui/form-field";
import { type ApiKeyAccess, accessChoices, accessLabel, scopesFor } from "./api-key-access";
import { CopyableField } from "./copy-button";

type CreatedKey = RouterOutputs["apiKeys"]["create"];

function SecretView({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  return (
    <div className="flex flex-col gap-4">
      <p role="alert" className="flex gap-2 rounded-md bg-warn-bg p-3 text-sm text-warn">
        <TriangleAlert size={16} aria-hidden className="mt-0.5 shrink-0" />
        Copy this key now and keep it somewhere safe. It will not be shown again; if it is lost, revoke it and
        create another.
      </p>
      <CopyableField label="API key" value={created.key} copyLabel="Copy API key" />
      <p className="text-xs text-muted">
        Send it as the <code className="font-mono">X-API-Key</code> header.
      </p>
      <div className="flex justify-end">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

type Values = { name: string; expiresInDays: string; access: ApiKeyAccess; projectId: string };

const emptyValues = (): Values => ({ name: "", expiresInDays: "", access: "read-write", projectId: "" });
const sameField = sameNames<Values>("name", "expiresInDays", "projectId");
const fieldOf: FieldOf<Values> = (field) => (field === "scopes" ? "access" : sameField(field));
const resolver = inputResolver(
  (values: Values) =>
    checkInput(zCreateApiKeyInput, {
      name: values.name,
      scopes: scopesFor(values.access),
      ...(values.projectId && { projectId: values.projectId }),
      ...(values.expiresInDays.trim() && { expiresInDays: typedNumber(values.expiresInDays) }),
    }),
  fieldOf,
);

export function CreateApiKeyDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const form = useForm({ defaultValues: emptyValues(), resolver });
  const me = useMe();
  const projects = useQuery({ ...trpc.projects.list.queryOptions({ limit: 100 }), enabled: open });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.apiKeys.pathKey() }),
      onError: () => {},
    }),
  );
  const trigger = (
    <Button variant="primary">
      <KeyRound size={16} aria-hidden /> Create API key
    </Button>
  );
  const description = "An API key acts as you for scripts and integrations, over REST or tRPC.";

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={emptyValues()}
      title="Create API key"
      description={description}
      trigger={trigger}
      form={form}
      fieldOf={fieldOf}
      onSubmit={(input) => create.mutate(input)}
      request={create}
      submitLabel="Create key"
      result={
        create.data && {
          title: "Your new API key",
          content: <SecretView created={create.data} onDone={() => setOpen(false)} />,
        }
      }
      submitDisabled={!form.watch("name").trim()}
    >
      <FormTextField
        form={form}
        name="name"
        label="Name"
        maxLength={64}
        required
        autoFocus
        placeholder="CI pipeline"
      />
      <FormSelectField
        form={form}
        name="access"
        label="Access"
        choices={accessChoices(me.data?.role === "admin")}
        choiceLabel={accessLabel}
        hint="Read only keys can look but not change anything. No key can manage keys, sessions or the account."
      />
      <FormSelectField
        form={form}
        name="projectId"
        label="Project"
        hint="A key for one project sees nothing else."
      >
        <option value="">All my projects</option>
        {projects.data?.items.map((project) => (
          <option key={project.id} value={project.id}>
            {project.name}
          </option>
        ))}
      </FormSelectField>
      <FormTextField
        form={form}
        name="expiresInDays"
        label="Expires in (days)"
        type="number"
        inputMode="numeric"
        min={1}
        max={1825}
        step={1}
        hint="Leave empty for a key that does not expire."
      />
    </FormDialog>
  );
}
