import { connectionUrl, generationForCheck } from "../connection";
import { claimDids, parseDidPool } from "./dids";
import type { TrunkGeneration } from "./generations";
import { trunkGeneration } from "./generations";
import { crossPropertyProblems, fieldsSchema, type InputProblem, type ParsedInputs } from "./model";
import { once } from "../../../core/once";
import { PULUMI_NAME_KEY } from "../../../core/resource-class";

/**
 * The schema `check` runs: the fields and rules of model.ts's pure schema, and the asynchronous
 * refinement that needs the world outside the inputs: the API generation of the connection's PBX (pinned in config,
 * so no call at all, or detected once per PBX per run), that generation's own rules, and the DID
 * pools the stack's other trunks on the same PBX claimed earlier in this run.
 */

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

function resourceName(inputs: ParsedInputs): string {
    return inputs[PULUMI_NAME_KEY] ?? inputs.name;
}

/** Trunks of one PBX: the same URL is the same PBX even under two connection names. */
function pbxKey(connection: string): string {
    return connectionUrl(connection) ?? `connection:${connection}`;
}

/**
 * Records the trunk's DID pool for the trunks checked after it, unless it overlaps the pool of
 * another resource on the same PBX: then that is the problem. A trunk without DIDs still records
 * its (empty) claim, releasing one it made earlier in this run.
 */
function claimProblem(inputs: ParsedInputs): InputProblem | undefined {
    const parsed = inputs.didNumbers === undefined ? { ranges: [] } : parseDidPool(inputs.didNumbers);
    if ("problem" in parsed) return undefined;
    const self = resourceName(inputs);
    const clash = claimDids(pbxKey(inputs.connection), {
        resource: self,
        trunk: inputs.name,
        connection: inputs.connection,
        ranges: parsed.ranges,
    });
    if (clash === undefined) return undefined;
    const [mine, theirs] = clash.ranges;
    return {
        path: "didNumbers",
        message:
            `${mine.text} of resource "${self}" overlaps ${theirs.text} of resource "${clash.claim.resource}" ` +
            `(trunk "${clash.claim.trunk}", connection "${clash.claim.connection}") on the same PBX; ` +
            `a DID number can belong to one trunk only`,
    };
}

/** Canonical inputs: the hidden resource name dropped, registration and the generation's defaults filled in. */
function canonicalize(inputs: ParsedInputs, generation: TrunkGeneration): ParsedInputs {
    const { [PULUMI_NAME_KEY]: _hidden, ...rest } = inputs;
    return generation.withDefaults({ ...rest, registration: rest.registration ?? rest.authMode === "REGISTER_AUTH" });
}

/**
 * Canonical inputs: defaults filled (per generation), host names in lower case, CIDR and DID lists
 * normalized, nested parameters without their `DEFAULT` entries. Fields the PBX's generation
 * lacks fail, as does a DID pool overlapping another trunk's of this stack on the same PBX.
 *
 * One asynchronous check does it all, canonical form included: zod runs a check that follows an
 * asynchronous one without waiting for it, so a separate `overwrite` would not see the generation.
 */
export const inputSchema = once(() => {
    return fieldsSchema().check(async (payload) => {
        // Field-level problems first: the rules across fields (and the DID claim) need valid fields.
        if (payload.issues.length > 0) return;
        const inputs = payload.value;
        const report = ({ path, message }: InputProblem) =>
            payload.issues.push({ code: "custom", path: [path], message, input: inputs });
        let generation: TrunkGeneration | undefined;
        try {
            generation = trunkGeneration(await generationForCheck(inputs.connection));
        } catch (error) {
            report({ path: "connection", message: errorText(error) });
        }
        generation?.inputProblems(inputs).forEach(report);
        crossPropertyProblems(inputs).forEach(report);
        if (generation === undefined) return;
        // Last, and only for an otherwise valid trunk: a claim is recorded for the trunks checked after it.
        if (payload.issues.length === 0 && generation.hasDidPools) {
            const clash = claimProblem(inputs);
            if (clash !== undefined) report(clash);
        }
        payload.value = canonicalize(inputs, generation);
    });
});
