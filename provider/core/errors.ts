import { redact } from "./redact";

/** What kind of failure a vendor call ended in; decides whether a retry could help. */
export type VendorErrorKind =
    | "BadRequest"
    | "Auth"
    | "Forbidden"
    | "NotFound"
    | "Conflict"
    | "Validation"
    | "RateLimited"
    | "Server"
    | "Network"
    | "Timeout"
    | "BadResponse";

export interface VendorErrorDetails {
    kind: VendorErrorKind;
    /** Display name of the vendor, e.g. "telecom.center". */
    vendor: string;
    /** What was being done, e.g. "create termination gateway". */
    operation: string;
    /** The object concerned: its id or name, when known. */
    object?: string | undefined;
    status?: number | undefined;
    /** The vendor's own error code (JSON:API code, errno, ...). */
    vendorCode?: string | undefined;
    /** The vendor's message, as the vendor wrote it (redacted). */
    vendorMessage?: string | undefined;
    /** Method and path only: never headers, body or query string. */
    request?: string | undefined;
    /** What the user can do about it, when the failure has a known remedy. */
    hint?: string | undefined;
    /**
     * The resource operation this call served, when it is not the call itself: a lookup or a login
     * made while creating a trunk reads `create trunk "carrier": log in ... failed`.
     */
    during?: string | undefined;
}

const BRAND = "__pulumiVoipVendorError";

/**
 * Every failure of a vendor call surfaces as this error. Its message names vendor, operation,
 * object, HTTP status, vendor code and message, and never a credential.
 */
export class VendorApiError extends Error {
    readonly [BRAND] = true;
    readonly kind: VendorErrorKind;
    readonly vendor: string;
    readonly operation: string;
    readonly object: string | undefined;
    readonly status: number | undefined;
    readonly vendorCode: string | undefined;
    readonly vendorMessage: string | undefined;
    readonly request: string | undefined;
    readonly hint: string | undefined;
    readonly during: string | undefined;
    /** Whether the same call could succeed if tried again later. */
    readonly retryable: boolean;

    constructor(details: VendorErrorDetails) {
        const vendorMessage = details.vendorMessage === undefined ? undefined : redact(details.vendorMessage);
        super(formatMessage({ ...details, vendorMessage }));
        this.name = "VendorApiError";
        this.kind = details.kind;
        this.vendor = details.vendor;
        this.operation = details.operation;
        this.object = details.object;
        this.status = details.status;
        this.vendorCode = details.vendorCode;
        this.vendorMessage = vendorMessage;
        this.request = details.request === undefined ? undefined : redact(details.request);
        this.hint = details.hint;
        this.during = details.during;
        this.retryable = isRetryableKind(details.kind);
    }

    /** Brand check: works across copies of this package (code loaded twice, serialized code). */
    /** The same failure with more said about it (a remedy, the operation it served). */
    with(more: Pick<VendorErrorDetails, "hint" | "during">): VendorApiError {
        return new VendorApiError({
            kind: this.kind,
            vendor: this.vendor,
            operation: this.operation,
            object: this.object,
            status: this.status,
            vendorCode: this.vendorCode,
            vendorMessage: this.vendorMessage,
            request: this.request,
            hint: more.hint ?? this.hint,
            during: more.during ?? this.during,
        });
    }

    static isInstance(value: unknown, kind?: VendorErrorKind): value is VendorApiError {
        return (
            typeof value === "object" &&
            value !== null &&
            (value as Record<string, unknown>)[BRAND] === true &&
            (kind === undefined || (value as VendorApiError).kind === kind)
        );
    }
}

export function isRetryableKind(kind: VendorErrorKind): boolean {
    return kind === "RateLimited" || kind === "Server" || kind === "Network" || kind === "Timeout";
}

/** The kind an HTTP status maps to, when the vendor body says nothing more specific. */
export function kindForStatus(status: number): VendorErrorKind {
    // A success or redirect status reaching here means an answer that could not be used; it is
    // never the client's fault, and the vendor may well have acted on the request.
    if (status < 400) return "BadResponse";
    if (status === 400) return "BadRequest";
    if (status === 401) return "Auth";
    if (status === 403) return "Forbidden";
    if (status === 404 || status === 410) return "NotFound";
    if (status === 409) return "Conflict";
    if (status === 422) return "Validation";
    if (status === 429) return "RateLimited";
    if (status === 408) return "Timeout";
    if (status >= 500) return "Server";
    return "BadRequest";
}

function formatMessage(details: VendorErrorDetails): string {
    const subject = details.object === undefined ? details.operation : `${details.operation} "${details.object}"`;
    const parts: string[] = [];
    if (details.status !== undefined) parts.push(`HTTP ${details.status}`);
    if (details.vendorCode !== undefined) parts.push(`code ${details.vendorCode}`);
    const head = parts.length > 0 ? ` (${parts.join(", ")})` : "";
    const tail =
        details.vendorMessage !== undefined && details.vendorMessage !== "" ? `: ${details.vendorMessage}` : "";
    const hint = isRetryableKind(details.kind) ? " [transient: retrying later may help]" : "";
    const remedy = details.hint === undefined ? "" : `. ${details.hint}`;
    const context = details.during === undefined || details.during === subject ? "" : `${details.during}: `;
    return redact(`${details.vendor}: ${context}${subject} failed${head}${tail}${hint}${remedy}`);
}

/**
 * Thrown from `create`/`update` when the vendor object exists but the operation could not finish.
 * The dynamic-provider host sends it as ErrorResourceInitFailed: the engine records the resource
 * (id and properties) as partially created instead of forgetting it, and the next `pulumi up`
 * finishes it with an update. Without this, the vendor object would be orphaned.
 *
 * The engine shows only `reasons` (not the message) and stores `properties` as the outputs as
 * given; `runHook` completes them (plain JSON, state version, no secrets, `__provider`), so a
 * vendor only passes what it knows.
 */
export class ResourceInitError extends Error {
    readonly id: string;
    readonly properties: Record<string, unknown>;
    readonly reasons: string[];

    /** `cause` may itself be a ResourceInitError: its reasons are kept after the new one. */
    constructor(id: string, properties: Record<string, unknown>, cause: unknown) {
        const reason = redact(cause instanceof Error ? cause.message : String(cause));
        super(reason);
        this.name = "ResourceInitError";
        this.id = id;
        this.properties = properties;
        const earlier = cause instanceof ResourceInitError ? cause.reasons.map(redact) : [];
        this.reasons = [...new Set([reason, ...earlier])];
    }
}

/** A bad answer from a vendor that the client cannot make sense of, or a broken invariant. */
export function badResponse(
    vendor: string,
    operation: string,
    object: string | undefined,
    problem: string,
    status?: number,
): VendorApiError {
    return new VendorApiError({ kind: "BadResponse", vendor, operation, object, status, vendorMessage: problem });
}

/**
 * The answer of `call`, or `whenGone` when the vendor says the object does not exist: for reads
 * (gone means "no longer exists") and deletes (gone means "already deleted").
 */
export async function unlessNotFound<T, G>(call: Promise<T>, whenGone: G): Promise<T | G> {
    try {
        return await call;
    } catch (error) {
        if (VendorApiError.isInstance(error, "NotFound")) return whenGone;
        throw error;
    }
}
