import { MEMBER_ROLES, SIGNUP_MODES } from "@crewdeck/domain";
import { z } from "zod";
import { zId, zIsoDate, zPage, zPageInput } from "../../lib/schemas";

export const zInvitation = z.object({
  id: z.string(),
  /** The address it was sent to; null for a site link anyone holding it may use. */
  email: z.string().nullable(),
  /** The account it was sent to, when the inviter gave an id rather than an email. */
  userId: z.string().nullable(),
  projectId: z.string().nullable(),
  projectName: z.string().nullable(),
  role: z.enum(MEMBER_ROLES).nullable(),
  invitedBy: z.object({ id: z.string(), name: z.string() }),
  status: z.enum(["pending", "accepted", "declined", "revoked", "expired"]),
  expiresAt: zIsoDate,
  createdAt: zIsoDate,
});

/** The link is shown here, once: it is stored only as a hash. */
export const zInvitationCreated = z.object({
  invitation: zInvitation,
  /** `{APP_URL}/invite/<token>`: whoever holds it can use it once, until it expires. */
  link: z.string(),
  /** Whether an invitation mail went out (a mailer is configured and an email was given). */
  emailSent: z.boolean(),
});

export const zCreateInvitationInput = z.object({
  email: z.email().max(320).optional(),
  /** A project invitation; needs the project's owner (or an administrator). Without it, a site invitation (administrators). */
  projectId: zId.optional(),
  role: z.enum(MEMBER_ROLES).optional(),
});

export const zListInvitationsInput = zPageInput.extend({ projectId: zId.optional() });
export const zInvitationPage = zPage(zInvitation);
export const zMyInvitations = z.object({ items: z.array(zInvitation) });

export const zInvitationRef = z.object({ invitationId: zId });
export const zAcceptByTokenInput = z.object({ token: z.string().min(1).max(200) });
export const zAccepted = z.object({
  projectId: z.string(),
  projectName: z.string(),
  role: z.enum(MEMBER_ROLES),
});

export const zSignUpMode = z.object({
  mode: z.enum(SIGNUP_MODES),
  /** No account exists yet: the next sign-up needs no invitation and administers the site. */
  firstAccount: z.boolean(),
  /** New accounts confirm their address by a mailed link before they can sign in. */
  emailVerification: z.boolean(),
});
