// An invitation link (`/invite/<token>`): a visitor creates their account with it; someone signed in
// accepts the project invitation it carries, if it was sent to them.
import { useMutation } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import { toast } from "sonner";
import { Button } from "../../components/ui/button";
import { useSignedIn } from "../../lib/app-context";
import { describeError } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";
import { AuthFrame } from "./auth-frame";
import RegisterPage from "./register-page";

export default function InvitePage() {
  usePageTitle("Invitation");
  return useSignedIn() ? <AcceptInvitation /> : <RegisterPage />;
}

function AcceptInvitation() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const token = useParams().token ?? "";
  const accept = useMutation(
    trpc.invitations.acceptByToken.mutationOptions({
      onError: () => {}, // shown below
      onSuccess: (joined) => {
        toast.success(`You joined ${joined.projectName} as ${joined.role}`);
        navigate(`/projects/${joined.projectId}`, { replace: true });
      },
    }),
  );
  return (
    <AuthFrame
      title="Accept the invitation"
      footer={
        <Link to="/" className="text-accent underline">
          Go to the overview
        </Link>
      }
    >
      <div className="flex flex-col gap-4">
        <p className="text-sm">
          You were invited to a project. Accept to join it with the role you were given.
        </p>
        {accept.error && (
          <p role="alert" className="text-sm text-danger">
            {describeError(accept.error)}
          </p>
        )}
        <Button variant="primary" busy={accept.isPending} onClick={() => accept.mutate({ token })}>
          Accept invitation
        </Button>
      </div>
    </AuthFrame>
  );
}
