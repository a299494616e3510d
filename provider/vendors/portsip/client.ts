import { isLosslessNumber, isSafeNumber, LosslessNumber, parse, stringify } from "lossless-json";
import { VendorApiError, type VendorErrorKind } from "../../core/errors";
import { errorBodyReader } from "../../core/error-body";
import { vendorRequest, type VendorConnection, type VendorErrorDescription } from "../../core/http";
import { registerSecret } from "../../core/redact";
import { isCredentialFailure, withSession } from "../../core/session";
import { connectionRequest, type ConnectionCall, type Endpoint } from "../../core/connection";
import { CONNECTIONS, NAMESPACE, VENDOR, type Generation, type PbxConnection } from "./connection";
import { portSipRun } from "./run-state";

/**
 * Authenticated calls to a PortSIP PBX of either generation: one login per connection per
 * provider process, the token shared by every trunk on that PBX (core/session.ts), renewed once
 * when the PBX stops accepting it, and a refused login remembered so a wrong password fails
 * every trunk at once with the same message instead of hammering the PBX.
 */

/** `POST /api/login/oauth/token`'s fixed client id, as PortSIP documents it for v22 sign-in. */
export const PORTSIP_OAUTH_CLIENT_ID = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a";

// ---------------------------------------------------------------- lossless JSON (v12 ids)

/**
 * Parses JSON without losing digits: numbers a double holds exactly become `number`, any other
 * (v12's 18–19 digit ids) stays a `LosslessNumber` whose `.value` is the exact decimal text.
 */
export function parseLossless(text: string): unknown {
    return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : new LosslessNumber(digits)));
}

/** JSON text in which `LosslessNumber`s are written as the bare digits they hold. */
export function stringifyLossless(value: unknown): string {
    const text = stringify(value);
    if (text === undefined) throw new Error("cannot serialize request body");
    return text;
}

/** An id as the API may send it (number, big number, string) → decimal text; `undefined` if none. */
export function idText(value: unknown): string | undefined {
    if (isLosslessNumber(value)) return value.value;
    if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
    if (typeof value === "string" && value !== "") return value;
    return undefined;
}

/** A decimal id written back as a bare JSON number, exactly (the doc sends `{"id": 1234}`). */
export function wireId(id: string): LosslessNumber | string {
    return /^[0-9]{1,20}$/.test(id) ? new LosslessNumber(id) : id;
}

// ---------------------------------------------------------------- error bodies

/** v12: `{"err_code": "...", "msg": "..."}` (some builds say `message`). */
export const describeV12Error = errorBodyReader({
    parse: parseLossless,
    message: ["msg", "message"],
    code: (body) => {
        const raw = body["err_code"];
        return typeof raw === "string" ? raw : idText(raw);
    },
    kind: (status, { code, message }) => {
        // Refused credentials: 1040001 "name or domain incorrect", 1050005 "domain error" (PortSIP's Go client).
        if (code === "1040001" || code === "1050005") return "Auth";
        // Undocumented: an invalid or expired token is 401, or 400 on some builds; its message names the token.
        if (message !== undefined && /token/i.test(message) && (status === 400 || status === 401)) return "Auth";
        // Documented for destroy; show answers the same for an unknown id.
        if (message !== undefined && /invalid provider id/i.test(message)) return "NotFound";
        return undefined;
    },
});

const V22_ERROR_KINDS: Partial<Record<string, VendorErrorKind>> = {
    UNAUTHORIZED: "Auth",
    FORBIDDEN: "Forbidden",
    NOT_FOUND: "NotFound",
    VALIDATE_FAILED: "Validation",
    TOO_MANY_REQUESTS: "RateLimited",
};

/** v16+/v22: `{"errors":[{"code","message","detail"}]}` (documented); unknown codes mean UNKNOWN. */
export const describeV22Error = errorBodyReader({
    itemsAt: "errors",
    message: (item) => {
        const text = typeof item["message"] === "string" ? item["message"] : "";
        const detail = describeDetail(item["detail"]);
        const worded = detail === undefined ? text : `${text} (${detail})`;
        return worded === "" ? undefined : worded;
    },
    code: ["code"],
    kind: (status, { code, message }) => {
        // Retryable kinds follow the HTTP status (a 5xx with any code stays retryable).
        if (status >= 500 || status === 429 || code === undefined) return undefined;
        const kind = V22_ERROR_KINDS[code];
        return kind === "Validation" && message !== undefined && /invalid provider id/i.test(message)
            ? "NotFound"
            : kind;
    },
});

function describeDetail(detail: unknown): string | undefined {
    if (typeof detail === "string") return detail === "" ? undefined : detail;
    if (typeof detail !== "object" || detail === null) return undefined;
    const record = detail as Record<string, unknown>;
    const field = typeof record["field"] === "string" ? record["field"] : undefined;
    const reason = typeof record["reason"] === "string" ? record["reason"] : undefined;
    if (field !== undefined) return reason === undefined ? `field ${field}` : `field ${field}: ${reason}`;
    return JSON.stringify(detail).slice(0, 200);
}

// ---------------------------------------------------------------- HTTP and sessions

function httpConnection(
    connection: PbxConnection,
    describeError: (status: number, body: string) => VendorErrorDescription,
): VendorConnection {
    return {
        vendor: VENDOR,
        baseUrl: `${connection.url}/api`,
        baseUrlSetting: connection.name === "default" ? "portsip:url" : `portsip:${connection.name}.url`,
        tuning: connection.tuning,
        describeError,
    };
}

/** A clearer message for a refused login: which connection and which settings to check. */
function refusedLogin(connection: PbxConnection, error: unknown): unknown {
    if (!VendorApiError.isInstance(error) || !isCredentialFailure(error)) return error;
    return new VendorApiError({
        kind: error.kind,
        vendor: error.vendor,
        operation: error.operation,
        object: error.object,
        status: error.status,
        vendorCode: error.vendorCode,
        vendorMessage: `${error.vendorMessage ?? "login refused"} (${CONNECTIONS.credentialAdvice(connection.name)})`,
        request: error.request,
    });
}

function tokenFrom(body: string, what: string): string {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    if (parsed["two_factor_enabled"] === true) {
        throw new Error(`${what}: the account has two-factor sign-in enabled; use an API account without it`);
    }
    const token = parsed["access_token"];
    if (typeof token !== "string" || token === "") throw new Error(`${what}: no access_token in the answer`);
    registerSecret(token);
    const refresh = parsed["refresh_token"];
    if (typeof refresh === "string") registerSecret(refresh);
    return token;
}

/**
 * Logins are never sent twice for one attempt: a login lost after the PBX checked it (reset,
 * timeout, 5xx) may have counted as a failed sign-in, and PBXs lock accounts or addresses out after
 * a few of those. Only a refused connection or a 429, which the PBX never processed, is sent again
 * (core/http.ts); a failed login is tried again at the next hook at the earliest.
 */
const LOGIN_IDEMPOTENT = false;

async function loginV12(connection: PbxConnection): Promise<string> {
    const body: Record<string, string> = {
        // The old account API documents `username`; working clients send `name` (undocumented): send both.
        name: connection.username,
        username: connection.username,
        password: connection.password,
    };
    if (connection.domain !== undefined) body["domain"] = connection.domain;
    return vendorRequest(httpConnection(connection, describeV12Error), {
        operation: `log in to connection "${connection.name}"`,
        object: connection.username,
        method: "POST",
        path: "/account/credentials/verify",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
        idempotent: LOGIN_IDEMPOTENT,
        parse: (text) => tokenFrom(text, "v12 login"),
    });
}

export type V22LoginRoute = "sign_in" | "oauth" | "login";

function isMissingRoute(error: unknown): boolean {
    return VendorApiError.isInstance(error) && (error.status === 404 || error.status === 405);
}

/**
 * v16+/v22 login. `POST /api/auth/sign_in` first: it is the route whose answer PortSIP documents
 * in its OpenAPI (v22.2+). Older servers lack it (404/405): then the OAuth password grant
 * (`/api/login/oauth/token`, documented on the authentication page), then `POST /api/login`
 * (v16+, whose answer the spec leaves undocumented; used only if it carries a token).
 */
async function loginV22(connection: PbxConnection): Promise<string> {
    const http = httpConnection(connection, describeV22Error);
    const operation = `log in to connection "${connection.name}"`;
    const jsonBody: Record<string, string> = { username: connection.username, password: connection.password };
    if (connection.domain !== undefined) jsonBody["domain"] = connection.domain;
    const attempts: Record<V22LoginRoute, () => Promise<string>> = {
        sign_in: () =>
            vendorRequest(http, {
                operation,
                object: connection.username,
                method: "POST",
                path: "/auth/sign_in",
                headers: { "Content-Type": "application/json", Accept: "application/json" },
                body: JSON.stringify(jsonBody),
                idempotent: LOGIN_IDEMPOTENT,
                parse: (text) => tokenFrom(text, "v22 sign_in"),
            }),
        oauth: () => {
            const form = new URLSearchParams({
                grant_type: "password",
                username: connection.username,
                password: connection.password,
                scope: "all",
                client_id: PORTSIP_OAUTH_CLIENT_ID,
            });
            if (connection.domain !== undefined) form.set("domain", connection.domain);
            return vendorRequest(http, {
                operation,
                object: connection.username,
                method: "POST",
                path: "/login/oauth/token",
                headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
                body: form.toString(),
                idempotent: LOGIN_IDEMPOTENT,
                parse: (text) => tokenFrom(text, "v22 oauth login"),
            });
        },
        login: () =>
            vendorRequest(http, {
                operation,
                object: connection.username,
                method: "POST",
                path: "/login",
                headers: { "Content-Type": "application/json", Accept: "application/json" },
                body: JSON.stringify(jsonBody),
                idempotent: LOGIN_IDEMPOTENT,
                parse: (text) => tokenFrom(text, "v22 login"),
            }),
    };
    const known = portSipRun.loginRoutes.get(connection.url);
    const order: V22LoginRoute[] = known !== undefined ? [known] : ["sign_in", "oauth", "login"];
    let last: unknown;
    for (const route of order) {
        try {
            const token = await attempts[route]();
            portSipRun.loginRoutes.set(connection.url, route);
            return token;
        } catch (error) {
            if (!isMissingRoute(error)) throw error;
            last = error;
        }
    }
    throw last;
}

/**
 * How one API generation signs in and presents its token: the only part of a call that differs
 * between generations besides the endpoints themselves.
 */
export interface PbxDialect {
    /** Part of the session key: a PBX's v12 and v22 tokens are different sessions. */
    name: Generation;
    describeError: (status: number, body: string) => VendorErrorDescription;
    login: (connection: PbxConnection) => Promise<string>;
    /** The header carrying the token. */
    authorization: (token: string) => Record<string, string>;
}

export const V12_DIALECT: PbxDialect = {
    name: "v12",
    describeError: describeV12Error,
    login: loginV12,
    authorization: (token) => ({ access_token: token }),
};

export const V22_DIALECT: PbxDialect = {
    name: "v22",
    describeError: describeV22Error,
    login: loginV22,
    authorization: (token) => ({ Authorization: `Bearer ${token}` }),
};

/** One call below `/api`; its `body` is the JSON text exactly as sent (v12 ids need lossless JSON). */
export type PbxCall<T> = ConnectionCall<T>;

/** One call with the connection's shared token (logging in first if this process has none yet). */
export function pbxRequest<T>(connection: PbxConnection, dialect: PbxDialect, call: PbxCall<T>): Promise<T> {
    const endpoint = (token: string): Endpoint => ({
        ...httpConnection(connection, dialect.describeError),
        shape: (body) => {
            const headers: Record<string, string> = { Accept: "application/json", ...dialect.authorization(token) };
            if (body !== undefined) headers["Content-Type"] = "application/json";
            return { headers, body: body as string | undefined };
        },
    });
    return withSession({
        key: `${NAMESPACE}|${dialect.name}|${connection.url}|${connection.username}|${connection.domain ?? ""}`,
        login: async () => {
            try {
                return await dialect.login(connection);
            } catch (error) {
                throw refusedLogin(connection, error);
            }
        },
        secretOf: (token) => token,
        // PortSIP documents no lockout of failed logins: a transient failure is tried again, within
        // the session's cap of failed logins per run.
        transientLoginRetryDelayMs: connection.tuning.retryBaseDelayMs,
        isExpired: (error) => VendorApiError.isInstance(error, "Auth"),
        call: (token) => connectionRequest(endpoint(token), call),
    });
}
