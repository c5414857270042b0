// An account change that needs the current password: the password typed first, then the change confirmed in
// a dialog. The button stays disabled until a password is typed; the field empties once the change is made.
import { type ReactNode, useState } from "react";
import { ConfirmButton } from "../ui/dialog";
import { TextField } from "../ui/field";

export function PasswordConfirmedButton({
  label,
  hint,
  title,
  description,
  confirmLabel,
  onConfirm,
  children,
}: {
  /** The password field's label. */
  label: string;
  hint: string;
  title: string;
  description: string;
  confirmLabel: string;
  /** Makes the change with the typed password; a rejection keeps the dialog open (the action reports it). */
  onConfirm: (password: string) => Promise<unknown>;
  children: ReactNode;
}) {
  const [password, setPassword] = useState("");
  return (
    <div className="flex max-w-sm flex-col gap-3">
      <TextField
        label={label}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint={hint}
      />
      <div>
        <ConfirmButton
          title={title}
          description={description}
          confirmLabel={confirmLabel}
          disabled={!password}
          onConfirm={async () => {
            await onConfirm(password);
            setPassword("");
          }}
        >
          {children}
        </ConfirmButton>
      </div>
    </div>
  );
}
