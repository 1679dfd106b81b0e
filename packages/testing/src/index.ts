export { CookieJar } from './cookies.js';
export { captureLines } from './logs.js';
export { callTool, connectMcp, textOf } from './mcp.js';
export {
  basicAuth,
  challengeParams,
  type FormReply,
  type HtmlForm,
  pkcePair,
  postForm,
  readForm,
} from './oauth.js';
export { describeWhenAvailable } from './requirements.js';
export { parseEvents } from './sse.js';
