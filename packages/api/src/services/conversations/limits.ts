// Sizes the contract fixes for conversations (§1, §2.5), shared by the schemas and the services.
export const MAX_MESSAGE_CHARS = 100_000;
export const MAX_ATTACHMENTS = 10;
export const MESSAGE_PAGE_DEFAULT = 50;
export const MESSAGE_PAGE_MAX = 100;
