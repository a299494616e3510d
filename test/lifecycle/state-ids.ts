import type { RuntimeProvider } from "../../provider/core/delegate";
import type { SimulatorServer } from "../simulators/core/server";

/**
 * Ids taken from a damaged state: each would address another object or route if it reached a URL
 * path or a body (`..` turns `POST /providers/{id}/destroy` into `POST /providers/destroy`).
 */
export const BAD_IDS = ["..", "1/../2", "", " 1"] as const;

/**
 * Read, update and delete with `id` each fail naming the operation and the id (quoted, so a blank
 * shows), and not a single request reaches the vendor.
 */
export async function expectRefusedBeforeAnyRequest(
    provider: RuntimeProvider,
    server: SimulatorServer,
    id: string,
    state: Record<string, unknown>,
    nouns: { read: string; update: string; delete: string },
): Promise<void> {
    server.clearLog();
    const attempts: [string, Promise<unknown>][] = [
        [nouns.read, provider.read(id, state)],
        [nouns.update, provider.update(id, state, state)],
        [nouns.delete, provider.delete(id, state)],
    ];
    for (const [operation, attempt] of attempts) {
        const error = await attempt.then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(Error);
        const message = (error as Error).message;
        expect(message).toContain(`${operation} "${id}" failed: refused before sending any request`);
        expect(message).toContain(JSON.stringify(id));
    }
    expect(server.requests).toEqual([]);
}
