import { z } from "zod";

/** The field schemas of trunk inputs, with the failure messages users see. */

export function enumOf<const T extends readonly [string, ...string[]]>(values: T) {
    return z.enum(values, {
        error: (issue) => `must be one of ${values.join(", ")} (got ${JSON.stringify(issue.input)})`,
    });
}

export function bool() {
    return z.boolean({ error: "must be true or false" });
}

export function int(min: number, max: number) {
    const range = `must be a whole number from ${min} to ${max}`;
    return z.number({ error: range }).int(range).min(min, range).max(max, range);
}

export function text(max: number) {
    return z
        .string({ error: "must be a string" })
        .min(1, "must not be empty; leave it out instead")
        .max(max, `must be at most ${max} characters`);
}
