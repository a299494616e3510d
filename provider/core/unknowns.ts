/**
 * During `pulumi preview`, an input whose value is not known yet arrives at `check` and `diff` as
 * this sentinel string, whatever the property's type (pulumi/pulumi#6310).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** Every path (as property-key arrays) whose value is the unknown sentinel. */
export function unknownPaths(value: unknown, prefix: PropertyKey[] = []): PropertyKey[][] {
    if (isUnknown(value)) return [prefix];
    if (Array.isArray(value)) return value.flatMap((item, index) => unknownPaths(item, [...prefix, index]));
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([key, item]) => unknownPaths(item, [...prefix, key]));
    }
    return [];
}

export function containsUnknown(value: unknown): boolean {
    return unknownPaths(value).length > 0;
}
