import * as pulumi from "@pulumi/pulumi";
import { runtimeProvider } from "../../provider/core/delegate";
import { setStackConfig } from "../../provider/core/config";
import { resourceTypes } from "../../provider/runtime";

const CANARY_PASSWORD = "canary-serialize-pw-5f2c";

describe("serialized providers", () => {
    beforeAll(() => {
        // A credential that is live in the program process must still not reach the state.
        process.env["TELECOMCENTER_PASSWORD"] = CANARY_PASSWORD;
        setStackConfig({ get: (key) => (key.endsWith(":password") ? CANARY_PASSWORD : undefined) });
    });
    afterAll(() => {
        delete process.env["TELECOMCENTER_PASSWORD"];
        setStackConfig(undefined);
    });

    it("covers at least one resource type", () => {
        expect(resourceTypes()).toContain("telecomcenter:TerminationGateway");
    });

    it.each(resourceTypes())("%s serializes to a small closure that loads the installed runtime", async (type) => {
        const provider = runtimeProvider(type);
        // Warm the provider the way a program does, then serialize as the SDK does for __provider.
        const { text } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false });
        expect(text.length).toBeLessThan(8_000);
        expect(text).toContain(JSON.stringify(type));
        const requires = [...text.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
        expect(requires).toEqual(expect.arrayContaining(["pulumi-voip/dist/provider/runtime"]));
        for (const specifier of requires) {
            expect(specifier).not.toMatch(/^[./]/);
        }
        expect(text).not.toContain(CANARY_PASSWORD);
        expect(text).not.toContain(process.cwd());
    });
});
