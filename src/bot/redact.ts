/**
 * The bot token is a password: grammY's network errors (node-fetch) carry the request URL
 * `…/bot<token>/<method>`, and file downloads use `…/file/bot<token>/<path>`. Everything that
 * may reach a log or an error message goes through here first.
 */

const TOKEN_IN_URL = /bot\d+:[\w-]+/g;

/** Replaces the token (and any `bot<id>:<secret>` URL segment) in a string. */
export function redactToken(text: string, token?: string): string {
  let out = text;
  if (token) out = out.split(token).join('[secret]');
  return out.replace(TOKEN_IN_URL, 'bot[secret]');
}

/**
 * A plain, loggable copy of an error (message, name, code, cause chain, stack) with the token
 * removed everywhere. The original error is never logged as-is.
 */
export function sanitizeError(error: unknown, token?: string, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: redactToken(String(error), token) };
  const out: Record<string, unknown> = {
    type: error.name,
    message: redactToken(error.message, token),
  };
  const withCode = error as Error & { code?: unknown; error_code?: unknown; description?: unknown };
  if (typeof withCode.code === 'string' || typeof withCode.code === 'number') out.code = withCode.code;
  if (typeof withCode.error_code === 'number') out.errorCode = withCode.error_code;
  if (error.stack) out.stack = redactToken(error.stack, token);
  // grammY's HttpError keeps the fetch failure under `.error`; standard errors use `.cause`.
  const inner = (error as Error & { error?: unknown }).error ?? error.cause;
  if (inner !== undefined && depth < 3) out.cause = sanitizeError(inner, token, depth + 1);
  return out;
}
