import {
    PolicyPack,
    type PolicyConfigSchema,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "@pulumi/policy";
import { loadPriorState, type TrunkState } from "./prior-state";
import { RULES, type Rule } from "./rules";
import { nameFromUrn, trunkKind } from "./trunks";

/**
 * The `pulumi-voip` CrossGuard policy pack: reviews trunk changes for outages and security
 * downgrades. The CLI starts it from `policy/` (its package.json names this module as `main`); it
 * serves the pack as soon as it is loaded, so nothing else imports it.
 */

const prior = loadPriorState();

function trunkOf(type: string, urn: string, props: Record<string, unknown>): TrunkState | undefined {
    const kind = trunkKind(type);
    return kind === undefined ? undefined : { urn, name: nameFromUrn(urn), kind, inputs: props };
}

function configSchema(rule: Rule): PolicyConfigSchema | undefined {
    return rule.config === undefined ? undefined : { properties: { ...rule.config } };
}

function policyOf(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    const common = {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcement,
        configSchema: configSchema(rule),
    };
    if (rule.scope === "trunk") {
        return {
            ...common,
            validateResource: (args, reportViolation) => {
                const trunk = trunkOf(args.type, args.urn, args.props);
                if (trunk === undefined) return;
                const config: Record<string, unknown> = args.getConfig();
                for (const message of rule.check(trunk, prior?.get(trunk.urn), config)) reportViolation(message);
            },
        };
    }
    return {
        ...common,
        validateStack: (args, reportViolation) => {
            const trunks = args.resources.flatMap(
                (resource) => trunkOf(resource.type, resource.urn, resource.props) ?? [],
            );
            for (const finding of rule.check(trunks, prior)) reportViolation(finding.message, finding.urn);
        },
    };
}

new PolicyPack("pulumi-voip", { policies: RULES.map(policyOf) });
