// "Create API key": a name and an optional lifetime, then the secret — shown this once and never again,
// so the dialog says so and offers to copy it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { KeyRound, TriangleAlert } from "lucide-react";
import { type FormEvent, useState } from "react";
import { describeError, fieldErrors } from "../../lib/errors";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { TextField } from "../ui/field";
import { CopyButton } from "./copy-button";

type CreatedKey = RouterOutputs["apiKeys"]["create"];

function SecretView({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  return (
    <div className="flex flex-col gap-4">
      <p role="alert" className="flex gap-2 rounded-md bg-warn-bg p-3 text-sm text-warn">
        <TriangleAlert size={16} aria-hidden className="mt-0.5 shrink-0" />
        Copy this key now and keep it somewhere safe. It will not be shown again; if it is lost, revoke it and
        create another.
      </p>
      <div className="flex items-end gap-2">
        {/* Read-only input: selectable, and read out with its label by screen readers. */}
        <TextField
          label="API key"
          readOnly
          value={created.key}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 font-mono"
        />
        <CopyButton text={created.key} label="Copy API key" />
      </div>
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

export function CreateApiKeyDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [days, setDays] = useState("");
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.apiKeys.pathKey() }),
      onError: () => {},
    }),
  );
  const errors = fieldErrors(create.error);
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const daysNumber = Number(days);
  const daysInvalid =
    days.trim() !== "" && (!Number.isInteger(daysNumber) || daysNumber < 1 || daysNumber > 1825);

  const openChange = (next: boolean) => {
    if (next) {
      setName("");
      setDays("");
      create.reset();
    }
    setOpen(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (daysInvalid) return;
    create.mutate({ name: name.trim(), ...(days.trim() && { expiresInDays: daysNumber }) });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={openChange}
      title={create.data ? "Your new API key" : "Create API key"}
      description="An API key acts as you for scripts and integrations, over REST or tRPC."
      trigger={
        <Button variant="primary">
          <KeyRound size={16} aria-hidden /> Create API key
        </Button>
      }
    >
      {create.data ? (
        <SecretView created={create.data} onDone={() => setOpen(false)} />
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-4">
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={64}
            required
            autoFocus
            placeholder="CI pipeline"
            error={errorOf("name")}
          />
          <TextField
            label="Expires in (days)"
            type="number"
            inputMode="numeric"
            min={1}
            max={1825}
            step={1}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            hint="Leave empty for a key that does not expire."
            error={daysInvalid ? "A whole number of days from 1 to 1825" : errorOf("expiresInDays")}
          />
          {create.error && errors.length === 0 && (
            <p role="alert" className="text-sm text-danger">
              {describeError(create.error)}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim()}>
              Create key
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
