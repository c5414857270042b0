// Invitations: how people join a site whose sign-up is by invitation, and how they join a project. The
// link's token is stored only as its SHA-256; it is shown once, to the inviter, and used once.
import { MEMBER_ROLES } from "@crewdeck/domain";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id, timestamp, timestamps } from "../columns";
import { users } from "./auth";
import { projects } from "./projects";

export const invitations = sqliteTable(
  "invitations",
  {
    id: id(),
    /** Lower-cased; the account that uses it must have this address. Null for a site link anyone may use. */
    email: text("email"),
    /**
     * An existing account invited by id. No foreign key on purpose: inviting an id nobody has stores a
     * pending invitation like any other, so the answer never tells whether the account exists.
     */
    inviteeId: text("invitee_id"),
    /** Null for a site invitation; set, with `role`, for a project invitation. */
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    role: text("role", { enum: MEMBER_ROLES }),
    invitedById: text("invited_by_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at").notNull(),
    acceptedAt: timestamp("accepted_at"),
    acceptedById: text("accepted_by_id").references(() => users.id, { onDelete: "set null" }),
    declinedAt: timestamp("declined_at"),
    revokedAt: timestamp("revoked_at"),
    ...timestamps(),
  },
  (t) => [
    index("invitations_email_idx").on(t.email),
    index("invitations_invitee_idx").on(t.inviteeId),
    index("invitations_project_idx").on(t.projectId),
  ],
);
