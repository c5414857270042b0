// The one shape of a form in a dialog: title and description, the fields, the server's error in words
// (next to its field when it names one, otherwise under the form), and Cancel beside a submit button that
// is busy while the request runs. Each opening starts afresh: `onOpen` resets the form and the request.
import { type ReactNode, useEffect } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { describeError } from "../../lib/errors";
import { type FieldOf, serverErrors } from "../../lib/schema-form";
import { Button } from "./button";
import { Dialog } from "./dialog";

export function FormDialog<V extends FieldValues, Out>({
  title,
  description,
  trigger,
  open,
  onOpenChange,
  onOpen,
  form,
  fieldOf,
  onSubmit,
  pending,
  error,
  submitLabel,
  danger = false,
  submitDisabled,
  noValidate,
  children,
}: {
  title: string;
  description?: string;
  trigger?: ReactNode;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Called as the dialog opens: reset the form's values and the mutation here. */
  onOpen?: () => void;
  form: UseFormReturn<V, unknown, Out>;
  /**
   * Which form field shows an error about an API field; the others go in the alert under the form. Keep it
   * stable (declared outside the component): the server's errors are placed again when it changes.
   */
  fieldOf: FieldOf<V>;
  /** Receives the input the server's schema accepted. */
  onSubmit: (input: Out) => void;
  pending: boolean;
  /** The failed request's error, if any. */
  error: unknown;
  submitLabel: string;
  danger?: boolean;
  submitDisabled?: boolean;
  /** Let the schema, not the browser, say what is wrong with typed numbers. */
  noValidate?: boolean;
  children: ReactNode;
}) {
  const { placed, unplaced } = serverErrors(error, fieldOf);
  const { setError } = form;
  // The server's field errors sit under their fields until the next submit checks the form again.
  useEffect(() => {
    for (const { name, message } of serverErrors(error, fieldOf).placed) {
      setError(name, { type: "server", message });
    }
  }, [error, fieldOf, setError]);
  const clientAlert = form.formState.errors.root?.message;
  const serverAlert = error && (placed.length === 0 || unplaced.length > 0) ? describeError(error) : null;

  const change = (next: boolean) => {
    if (next) onOpen?.();
    onOpenChange(next);
  };
  return (
    <Dialog open={open} onOpenChange={change} title={title} description={description} trigger={trigger}>
      <form onSubmit={form.handleSubmit(onSubmit)} noValidate={noValidate} className="flex flex-col gap-4">
        {children}
        {(serverAlert ?? clientAlert) && (
          <p role="alert" className="rounded-md bg-danger-bg px-3 py-2 text-sm text-danger">
            {serverAlert ?? clientAlert}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button
            type="submit"
            variant={danger ? "danger" : "primary"}
            busy={pending}
            disabled={submitDisabled}
          >
            {submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
