import * as pulumi from "@pulumi/pulumi";

/**
 * What the lookup lifecycle files share. Lookups run in a program's process, where they read the
 * program's stack config (`pulumi.runtime`), not the provider's: each test sets both to the same
 * values, so a lookup and the hooks that made the objects it finds see the same accounts.
 */

/** The program's stack config, as the engine hands it to a program (secrets decrypted). */
export function setProgramConfig(config: Record<string, string>): void {
    pulumi.runtime.setAllConfig(config);
}

function value<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => {
        output.apply((known) => {
            resolve(known);
        });
    });
}

/** A lookup result with its secret Outputs resolved, and the keys that held them. */
export async function resolved(result: object): Promise<{ plain: Record<string, unknown>; secrets: string[] }> {
    const plain: Record<string, unknown> = {};
    const secrets: string[] = [];
    for (const [key, field] of Object.entries(result)) {
        if (pulumi.Output.isInstance(field)) {
            expect(await pulumi.isSecret(field)).toBe(true);
            secrets.push(key);
            plain[key] = await value(field);
        } else {
            plain[key] = field;
        }
    }
    return { plain, secrets: secrets.sort() };
}

/** An `...Output` variant's value and whether it is secret. */
export async function outputOf<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
    return { value: await value(output), secret: await pulumi.isSecret(output) };
}

/**
 * What a resource's outputs say about the object, as a lookup reports it: without the runner's
 * `stateVersion` and the program's own properties, with the resource id.
 */
export function asLookedUp(id: string, outs: unknown, programOnly: readonly string[] = []): Record<string, unknown> {
    const result: Record<string, unknown> = { id };
    for (const [key, field] of Object.entries(outs as Record<string, unknown>)) {
        if (key === "stateVersion" || programOnly.includes(key) || field === undefined) continue;
        result[key] = field;
    }
    return result;
}
