import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from "axios";
import { DEFAULT_MAX_RESPONSE_BYTES, type HttpTuning } from "./config";
import { kindForStatus, VendorApiError, type VendorErrorKind } from "./errors";
import { limiterForHost, SlotWaitTimeout } from "./limiter";
import { log } from "./log";
import { backoffDelayMs, sleep } from "./backoff";
import { onProcessReset } from "./process-state";

/**
 * One HTTP layer for every vendor. Each attempt takes a slot of its host's concurrency limit
 * (shared by every resource in the provider process), has one deadline for connect, headers and
 * the whole body, and a body size limit. Failed attempts are retried with exponential backoff and
 * jitter, or after exactly the wait a Retry-After asks for, within bounds. Redirects are refused.
 * Bodies travel as raw text in both directions so each vendor client decides how to parse
 * (PortSIP v12 ids need lossless JSON; OpenVox can answer XML).
 *
 * The retry loop is this module's own rather than axios-retry's: whether to retry depends on
 * facts axios-retry does not see together (did the answer start, did the vendor certainly not act,
 * how long a Retry-After asks, how long this request has waited already).
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface VendorConnection {
    /** Display name used in every message, e.g. "telecom.center". */
    vendor: string;
    baseUrl: string;
    /** The setting that holds baseUrl (e.g. `voicetel:baseUrl`), for messages that ask to change it. */
    baseUrlSetting?: string | undefined;
    tuning: HttpTuning;
    /** How this vendor's error bodies read: its code, message and, when the body is explicit, the kind. */
    describeError: (status: number, body: string) => VendorErrorDescription;
}

export interface VendorErrorDescription {
    code?: string | undefined;
    message?: string | undefined;
    kind?: VendorErrorKind | undefined;
}

export interface VendorRequest<T> {
    /** What is being done, for messages: "create termination gateway". */
    operation: string;
    /** The object concerned, for messages: an id or a name. */
    object?: string | undefined;
    method: HttpMethod;
    /** Appended to the base URL; encode dynamic segments with `encodeURIComponent`. */
    path: string;
    /** Query parameters; never shown in messages (some vendors put tokens there). */
    params?: Record<string, string> | undefined;
    headers?: Record<string, string> | undefined;
    /** The body exactly as it must be sent. */
    body?: string | undefined;
    /**
     * Whether sending the request twice has the same effect as sending it once. Only idempotent
     * requests are retried after an ambiguous failure (5xx, reset, timeout); others are retried
     * only when the vendor certainly did not process them (429, connection refused).
     */
    idempotent: boolean;
    /** Turns a 2xx answer into the caller's value; throw to report a malformed answer. */
    parse: (body: string, response: { status: number; headers: Record<string, string> }) => T;
}

/** Longest Retry-After waited out; a vendor that asks for more gets an error saying when to retry. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Longest time one logical request spends waiting between its attempts, all retries together. */
export const MAX_TOTAL_RETRY_WAIT_MS = 120_000;

// Process-wide on purpose (this module runs inside the provider process and is never serialized).
const clients = new Map<string, AxiosInstance>();
onProcessReset(() => {
    clients.clear();
});

function clientFor(baseUrl: string, maxResponseBytes: number): AxiosInstance {
    const key = JSON.stringify([baseUrl, maxResponseBytes]);
    let client = clients.get(key);
    if (client === undefined) {
        client = axios.create({
            baseURL: baseUrl,
            responseType: "text",
            // Raw text both ways: no JSON guessing, no charset appended by axios.
            transformRequest: [(data: unknown) => data],
            transformResponse: [(data: unknown) => data],
            // Every complete answer resolves; the status is judged below. So a rejection from axios
            // always means the exchange itself failed, and one carrying a response means it failed
            // after the headers arrived.
            validateStatus: () => true,
            // No vendor API here redirects. Following one would carry the body (VoiceTel's API key)
            // and custom headers (PortSIP's access_token) to whatever host the Location names.
            maxRedirects: 0,
            maxContentLength: maxResponseBytes,
        });
        clients.set(key, client);
    }
    return client;
}

/** Why one attempt got no usable answer, before the retry decision. */
interface TransportFailure {
    kind: "Network" | "Timeout" | "BadResponse";
    message: string;
    /** The vendor certainly did not act on the request (never sent, or the connection was refused). */
    notSent: boolean;
    /** Another attempt could get an answer (false for answers that would be refused again). */
    transient: boolean;
}

type AttemptOutcome = { response: AxiosResponse<string> } | { failure: TransportFailure };

/**
 * One attempt: a slot of the host's limit (waiting at most requestTimeoutMs for it), then the
 * exchange under one deadline. axios's own `timeout` only fires when the socket is idle, so a body
 * that drips a byte at a time would never time out; an AbortController per attempt bounds it all.
 */
async function attempt(connection: VendorConnection, request: VendorRequest<unknown>): Promise<AttemptOutcome> {
    const { tuning } = connection;
    const maxResponseBytes = tuning.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const limiter = limiterForHost(new URL(connection.baseUrl).host, tuning.maxConcurrency);
    let release: () => void;
    try {
        release = await limiter.acquire(tuning.requestTimeoutMs);
    } catch (error) {
        if (!(error instanceof SlotWaitTimeout)) throw error;
        return { failure: { kind: "Timeout", message: error.message, notSent: true, transient: false } };
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => {
        deadline.abort();
    }, tuning.requestTimeoutMs);
    try {
        const response = await clientFor(connection.baseUrl, maxResponseBytes).request<string>({
            method: request.method,
            url: request.path,
            params: request.params,
            headers: request.headers,
            data: request.body,
            signal: deadline.signal,
        });
        return { response };
    } catch (error) {
        if (deadline.signal.aborted) {
            const message = `no complete answer within ${tuning.requestTimeoutMs} ms`;
            return { failure: { kind: "Timeout", message, notSent: false, transient: true } };
        }
        return { failure: describeTransportError(error, maxResponseBytes) };
    } finally {
        clearTimeout(timer);
        release();
    }
}

function describeTransportError(error: unknown, maxResponseBytes: number): TransportFailure {
    if (!(error instanceof AxiosError)) {
        return { kind: "Network", message: String(error), notSent: false, transient: true };
    }
    const code = error.code ?? error.message;
    if (error.response !== undefined) {
        // The headers arrived (with any status, even 2xx), then the body failed: whether the vendor
        // acted is unknown, and never a client error.
        const message = `the answer was cut off after HTTP ${error.response.status} headers (${code}); the vendor may have acted on the request`;
        return { kind: "Network", message, notSent: false, transient: true };
    }
    // axios reports its body limit only through this message.
    if (error.message.startsWith("maxContentLength")) {
        const message = `the answer is larger than the ${maxResponseBytes} bytes allowed (maxResponseBytes)`;
        return { kind: "BadResponse", message, notSent: false, transient: false };
    }
    if (error.code === "ETIMEDOUT" || error.code === AxiosError.ECONNABORTED) {
        return { kind: "Timeout", message: `connection timed out (${code})`, notSent: false, transient: true };
    }
    const refused = error.code === "ECONNREFUSED";
    return { kind: "Network", message: `connection failed (${code})`, notSent: refused, transient: true };
}

/** A failed attempt, as reported if it is the last, and whether another attempt is allowed. */
interface FailedAttempt {
    error: VendorApiError;
    retryable: boolean;
    /** The wait a Retry-After header asked for (ms), when the answer had a readable one. */
    retryAfterMs: number | undefined;
}

function failedAttempt(
    connection: VendorConnection,
    request: VendorRequest<unknown>,
    outcome: AttemptOutcome,
): FailedAttempt {
    const base = {
        vendor: connection.vendor,
        operation: request.operation,
        object: request.object,
        request: `${request.method} ${request.path}`,
    };
    if ("failure" in outcome) {
        const { failure } = outcome;
        return {
            error: new VendorApiError({ ...base, kind: failure.kind, vendorMessage: failure.message }),
            retryable: failure.transient && (request.idempotent || failure.notSent),
            retryAfterMs: undefined,
        };
    }
    const { status, data, headers } = outcome.response;
    if (status >= 300 && status < 400) {
        return {
            // A POST answered with a redirect may have been processed (post/redirect/get): ambiguous.
            error: new VendorApiError({
                ...base,
                kind: "BadResponse",
                status,
                vendorMessage: refusedRedirect(connection, headerRecord(headers)["location"]),
            }),
            retryable: false,
            retryAfterMs: undefined,
        };
    }
    const description = connection.describeError(status, typeof data === "string" ? data : "");
    const ambiguous = status === 408 || status >= 500;
    return {
        error: new VendorApiError({
            ...base,
            kind: description.kind ?? kindForStatus(status),
            status,
            vendorCode: description.code,
            vendorMessage: description.message,
        }),
        // A 429 means the vendor did not act, so even a create may be sent again.
        retryable: status === 429 || (ambiguous && request.idempotent),
        retryAfterMs: parseRetryAfter(headerRecord(headers)["retry-after"], Date.now()),
    };
}

/** What a refused redirect says: the target's host only (a Location can carry tokens and userinfo). */
function refusedRedirect(connection: VendorConnection, location: string | undefined): string {
    let target = "redirect";
    try {
        if (location !== undefined) target = `redirect to ${new URL(location, connection.baseUrl).host}`;
    } catch {
        // An unreadable Location is still a refused redirect.
    }
    const setting = connection.baseUrlSetting ?? `the ${connection.vendor} base URL setting`;
    return `${target} refused; set ${setting} to the final address`;
}

/** Retry-After as delta-seconds or an HTTP-date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
    if (value === undefined) return undefined;
    const text = value.trim();
    if (/^\d+$/.test(text)) return Number(text) * 1000;
    // Every HTTP-date form starts with the day name; Date.parse alone would take "-5" for a year.
    const date = /^[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(date)) return undefined;
    return Math.max(0, date - now);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; retryAfterTooLong: boolean };

/**
 * The wait before retry number `retryNumber` (1-based), or why there is none. A Retry-After is
 * waited out exactly, never shortened: if it asks for more than {@link MAX_RETRY_AFTER_MS} or than
 * what is left of {@link MAX_TOTAL_RETRY_WAIT_MS}, the request fails at once instead.
 */
export function decideRetry(plan: {
    retryNumber: number;
    maxRetries: number;
    retryBaseDelayMs: number;
    waitedMs: number;
    retryAfterMs: number | undefined;
}): RetryDecision {
    if (plan.retryNumber > plan.maxRetries) return { retry: false, retryAfterTooLong: false };
    const budgetLeft = MAX_TOTAL_RETRY_WAIT_MS - plan.waitedMs;
    if (plan.retryAfterMs !== undefined) {
        if (plan.retryAfterMs > MAX_RETRY_AFTER_MS || plan.retryAfterMs > budgetLeft) {
            return { retry: false, retryAfterTooLong: true };
        }
        return { retry: true, delayMs: plan.retryAfterMs };
    }
    const delayMs = Math.min(backoffDelayMs(plan.retryBaseDelayMs, plan.retryNumber), MAX_RETRY_AFTER_MS);
    if (delayMs > budgetLeft) return { retry: false, retryAfterTooLong: false };
    return { retry: true, delayMs };
}

/** The failure of the last attempt, telling when to try again if the vendor said so. */
function finalError(failed: FailedAttempt, retryAfterTooLong: boolean): VendorApiError {
    const { error, retryAfterMs } = failed;
    if (retryAfterMs === undefined || retryAfterMs === 0) return error;
    const retryAt = new Date(Date.now() + retryAfterMs).toISOString().replace(/\.\d{3}Z$/, "Z");
    const note = `the vendor asks to wait ${Math.ceil(retryAfterMs / 1000)} s; retry after ${retryAt}`;
    return new VendorApiError({
        kind: retryAfterTooLong && error.status === 429 ? "RateLimited" : error.kind,
        vendor: error.vendor,
        operation: error.operation,
        object: error.object,
        status: error.status,
        vendorCode: error.vendorCode,
        vendorMessage: error.vendorMessage === undefined ? note : `${error.vendorMessage}; ${note}`,
        request: error.request,
    });
}

function headerRecord(headers: AxiosResponse["headers"]): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
        if (typeof value === "string") result[name.toLowerCase()] = value;
    }
    return result;
}

/** Sends one logical request (with its retries) and returns the parsed answer or a {@link VendorApiError}. */
export async function vendorRequest<T>(connection: VendorConnection, request: VendorRequest<T>): Promise<T> {
    const { tuning } = connection;
    const described = `${request.method} ${request.path}`;
    const started = Date.now();
    let waitedMs = 0;
    let response: AxiosResponse<string>;
    for (let retryNumber = 1; ; retryNumber++) {
        const outcome = await attempt(connection, request);
        if ("response" in outcome && outcome.response.status >= 200 && outcome.response.status < 300) {
            response = outcome.response;
            break;
        }
        const failed = failedAttempt(connection, request, outcome);
        const decision: RetryDecision = failed.retryable
            ? decideRetry({
                  retryNumber,
                  maxRetries: tuning.maxRetries,
                  retryBaseDelayMs: tuning.retryBaseDelayMs,
                  waitedMs,
                  retryAfterMs: failed.retryAfterMs,
              })
            : { retry: false, retryAfterTooLong: false };
        if (!decision.retry) {
            log.debug(`${connection.vendor}: ${described} failed after ${Date.now() - started} ms`);
            throw finalError(failed, decision.retryAfterTooLong);
        }
        log.debug(
            `${connection.vendor}: retry ${retryNumber}/${tuning.maxRetries} of ${described} in ${Math.round(decision.delayMs)} ms after ${failed.error.message}`,
        );
        await sleep(decision.delayMs);
        waitedMs += decision.delayMs;
    }
    log.debug(`${connection.vendor}: ${described} done in ${Date.now() - started} ms`);
    try {
        return request.parse(response.data, { status: response.status, headers: headerRecord(response.headers) });
    } catch (error) {
        if (VendorApiError.isInstance(error)) throw error;
        throw new VendorApiError({
            kind: "BadResponse",
            vendor: connection.vendor,
            operation: request.operation,
            object: request.object,
            status: response.status,
            vendorMessage: `unexpected answer: ${error instanceof Error ? error.message : String(error)}`,
            request: described,
        });
    }
}
