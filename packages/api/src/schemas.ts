// The input schemas the web app's forms validate with, so a form checks exactly what the server will
// (package export `@crewdeck/api/schemas`). Only `types.ts` files are re-exported: they hold zod schemas
// and no server code, so importing this pulls nothing from the API's services into a browser bundle.
export { zUpdateSiteSettingsInput, zUpdateUserInput } from "./routers/admin/types";
export { zUpdateAgentInput } from "./routers/agents/types";
export { zCreateApiKeyInput } from "./routers/api-keys/types";
export { zChangePasswordInput, zUpdateProfileInput } from "./routers/auth/types";
export { zCreateLimitInput, zUpdateLimitInput } from "./routers/budgets/types";
export { zCreateConversationInput, zUpdateConversationInput } from "./routers/conversations/types";
export { zPauseAllInput } from "./routers/emergency/types";
export { zCreateInvitationInput } from "./routers/invitations/types";
export { zAddMemberInput, zCreateProjectInput, zUpdateProjectInput } from "./routers/projects/types";
export { zRejectBody } from "./routers/pull-requests/types";
export { zStartRunBody } from "./routers/runs/types";
export { zCreateTaskInput, zUpdateTaskInput } from "./routers/tasks/types";
