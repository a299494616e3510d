/**
 * PortSIP v22 keeps some lists (`did_numbers`, `additional_ips`) as one `;`-joined string; the
 * Pulumi inputs are lists. These are the only two places that know the separator.
 */

/** The entries of a `;`-joined wire string; empty entries (a trailing `;`) mean nothing. */
export function splitJoined(text: string): string[] {
    return text
        .split(";")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "");
}

/** The wire string of a list; an absent or empty list is `""` (which clears the field on the PBX). */
export function joinForWire(list: readonly string[] | undefined): string {
    return (list ?? []).join(";");
}
