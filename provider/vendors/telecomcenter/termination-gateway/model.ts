import { z } from "zod";
import { DEFAULT_CONNECTION } from "../../../core/connection";
import { CONNECTIONS } from "../client";
import { distinctEnumList, hostSchema, nonEmptyString, portSchema } from "../../../core/validators";
import { CODECS, NETWORK_PROTOCOLS, type Codec, type NetworkProtocol } from "./vocabulary";
import { once } from "../../../core/once";
// The vocabulary is part of the model; it lives apart only so public types need no zod.
export * from "./vocabulary";

/**
 * telecom.center termination gateway: Pulumi inputs, the JSON:API wire shape, and the mapping
 * between them. Wire names (snake_case) never leave this file.
 */

/** The port the API means when it reads back `port: null` (documented default). */
export const DEFAULT_PORT = 5060;
export const DEFAULT_NETWORK_PROTOCOL: NetworkProtocol = "IPv4_only";

/** 2 added `connection`; state of 0.1 (versions 0 and 1) has none and means the default connection. */
export const STATE_VERSION = 2;

/**
 * The customer relationship cannot be updated (documented): a new customer means a new gateway.
 * Another connection is another operator account, whose gateway is another object.
 */
export const REPLACE_ON_CHANGES = ["connection", "customerId"] as const;
/** The account decides the default codecs; without `codecs` in the program they are not managed. */
export const VENDOR_DEFAULTED = ["codecs"] as const;
export const SECRET_INPUTS = ["authorizationPassword"] as const;

function optionalText() {
    return z.string({ error: "must be a string" }).min(1, "must not be empty; leave it out instead").optional();
}

function regexText() {
    return optionalText().refine(
        (value) => value === undefined || compiles(value),
        "must be a valid regular expression",
    );
}

function compiles(pattern: string): boolean {
    try {
        new RegExp(pattern);
        return true;
    } catch {
        return false;
    }
}

/** Canonical inputs: defaults filled, host lower-cased, so preview diffs are semantic. */
export const inputSchema = once(() => {
    return z
        .strictObject({
            connection: CONNECTIONS.nameSchema(),
            customerId: nonEmptyString(),
            name: nonEmptyString(),
            host: hostSchema(),
            port: portSchema().default(DEFAULT_PORT),
            codecs: distinctEnumList(CODECS).optional(),
            srcRewriteRule: regexText(),
            srcRewriteResult: optionalText(),
            dstRewriteRule: regexText(),
            dstRewriteResult: optionalText(),
            authorizationName: optionalText(),
            authorizationPassword: optionalText(),
            networkProtocol: z
                .enum(NETWORK_PROTOCOLS, {
                    error: (issue) =>
                        `must be one of ${NETWORK_PROTOCOLS.join(", ")} (got ${JSON.stringify(issue.input)})`,
                })
                .default(DEFAULT_NETWORK_PROTOCOL),
        })
        .superRefine((inputs, ctx) => {
            for (const side of ["src", "dst"] as const) {
                if (inputs[`${side}RewriteResult`] !== undefined && inputs[`${side}RewriteRule`] === undefined) {
                    ctx.addIssue({
                        code: "custom",
                        path: [`${side}RewriteResult`],
                        message: `needs ${side}RewriteRule: a result without a rule rewrites nothing`,
                    });
                }
            }
            if (inputs.authorizationPassword !== undefined && inputs.authorizationName === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["authorizationName"],
                    message: "is required when authorizationPassword is set",
                });
            }
        });
});

export type TerminationGatewayInputs = z.output<ReturnType<typeof inputSchema>>;

export interface TerminationGatewayOutputs extends TerminationGatewayInputs {
    /** True for gateways created through the API or by staff; false for gateways made by the customer in the UI. */
    operator: boolean;
}

/** The attributes object as the API reads and writes it. */
export interface WireAttributes {
    name: string;
    host: string;
    port: number | null;
    codecs: string[];
    src_rewrite_rule: string | null;
    src_rewrite_result: string | null;
    dst_rewrite_rule: string | null;
    dst_rewrite_result: string | null;
    authorization_name: string | null;
    authorization_password: string | null;
    network_protocol: string;
    operator: boolean;
}

/** A gateway as the API answers it (single resource). */
export function wireResourceSchema() {
    return z.object({
        id: z.string().min(1),
        type: z.literal("termination_gateways"),
        attributes: z.object({
            name: z.string(),
            host: z.string(),
            port: z.number().int().nullable(),
            codecs: z.array(z.string()),
            src_rewrite_rule: z.string().nullable(),
            src_rewrite_result: z.string().nullable(),
            dst_rewrite_rule: z.string().nullable(),
            dst_rewrite_result: z.string().nullable(),
            authorization_name: z.string().nullable(),
            // Nullable: a server may mask it on read (undocumented either way).
            authorization_password: z.string().nullable(),
            network_protocol: z.string(),
            operator: z.boolean(),
        }),
        relationships: z
            .object({ customer: z.object({ data: z.object({ id: z.string(), type: z.literal("customers") }) }) })
            .optional(),
    });
}

export type WireResource = z.output<ReturnType<typeof wireResourceSchema>>;

type WritableAttributes = Omit<WireAttributes, "operator">;

/** Every writable attribute, with `null` for what the program leaves out (clears it on update). */
export function toWireAttributes(inputs: TerminationGatewayInputs): Partial<WritableAttributes> {
    const attributes: Partial<WritableAttributes> = {
        name: inputs.name,
        host: inputs.host,
        port: inputs.port,
        src_rewrite_rule: inputs.srcRewriteRule ?? null,
        src_rewrite_result: inputs.srcRewriteResult ?? null,
        dst_rewrite_rule: inputs.dstRewriteRule ?? null,
        dst_rewrite_result: inputs.dstRewriteResult ?? null,
        authorization_name: inputs.authorizationName ?? null,
        authorization_password: inputs.authorizationPassword ?? null,
        network_protocol: inputs.networkProtocol,
    };
    // Left out, the account's default codecs apply; sending null or [] would not mean that.
    if (inputs.codecs !== undefined) attributes.codecs = inputs.codecs;
    return attributes;
}

/** Only the attributes that differ between two desired states: a PATCH is partial. */
export function changedWireAttributes(
    olds: TerminationGatewayInputs,
    news: TerminationGatewayInputs,
): Partial<WritableAttributes> {
    const before = toWireAttributes(olds) as Record<string, unknown>;
    const after = toWireAttributes(news) as Record<string, unknown>;
    const changed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(after)) {
        if (JSON.stringify(before[key]) !== JSON.stringify(value)) changed[key] = value;
    }
    return changed;
}

function optional(value: string | null): string | undefined {
    return value === null || value === "" ? undefined : value;
}

/**
 * Canonical inputs and outputs from what the API reads back.
 *
 * - `port: null` reads as the documented default 5060, so leaving port out never shows a diff.
 * - `codecs` are reported only when the program manages them (`prior.codecs` present).
 * - A password read back as null is kept from `prior` (a server may mask it); a readable one is
 *   used, so a change made in the vendor UI shows as drift (as a secret).
 * - The customer comes from the `include=customer` relationship, or `prior` when absent.
 */
export function fromWire(
    resource: WireResource,
    prior: Pick<TerminationGatewayInputs, "customerId" | "codecs" | "authorizationPassword"> &
        Partial<Pick<TerminationGatewayInputs, "connection">>,
): { inputs: TerminationGatewayInputs; outs: TerminationGatewayOutputs } {
    const a = resource.attributes;
    const inputs: TerminationGatewayInputs = {
        // The program's, not telecom.center's.
        connection: prior.connection ?? DEFAULT_CONNECTION,
        customerId: resource.relationships?.customer.data.id ?? prior.customerId,
        name: a.name,
        host: a.host,
        port: a.port ?? DEFAULT_PORT,
        networkProtocol: a.network_protocol as NetworkProtocol,
    };
    if (prior.codecs !== undefined) inputs.codecs = a.codecs as Codec[];
    const optionals = {
        srcRewriteRule: optional(a.src_rewrite_rule),
        srcRewriteResult: optional(a.src_rewrite_result),
        dstRewriteRule: optional(a.dst_rewrite_rule),
        dstRewriteResult: optional(a.dst_rewrite_result),
        authorizationName: optional(a.authorization_name),
        authorizationPassword: optional(a.authorization_password) ?? prior.authorizationPassword,
    };
    for (const [key, value] of Object.entries(optionals)) {
        if (value !== undefined) (inputs as Record<string, unknown>)[key] = value;
    }
    return { inputs, outs: { ...inputs, operator: a.operator } };
}

/**
 * State of 0.1 (version 0, before versioning, and version 1) has no `connection`: those gateways
 * were made with the un-named keys, which the default connection reads. Otherwise the same shape.
 */
export function upgradeState(state: Record<string, unknown>): TerminationGatewayOutputs {
    const connection = typeof state["connection"] === "string" ? state["connection"] : DEFAULT_CONNECTION;
    return { ...state, connection } as unknown as TerminationGatewayOutputs;
}
