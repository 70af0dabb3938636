// Refusals of multipart/form-data bodies that cannot be read: the multipart plugin's limits (413
// for size, 400 naming the file field for a repeated file part) and the parser's own errors on a
// malformed body (no boundary, a part cut short), which are plain Errors and would otherwise be 500s.
// Callers apply it only to errors raised while the body is parsed.
import { TabagentError, isServiceError } from '@tabagent/common';
import { badParam, httpRefusal } from './errors.js';

/** What a route's multipart body holds, for the messages. */
export interface MultipartLimits {
  /** The file field named when a file is too large or repeated. */
  file: string;
  /** Largest file, in MiB. */
  maxFileMiB: number;
  /** What to say when there are more file parts than allowed. */
  filesHint: string;
}

/** The refusal for an error raised while parsing a multipart body; undefined when it is not one. */
export function multipartRefusal(err: unknown, limits: MultipartLimits): Error | undefined {
  if (err instanceof TabagentError || isServiceError(err) || !(err instanceof Error)) return undefined;
  switch ((err as { code?: unknown }).code) {
    case 'FST_REQ_FILE_TOO_LARGE': return httpRefusal(413, limits.file, `${limits.file}: the file is larger than the ${limits.maxFileMiB} MiB limit`);
    case 'FST_FILES_LIMIT': return badParam(limits.file, limits.filesHint);
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT': return httpRefusal(413, 'body', 'body: too many multipart fields');
    case 'FST_PROTO_VIOLATION': return badParam('body', 'a multipart field may not be named __proto__ or constructor');
    default: break;
  }
  // Anything else with a status is already a client error (e.g. a refusal thrown on purpose).
  if (typeof (err as { statusCode?: unknown }).statusCode === 'number') return undefined;
  return badParam('body', `malformed multipart/form-data body: ${err.message}`);
}
