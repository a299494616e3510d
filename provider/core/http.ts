import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from "axios";
import axiosRetry, { exponentialDelay, type IAxiosRetryConfig } from "axios-retry";
import Bottleneck from "bottleneck";
import type { HttpTuning } from "./config";
import { kindForStatus, VendorApiError, type VendorErrorKind } from "./errors";
import { log } from "./log";
import { redactedExcerpt } from "./redact";

/**
 * One HTTP layer for every vendor: per-request timeout, retries with exponential backoff and
 * jitter that honour Retry-After, and one concurrency limit per vendor host shared by every
 * resource in the provider process. Bodies travel as raw text in both directions so each vendor
 * client decides how to parse (PortSIP v12 ids need lossless JSON; OpenVox can answer XML).
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface VendorConnection {
    /** Display name used in every message, e.g. "telecom.center". */
    vendor: string;
    baseUrl: string;
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

/** Longest wait we accept from a Retry-After header before giving up instead. */
const MAX_RETRY_DELAY_MS = 60_000;

// Process-wide on purpose (this module runs inside the provider process and is never serialized):
// every resource of every type that talks to one host shares one limiter and one client.
const limiters = new Map<string, Bottleneck>();
const clients = new Map<string, AxiosInstance>();

/** The first connection to a host sets its limit; later ones with another setting share it. */
function limiterFor(baseUrl: string, maxConcurrency: number): Bottleneck {
    const host = new URL(baseUrl).host;
    let limiter = limiters.get(host);
    if (limiter === undefined) {
        limiter = new Bottleneck({ maxConcurrent: maxConcurrency });
        limiters.set(host, limiter);
    }
    return limiter;
}

function isTimeout(error: AxiosError): boolean {
    return error.code === AxiosError.ECONNABORTED || error.code === AxiosError.ETIMEDOUT;
}

/** Safe to repeat: the vendor may or may not have processed the first attempt. */
export function retryableForIdempotent(error: AxiosError): boolean {
    if (axios.isCancel(error)) return false;
    const status = error.response?.status;
    if (status === undefined) return true; // network error or timeout
    return status === 408 || status === 429 || status >= 500;
}

/** Safe to repeat even for a create: the vendor certainly did not act on the first attempt. */
export function retryableForNonIdempotent(error: AxiosError): boolean {
    if (error.response?.status === 429) return true;
    return error.response === undefined && error.code === "ECONNREFUSED";
}

export function clientFor(connection: VendorConnection): AxiosInstance {
    const { tuning } = connection;
    const key = JSON.stringify([connection.baseUrl, tuning]);
    const existing = clients.get(key);
    if (existing !== undefined) return existing;

    const limiter = limiterFor(connection.baseUrl, tuning.maxConcurrency);
    const transport = axios.getAdapter(axios.defaults.adapter);
    const client = axios.create({
        baseURL: connection.baseUrl,
        timeout: tuning.requestTimeoutMs,
        responseType: "text",
        // Raw text both ways: no JSON guessing, no charset appended by axios.
        transformRequest: [(data: unknown) => data],
        transformResponse: [(data: unknown) => data],
        validateStatus: (status) => status >= 200 && status < 300,
        // Each attempt (not each logical request) takes a slot, so a backoff wait holds none.
        adapter: (config) => limiter.schedule(() => transport(config)),
    });
    axiosRetry(client, {
        retries: tuning.maxRetries,
        shouldResetTimeout: true,
        retryCondition: retryableForIdempotent,
        retryDelay: (retryNumber, error) => {
            const delay = exponentialDelay(retryNumber, error, tuning.retryBaseDelayMs);
            return Math.min(delay, MAX_RETRY_DELAY_MS);
        },
        onRetry: (retryNumber, error, config) => {
            log.debug(
                `${connection.vendor}: retry ${retryNumber}/${tuning.maxRetries} of ${String(config.method).toUpperCase()} ${String(config.url)} after ${describeTransportFailure(error)}`,
            );
        },
    });
    clients.set(key, client);
    return client;
}

function describeTransportFailure(error: AxiosError): string {
    if (error.response !== undefined) return `HTTP ${error.response.status}`;
    if (isTimeout(error)) return "timeout";
    return error.code ?? error.message;
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
    const client = clientFor(connection);
    const retryOverride: IAxiosRetryConfig = request.idempotent ? {} : { retryCondition: retryableForNonIdempotent };
    const config: AxiosRequestConfig = {
        method: request.method,
        url: request.path,
        params: request.params,
        headers: request.headers,
        data: request.body,
        "axios-retry": retryOverride,
    };
    const described = `${request.method} ${request.path}`;
    const started = Date.now();
    let response: AxiosResponse<string>;
    try {
        response = await client.request<string>(config);
    } catch (error) {
        throw toVendorError(connection, request, error);
    } finally {
        log.debug(`${connection.vendor}: ${described} done in ${Date.now() - started} ms`);
    }
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

function toVendorError(connection: VendorConnection, request: VendorRequest<unknown>, error: unknown): VendorApiError {
    const base = {
        vendor: connection.vendor,
        operation: request.operation,
        object: request.object,
        request: `${request.method} ${request.path}`,
    };
    if (!(error instanceof AxiosError)) {
        return new VendorApiError({ ...base, kind: "Network", vendorMessage: String(error) });
    }
    const response = error.response;
    if (response === undefined) {
        return new VendorApiError({
            ...base,
            kind: isTimeout(error) ? "Timeout" : "Network",
            vendorMessage: isTimeout(error)
                ? `no answer within ${connection.tuning.requestTimeoutMs} ms`
                : `connection failed (${error.code ?? error.message})`,
        });
    }
    const body = typeof response.data === "string" ? response.data : "";
    const description = connection.describeError(response.status, body);
    return new VendorApiError({
        ...base,
        kind: description.kind ?? kindForStatus(response.status),
        status: response.status,
        vendorCode: description.code,
        vendorMessage: description.message,
    });
}

/** What to show of an error body that could not be parsed: its first 200 characters, if any, redacted before the cut. */
export function bodyExcerpt(body: string): string | undefined {
    return redactedExcerpt(body, 200);
}
