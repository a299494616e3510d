import { VendorApiError } from "./errors";
import { log } from "./log";
import { redact, registerSecret } from "./redact";
import { onProcessReset } from "./process-state";

/**
 * Login sessions shared by every resource that talks to one vendor connection (one PBX), for
 * APIs that hand out tokens. Within one provider process (one `pulumi up`):
 *
 * - one login per connection: concurrent calls wait for the same login and reuse its token;
 * - an expired or revoked token is renewed once and the call is retried once;
 * - a login refused for bad credentials is remembered, and every later call on that connection
 *   fails at once with the same error, without ever sending the login again;
 * - after {@link MAX_FAILED_LOGINS} failed logins of any kind (refused connection, timeout, 5xx,
 *   an answer without a token), no login is sent again: every later call fails at once.
 * Vendors that lock an address out after a few failed logins (OpenVox: 5 in 10 minutes) can
 * therefore never be tripped by one run, and two runs in a row stay under the limit too.
 */

/**
 * Failed logins per connection per process. Successful logins (token renewals) do not count: a
 * lockout counts failures, and a long run may renew its token many times.
 */
export const MAX_FAILED_LOGINS = 3;

interface SessionState<Token> {
    token?: Promise<Token>;
    refused?: Error;
    logins: number;
    failedLogins: number;
    lastFailure?: unknown;
}

// Process-wide on purpose: never serialized (see delegate.ts), shared by every resource.
const sessions = new Map<string, SessionState<unknown>>();
onProcessReset(resetSessions);

export interface SessionPlan<Token, Result> {
    /** Identifies the connection: vendor + URL + user, never the password. Named in messages. */
    key: string;
    login: () => Promise<Token>;
    call: (token: Token) => Promise<Result>;
    /** Whether a call failed because its token is no longer valid. */
    isExpired: (error: unknown) => boolean;
    /** Token string to keep out of every message once known. */
    secretOf?: (token: Token) => string;
    /**
     * For vendors with no known lockout of failed logins: a login that failed transiently (5xx,
     * reset, timeout) is tried again after this many milliseconds (growing linearly), still within
     * {@link MAX_FAILED_LOGINS}. The transport itself never repeats a login. Leave it out for
     * vendors that lock an address out after failed logins.
     */
    transientLoginRetryDelayMs?: number;
}

/** A login failure that retrying cannot fix: bad credentials, a locked account or address. */
export function isCredentialFailure(error: unknown): boolean {
    return VendorApiError.isInstance(error) && (error.kind === "Auth" || error.kind === "Forbidden");
}

/** Every call on a connection whose logins failed {@link MAX_FAILED_LOGINS} times in this run. */
export class LoginLimitError extends Error {
    constructor(key: string, failures: number, lastFailure: unknown) {
        const last = lastFailure instanceof Error ? lastFailure.message : String(lastFailure);
        super(
            redact(
                `${key}: ${failures} failed logins in this run (last: ${last}); no more logins are sent on this ` +
                    `connection until the next run, so that repeated failures cannot trip the vendor's lockout of ` +
                    `an address after a few failed logins. Fix the cause of the last failure, then run again`,
            ),
        );
        this.name = "LoginLimitError";
    }
}

function stateFor<Token>(key: string): SessionState<Token> {
    let state = sessions.get(key) as SessionState<Token> | undefined;
    if (state === undefined) {
        state = { logins: 0, failedLogins: 0 };
        sessions.set(key, state);
    }
    return state;
}

/** A login that throws before it returns a promise still counts as a failed attempt. */
function startLogin<Token>(plan: SessionPlan<Token, unknown>): Promise<Token> {
    try {
        return plan.login();
    } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
}

/** The connection's token promise itself (not a wrapper), so callers can tell whether it was replaced. */
function currentToken<Token, Result>(plan: SessionPlan<Token, Result>, state: SessionState<Token>): Promise<Token> {
    if (state.refused !== undefined) return Promise.reject(state.refused);
    if (state.token === undefined) {
        if (state.failedLogins >= MAX_FAILED_LOGINS) {
            return Promise.reject(new LoginLimitError(plan.key, state.failedLogins, state.lastFailure));
        }
        state.logins += 1;
        const login = startLogin(plan).then((token) => {
            if (plan.secretOf !== undefined) registerSecret(plan.secretOf(token));
            return token;
        });
        state.token = login;
        login.catch((error: unknown) => {
            if (state.token === login) state.token = undefined;
            state.failedLogins += 1;
            state.lastFailure = error;
            if (isCredentialFailure(error)) state.refused = error as Error;
        });
    }
    return state.token;
}

/** The connection's token, logging in again after a transient failure where the plan allows it. */
async function tokenOf<Token, Result>(
    plan: SessionPlan<Token, Result>,
    state: SessionState<Token>,
): Promise<{ token: Token; used: Promise<Token> }> {
    for (let attempt = 1; ; attempt++) {
        const used = currentToken(plan, state);
        try {
            return { token: await used, used };
        } catch (error) {
            const transient = VendorApiError.isInstance(error) && error.retryable;
            const delay = plan.transientLoginRetryDelayMs;
            if (delay === undefined || !transient || state.failedLogins >= MAX_FAILED_LOGINS) throw error;
            log.debug(`session ${plan.key}: login failed transiently, trying again (${attempt})`);
            await new Promise((resolve) => setTimeout(resolve, delay * attempt));
        }
    }
}

export async function withSession<Token, Result>(plan: SessionPlan<Token, Result>): Promise<Result> {
    const state = stateFor<Token>(plan.key);
    const { token, used } = await tokenOf(plan, state);
    try {
        return await plan.call(token);
    } catch (error) {
        if (!plan.isExpired(error)) throw error;
        // Only the first caller to see this token expire logs in again; the others reuse its login.
        if (state.token === used) {
            log.debug(`session ${plan.key}: token expired, logging in again`);
            state.token = undefined;
        }
        return plan.call(await currentToken(plan, state));
    }
}

/** How many logins a connection needed in this process (for tests and benchmarks). */
export function loginCount(key: string): number {
    return sessions.get(key)?.logins ?? 0;
}

/** For tests: forget every session. */
export function resetSessions(): void {
    sessions.clear();
}
