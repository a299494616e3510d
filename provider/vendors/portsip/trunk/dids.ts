import { portSipRun } from "../run-state";
import { splitJoined } from "./joined";

/**
 * DID pools (`did_numbers`): numbers and `from-to` ranges, e.g. `["3000", "12000-18000"]`, which
 * the PBX stores `;`-joined (`3000;12000-18000`). Parsing, the canonical list, overlap, and the
 * per-run registry of which trunk of the stack claims which numbers on which PBX.
 */

export interface DidRange {
    /** The entry in canonical form: digits, or `start-end` without spaces. */
    text: string;
    start: bigint;
    end: bigint;
}

const ENTRY = /^([1-9][0-9]{0,19})(?:-([1-9][0-9]{0,19}))?$/;

/** One entry (a number or a range), or its problem. */
export function parseDidEntry(entry: string): DidRange | { problem: string } {
    const trimmed = entry.trim();
    const match = ENTRY.exec(trimmed.replace(/\s*-\s*/, "-"));
    if (match?.[1] === undefined) {
        return {
            problem: `"${trimmed}" must be a number or a range like 12000-18000 of up to 20 digits, not starting with + or 0`,
        };
    }
    const start = BigInt(match[1]);
    const end = match[2] === undefined ? start : BigInt(match[2]);
    if (start > end) return { problem: `range "${trimmed}" ends before it starts` };
    return { text: match[2] === undefined ? match[1] : `${match[1]}-${match[2]}`, start, end };
}

function byStart(a: DidRange, b: DidRange): number {
    return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
}

/** The ranges of a pool, sorted, or the first problem found. Entries must not overlap each other. */
export function parseDidPool(entries: readonly string[]): { ranges: DidRange[] } | { problem: string } {
    const ranges: DidRange[] = [];
    for (const entry of entries) {
        const range = parseDidEntry(entry);
        if ("problem" in range) return range;
        ranges.push(range);
    }
    ranges.sort(byStart);
    for (let index = 1; index < ranges.length; index++) {
        const previous = ranges[index - 1];
        const range = ranges[index];
        if (previous !== undefined && range !== undefined && range.start <= previous.end) {
            return { problem: `entries "${previous.text}" and "${range.text}" overlap` };
        }
    }
    return { ranges };
}

/**
 * The canonical pool: canonical entries sorted by their first number. A pool is a set (the PBX
 * matches a called number against every entry), so the order written in the program is not
 * significant and a reordering is no change. An entry that does not parse (possible only in
 * what a PBX sends back) is kept as it is, after the others.
 */
export function canonicalDidList(entries: readonly string[]): string[] {
    const parsed = entries.map((entry) => ({ entry: entry.trim(), range: parseDidEntry(entry) }));
    const ranges = parsed.flatMap(({ range }) => ("problem" in range ? [] : [range])).sort(byStart);
    const unparsed = parsed.flatMap(({ entry, range }) => ("problem" in range ? [entry] : []));
    return [...ranges.map((range) => range.text), ...unparsed.sort()];
}

/** The pool in the PBX's `;`-joined text (`did_numbers`), as a canonical list. */
export function didListFromWire(text: string): string[] {
    return canonicalDidList(splitJoined(text));
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

/**
 * Records `claim` for the PBX `pbx` (in this run's state, see run-state.ts) unless it overlaps a claim of another resource, which is
 * returned instead. A resource checked again (a replace, or preview then update in one process)
 * replaces its own earlier claim.
 */
export function claimDids(pbx: string, claim: DidClaim): { claim: DidClaim; ranges: [DidRange, DidRange] } | undefined {
    let perPbx = portSipRun.didClaims.get(pbx);
    if (perPbx === undefined) {
        perPbx = new Map();
        portSipRun.didClaims.set(pbx, perPbx);
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
