/**
 * The one HTTP helper under every client: JSON in and out, and a clear line between "the environment
 * is broken" (nothing answered: EnvironmentError) and "the product answered" (any status, returned
 * for the caller to judge). Clients never throw on a 4xx; tests assert on them.
 */
import { harnessMessage } from './messages';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** What was asked, for an error to say which call failed (set by `send`). */
  request?: { method: string; url: string };
}

/** ServiceNow's error envelope. */
export interface SnError {
  error: { message: string; detail?: string };
  status: 'failure';
}

export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** The product answered, but not as the step needed: a product failure, with what it said (its response, from an API). */
export class ProductError extends Error {
  override name = 'ProductError';
  constructor(
    message: string,
    readonly response?: ApiResponse,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** A body sent exactly as given (files, bad-input tests); otherwise `json` is serialised. */
  raw?: string | Uint8Array;
  json?: unknown;
}

export async function send<T>(method: string, url: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | Uint8Array | undefined = options.raw;
  if (options.json !== undefined) body = JSON.stringify(options.json);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  let response: Response;
  const attempt = () => fetch(url, { method, headers, body: body as BodyInit | undefined, redirect: 'manual' });
  try {
    response = await attempt().catch((error: unknown) => {
      // A kept-alive connection the server closed as we reused it: a reading request is safe to send again, as browsers do.
      if ((method === 'GET' || method === 'HEAD') && causeOf(error) === 'ECONNRESET') return attempt();
      throw error;
    });
  } catch (error) {
    throw new EnvironmentError(
      harnessMessage(
        `Nothing answered ${method} ${url} (${causeOf(error)}). Is the simulator or the target environment up, and is the URL right?`,
      ),
    );
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseBody(text, response) as T, request: { method, url } };
}

function causeOf(error: unknown): string {
  // fetch says only "fetch failed"; its cause says why (ECONNREFUSED, or "bad port" for a port fetch refuses to use).
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function parseBody(text: string, response: Response): unknown {
  if (!text) return undefined;
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new EnvironmentError(harnessMessage(`${response.url} answered ${response.status} with a body that is not valid JSON.`));
  }
}

/**
 * The `result` of a successful answer, or a ProductError that says which call failed and quotes the
 * product's own error. Reads use it so that a refusal or a server error is never taken for an empty answer.
 */
export function resultOf<T>(response: ApiResponse, expected: number | number[], action: string): T {
  const ok = Array.isArray(expected) ? expected.includes(response.status) : response.status === expected;
  if (ok) return (response.body as { result: T }).result;
  const call = response.request ? `${response.request.method} ${response.request.url} answered ` : '';
  throw new ProductError(`${action} failed: ${call}HTTP ${response.status}: ${platformSaid(response)}`, response);
}

/**
 * What the platform said when it refused or failed: ServiceNow's error envelope as "message: detail";
 * a body in another shape as sent; `HTTP <status>` when there is none. The one reader of the envelope.
 */
export function platformSaid(response: ApiResponse): string {
  const body = response.body as Partial<SnError> | string | undefined;
  if (typeof body === 'object' && body !== null && typeof body.error?.message === 'string')
    return [body.error.message, body.error.detail].filter(Boolean).join(': ');
  if (body === undefined || body === '') return `HTTP ${response.status}`;
  return typeof body === 'string' ? body : JSON.stringify(body);
}
