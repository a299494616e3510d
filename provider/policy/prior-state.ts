import * as fs from "node:fs";
import { trunkKind, nameFromUrn, type TrunkKind } from "./trunks";

/** A trunk as the policies see it: its URN, its resource name, its kind and its inputs. */
export interface TrunkState {
    urn: string;
    name: string;
    kind: TrunkKind;
    inputs: Readonly<Record<string, unknown>>;
}

/**
 * A secret the prior state holds only encrypted (exported without `--show-secrets`): it can be
 * told apart from "absent", but not compared with a new value.
 */
export const ENCRYPTED = Symbol("encrypted secret");

/** The environment variable naming the prior state file. */
export const PRIOR_STATE_VARIABLE = "PULUMI_VOIP_PRIOR_STATE";

// Secrets in `pulumi stack export` are objects tagged with this signature key and value.
const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIGNATURE_KEY] === SECRET_SIGNATURE) {
        return typeof record["plaintext"] === "string" ? unwrapSecrets(JSON.parse(record["plaintext"])) : ENCRYPTED;
    }
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, unwrapSecrets(item)]));
}

interface ExportedResource {
    urn?: unknown;
    type?: unknown;
    inputs?: unknown;
    delete?: unknown;
}

/**
 * The trunks of a `pulumi stack export` document (the stack as the last update left it), keyed by
 * URN. Resources pending deletion are not part of that state and are left out.
 */
export function trunksOfExport(document: unknown): Map<string, TrunkState> {
    const deployment = (document as { deployment?: { resources?: unknown } } | null)?.deployment;
    const resources = Array.isArray(deployment?.resources) ? (deployment.resources as ExportedResource[]) : [];
    const trunks = new Map<string, TrunkState>();
    for (const resource of resources) {
        if (typeof resource.urn !== "string" || typeof resource.type !== "string" || resource.delete === true) continue;
        const kind = trunkKind(resource.type);
        if (kind === undefined) continue;
        const inputs = unwrapSecrets(resource.inputs ?? {}) as Record<string, unknown>;
        trunks.set(resource.urn, { urn: resource.urn, name: nameFromUrn(resource.urn), kind, inputs });
    }
    return trunks;
}

/**
 * The prior state named by {@link PRIOR_STATE_VARIABLE}, or undefined when the variable is not
 * set (then the rules that compare with the prior state have nothing to compare with). A named
 * file that cannot be read is an error: a review that silently skipped those rules would pass.
 */
export function loadPriorState(environment: NodeJS.ProcessEnv = process.env): Map<string, TrunkState> | undefined {
    const file = environment[PRIOR_STATE_VARIABLE];
    if (file === undefined || file === "") return undefined;
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new Error(`${PRIOR_STATE_VARIABLE}=${file} cannot be read: ${(error as Error).message}`);
    }
    try {
        return trunksOfExport(JSON.parse(text));
    } catch (error) {
        throw new Error(
            `${PRIOR_STATE_VARIABLE}=${file} is not the JSON of \`pulumi stack export\`: ${(error as Error).message}`,
        );
    }
}
