import { onProcessReset } from "../../../core/process-state";
/**
 * DID pools (`did_numbers`): `;`-separated numbers and `from-to` ranges, e.g. `3000;12000-18000`.
 * Parsing, canonical text, overlap, and the per-run registry of which trunk of the stack claims
 * which numbers on which PBX.
 */

export interface DidRange {
    /** The entry as written (canonical: trimmed). */
    text: string;
    start: bigint;
    end: bigint;
}

const ENTRY = /^([1-9][0-9]{0,19})(?:-([1-9][0-9]{0,19}))?$/;

/** The entries of a pool, or the first problem found. Entries must not overlap each other. */
export function parseDidPool(text: string): { ranges: DidRange[] } | { problem: string } {
    const entries = text.split(";").map((entry) => entry.trim());
    if (entries.some((entry) => entry === "")) {
        return { problem: "has an empty entry (entries are separated by one ';', with no trailing ';')" };
    }
    const ranges: DidRange[] = [];
    for (const entry of entries) {
        const match = ENTRY.exec(entry.replace(/\s*-\s*/, "-"));
        if (match?.[1] === undefined) {
            return {
                problem: `entry "${entry}" must be a number or a range like 12000-18000 of up to 20 digits, not starting with + or 0`,
            };
        }
        const start = BigInt(match[1]);
        const end = match[2] === undefined ? start : BigInt(match[2]);
        if (start > end) return { problem: `range "${entry}" ends before it starts` };
        ranges.push({ text: match[2] === undefined ? match[1] : `${match[1]}-${match[2]}`, start, end });
    }
    const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    for (let index = 1; index < sorted.length; index++) {
        const previous = sorted[index - 1];
        const range = sorted[index];
        if (previous !== undefined && range !== undefined && range.start <= previous.end) {
            return { problem: `entries "${previous.text}" and "${range.text}" overlap` };
        }
    }
    return { ranges };
}

/** Canonical pool text: trimmed entries, order kept (it is the user's), joined by `;`. */
export function canonicalDidPool(text: string): string {
    const parsed = parseDidPool(text);
    if ("problem" in parsed) return text.trim();
    return parsed.ranges.map((range) => range.text).join(";");
}

export function overlapping(a: readonly DidRange[], b: readonly DidRange[]): [DidRange, DidRange] | undefined {
    for (const left of a) {
        for (const right of b) {
            if (left.start <= right.end && right.start <= left.end) return [left, right];
        }
    }
    return undefined;
}

export interface DidClaim {
    /** The Pulumi resource name (check never sees the URN). */
    resource: string;
    /** The trunk name on the PBX. */
    trunk: string;
    connection: string;
    ranges: DidRange[];
}

// Process-wide on purpose: one provider process serves one pulumi command of one stack, and
// `check` runs once per trunk of that stack in it. Every trunk whose check passed leaves its claim
// here, per PBX, so the check of the next one can see them. Never serialized (see delegate.ts).
const claims = new Map<string, Map<string, DidClaim>>();
onProcessReset(() => {
    claims.clear();
});

/**
 * Records `claim` for the PBX `pbx` unless it overlaps a claim of another resource, which is
 * returned instead. A resource checked again (a replace, or preview then update in one process)
 * replaces its own earlier claim.
 */
export function claimDids(pbx: string, claim: DidClaim): { claim: DidClaim; ranges: [DidRange, DidRange] } | undefined {
    let perPbx = claims.get(pbx);
    if (perPbx === undefined) {
        perPbx = new Map();
        claims.set(pbx, perPbx);
    }
    for (const other of perPbx.values()) {
        if (other.resource === claim.resource) continue;
        const clash = overlapping(claim.ranges, other.ranges);
        if (clash !== undefined) return { claim: other, ranges: clash };
    }
    if (claim.ranges.length === 0) perPbx.delete(claim.resource);
    else perPbx.set(claim.resource, claim);
    return undefined;
}

/** For tests: forget every claim. */
export function resetDidClaims(): void {
    claims.clear();
}
