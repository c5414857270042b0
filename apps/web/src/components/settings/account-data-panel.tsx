// Everything the account owns: downloaded as one JSON document, or deleted for good.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { useServices } from "../../lib/app-context";
import { downloadFile } from "../../lib/download";
import { describeError } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { PasswordConfirmedButton } from "./password-confirmed-button";

function ExportData() {
  const { session, serverUrl } = useServices();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const day = new Date().toISOString().slice(0, 10);
      await downloadFile(session, `${serverUrl}/api/v1/users/me/export`, `crewdeck-export-${day}.json`);
    } catch (error) {
      toast.error(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="export-heading" className="flex flex-col gap-2">
      <h2 id="export-heading" className="text-lg font-semibold">
        Your data
      </h2>
      <p className="max-w-xl text-sm text-muted">
        Download every record you own — profile, projects, chats, tasks and usage — as one JSON file.
      </p>
      <div>
        <Button onClick={download} busy={busy}>
          <Download size={16} aria-hidden /> Download my data
        </Button>
      </div>
    </section>
  );
}

function DeleteAccount() {
  const trpc = useTRPC();
  const { session } = useServices();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation(
    trpc.users.deleteMe.mutationOptions({
      onSuccess: () => {
        session.clear();
        queryClient.clear();
        navigate("/login", { replace: true });
      },
    }),
  );
  return (
    <section
      aria-labelledby="delete-heading"
      className="flex flex-col gap-2 rounded-lg border border-danger/40 p-4"
    >
      <h2 id="delete-heading" className="text-lg font-semibold text-danger">
        Delete account
      </h2>
      <p className="max-w-xl text-sm text-muted">
        Deletes your account and everything only you own. Projects you share with others pass to another
        member. This cannot be undone: download your data first if you want to keep it.
      </p>
      <PasswordConfirmedButton
        label="Current password"
        hint="Needed to delete your account."
        title="Delete your account?"
        description="Your account, your own projects and everything in them are deleted for good, and you are signed out everywhere. This cannot be undone."
        confirmLabel="Delete my account"
        onConfirm={(password) => remove.mutateAsync({ password })}
      >
        Delete account
      </PasswordConfirmedButton>
    </section>
  );
}

export function AccountDataPanel() {
  return (
    <div className="flex flex-col gap-6">
      <ExportData />
      <DeleteAccount />
    </div>
  );
}
