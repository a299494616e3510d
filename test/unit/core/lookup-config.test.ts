import * as pulumi from "@pulumi/pulumi";
import { readSetting, setStackConfig, type Setting } from "../../../provider/core/config";
import { lookup } from "../../../provider/core/lookup";
import { resetProcessState } from "../../../provider/core/process-state";

/**
 * Where a lookup's connection settings come from: the program's stack config in a program's
 * process, where the provider's `configure` never runs; and a lookup never replaces the stack
 * config `configure` set for the hooks of the same process.
 */

const URL_SETTING: Setting = { configKey: "acme:url", envVar: "ACME_URL_LOOKUP_CONFIG_TEST" };

function configureWith(values: Record<string, string>): void {
    setStackConfig({ get: (key) => values[key] });
}

beforeEach(() => {
    resetProcessState();
    pulumi.runtime.setAllConfig({ "acme:url": "https://from-program.example" });
});
afterAll(() => {
    pulumi.runtime.setAllConfig({});
    resetProcessState();
});

describe("lookup settings", () => {
    it("reads the program's stack config where configure never ran", async () => {
        await expect(lookup(() => Promise.resolve(readSetting(URL_SETTING)))).resolves.toBe(
            "https://from-program.example",
        );
    });

    it("reads the program's stack config also where configure set another, and leaves that one as it was", async () => {
        configureWith({ "acme:url": "https://from-configure.example" });
        await expect(lookup(() => Promise.resolve(readSetting(URL_SETTING)))).resolves.toBe(
            "https://from-program.example",
        );
        expect(readSetting(URL_SETTING)).toBe("https://from-configure.example");
    });

    it("keeps the program's config for what the lookup awaits, while the hooks beside it read theirs", async () => {
        configureWith({ "acme:url": "https://from-configure.example" });
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => {
            release = resolve;
        });
        const looked = lookup(async () => {
            await gate;
            return readSetting(URL_SETTING);
        });
        expect(readSetting(URL_SETTING)).toBe("https://from-configure.example");
        release();
        await expect(looked).resolves.toBe("https://from-program.example");
    });
});
