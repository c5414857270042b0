// The link of a new invitation, shown once (only its hash is kept), with a way to copy it.

import { CopyableField } from "../settings/copy-button";
import { Button } from "../ui/button";

export type CreatedInvitation = { link: string; emailSent: boolean; invitation: { email: string | null } };

function InvitationLinkView({ created, onDone }: { created: CreatedInvitation; onDone: () => void }) {
  const to = created.invitation.email;
  return (
    <div className="flex flex-col gap-4">
      <p role="status" className="text-sm">
        {created.emailSent && to
          ? `We mailed this link to ${to}. You can also pass it on yourself.`
          : to
            ? `Send this link to ${to}: it works once, for that address, for 7 days.`
            : "Send this link to the person you invite: it works once, for 7 days."}{" "}
        It will not be shown again.
      </p>
      <CopyableField label="Invitation link" value={created.link} copyLabel="Copy invitation link" />
      <div className="flex justify-end">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

/** A form dialog's `result` once an invitation is created: its link, under the title "Invitation created". */
export const invitationResult = (created: CreatedInvitation | undefined, onDone: () => void) =>
  created && {
    title: "Invitation created",
    content: <InvitationLinkView created={created} onDone={onDone} />,
  };
