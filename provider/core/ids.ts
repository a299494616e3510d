import { VendorApiError } from "./errors";

/**
 * Checks on values that come from outside the program and end up in a request: ids read from the
 * stack's state (they go into URL paths and bodies) and the vendor URL read from stack config.
 * An id the vendor could never have issued (`..`, `1/../2`, a blank) is refused before any
 * request, so a damaged state can never turn `POST /providers/{id}/destroy` into another route.
 */

/** What the ids of one object type of one vendor look like. */
export interface IdShape {
    /** For messages, e.g. "a UUID". */
    description: string;
    pattern: RegExp;
}

export const UUID_SHAPE: IdShape = {
    description: "a UUID (8-4-4-4-12 hexadecimal digits)",
    pattern: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
};

/** Decimal digits without sign or leading zero; as text, so ids beyond 2^53 stay exact. */
export const DECIMAL_ID_SHAPE: IdShape = {
    description: "a decimal integer (digits only, no sign, no leading zero)",
    pattern: /^(?:0|[1-9][0-9]{0,19})$/,
};

export interface IdUse {
    /** Display name of the vendor (or connection), e.g. "PortSIP". */
    vendor: string;
    /** What was about to be done, e.g. "delete trunk". */
    operation: string;
    /** Which id, for messages: "id" unless the object has several. */
    name?: string;
    /** The object concerned, when the id checked is not the one that names it. */
    object?: string;
}

/** `id` when it has the vendor's shape; otherwise fails naming the operation and the bad id, before any request. */
export function requireIdShape(id: unknown, shape: IdShape, use: IdUse): string {
    if (typeof id === "string" && shape.pattern.test(id)) return id;
    const name = use.name ?? "id";
    const quoted = typeof id === "string" ? JSON.stringify(id) : String(id);
    throw new VendorApiError({
        kind: "BadRequest",
        vendor: use.vendor,
        operation: use.operation,
        object: use.object ?? (typeof id === "string" ? id : String(id)),
        vendorMessage:
            `refused before sending any request: the ${name} ${quoted} is not ${shape.description}, ` +
            `so ${use.vendor} cannot have issued it; the stack's state is damaged (edited by hand?): correct it with ` +
            "`pulumi state edit`, or drop the resource with `pulumi state delete` and import it again",
    });
}

export interface UrlSetting {
    vendor: string;
    /** The stack config key the URL was read from, e.g. `portsip:east.url`. */
    configKey: string;
    /** A well-formed value, for messages, e.g. `https://pbx.example.com:8887`. */
    example: string;
    /** Where credentials belong instead, e.g. "portsip:east.username and portsip:east.password". */
    credentialKeys: string;
}

/** `user:pass@` before the host, with or without a scheme, whatever the URL parser makes of it. */
const USER_INFO = /^\s*(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#\s]*@/;

/**
 * The vendor URL from stack config as a parsed http(s) URL without credentials, query or fragment.
 * A URL carrying `user:pass@` is refused without repeating it: every later message and debug line
 * would otherwise show the password. Nothing containing `@` is ever quoted back.
 */
export function serviceUrl(raw: string, setting: UrlSetting): URL {
    const refuse = (problem: string) => new Error(`${setting.vendor}: ${setting.configKey} ${problem}`);
    const shown = raw.includes("@") ? "a value not shown here" : JSON.stringify(raw);
    const credentials = () =>
        refuse(
            `must not carry a user name or password ("user:pass@host"); the value is not shown here. ` +
                `Remove them from the URL and set ${setting.credentialKeys} instead`,
        );
    if (USER_INFO.test(raw)) throw credentials();
    let url: URL;
    try {
        url = new URL(raw.trim());
    } catch {
        throw refuse(`must be a URL such as ${setting.example} (got ${shown})`);
    }
    if (url.username !== "" || url.password !== "") throw credentials();
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw refuse(`must start with http:// or https:// (got ${shown})`);
    }
    if (url.search !== "" || url.hash !== "") {
        throw refuse(`must not carry a query string or fragment: such as ${setting.example}`);
    }
    return url;
}
