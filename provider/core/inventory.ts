/**
 * What `pulumi-voip export` asks of every resource type: each object of one connection, read once,
 * as the outputs a resource managing it would have, or why it cannot be one.
 */

/** One object of a connection: its outputs, or the reason no resource of this type can represent it. */
export type InventoryItem<Outputs> =
    | { id: string; outs: Outputs }
    | {
          id: string;
          /** How users name the object in messages: its name, or its address. */
          label: string;
          problem: string;
      };

/**
 * Converts each listed object on its own, so one object the package cannot represent is named and
 * skipped instead of failing the whole listing.
 */
export function inventoryOf<Wire, Outputs>(
    listed: readonly Wire[],
    describe: (wire: Wire) => { id: string; label: string },
    convert: (wire: Wire) => Outputs,
): InventoryItem<Outputs>[] {
    return listed.map((wire) => {
        const { id, label } = describe(wire);
        try {
            return { id, outs: convert(wire) };
        } catch (error) {
            return { id, label, problem: error instanceof Error ? error.message : String(error) };
        }
    });
}
