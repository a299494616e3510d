import { createHash } from "node:crypto";
import { z } from "zod";
import { readHttpTuning, readSetting, requireSetting, type HttpTuning, type Setting } from "./config";
import { VendorApiError } from "./errors";
import { vendorRequest, type HttpMethod, type VendorConnection, type VendorErrorDescription } from "./http";

/**
 * The one connection model of every vendor. A vendor declares its connections once
 * ({@link declareConnections}): namespace, environment prefix, fields and which of them are
 * secret, its default base URL, the fields a refused credential points at. From that come the
 * settings of a named connection with one message policy, the per-account identity key, the
 * tuning (read once per connection and handed to both the transport and the safe create), and
 * the endpoint every request of the vendor goes through ({@link connectionRequest}).
 *
 * A connection named `east` reads stack config `<namespace>:east.<field>` (e.g.
 * `portsip:east.password`), then the environment `<PREFIX>_EAST_<FIELD>` (`PORTSIP_EAST_PASSWORD`).
 * The connection named `default` also answers to `<namespace>:<field>` and `<PREFIX>_<FIELD>`, the
 * keys of a one-account stack, and messages name those short forms for it.
 */

/** The connection a resource uses when it names none; it also answers to the un-named keys. */
export const DEFAULT_CONNECTION = "default";

/**
 * A connection name: it becomes part of stack config keys (`voicetel:east.apiKey`) and environment
 * variable names (`VOICETEL_EAST_API_KEY`), so it is kept to what both can spell.
 */
export const CONNECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/** One setting of a connection. */
export interface ConnectionFieldSpec {
    /** Registered for redaction as soon as it is read; messages ask for `pulumi config set --secret`. */
    secret?: boolean;
    /** Absent settings read as undefined instead of failing. */
    optional?: boolean;
}

/** One vendor's named connections, declared once. */
export interface ConnectionDeclaration<Fields extends Record<string, ConnectionFieldSpec>> {
    /** Stack config namespace, e.g. `voicetel`. */
    namespace: string;
    /** Environment variable prefix, e.g. `VOICETEL`. */
    envPrefix: string;
    /** Display name of the vendor, for messages. */
    vendor: string;
    /** The settings of one connection, read in this order; the first is the example of the bad-name message. */
    fields: Fields;
    /** The field holding the base URL of the API. */
    baseUrlField: keyof Fields & string;
    /** The base URL when the connection sets none (a hosted API); vendors on the customer's own server have none. */
    defaultBaseUrl?: string | undefined;
    /** The fields a 401 or 403 answer points at. */
    credentialFields: readonly (keyof Fields & string)[];
    /** The fields that tell one account from another, besides the base URL (digested, never shown). */
    identityFields: readonly (keyof Fields & string)[];
    /** Tuning defaults of this vendor where they differ from core's (core/config.ts). */
    tuningDefaults?: Partial<HttpTuning> | undefined;
}

/** A connection's settings: required fields are strings, optional ones may be undefined. */
export type ConnectionValues<Fields extends Record<string, ConnectionFieldSpec>> = {
    [Field in keyof Fields]: Fields[Field] extends { optional: true } ? string | undefined : string;
};

/** A named connection with its settings read, as the hooks of one resource use it. */
export interface ResolvedConnection<Fields extends Record<string, ConnectionFieldSpec>> {
    /** The connection's name (`default` unless the resource names one). */
    name: string;
    values: ConnectionValues<Fields>;
    /** The configured base URL, else the vendor's default, without trailing slashes. */
    baseUrl: string;
    /** The key that holds the base URL, as messages name it (`voicetel:baseUrl`, `voicetel:east.baseUrl`). */
    baseUrlSetting: string;
    /** Read once with the settings; the transport and the safe create both use this one. */
    tuning: HttpTuning;
    /**
     * Identifies the account inside this process (create claims, per-account queues and caches):
     * the base URL and a digest of the identity fields, so two connection names for one account
     * share them. Never shown anywhere.
     */
    account: string;
    /** What a 401 or 403 answer adds: `check voicetel:east.apiKey; not retried`. */
    credentialAdvice: string;
}

/** What every call through an endpoint sends besides its own path and parameters. */
export interface ShapedRequest {
    headers: Record<string, string>;
    /** The body exactly as sent; undefined sends none. */
    body?: string | undefined;
    /** Query parameters added to the call's own (never shown in messages). */
    params?: Record<string, string> | undefined;
}

/** A vendor connection of the transport plus the vendor's own request shaping: authentication, media types, body encoding. */
export interface Endpoint extends VendorConnection {
    /** Turns a call's body (any value; the vendor encodes it) into what is sent. */
    shape(body: unknown): ShapedRequest;
}

/** One request, the same for every vendor. */
export interface ConnectionCall<T> {
    /** What is being done, for messages: "create termination gateway". */
    operation: string;
    /** The object concerned, for messages: an id or a name. */
    object?: string | undefined;
    method: HttpMethod;
    /** Below the endpoint's base URL; encode dynamic segments with `encodeURIComponent`. */
    path: string;
    /** Query parameters; never shown in messages. */
    params?: Record<string, string> | undefined;
    /** The body as the vendor's {@link Endpoint.shape} takes it (an object to serialize, a pre-serialized string). */
    body?: unknown;
    /** See core/http.ts: only idempotent calls are repeated after an ambiguous failure. */
    idempotent: boolean;
    /** Turns a 2xx answer into the caller's value; throw to report a malformed answer. */
    parse: (body: string, status: number) => T;
    /**
     * Reads a non-2xx answer the caller expects (a 409 batch result, a 404 that means "none") as
     * the call's value. Returning undefined (or throwing) means "not one of those": the
     * {@link VendorApiError} is thrown.
     */
    parseError?: ((status: number, body: string, error: VendorApiError) => T | undefined) | undefined;
}

/** The stack config key and environment variable of one place a connection's field is read from. */
function places(
    declaration: { namespace: string; envPrefix: string },
    connection: string,
    field: string,
    secret: boolean,
): { all: Setting[]; shown: Setting } {
    const envName = (part: string) =>
        part
            .replace(/([a-z])([A-Z])/g, "$1_$2")
            .replace(/[^A-Za-z0-9]+/g, "_")
            .toUpperCase();
    const { namespace, envPrefix } = declaration;
    const named: Setting = {
        configKey: `${namespace}:${connection}.${field}`,
        envVar: `${envPrefix}_${envName(connection)}_${envName(field)}`,
        secret,
    };
    if (connection !== DEFAULT_CONNECTION) return { all: [named], shown: named };
    const short: Setting = { configKey: `${namespace}:${field}`, envVar: `${envPrefix}_${envName(field)}`, secret };
    return { all: [named, short], shown: short };
}

/** A vendor's connections, from its declaration. */
export interface Connections<Fields extends Record<string, ConnectionFieldSpec>> {
    declaration: ConnectionDeclaration<Fields>;
    /** The key a user sets for a connection's field, as messages name it (the short form for `default`). */
    configKey: (connection: string, field: keyof Fields & string) => string;
    /** One field, undefined when no place has it. */
    read: (connection: string, field: keyof Fields & string) => string | undefined;
    /** One field, failing with a message that names the key, the command and the environment variable. */
    require: (connection: string, field: keyof Fields & string) => string;
    /** The vendor's tuning (vendor-wide keys such as `voicetel:maxRetries`), for calls made before a connection is resolved. */
    tuning: () => HttpTuning;
    /** What a refused credential adds to its message: `check voicetel:east.apiKey; not retried`. */
    credentialAdvice: (connection: string) => string;
    /** Every setting of the connection, read in declaration order, with its tuning and account key. */
    resolve: (connection: string) => ResolvedConnection<Fields>;
    /** The `connection` input of a resource: a valid name, `default` when absent. */
    nameSchema: () => z.ZodDefault<z.ZodString>;
}

/** Declares a vendor's connections: see {@link ConnectionDeclaration}. */
export function declareConnections<const Fields extends Record<string, ConnectionFieldSpec>>(
    declaration: ConnectionDeclaration<Fields>,
): Connections<Fields> {
    const { namespace, envPrefix, vendor } = declaration;
    const placesOf = (connection: string, field: keyof Fields & string) =>
        places(declaration, connection, field, declaration.fields[field]?.secret === true);
    const read = (connection: string, field: keyof Fields & string): string | undefined => {
        for (const place of placesOf(connection, field).all) {
            const value = readSetting(place);
            if (value !== undefined) return value;
        }
        return undefined;
    };
    const require = (connection: string, field: keyof Fields & string): string =>
        read(connection, field) ?? requireSetting(placesOf(connection, field).shown, vendor);
    const configKey = (connection: string, field: keyof Fields & string) => placesOf(connection, field).shown.configKey;
    const exampleField = Object.keys(declaration.fields)[0] ?? declaration.baseUrlField;
    const tuning = () => readHttpTuning(namespace, envPrefix, vendor, declaration.tuningDefaults);
    const credentialAdvice = (connection: string) => {
        const keys = declaration.credentialFields.map((field) => configKey(connection, field));
        return `check ${keys.join(" / ")}; not retried`;
    };
    return {
        declaration,
        configKey,
        read,
        require,
        tuning,
        credentialAdvice,
        resolve: (connection) => {
            const values: Record<string, string | undefined> = {};
            for (const [field, spec] of Object.entries(declaration.fields)) {
                values[field] = spec.optional === true ? read(connection, field) : require(connection, field);
            }
            const baseUrl = (values[declaration.baseUrlField] ?? declaration.defaultBaseUrl ?? "").replace(/\/+$/, "");
            const identity = declaration.identityFields.map((field) => values[field] ?? "").join("\n");
            const digest = createHash("sha256").update(identity, "utf8").digest("hex").slice(0, 16);
            return {
                name: connection,
                values: values as ConnectionValues<Fields>,
                baseUrl,
                baseUrlSetting: configKey(connection, declaration.baseUrlField),
                tuning: tuning(),
                account: `${baseUrl}#${digest}`,
                credentialAdvice: credentialAdvice(connection),
            };
        },
        nameSchema: () => {
            return z
                .string({ error: "must be a string" })
                .regex(
                    CONNECTION_NAME,
                    `must start with a letter and hold only letters, digits, '-' or '_', at most 63 (it names stack config keys ${namespace}:<connection>.${exampleField}, ...)`,
                )
                .default(DEFAULT_CONNECTION);
        },
    };
}

/**
 * One policy for every vendor's refused credentials: a 401 or 403 answer names the connection's
 * keys that hold what the vendor refused (`Unauthorized (check voicetel:east.apiKey; not
 * retried)`); the answer alone does not say which account or which setting.
 */
export function withCredentialAdvice(
    describe: (status: number, body: string) => VendorErrorDescription,
    advice: string,
): (status: number, body: string) => VendorErrorDescription {
    return (status, body) => {
        const description = describe(status, body);
        if (status !== 401 && status !== 403) return description;
        const message =
            description.message === undefined || description.message === "" ? "refused" : description.message;
        return { ...description, message: `${message} (${advice})` };
    };
}

/**
 * Sends one call through the vendor's endpoint: the call's own path, parameters and body, shaped
 * by the endpoint (authentication, media types, encoding), retried and judged by core/http.ts.
 */
export async function connectionRequest<T>(endpoint: Endpoint, call: ConnectionCall<T>): Promise<T> {
    const shaped = endpoint.shape(call.body);
    let errorBody: { status: number; body: string } | undefined;
    const connection: VendorConnection =
        call.parseError === undefined
            ? endpoint
            : {
                  ...endpoint,
                  describeError: (status, body) => {
                      errorBody = { status, body };
                      return endpoint.describeError(status, body);
                  },
              };
    const params =
        call.params === undefined && shaped.params === undefined ? undefined : { ...call.params, ...shaped.params };
    try {
        return await vendorRequest(connection, {
            operation: call.operation,
            object: call.object,
            method: call.method,
            path: call.path,
            params,
            headers: shaped.headers,
            body: shaped.body,
            idempotent: call.idempotent,
            parse: (body, response) => call.parse(body, response.status),
        });
    } catch (error) {
        if (call.parseError === undefined || !VendorApiError.isInstance(error)) throw error;
        if (errorBody === undefined || errorBody.status !== error.status) throw error;
        let answer: T | undefined;
        try {
            answer = call.parseError(errorBody.status, errorBody.body, error);
        } catch {
            answer = undefined;
        }
        if (answer === undefined) throw error;
        return answer;
    }
}
