// Asks before banning someone, with an optional reason and end date. A ban signs them out everywhere.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { describeError, fieldErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { TextField } from "../ui/field";
import type { AdminUser } from "./admin-users";

export function BanUserDialog({ user, onBanned }: { user: AdminUser; onBanned: () => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const ban = useMutation(
    trpc.admin.users.update.mutationOptions({
      onSuccess: () => {
        onBanned();
        setOpen(false);
      },
      onError: () => {},
    }),
  );
  const errors = fieldErrors(ban.error);
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const openChange = (next: boolean) => {
    if (next) {
      setReason("");
      setUntil("");
      ban.reset();
    }
    setOpen(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    ban.mutate({
      userId: user.id,
      banned: true,
      ...(reason.trim() && { banReason: reason.trim() }),
      // The date input gives a day; the ban ends at the start of it, local time.
      ...(until && { banExpires: new Date(`${until}T00:00:00`).toISOString() }),
    });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={openChange}
      title={`Ban ${user.name}?`}
      description="They are signed out everywhere at once and cannot sign in or use their API keys until the ban ends or is lifted."
      trigger={
        <Button size="sm" variant="ghost" className="text-danger">
          Ban<span className="sr-only"> {user.name}</span>
        </Button>
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-4">
        <TextField
          label="Reason (optional)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          error={errorOf("banReason")}
        />
        <TextField
          label="Banned until (optional)"
          type="date"
          value={until}
          onChange={(e) => setUntil(e.target.value)}
          hint="Leave empty for a ban without end."
          error={errorOf("banExpires")}
        />
        {ban.error && errors.length === 0 && (
          <p role="alert" className="text-sm text-danger">
            {describeError(ban.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button type="submit" variant="danger" busy={ban.isPending}>
            Ban user
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
