// Security events the audit log records (GET /admin/audit-events filters on these names).
export const AUDIT_ACTIONS = [
  "user.signed_up",
  "auth.login_succeeded",
  "auth.login_failed",
  "auth.2fa_enabled",
  "auth.2fa_disabled",
  "auth.2fa_failed",
  "auth.password_changed",
  "auth.session_revoked",
  "auth.logged_out_everywhere",
  "api_key.created",
  "api_key.revoked",
  "admin.user_banned",
  "admin.user_unbanned",
  "admin.role_changed",
  "admin.user_deleted",
  "user.account_deleted",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
