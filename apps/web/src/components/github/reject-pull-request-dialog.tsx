// Rejecting a pull request: the feedback is commented on GitHub and sent back to the agent that wrote it.
import { zRejectBody } from "@crewdeck/api/schemas";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { checkInput, inputResolver, sameNames } from "../../lib/schema-form";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { TextAreaField } from "../ui/field";
import { FormDialog } from "../ui/form-dialog";

type Values = { feedback: string };

const fieldOf = sameNames<Values>("feedback");
const resolver = inputResolver((values: Values) => checkInput(zRejectBody, values), fieldOf);

export function RejectPullRequestDialog({
  projectId,
  pullRequest,
  onRejected,
}: {
  projectId: string;
  pullRequest: { id: string; number: number; title: string };
  onRejected: () => void;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const form = useForm({ defaultValues: { feedback: "" }, resolver });
  const reject = useMutation(
    trpc.pullRequests.reject.mutationOptions({
      onSuccess: () => {
        onRejected();
        setOpen(false);
      },
      onError: () => {},
    }),
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={{ feedback: "" }}
      title={`Request changes on #${pullRequest.number}`}
      description="Your feedback is posted as a comment on the pull request and sent back to the agent that wrote it; its task returns to in progress."
      trigger={
        <Button size="sm" variant="ghost">
          Reject<span className="sr-only"> #{pullRequest.number}</span>
        </Button>
      }
      form={form}
      fieldOf={fieldOf}
      onSubmit={(input) => reject.mutate({ projectId, pullRequestId: pullRequest.id, ...input })}
      request={reject}
      submitLabel="Send feedback"
    >
      <TextAreaField
        label="Feedback"
        rows={6}
        {...form.register("feedback")}
        hint="What should change, in words the agent can act on."
        error={form.formState.errors.feedback?.message}
      />
    </FormDialog>
  );
}
