// The one shape of a form in a dialog: title and description, the fields, the server's error in words
// (next to its field when it names one, otherwise under the form), and Cancel beside a submit button that
// is busy while the request runs. Each opening starts afresh: the form from `initialValues`, the request
// forgotten, then `onOpen` for anything else the dialog keeps.
// A request whose answer must be shown once (a new key, an invitation link) passes it as `result`, which
// takes the form's place until the dialog is opened again.
import type { ReactNode } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import type { FieldOf } from "../../lib/schema-form";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { FormAlert, useFormAlert } from "./form-alert";

export function FormDialog<V extends FieldValues, Out>({
  title,
  description,
  trigger,
  open,
  onOpenChange,
  onOpen,
  form,
  initialValues,
  fieldOf,
  onSubmit,
  request,
  submitLabel,
  danger = false,
  submitDisabled,
  noValidate,
  result,
  children,
}: {
  title: string;
  description?: string;
  trigger?: ReactNode;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Called as the dialog opens, after the form and the request are reset: for anything else to reset. */
  onOpen?: () => void;
  form: UseFormReturn<V, unknown, Out>;
  /** The values each opening starts from; without them the form keeps what it holds. */
  initialValues?: V;
  /**
   * Which form field shows an error about an API field; the others go in the alert under the form. Keep it
   * stable (declared outside the component): the server's errors are placed again when it changes.
   */
  fieldOf: FieldOf<V>;
  /** Receives the input the server's schema accepted. */
  onSubmit: (input: Out) => void;
  /** The mutation the form sends: busy while it runs, its error shown, forgotten at each opening. */
  request: { isPending: boolean; error: unknown; reset: () => void };
  submitLabel: string;
  danger?: boolean;
  submitDisabled?: boolean;
  /** Let the schema, not the browser, say what is wrong with typed numbers. */
  noValidate?: boolean;
  /** Shown instead of the form once the request has answered, under its own title. */
  result?: { title: string; content: ReactNode } | null | undefined;
  children: ReactNode;
}) {
  const alert = useFormAlert(form, fieldOf, request.error);

  const change = (next: boolean) => {
    if (next) {
      if (initialValues) form.reset(initialValues);
      request.reset();
      onOpen?.();
    }
    onOpenChange(next);
  };
  if (result) {
    return (
      <Dialog
        open={open}
        onOpenChange={change}
        title={result.title}
        description={description}
        trigger={trigger}
      >
        {result.content}
      </Dialog>
    );
  }
  return (
    <Dialog open={open} onOpenChange={change} title={title} description={description} trigger={trigger}>
      <form onSubmit={form.handleSubmit(onSubmit)} noValidate={noValidate} className="flex flex-col gap-4">
        {children}
        <FormAlert message={alert} />
        <div className="flex justify-end gap-2">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button
            type="submit"
            variant={danger ? "danger" : "primary"}
            busy={request.isPending}
            disabled={submitDisabled}
          >
            {submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
