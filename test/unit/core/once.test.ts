import { once } from "../../../provider/core/once";
import { DEFINITIONS } from "../../../provider/runtime";

describe("once", () => {
    it("builds on first use only, and returns that value ever after", () => {
        let builds = 0;
        const value = once(() => ({ built: ++builds }));
        expect(builds).toBe(0);
        const first = value();
        expect(value()).toBe(first);
        expect(builds).toBe(1);
    });

    it("keeps a built undefined instead of building again", () => {
        let builds = 0;
        const value = once(() => {
            builds++;
            return undefined;
        });
        value();
        value();
        expect(builds).toBe(1);
    });
});

describe.each(DEFINITIONS.map((definition) => [definition.token, definition] as const))("%s", (_token, definition) => {
    it("builds its input schema once per process (every hook call asks for it)", () => {
        expect(definition.inputSchema()).toBe(definition.inputSchema());
    });
});
