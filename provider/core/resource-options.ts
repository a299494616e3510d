import * as pulumi from "@pulumi/pulumi";

/**
 * A secret input stays secret in the state only if it is a secret Output when it reaches the
 * engine; a plain string given by the user is wrapped here. Left out stays left out.
 */
export function secretInput(
    value: pulumi.Input<string | undefined> | undefined,
): pulumi.Output<string | undefined> | undefined {
    return value === undefined ? undefined : pulumi.secret(value);
}

/**
 * Outputs with no input of the same name are not made secret by the engine; this adds the
 * resource's secret outputs to whatever the user passed.
 */
export function withSecretOutputs(
    opts: pulumi.CustomResourceOptions | undefined,
    keys: string[],
): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...keys])] };
}
