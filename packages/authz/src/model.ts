/**
 * The project's authorization model, the same text as `model.fga` (a test keeps them equal). It lives
 * in a module so that it is found the same way from `src` and from `dist`.
 */
export const PROJECT_MODEL = `model
  schema 1.1
type user
type client
type organization
  relations
    define admin: [user]
    define member: [user] or admin
type tool
  relations
    define organization: [organization]
    define owner: [user]
    define executor: [user, user:*, client, organization#member] or owner or member from organization
type conversation
  relations
    define owner: [user, client]
    define editor: [user, client] or owner
    define viewer: [user, client, organization#member] or editor
`;
