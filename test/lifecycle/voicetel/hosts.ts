import { setResolverForTests } from "../../../provider/vendors/voicetel/account-gateway/host";

/**
 * Makes the provider resolve host names from `hosts` (name to IPv4 address) instead of DNS, so a
 * test's answers never depend on the network; any other name fails as DNS does (`ENOTFOUND`).
 */
export function resolveFrom(hosts: Readonly<Record<string, string>>): void {
    setResolverForTests((host) => {
        const ip = hosts[host];
        return ip === undefined
            ? Promise.reject(Object.assign(new Error("not found"), { code: "ENOTFOUND" }))
            : Promise.resolve([ip]);
    });
}
