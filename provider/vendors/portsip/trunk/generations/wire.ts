import { isLosslessNumber, type LosslessNumber } from "lossless-json";
import { z } from "zod";
import { canonicalHost as canonicalInputHost } from "../../../../core/validators";
import { idText } from "../../client";
import { DEFAULT_PORT, DEFAULT_REGISTER_INTERVAL, type TrunkInputs } from "../model";

/**
 * What both generations' wire modules share: field schemas for what a PBX answers (tolerant of
 * `null` and of fields this package does not know, strict about the type of those it reads), the
 * check that applies them, and the canonical forms read values take.
 */

/** A text field; `null` and `""` both mean "not set". */
export const wireText = z.string().nullish();
export const wireFlag = z.boolean().nullish();
export const wireWhole = z.number().int().nullish();

/** An id as a PBX writes it: v22 opaque text, v12 a number often beyond 2^53 (kept exact). */
export const wireId = z
    .union([z.string().min(1), z.number().int(), z.custom<LosslessNumber>((value) => isLosslessNumber(value))])
    .transform((value, ctx) => {
        const text = idText(value);
        if (text === undefined) ctx.addIssue({ code: "custom", message: "must be an id" });
        return text ?? "";
    });

/** The answer of a create: the new trunk's id. */
export const createdAnswer = z.looseObject({ id: wireId });

/** Items per page of a list call. */
export const PAGE_SIZE = 100;

/** What the PBX answered, checked against `schema`; a mismatch names the fields that differ. */
export function parseWire<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const fields = result.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.length === 0 ? "the answer" : issue.path.join(".")}: ${issue.message}`)
        .join("; ");
    throw new Error(`${what} is not what the API documents (${fields})`);
}

/** A set text, or `undefined`. */
export function optionalText(value: string | null | undefined): string | undefined {
    return value === null || value === undefined || value === "" ? undefined : value;
}

/** The same canonical form as `hostSchema` gives inputs, so a case-only difference is no drift. */
export function canonicalHost(value: string): string {
    return canonicalInputHost(value.trim());
}

/** ONLINE or OFFLINE, whichever words the PBX uses (v16 says REGISTERED/UNREGISTERED). */
export function normalizeStatus(value: string | null | undefined): string {
    if (value === "ONLINE" || value === "REGISTERED") return "ONLINE";
    if (value === "OFFLINE" || value === "UNREGISTERED") return "OFFLINE";
    return value === null || value === undefined || value === "" ? "UNKNOWN" : value;
}

export function nonEmpty(list: string[]): string[] | undefined {
    return list.length === 0 ? undefined : list;
}

export function setDefined(target: Record<string, unknown>, key: string, value: unknown): void {
    if (value !== undefined) target[key] = value;
}

/** Properties that are the program's, not the PBX's: carried over from the prior state. */
export function carried(prior: TrunkInputs): Record<string, unknown> {
    const result: Record<string, unknown> = { connection: prior.connection, waitUntilOnline: prior.waitUntilOnline };
    setDefined(result, "onlineTimeoutSeconds", prior.onlineTimeoutSeconds);
    return result;
}

/**
 * The prior a lookup reads a trunk with: nothing declared, so every field is what the PBX holds
 * (the fallbacks below apply only to fields a PBX leaves out), and the program's own properties
 * (`waitUntilOnline`, ...) at their defaults.
 */
export function lookupPrior(connection: string): TrunkInputs {
    return {
        connection,
        name: "",
        authMode: "REGISTER_AUTH",
        transport: "UDP",
        hostname: "",
        port: DEFAULT_PORT,
        registerInterval: DEFAULT_REGISTER_INTERVAL,
        outboundServerPort: 0,
        inLan: false,
        singleViaHeader: true,
        waitUntilOnline: false,
    };
}
